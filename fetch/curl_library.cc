#include "fetch/curl_library.h"

#include <dlfcn.h>

#include <string>

namespace wasmstream::fetch {
namespace {

struct Loaded {
  CurlLibrary library{};
  bool ok = false;
  std::string error;
};

// Sets {*slot} to the function {name}; false with {*error} set if it is missing.
template <typename Fn>
bool Resolve(void* handle, const char* name, Fn* slot, std::string* error) {
  *slot = reinterpret_cast<Fn>(dlsym(handle, name));
  if (*slot == nullptr) *error = std::string(kCurlSoname) + " has no " + name;
  return *slot != nullptr;
}

Loaded Load() {
  Loaded out;
  // RTLD_NOW: a function missing from this libcurl fails here, not mid-fetch.
  void* handle = dlopen(kCurlSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    out.error = std::string("cannot load ") + kCurlSoname + ": " + (why ? why : "unknown error");
    return out;
  }
  CurlLibrary& c = out.library;
  std::string& e = out.error;
  bool all = Resolve(handle, "curl_global_init", &c.global_init, &e) &&
             Resolve(handle, "curl_version_info", &c.version_info, &e) &&
             Resolve(handle, "curl_easy_init", &c.easy_init, &e) &&
             Resolve(handle, "curl_easy_setopt", &c.easy_setopt, &e) &&
             Resolve(handle, "curl_easy_pause", &c.easy_pause, &e) &&
             Resolve(handle, "curl_easy_strerror", &c.easy_strerror, &e) &&
             Resolve(handle, "curl_easy_cleanup", &c.easy_cleanup, &e) &&
             Resolve(handle, "curl_multi_init", &c.multi_init, &e) &&
             Resolve(handle, "curl_multi_setopt", &c.multi_setopt, &e) &&
             Resolve(handle, "curl_multi_add_handle", &c.multi_add_handle, &e) &&
             Resolve(handle, "curl_multi_remove_handle", &c.multi_remove_handle, &e) &&
             Resolve(handle, "curl_multi_perform", &c.multi_perform, &e) &&
             Resolve(handle, "curl_multi_info_read", &c.multi_info_read, &e) &&
             Resolve(handle, "curl_multi_poll", &c.multi_poll, &e) &&
             Resolve(handle, "curl_multi_wakeup", &c.multi_wakeup, &e) &&
             Resolve(handle, "curl_multi_cleanup", &c.multi_cleanup, &e) &&
             Resolve(handle, "curl_slist_append", &c.slist_append, &e) &&
             Resolve(handle, "curl_slist_free_all", &c.slist_free_all, &e);
  if (!all) return out;
  // Runs on whichever thread fetches first, with others running: libcurl
  // 7.84 and later make this thread-safe (curl --version lists "threadsafe").
  if (CURLcode code = c.global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
    out.error = std::string("curl_global_init failed (code ") + std::to_string(code) + ")";
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace

const CurlLibrary* LoadCurl(std::string* error) {
  static const Loaded loaded = Load();  // once, thread-safe (a function-local static)
  if (!loaded.ok) {
    *error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace wasmstream::fetch
