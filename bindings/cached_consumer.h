// The code cache as a ModuleStreamConsumer (bindings is the only layer that
// knows wasm, the cache and the controller: cache/ sees modules as bytes).
//
// A CachedConsumerFactory wraps another factory (normally
// DefaultConsumerFactory(), the streaming compiler) and runs one policy:
//
//   off       pass-through: compile, report cache "off".
//   content   compile while streaming and hash the same chunks; at the end,
//             the key (XXH3-128 + engine fingerprint) is looked up in the
//             in-process map, then in SQLite; on a hit the remaining compile
//             work is aborted and the cached module is used. A miss stores the
//             compiled module (serialized off the loop, written by the store's
//             writer thread).
//   url-hint  remember URL + validators (ETag, Last-Modified, Content-Length)
//             → key. When a new stream's URL and validators match a hint, it
//             only hashes while streaming (no compile), confirms the key at the
//             end and compiles from the retained bytes only if the key differs
//             or the entry is gone. Without a hint it behaves like `content`
//             and records one.
//
// Every hit is confirmed: the in-process module's wire bytes, or the SQLite
// entry's stored wire bytes, must equal the streamed bytes. A cached module
// that fails to load is a miss (the entry is deleted), never an error.
//
// The per-stream record (ConsumerReport) says which policy ran, hit or miss,
// and why: cache = "off" | "hit" | "miss", cache_detail e.g.
// "policy=content; hit: in-process map", "policy=url-hint; miss: not found".
//
// Threads: Create/OnBytes/Finish/Abort on the loop thread (the controller's
// contract). SQLite reads run on the CodeCache's I/O thread, writes on the
// store's writer thread, compiles on the inner consumer's workers; {done} is
// called from one of those.
#ifndef WASMSTREAM_BINDINGS_CACHED_CONSUMER_H_
#define WASMSTREAM_BINDINGS_CACHED_CONSUMER_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "bindings/cache_write_back.h"
#include "bindings/module_stream_consumer.h"
#include "cache/cache_key.h"
#include "cache/module_map.h"
#include "cache/remote_tier.h"
#include "cache/sqlite_store.h"

namespace wasmstream::bindings {

enum class CachePolicy { kOff, kContent, kUrlHint };
std::optional<CachePolicy> CachePolicyFromName(std::string_view name);  // "off", "content", "url-hint"
const char* CachePolicyName(CachePolicy p);

// The engine fingerprint for modules compiled with {features}; {with_code}:
// compiled while streaming (false: validated only, compiled lazily), so the
// two kinds of entry never stand in for each other.
cache::EngineFingerprint EngineFingerprintFor(const wasm::Features& features,
                                              bool with_code = true);

// One per process (or per test): the in-process map, the optional SQLite
// store and an I/O thread for store reads.
//
// Shutdown order, the same for the CLI, tests and embedders. Threads that can
// post to the EventLoop: the fetcher's network thread, compile workers, this
// cache's I/O thread; the store's writer posts nothing.
//   1. The EventLoop is created first and destroyed last.
//   2. On the loop thread, once the promises it waits for have settled, the
//      owner calls CodeCache::Shutdown(): queued lookups run (they may still
//      post to the loop, which is alive) and the I/O thread ends; then the
//      shared tier publishes what is queued (bounded: RemoteTier::Shutdown),
//      the store writes what is queued (bounded: SqliteStore::Shutdown) and
//      its writer ends. Every store a finished compile queued is on disk now.
//   3. Then the Realm (and its consumer factory), the Fetcher, the EventLoop.
// Streams still holding the CodeCache after that find its threads gone: a
// lookup runs on the caller's thread, a store is refused.
// Without Shutdown() the last reference may drop anywhere, inside an I/O
// task too: the destructor then shuts down from the I/O thread, which it
// lets finish on its own (it cannot join itself).
class CodeCache {
 public:
  // {store}: null for the in-process map alone (no persistent cache).
  explicit CodeCache(std::unique_ptr<cache::SqliteStore> store);
  ~CodeCache();  // Shutdown()
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;

