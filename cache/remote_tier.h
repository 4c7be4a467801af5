// The shared second tier of the code cache: a Redis server a fleet of
// machines uses together, behind each machine's own SQLite store (L1).
//
// Modeled on ccache's remote storage and sccache's Redis backend: the local
// tier is the cache, the remote one an optional extra that never makes a
// compile fail or wait long.
//
// - Lookup: L1; on a not-found, GET the entry from Redis, decode it
//   (remote_record.h) and check it as L1 checks an entry (key, content size
//   and SHA-256, sizes, and a valid signature when L1 has a signing key). A
//   refused entry is counted and is a miss. An accepted one is the hit, and
//   is imported into L1 (SqliteStore::ImportEntry, which checks it again) on
//   the publisher thread: the hit waits neither for that write nor for a
//   read back.
// - Store: L1's asynchronous store, then the entry as L1 holds it (signed by
//   L1's key) is exported and published to Redis on this tier's publisher
//   thread: the caller never waits for Redis.
// - Fleet single-flight: on a miss in both tiers a machine takes a lease
//   (SET NX PX) and compiles; one that finds another's lease stops its own
//   compile and polls for the entry for a bounded time, then compiles itself.
// - Redis down, slow, full (OOM) or answering garbage: a miss with one
//   warning; after a failure the tier rests for kRemoteRetryAfterMs.
// - Read-only: lookups only; no entry, lease or counter is written.
// - Budget and eviction are Redis's: maxmemory + allkeys-lru
//   (docs/fleet-cache.md).
//
// Keys: PREFIX "e:" KEYHEX (entries), PREFIX "l:" KEYHEX (leases),
// PREFIX "counters" (a hash of the fleet's counters, added at Shutdown).
//
// Thread-safety: public methods may be called from any thread; lookups are
// serialized on one connection, publishes run on the publisher thread.
#ifndef WASMSTREAM_CACHE_REMOTE_TIER_H_
#define WASMSTREAM_CACHE_REMOTE_TIER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cache/cache_key.h"
#include "cache/limits.h"
#include "cache/redis_client.h"
#include "cache/remote_record.h"
#include "cache/sqlite_store.h"

namespace wasmstream::cache {

inline constexpr char kDefaultRemotePrefix[] = "wasmstream:";

struct RemoteOptions {
  std::string url;  // redis://HOST[:PORT][/DB]
  bool read_only = false;
  bool single_flight = true;
  int connect_timeout_ms = kDefaultRemoteConnectTimeoutMs;
  int op_timeout_ms = kDefaultRemoteOpTimeoutMs;
  int lease_ms = kDefaultRemoteLeaseMs;
  int wait_ms = kDefaultRemoteWaitMs;
  int poll_ms = kDefaultRemotePollMs;
  // Every key starts with this: fleets (or experiments) can share a server.
  std::string prefix = kDefaultRemotePrefix;
  EncodeOptions encode;
  // Receives the tier's (at most one) warning; default: stderr.
  std::function<void(const std::string&)> warn;
};

struct RemoteCounters {
  uint64_t hits = 0;              // an entry came from Redis and was imported
  uint64_t misses = 0;            // not in Redis (or Redis unavailable)
  uint64_t publishes = 0;
  uint64_t publish_failures = 0;  // Redis refused or failed, or the queue was full
  uint64_t errors = 0;            // connect/timeout/protocol/server errors
  uint64_t refused = 0;           // entries that failed decoding or import checks
  uint64_t leases = 0;            // leases won: this machine compiled for the fleet
  uint64_t waits = 0;             // another machine's lease found: waited for its entry
  uint64_t wait_hits = 0;         // ... and the entry arrived in time
  uint64_t bytes_in = 0;          // record bytes received
  uint64_t bytes_out = 0;         // record bytes sent
};

// Field names and values, in a stable order (JSON, `cache stats`, Redis hash).
std::vector<std::pair<const char*, uint64_t>> CounterFields(const RemoteCounters& c);

struct FleetStats {
  std::string address;
  std::vector<std::pair<std::string, uint64_t>> counters;  // every machine's, added up
  uint64_t entries = 0;      // keys under the prefix "e:"
  uint64_t used_memory = 0;
  uint64_t maxmemory = 0;    // 0: no limit
  std::string maxmemory_policy;
};

class RemoteTier {
 public:
  // Null with *error set when the options are unusable (a bad URL). Does not
  // connect: an unreachable server shows at the first use.
  // {l1} must outlive the tier.
  static std::unique_ptr<RemoteTier> Open(RemoteOptions options, SqliteStore* l1,
                                          std::string* error);
  ~RemoteTier();  // Shutdown()
  RemoteTier(const RemoteTier&) = delete;
  RemoteTier& operator=(const RemoteTier&) = delete;

