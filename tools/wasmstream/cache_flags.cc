#include "tools/wasmstream/cache_flags.h"

#include <cstdlib>

#include "bindings/realm.h"
#include "cache/entry_signature.h"

namespace wasmstream::cli {
namespace {

// The factory owns its CodeCache through a shared_ptr; one per process.
// The flags as the embedding API's options (Realm::EnableCodeCache takes the
// same); the CLI keeps the store's size floor unless --cache-min-bytes says.
std::shared_ptr<bindings::CodeCache> ProcessCache(const CacheFlags& flags) {
  bindings::CodeCacheOptions o;
  o.policy = flags.policy;
  if (flags.path) o.path = *flags.path;
  o.min_module_bytes = flags.min_bytes ? *flags.min_bytes : cache::kDefaultMinModuleBytes;
  std::string remote;
  if (flags.remote) {
    remote = *flags.remote;
  } else if (const char* env = std::getenv(kCacheRemoteEnv)) {
    remote = env;
  }
  if (!remote.empty() && remote != "off") {
    o.remote = flags.remote_options;
    o.remote->url = remote;
  }
  o.signing_key = flags.signing_key;
  o.write_back = flags.write_back;
  return bindings::MakeCodeCache(o);
}

}  // namespace

bool ParseCacheFlag(const std::vector<std::string>& args, size_t& i, CacheFlags& flags,
                    std::string* error) {
  const std::string& a = args[i];
  auto value = [&]() -> const std::string* {
    if (i + 1 >= args.size()) {
      *error = a + " needs a value";
      return nullptr;
    }
    return &args[++i];
  };
  if (a == "--no-cache") {
    flags.no_cache = true;
    return true;
  }
  if (a == "--cache-write-back") {
    flags.write_back = true;
    return true;
  }
  if (a == "--cache") {
    if (const std::string* v = value()) flags.path = *v;
    return true;
  }
  if (a == "--cache-policy") {
    if (const std::string* v = value()) {
      auto p = bindings::CachePolicyFromName(*v);
      if (!p) {
        *error = "unknown cache policy '" + *v + "' (off, content, url-hint)";
      } else {
        flags.policy = *p;
      }
    }
    return true;
  }
  auto millis = [&](int* out) {
    if (const std::string* v = value()) {
      char* end = nullptr;
      long n = std::strtol(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || n <= 0 || n > 3'600'000) {
        *error = a + " needs milliseconds (1-3600000), got '" + *v + "'";
      } else {
        *out = static_cast<int>(n);
      }
    }
  };
  cache::RemoteOptions& r = flags.remote_options;
  if (a == "--cache-remote") {
    if (const std::string* v = value()) flags.remote = *v;
    return true;
  }
  if (a == "--cache-remote-read-only") {
    r.read_only = true;
    return true;
  }
  if (a == "--cache-remote-no-single-flight") {
    r.single_flight = false;
    return true;
  }
  if (a == "--cache-remote-connect-timeout") {
    millis(&r.connect_timeout_ms);
    return true;
  }
  if (a == "--cache-remote-timeout") {
    millis(&r.op_timeout_ms);
    return true;
  }
  if (a == "--cache-remote-wait") {
    millis(&r.wait_ms);
    return true;
  }
  if (a == "--cache-remote-prefix") {
    if (const std::string* v = value()) r.prefix = *v;
    return true;
  }
  if (a == "--cache-remote-compress") {
    if (const std::string* v = value()) {
      if (*v == "zstd") {
        r.encode.compression = cache::RecordCompression::kZstd;
      } else if (*v == "none") {
        r.encode.compression = cache::RecordCompression::kNone;
      } else {
        *error = "--cache-remote-compress takes zstd or none, got '" + *v + "'";
      }
    }
    return true;
  }
  if (a == "--cache-signing-key") {
    if (const std::string* v = value()) {
      auto key = cache::LoadSigningKey(*v, error);
      if (key) flags.signing_key = std::move(*key);
    }
    return true;
  }
  if (a == "--cache-min-bytes") {
    if (const std::string* v = value()) {
      char* end = nullptr;
      unsigned long long n = std::strtoull(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || (*v)[0] == '-') {
        *error = "--cache-min-bytes needs a byte count, got '" + *v + "'";
      } else {
        flags.min_bytes = n;
      }
    }
    return true;
  }
  return false;
}

std::shared_ptr<bindings::ModuleStreamConsumerFactory> MakeCacheConsumerFactory(
    const CacheFlags& flags, bindings::ModuleStreamConsumerFactory* inner,
    std::shared_ptr<bindings::CodeCache>* cache) {
  if (flags.no_cache || flags.policy == bindings::CachePolicy::kOff) return nullptr;
  std::shared_ptr<bindings::CodeCache> process_cache = ProcessCache(flags);
  if (cache) *cache = process_cache;
  return std::make_shared<bindings::CachedConsumerFactory>(std::move(process_cache), flags.policy,
                                                           inner);
}

}  // namespace wasmstream::cli