  cache::SqliteStore* store() const { return store_.get(); }
  // The shared tier behind the store (cache/remote_tier.h); null without one.
  cache::RemoteTier* remote() const { return remote_.get(); }
  // Adds the shared tier ({remote}'s L1 must be store()). Before any stream.
  void SetRemote(std::unique_ptr<cache::RemoteTier> remote) { remote_ = std::move(remote); }
  // The store's Lookup through every tier (I/O thread): {where} gets the tier
  // that hit ("sqlite", "redis", ...). Requires store().
  cache::LookupResult Lookup(const cache::CacheKey& key, const cache::ContentDigest& content,
                             const std::function<void()>& on_found, std::string* where);
  // The store's StoreAsync through every tier: never waits for the shared one.
  void Store(const cache::CacheKey& key, std::string fingerprint,
             const cache::ContentDigest& content, std::vector<uint8_t> payload);
  cache::ModuleMap<wasm::Module>& map() { return map_; }
  // Runs {task} on the I/O thread (after Shutdown(): on the calling thread).
  void PostIo(std::function<void()> task);
  // Blocks until every lookup and store queued so far is done: the I/O
  // thread's tasks (which serialize and queue stores), then the store's
  // writes. Not on the I/O thread.
  void Flush();
  // Step 2 of the shutdown order above. Idempotent; not on the I/O thread.
  void Shutdown(std::chrono::milliseconds max_wait =
                    std::chrono::milliseconds(cache::kDefaultShutdownWaitMs));

  // Write-back (bindings/cache_write_back.h), off unless enabled: call before
  // any stream. Then every module this cache stores or loads from the SQLite
  // tier is tracked, and WriteBack() (the embedder's call, on any thread but
  // the I/O thread, before Shutdown()) queues a replacement of each entry
  // whose module compiled functions since; Flush() or Shutdown() writes them.
  void EnableWriteBack();
  bool write_back_enabled() const { return write_back_ != nullptr; }
  void TrackForWriteBack(const std::shared_ptr<const wasm::Module>& module,
                         const cache::CacheKey& key, const std::string& fingerprint,
                         const cache::ContentDigest& content);
  WriteBackOutcome WriteBack();

 private:
  // The I/O thread's queue, shared with the thread: it may outlive the
  // CodeCache when the cache is destroyed on that thread.
  struct IoQueue {
    std::mutex mutex;
    std::condition_variable cv;
    // Protected by {mutex}:
    std::deque<std::function<void()>> tasks;
    bool stopping = false;
  };
  static void IoLoop(const std::shared_ptr<IoQueue>& queue);
  std::unique_ptr<cache::SqliteStore> store_;
  std::unique_ptr<cache::RemoteTier> remote_;  // declared after {store_}: goes first
  cache::ModuleMap<wasm::Module> map_;
  std::unique_ptr<WriteBackList> write_back_;  // null: write-back off
  const std::shared_ptr<IoQueue> queue_ = std::make_shared<IoQueue>();
  std::mutex join_mutex_;  // one Shutdown() joins {io_}
  std::thread io_;
};

class CachedConsumerFactory final : public ModuleStreamConsumerFactory {
 public:
  // {inner} compiles (not owned; must outlive the factory and its consumers).
  CachedConsumerFactory(std::shared_ptr<CodeCache> cache, CachePolicy policy,
                        ModuleStreamConsumerFactory* inner);
  std::unique_ptr<ModuleStreamConsumer> Create(const StreamInfo& info) override;
  std::string_view name() const override { return name_; }
  CachePolicy policy() const { return policy_; }

 private:
  std::shared_ptr<CodeCache> cache_;
  CachePolicy policy_;
  ModuleStreamConsumerFactory* inner_;
  std::string name_;
};

// "etag=…;last-modified=…;length=…" from the parts present; "" when the
// response had neither ETag nor Last-Modified (nothing to validate a hint).
std::string HintValidators(const StreamInfo& info);

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_CACHED_CONSUMER_H_
