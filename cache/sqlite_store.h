// The persistent code cache: one SQLite database file shared by every
// wasmstream process of a user.
//
// - WAL mode and a busy timeout, so several processes read and write one file
//   at once; writes are short BEGIN IMMEDIATE transactions; a key is UNIQUE, so
//   two processes storing the same module leave one entry.
// - Schema versioned with PRAGMA user_version and migrated step by step. A file
//   from a *newer* schema is left untouched (a newer build owns it): the store
//   is unusable, every lookup misses, one warning. `wasmstream cache clear`
//   deletes such a file on request.
// - Metadata (sizes, checksum, hits, last use) lives in `entries`, the big
//   blobs in `blobs`, so recording a hit rewrites a small row only.
// - Every entry is hostile input: Lookup() compares the entry's content size
//   and SHA-256 with the streamed bytes' and checks the payload's checksum;
//   any mismatch is a miss, the entry is deleted and counted as rejected. An
//   entry holds no copy of the wire bytes: the caller has them.
// - A failing cache (not a database, corrupt, read-only, disk full) degrades to
//   no cache with one warning; nothing here ever throws or aborts.
// - Stores, hit bookkeeping and deletions run on a writer thread with its own
//   connection, so they never delay the caller (the loop thread).
//
// Thread-safety: all public methods may be called from any thread.
#ifndef WASMSTREAM_CACHE_SQLITE_STORE_H_
#define WASMSTREAM_CACHE_SQLITE_STORE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cache/cache_key.h"
#include "cache/limits.h"

struct sqlite3;

namespace wasmstream::cache {

namespace internal {
class Stmt;
}  // namespace internal

// Version 1: entries, blobs, counters. Version 2: url_hints. Version 3:
// entries confirmed by SHA-256, no stored copy of the wire bytes. Version 4:
// signatures, and the prefix digest that predicts a hit.
inline constexpr int kSchemaVersion = 5;

struct StoreOptions {
  std::string path;  // empty: DefaultCachePath()
  uint64_t max_total_bytes = kDefaultMaxTotalBytes;
  uint64_t max_entry_bytes = kDefaultMaxEntryBytes;
  uint64_t min_module_bytes = kDefaultMinModuleBytes;
  int busy_timeout_ms = kDefaultBusyTimeoutMs;
  // HMAC-SHA256 key (entry_signature.h). When set, every entry written is
  // signed and every entry read, local or imported, must carry a valid
  // signature: unsigned and wrongly signed entries are refused (counted as
  // bad_signature) and deleted. Empty: entries are checked by checksum only.
  std::vector<uint8_t> signing_key;
  // Receives the (at most one per store) warning; default: stderr.
  std::function<void(const std::string&)> warn;
};

// $XDG_CACHE_HOME/wasmstream/cache.db, else $HOME/.cache/wasmstream/cache.db,
// else ./wasmstream-cache.db.
std::string DefaultCachePath();

struct Counters {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t stores = 0;
  uint64_t store_failures = 0;
  uint64_t rejected = 0;           // found but refused: checksum, wire bytes, or load failed
  uint64_t skipped_too_small = 0;  // below min_module_bytes
  uint64_t skipped_too_large = 0;  // above max_entry_bytes
  uint64_t evicted = 0;
  uint64_t bad_signature = 0;      // unsigned or wrongly signed, with a key set (also in rejected)
  uint64_t write_backs = 0;        // entries whose payload a write-back replaced (ReplaceAsync)
};

struct EntryInfo {
  CacheKey key;
  std::string fingerprint;
  uint64_t wire_size = 0;
  uint64_t payload_size = 0;
  uint64_t hits = 0;
  int64_t created_ms = 0;   // Unix time
  int64_t last_used_ms = 0;
};

struct StoreStats {
  std::string path;
  bool usable = false;
  std::string unusable_reason;
  int schema_version = 0;
  uint64_t entries = 0;
  uint64_t total_bytes = 0;  // payloads of all entries
  uint64_t file_bytes = 0;
  Counters session;    // this store object only
  Counters persisted;  // every process, since the database was created
};

enum class MissReason : uint8_t {
  kHit,
  kUnusable,      // the store is off (failed to open, or failed since)
  kTooSmall,      // below min_module_bytes: not looked up
  kNotFound,
  kChecksum,      // payload checksum mismatch (entry deleted)
  kWireMismatch,  // same key, other content (size or SHA-256): a collision (entry deleted)
  kUnsigned,      // a signing key is set and the entry has no signature (entry deleted)
  kBadSignature,  // a signing key is set and the signature is wrong (entry deleted)
  kError,         // SQLite error during the read
};
const char* ToString(MissReason r);

// One entry in transfer form, from one store to another (a shared tier
// moves these between machines). Untrusted until a store imports it.
struct EntryRecord {
  CacheKey key;
  std::string fingerprint;
  ContentDigest content;
  std::vector<uint8_t> payload;
  std::vector<uint8_t> signature;  // HMAC-SHA256 (entry_signature.h); empty when unsigned
};

struct LookupResult {
  MissReason reason = MissReason::kNotFound;
  std::vector<uint8_t> payload;  // when reason == kHit
  bool hit() const { return reason == MissReason::kHit; }
};

class SqliteStore {
 public:
  // Never fails: a store that cannot open is returned unusable (one warning).
  static std::unique_ptr<SqliteStore> Open(StoreOptions options);
  // Shutdown(), then closes.
  ~SqliteStore();
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  bool usable() const { return !unusable_.load(); }
  const std::string& path() const { return options_.path; }
  const StoreOptions& options() const { return options_; }
  void set_min_module_bytes(uint64_t n) { options_.min_module_bytes = n; }

