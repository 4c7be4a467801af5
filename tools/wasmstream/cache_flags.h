// The code-cache flags of `wasmstream compile` (and any command that compiles):
//   --cache PATH          the cache database (default: DefaultCachePath())
//   --no-cache            no cache at all (same as --cache-policy off)
//   --cache-policy NAME   off | content | url-hint (default: content)
//   --cache-min-bytes N   modules below N bytes skip the SQLite tier
//   --cache-signing-key PATH  sign entries; refuse unsigned or wrongly signed ones
// cmd_compile.cc calls ParseCacheFlag() for each argument it does not know,
// then MakeCacheConsumerFactory() and puts the result in Realm::consumer_factory.
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_CACHE_FLAGS_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_CACHE_FLAGS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings/cached_consumer.h"

namespace wasmstream::cli {

struct CacheFlags {
  std::optional<std::string> path;
  bool no_cache = false;
  bindings::CachePolicy policy = bindings::CachePolicy::kContent;
  std::optional<uint64_t> min_bytes;
  std::vector<uint8_t> signing_key;  // read from --cache-signing-key's file
};

inline constexpr char kCacheFlagsHelp[] =
    "  --cache PATH          code cache database (default $XDG_CACHE_HOME/wasmstream/cache.db)\n"
    "  --no-cache            do not use the code cache\n"
    "  --cache-policy NAME   off | content | url-hint (default content)\n"
    "  --cache-min-bytes N   smaller modules skip the persistent cache\n"
    "  --cache-signing-key PATH  HMAC-SHA256 key file (owner-only, 16+ bytes): sign\n"
    "                        entries, refuse unsigned or wrongly signed ones\n";

// If args[i] is a cache flag, consumes it (and its value: i advances) and
// returns true; *error is set when its value is missing or bad.
bool ParseCacheFlag(const std::vector<std::string>& args, size_t& i, CacheFlags& flags,
                    std::string* error);

// The consumer factory for the Realm: null when the cache is off (use the
// default compiler). {inner} is the compiler factory (DefaultConsumerFactory()).
// A cache that cannot open still gives a factory (its SQLite tier is off; one
// warning on stderr). {cache}, when given, receives the factory's CodeCache:
// the caller shuts it down before its EventLoop goes (the order in
// bindings/cached_consumer.h), so every store is on disk when it reports.
std::shared_ptr<bindings::ModuleStreamConsumerFactory> MakeCacheConsumerFactory(
    const CacheFlags& flags, bindings::ModuleStreamConsumerFactory* inner,
    std::shared_ptr<bindings::CodeCache>* cache = nullptr);

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_CACHE_FLAGS_H_