  const RemoteOptions& options() const { return options_; }
  const RedisAddress& address() const { return address_; }

  // L1, then L2 (and single-flight) on a not-found: SqliteStore::Lookup's
  // contract; {where} gets "sqlite", "redis" or "redis (waited for a fleet
  // compile)" on a hit. After an L2 hit the entry reaches L1 shortly (Flush()
  // waits for it). {on_found} is also called when this machine decides
  // to wait for another's compile. Blocks (bounded); not on a loop thread.
  LookupResult Lookup(const CacheKey& key, const ContentDigest& content,
                      const std::function<void()>& on_found, std::string* where);

  // L1's StoreAsync, then a publish to Redis on the publisher thread.
  // Returns at once.
  void Store(const CacheKey& key, std::string fingerprint, const ContentDigest& content,
             std::vector<uint8_t> payload);

  // Waits for queued publishes (for tests and the experiment harness).
  void Flush();

  // Publishes what is queued (at most {max_wait}), releases leases still
  // held, adds this session's counters to the fleet's hash, ends the
  // publisher thread. Idempotent. Call before L1's Shutdown (a publish reads
  // its entry from L1).
  void Shutdown(std::chrono::milliseconds max_wait =
                    std::chrono::milliseconds(kDefaultShutdownWaitMs));

  RemoteCounters counters();

  // Administration: the fleet's counters and the server's memory settings.
  static std::optional<FleetStats> ReadFleetStats(const RemoteOptions& options,
                                                  std::string* error);

 private:
  struct Publish;
  RemoteTier(RemoteOptions options, RedisAddress address, SqliteStore* l1);
  std::string EntryKey(const CacheKey& key) const;
  std::string LeaseKey(const CacheKey& key) const;
  bool Resting();
  void Failed(const std::string& what);
  void Warn(const std::string& message);
  void Count(uint64_t RemoteCounters::*field, uint64_t n = 1);
  // GET + decode; nullopt on not-found, error or refusal (counted).
  std::optional<EntryRecord> Fetch(const CacheKey& key, bool* found);
  // The checks SqliteStore::ImportEntry and Lookup make, before the hit is
  // used: key, content digest, sizes, and the signature under L1's key.
  // False when refused (counted, one warning).
  bool Accept(const CacheKey& key, const ContentDigest& content, const EntryRecord& record);
  // Queues {record} for L1 (ImportEntry on the publisher thread).
  void ImportAsync(EntryRecord record);
  enum class LeaseState { kWon, kHeld, kNone };
  LeaseState TakeLease(const CacheKey& key);
  std::optional<EntryRecord> WaitForEntry(const CacheKey& key);
  void PublisherLoop();
  void RunPublish(Publish& job);
  void ReleaseLease(RedisClient& client, const CacheKey& key);
  void ReleaseOwnLease(const CacheKey& key);  // on the lookup connection

  const RemoteOptions options_;
  const RedisAddress address_;
  SqliteStore* const l1_;
  std::atomic<bool> warned_{false};
  std::atomic<int64_t> rest_until_ms_{0};

  std::mutex lookup_mutex_;
  // Protected by {lookup_mutex_}:
  RedisClient lookup_client_;

  std::mutex counters_mutex_;
  // Protected by {counters_mutex_}:
  RemoteCounters counters_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::condition_variable idle_cv_;
  // Protected by {queue_mutex_}:
  std::deque<std::unique_ptr<Publish>> queue_;
  uint64_t queued_bytes_ = 0;
  bool busy_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point drain_deadline_;
  std::map<CacheKey, std::string> leases_;  // held by this machine: key → token

  std::mutex join_mutex_;
  RedisClient publish_client_;  // publisher thread only (and Shutdown after the join)
  std::thread publisher_;
};

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_REMOTE_TIER_H_