  // Finds {key} and confirms it: the entry was made from content of the same
  // size and SHA-256 as {content}, and its payload matches its checksum. A
  // hit's use time and count are recorded on the writer thread. {on_found},
  // when given, is called as soon as a confirmed entry of that key exists,
  // before its payload is read and checked (a caller can stop work a hit
  // would make useless; the lookup may still miss).
  LookupResult Lookup(const CacheKey& key, const ContentDigest& content,
                      const std::function<void()>& on_found = {});

  // Reads {key}'s entry before the stream's own digest is known (a prefix
  // predicted it), so the entry loads while the rest of the bytes arrive.
  // The payload is checked as Lookup() checks it (checksum, or signature),
  // against the entry's own stored size and SHA-256, returned in {*stored};
  // the caller confirms the hit by comparing them with the streamed bytes'
  // and then calls CountPreloadHit (or, on a mismatch, Lookup for the key
  // the bytes have). Only a rejected entry is counted here (deleted, as
  // Lookup deletes it); a not-found counts nothing.
  LookupResult Preload(const CacheKey& key, ContentDigest* stored);
  // A preloaded entry was confirmed: count the hit, record its use.
  void CountPreloadHit(const CacheKey& key);

  // Queues an entry for the writer thread: {payload} compiled from content
  // {content}. Returns false when the entry is refused at once (unusable, too
  // small, too large, queue full); the write itself may still fail later
  // (counted).
  // With a signing key, the writer signs the entry ({signature}: an
  // imported entry's own, already verified).
  bool StoreAsync(const CacheKey& key, std::string fingerprint, const ContentDigest& content,
                  std::vector<uint8_t> payload, std::vector<uint8_t> signature = {});

  // A write-back (bindings/cache_write_back.h): queues {payload} to replace
  // the payload of {key}'s entry, in one transaction (a process that dies
  // mid-write leaves the old entry whole). The entry keeps its hits and use
  // order; it is signed like a new one. A stored payload larger than
  // {payload} is kept: it is another process's write-back of more code, and
  // an older, smaller one must not undo it. An absent entry is stored anew.
  // Refused at once for the reasons StoreAsync() refuses.
  bool ReplaceAsync(const CacheKey& key, std::string fingerprint, const ContentDigest& content,
                    std::vector<uint8_t> payload);

  // The key of an entry of {fingerprint} whose content had {prefix}
  // (ContentDigest::prefix) and, when {size} is given, that size: the stream
  // is probably that module. A prediction only; Lookup() confirms. Cheap
  // (one indexed read).
  std::optional<CacheKey> FindByPrefix(uint64_t prefix, std::optional<uint64_t> size,
                                       const std::string& fingerprint);

  // The entry as it is stored, for another store (no checks: the importer
  // checks). Nullopt when absent or the store is unusable.
  std::optional<EntryRecord> ExportEntry(const CacheKey& key);
  // Checks {record} as Lookup() checks a local entry (its signature when this
  // store has a key; sizes and limits) and writes it, then waits for the
  // write. Returns kHit when the entry is now stored (or already was), else
  // why it was refused (kUnsigned, kBadSignature, kTooSmall, kUnusable,
  // kChecksum for a malformed record, kError when the write failed).
  MissReason ImportEntry(EntryRecord record);

  // An entry Lookup() returned could not be loaded (e.g. the serializer
  // rejected it): delete it and count it as rejected.
  void Reject(const CacheKey& key, const std::string& why);

  // Blocks until every queued write is done.
  void Flush();

  // Stops taking writes, writes what is queued and ends the writer thread.
  // Writing stops after {max_wait}: queued jobs left then are dropped (stores
  // counted as store failures, one warning), so a locked or stuck file cannot
  // hold up an exit for longer than that plus one busy timeout. Lookups and
  // administration still work afterwards; new writes are refused. Idempotent,
  // any thread but the writer. The owner calls it before the process exits
  // (bindings/cached_consumer.h, CodeCache, gives the whole shutdown order).
  void Shutdown(std::chrono::milliseconds max_wait =
                    std::chrono::milliseconds(kDefaultShutdownWaitMs));

