#include "tools/wasmstream/cache_flags.h"

#include <cstdlib>

namespace wasmstream::cli {
namespace {

// The factory owns its CodeCache through a shared_ptr; one per process.
std::shared_ptr<bindings::CodeCache> ProcessCache(const CacheFlags& flags) {
  cache::StoreOptions o;
  if (flags.path) o.path = *flags.path;
  if (flags.min_bytes) o.min_module_bytes = *flags.min_bytes;
  return std::make_shared<bindings::CodeCache>(cache::SqliteStore::Open(std::move(o)));
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
