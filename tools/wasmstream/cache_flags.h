// The code-cache flags of `wasmstream compile` (and any command that compiles):
//   --cache PATH          the cache database (default: DefaultCachePath())
//   --no-cache            no cache at all (same as --cache-policy off)
//   --cache-policy NAME   off | content | url-hint (default: content)
//   --cache-min-bytes N   modules below N bytes skip the SQLite tier
//   --cache-remote URL    a shared Redis tier behind the file (also
//                         $WASMSTREAM_CACHE_REMOTE), and its --cache-remote-*
//                         options (kCacheFlagsHelp; docs/fleet-cache.md)
//   --cache-signing-key PATH  sign entries; refuse unsigned or wrongly signed ones
//   --cache-write-back    at the end of the command, store the code compiled
//                         on first call in the module's entry
//                         (bindings/cache_write_back.h)
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
#include "cache/remote_tier.h"

namespace wasmstream::cli {

struct CacheFlags {
  std::optional<std::string> path;
  bool no_cache = false;
  bindings::CachePolicy policy = bindings::CachePolicy::kContent;
  std::optional<uint64_t> min_bytes;
  // The shared tier: --cache-remote, else $WASMSTREAM_CACHE_REMOTE (read by
  // MakeCacheConsumerFactory); "" or "off" in either: none.
  std::optional<std::string> remote;
  cache::RemoteOptions remote_options;  // everything but the URL
  std::vector<uint8_t> signing_key;  // read from --cache-signing-key's file
  bool write_back = false;           // --cache-write-back
};

inline constexpr char kCacheRemoteEnv[] = "WASMSTREAM_CACHE_REMOTE";

inline constexpr char kCacheFlagsHelp[] =
    "  --cache PATH          code cache database (default $XDG_CACHE_HOME/wasmstream/cache.db)\n"
    "  --no-cache            do not use the code cache\n"
    "  --cache-policy NAME   off | content | url-hint (default content)\n"
    "  --cache-min-bytes N   smaller modules skip the persistent cache\n"
    "  --cache-remote URL    shared tier redis://HOST[:PORT][/DB] (env WASMSTREAM_CACHE_REMOTE;\n"
    "                        'off' for none)\n"
    "  --cache-remote-read-only          look up only; publish nothing\n"
    "  --cache-remote-no-single-flight   do not wait for another machine's compile\n"
    "  --cache-remote-connect-timeout MS (default 300)\n"
    "  --cache-remote-timeout MS         per socket operation (default 2000)\n"
    "  --cache-remote-wait MS            longest wait for another machine's compile (30000)\n"
    "  --cache-remote-prefix P           key prefix (default wasmstream:)\n"
    "  --cache-remote-compress zstd|none entries published (default zstd)\n"
    "  --cache-signing-key PATH  HMAC-SHA256 key file (owner-only, 16+ bytes): sign\n"
    "                        entries, refuse unsigned or wrongly signed ones\n"
    "  --cache-write-back    at exit, store the code of the functions compiled on their\n"
    "                        first call in the module's entry (next run loads it)\n";

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