  // url-hint policy: URL + validators (ETag, Last-Modified, Content-Length,
  // joined by the caller) → the key seen last time.
  void PutHintAsync(const std::string& url, const std::string& validators, const CacheKey& key);
  std::optional<CacheKey> FindHint(const std::string& url, const std::string& validators);

  // Administration (synchronous, on the calling thread).
  StoreStats Stats();
  std::vector<EntryInfo> List();
  bool Clear();                          // deletes every entry and hint
  uint64_t EvictTo(uint64_t max_bytes);  // LRU until total <= max_bytes; returns entries removed
  // The payload blob alone, no checks: the floor in bench/cache_bench.cc.
  std::optional<std::vector<uint8_t>> ReadPayloadUnchecked(const CacheKey& key);

  // For tests and benchmarks: removes a cache database and its -wal/-shm
  // companions (RemoveOwnCacheFile, cache_file.h), or an empty regular file
  // (what PrepareCachePath leaves before the first write); an absent path is
  // success. Anything else is refused and left untouched (a mistyped path
  // must not delete someone's file); {error} (may be null) says why.
  static bool DestroyFile(const std::string& path, std::string* error);

 private:
  struct Job;
  class Written;
  explicit SqliteStore(StoreOptions options);
  bool OpenDatabase(sqlite3** db, std::string* error, bool* busy);
  void Disable(const std::string& why);
  void Warn(const std::string& message);
  void Enqueue(std::unique_ptr<Job> job, uint64_t bytes);
  // The replace step of a write-back job, in its transaction: {*done} when
  // the entry existed (its payload now replaced or kept). An SQLite code.
  int ReplacePayload(sqlite3* db, const Job& job, Counters* delta, bool* done);
  void WriterLoop();
  void DropQueued(std::unique_lock<std::mutex>& lock);
  bool RunJob(Job& job);
  // StoreAsync's checks and queueing; {written}, when given, learns whether
  // the write committed; {replace}: a write-back (ReplaceAsync).
  bool QueueStore(const CacheKey& key, std::string fingerprint, const ContentDigest& content,
                  std::vector<uint8_t> payload, std::vector<uint8_t> signature,
                  std::unique_ptr<Written> written, bool replace = false);
  // Deletes least recently used entries (never {keep_id}) until the payloads
  // total at most {max_bytes}; {*evicted} gets their number. In the caller's
  // transaction; returns an SQLite result code.
  int EvictLru(sqlite3* db, uint64_t max_bytes, int64_t keep_id, uint64_t* evicted);
  void BumpSession(uint64_t Counters::*field, uint64_t n = 1);
  // Deletes rows whose sizes are impossible (entry_rows.h); counts, warns.
  void DropDamaged(sqlite3* db);
  void CheckSqlite(int rc, const char* what);
  // {expected}: the content the entry must have been made from (Lookup), or
  // null to take the stored one (Preload); {*stored} gets it either way.
  int ReadEntry(const CacheKey& key, const ContentDigest* expected, ContentDigest* stored,
                LookupResult* result, const std::function<void()>& on_found);
  // Counts a lookup's outcome and queues its touch or delete.
  void Settle(const CacheKey& key, const LookupResult& result, bool count_not_found);
  bool signed_store() const { return !options_.signing_key.empty(); }
  // The key in the first column of {s}'s next row (FindHint, FindByPrefix);
  // nullopt when there is none or it is malformed ({what} names an error).
  std::optional<CacheKey> StepKey(internal::Stmt& s, const char* what);

  StoreOptions options_;
  std::atomic<bool> unusable_{false};
  std::atomic<bool> warned_{false};
  std::string unusable_reason_;  // set once, before unusable_ turns true

  std::mutex read_mutex_;
  // Protected by {read_mutex_}:
  sqlite3* read_db_ = nullptr;

  std::mutex counters_mutex_;
  // Protected by {counters_mutex_}:
  Counters session_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::condition_variable idle_cv_;
  // Protected by {queue_mutex_}:
  std::deque<std::unique_ptr<Job>> queue_;
  uint64_t queued_bytes_ = 0;
  bool busy_ = false;
  bool accepting_ = false;  // the writer runs and Shutdown() was not called
  bool writer_done_ = true;
  std::chrono::steady_clock::time_point drain_deadline_;

  std::mutex join_mutex_;  // one Shutdown() joins the writer

  sqlite3* write_db_ = nullptr;  // used on the writer thread only
  std::thread writer_;
};

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_SQLITE_STORE_H_
