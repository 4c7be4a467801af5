// Code-cache write-back, an opt-in policy (CodeCacheOptions::write_back,
// `--cache-write-back`): a lazily compiled module's cache entry holds its
// metadata and no code, since nothing is compiled when it is stored; V8
// caches a module again after tier-up so that a second run starts with its
// hot functions compiled, and this does the same for the functions called so
// far.
//
// The CodeCache remembers, for each module it stored or loaded from the
// SQLite tier, the entry's key (WriteBackList::Track). When the embedder asks
// (CodeCache::WriteBack(), which the CLI calls once, at the end of a command
// run with --cache-write-back), each such module whose set of functions
// compiled from wire bytes grew since its entry was written (or written back)
// is serialized again with the code it has now (SerializeOptions::
// with_code_so_far: code made on first call, plus the stored code of
// functions this process did not call) and its entry's payload is replaced
// (SqliteStore::ReplaceAsync: one transaction, a bigger stored payload
// kept). On the next load those functions come from the entry, checked by
// the code verifier on their first call; the others still compile then.
//
// Only the local SQLite tier is rewritten (a shared tier keeps what was
// published first). A module dropped before WriteBack() is skipped: its code
// went with it.
#ifndef WASMSTREAM_BINDINGS_CACHE_WRITE_BACK_H_
#define WASMSTREAM_BINDINGS_CACHE_WRITE_BACK_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cache/cache_key.h"
#include "cache/sqlite_store.h"
#include "wasm/module.h"

namespace wasmstream::bindings {

struct WriteBackOutcome {
  size_t queued = 0;     // entries queued for replacement
  size_t unchanged = 0;  // nothing compiled since the entry was written
  size_t gone = 0;       // the module was dropped first
  size_t refused = 0;    // the store refused the write (too large, unusable, ...)
  // Over the tracked modules still alive (wasm::ModuleCodeStats): functions
  // compiled from wire bytes, and loaded from their entry, in this process.
  uint64_t functions_compiled = 0;
  uint64_t functions_loaded = 0;
  uint64_t compile_ns = 0;  // their time (wasm::ModuleCodeStats)
  uint64_t load_ns = 0;
};

// "write-back: 1 entry queued (1234 functions compiled in 56.7 ms, 0 loaded
// from the cache in 0.0 ms)", for the CLI's report.
std::string Describe(const WriteBackOutcome& o);

// Thread-safe.
class WriteBackList {
 public:
  // {module} is the module of {key}'s entry, as written now. Tracking the
  // key again with another module replaces the first.
  void Track(const std::shared_ptr<const wasm::Module>& module, const cache::CacheKey& key,
             std::string fingerprint, const cache::ContentDigest& content);

  // Writes back, through {store}, every tracked module whose compiled
  // functions grew since its entry was written. Serializes on the calling
  // thread; the store's writer writes (SqliteStore::Flush waits for it).
  WriteBackOutcome WriteBack(cache::SqliteStore& store);

 private:
  struct Tracked {
    std::weak_ptr<const wasm::Module> module;
    cache::CacheKey key;
    std::string fingerprint;
    cache::ContentDigest content;
    uint64_t compiled_when_written = 0;  // ModuleCodeStats::compiled at the last write
  };
  std::mutex write_mutex_;  // one WriteBack() at a time
  std::mutex mutex_;
  // Protected by {mutex_}:
  std::vector<Tracked> tracked_;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_CACHE_WRITE_BACK_H_
