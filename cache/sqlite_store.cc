#include "cache/sqlite_store.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <system_error>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/huge_pages.h"

#include "cache/cache_file.h"
#include "cache/entry_rows.h"
#include "cache/entry_signature.h"
#include "cache/sqlite_util.h"

namespace wasmstream::cache {
namespace {

using internal::BlobReader;
using internal::DropDamagedRows;
using internal::Exec;
using internal::IsFatal;
using internal::Stmt;

// Migration i takes the schema from version i to i + 1 (append-only).
constexpr const char* kMigrations[] = {
    // 0 → 1: entries (small metadata rows), blobs (the big bytes, apart so a
    // hit's bookkeeping rewrites only a small row), shared counters.
    "CREATE TABLE entries("
    "  id INTEGER PRIMARY KEY,"
    "  key BLOB NOT NULL UNIQUE,"
    "  fingerprint TEXT NOT NULL,"
    "  wire_size INTEGER NOT NULL,"
    "  payload_size INTEGER NOT NULL,"
    "  checksum INTEGER NOT NULL,"
    "  created_ms INTEGER NOT NULL,"
    "  last_used_ms INTEGER NOT NULL,"
    "  use_seq INTEGER NOT NULL,"
    "  hits INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX entries_by_use ON entries(use_seq);"
    "CREATE TABLE blobs(id INTEGER PRIMARY KEY, payload BLOB NOT NULL, wire BLOB NOT NULL);"
    "CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
    // 1 → 2: url-hint policy.
    "CREATE TABLE url_hints("
    "  url TEXT PRIMARY KEY,"
    "  validators TEXT NOT NULL,"
    "  key BLOB NOT NULL,"
    "  updated_ms INTEGER NOT NULL);",
    // 2 → 3: entries are confirmed by the SHA-256 of the wire bytes instead of
    // a stored copy of them (blobs.wire stays empty). Entries of version 2
    // carry no digest and cannot be confirmed: they go.
    "ALTER TABLE entries ADD COLUMN sha256 BLOB;"
    "DELETE FROM blobs;"
    "DELETE FROM entries;",
    // 3 → 4: an HMAC-SHA256 per entry (null: unsigned), and the digest of the
    // content's first bytes that predicts a hit (cache_key.h).
    "ALTER TABLE entries ADD COLUMN signature BLOB;"
    "ALTER TABLE entries ADD COLUMN prefix INTEGER;"
    "CREATE INDEX entries_by_prefix ON entries(prefix);",
    // 4 → 5: keys and the sha256 column come from the SHA-256 tree digest
    // (tree_hash.h), whose leaves hash on several cores, instead of XXH3-128
    // and a plain SHA-256. Older entries and the hints naming them cannot be
    // found or confirmed any more: they go.
    "DELETE FROM url_hints;"
    "DELETE FROM blobs;"
    "DELETE FROM entries;",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Describe(sqlite3* db, int rc) {
  std::string s = sqlite3_errstr(rc);
  if (db && sqlite3_errcode(db) == rc) {
    std::string m = sqlite3_errmsg(db);
    if (m != s) s += " (" + m + ")";
  }
  return s;
}

std::span<const uint8_t> KeySpan(const CacheKey& k) { return {k.bytes.data(), k.bytes.size()}; }

struct CounterName {
  const char* name;
  uint64_t Counters::*field;
};
constexpr CounterName kCounterNames[] = {
    {"hits", &Counters::hits},
    {"misses", &Counters::misses},
    {"stores", &Counters::stores},
    {"store_failures", &Counters::store_failures},
    {"rejected", &Counters::rejected},
    {"skipped_too_small", &Counters::skipped_too_small},
    {"skipped_too_large", &Counters::skipped_too_large},
    {"evicted", &Counters::evicted},
    {"bad_signature", &Counters::bad_signature},
    {"write_backs", &Counters::write_backs},
};

// SQLite stores integers signed; the prefix digest round-trips bit for bit.
int64_t PrefixColumn(uint64_t prefix) { return static_cast<int64_t>(prefix); }

}  // namespace

const char* ToString(MissReason r) {
  switch (r) {
    case MissReason::kHit: return "hit";
    case MissReason::kUnusable: return "cache unusable";
    case MissReason::kTooSmall: return "module below the minimum size";
    case MissReason::kNotFound: return "not found";
    case MissReason::kChecksum: return "payload checksum mismatch";
    case MissReason::kWireMismatch: return "content size or SHA-256 differs (key collision)";
    case MissReason::kUnsigned: return "entry not signed (a signing key is set)";
    case MissReason::kBadSignature: return "entry signature does not verify";
    case MissReason::kError: return "database error";
  }
  return "?";
}

std::string DefaultCachePath() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/wasmstream/cache.db";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.cache/wasmstream/cache.db";
  return "wasmstream-cache.db";
}

// A unit of work for the writer thread. Every job may carry counter deltas,
// written in the same transaction.
// Tells a waiting importer whether its write was committed; a job dropped or
// never run (its queue cleared, the store unusable) answers false.
class SqliteStore::Written {
 public:
  std::future<bool> future() { return promise_.get_future(); }
  void Set(bool ok) {
    if (set_) return;
    set_ = true;
    promise_.set_value(ok);
  }
  ~Written() { Set(false); }

 private:
  std::promise<bool> promise_;
  bool set_ = false;
};

struct SqliteStore::Job {
  enum class Kind { kStore, kTouch, kDelete, kCounters, kHint } kind;
  CacheKey key;
  std::string fingerprint;           // kStore
  ContentDigest content;             // kStore
  std::vector<uint8_t> payload;      // kStore
  std::vector<uint8_t> signature;    // kStore of an imported entry (already checked)
  bool replace = false;              // kStore of a write-back (ReplaceAsync)
  std::string url, validators;       // kHint
  Counters delta;
  std::unique_ptr<Written> written;  // kStore of ImportEntry
};

SqliteStore::SqliteStore(StoreOptions options) : options_(std::move(options)) {
  if (options_.path.empty()) options_.path = DefaultCachePath();
}

std::unique_ptr<SqliteStore> SqliteStore::Open(StoreOptions options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(options)));
  // Opening can meet another process creating, migrating or switching the
  // file to WAL, where SQLite answers "locked" without waiting: retry a while.
  std::string error;
  // Before any connection: closing a descriptor of the file would drop the
  // locks SQLite holds on it for this process.
  if (!PrepareCachePath(store->options_.path, &error)) {
    store->Disable(error);
    return store;
  }
  for (sqlite3** db : {&store->read_db_, &store->write_db_}) {
    bool busy = false;
    int attempt = 0;
    while (!store->OpenDatabase(db, &error, &busy)) {
      if (!busy || ++attempt >= kMaxOpenAttempts) {
        store->Disable(error);
        return store;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(kOpenRetryDelayMs));
    }
  }
  store->DropDamaged(store->write_db_);
  {
    std::lock_guard<std::mutex> lock(store->queue_mutex_);
    store->accepting_ = true;
    store->writer_done_ = false;
  }
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  return store;
}

SqliteStore::~SqliteStore() {
  Shutdown();
  sqlite3_close_v2(read_db_);
  sqlite3_close_v2(write_db_);
}

bool SqliteStore::OpenDatabase(sqlite3** out, std::string* error, bool* busy) {
  const std::string& path = options_.path;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  auto fail = [&](const std::string& what) {
    *error = path + ": " + what;
    *busy = (sqlite3_errcode(db) & 0xff) == SQLITE_BUSY || (sqlite3_errcode(db) & 0xff) == SQLITE_LOCKED;
    sqlite3_close_v2(db);
    return false;
  };
  if (rc != SQLITE_OK) return fail(Describe(db, rc));
  sqlite3_extended_result_codes(db, 0);
  sqlite3_busy_timeout(db, options_.busy_timeout_ms);
  if (sqlite3_db_readonly(db, "main") == 1) return fail("the file is read-only");

  // Read the version before changing anything: a newer schema is left alone.
  int version = 0, app_id = 0, tables = 0;
  {
    Stmt s(db, "PRAGMA user_version");
    rc = s.Step();
    if (rc != SQLITE_ROW) return fail(Describe(db, rc));
    version = static_cast<int>(s.Int(0));
  }
  if (version > kSchemaVersion) {
    return fail("schema version " + std::to_string(version) + " is newer than this build's (" +
                std::to_string(kSchemaVersion) +
                "); left untouched (`wasmstream cache clear` deletes it)");
  }
  {
    Stmt s(db, "PRAGMA application_id");
    if (s.Step() == SQLITE_ROW) app_id = static_cast<int>(s.Int(0));
    Stmt t(db, "SELECT count(*) FROM sqlite_schema");
    if (t.Step() == SQLITE_ROW) tables = static_cast<int>(t.Int(0));
  }
  if (app_id != kApplicationId && (app_id != 0 || tables != 0)) {
    return fail("not a wasmstream cache database; left untouched");
  }

  if (version == 0 && tables == 0) {
    // A new file: big pages make multi-megabyte blobs a short overflow chain
    // (must precede WAL and the first table).
    std::string ps = "PRAGMA page_size=" + std::to_string(kSqlitePageSize);
    Exec(db, ps.c_str());
    // Marked as ours in the file's first write, so a file cut short before
    // its migration is still recognised (cache_file.h) rather than foreign.
    std::string id = "PRAGMA application_id=" + std::to_string(kApplicationId);
    Exec(db, id.c_str());
  }
  {
    std::string mmap = "PRAGMA mmap_size=" + std::to_string(kSqliteMmapBytes);
    Exec(db, mmap.c_str());  // reads straight from the mapped file; best effort
  }
  {
    Stmt wal(db, "PRAGMA journal_mode=WAL");
    rc = wal.Step();
    if (rc != SQLITE_ROW) return fail(Describe(db, rc));
    if (wal.Text(0) != "wal") return fail("cannot use WAL mode (journal_mode=" + wal.Text(0) + ")");
  }
  Exec(db, "PRAGMA synchronous=NORMAL");

  if (version < kSchemaVersion) {
    // Re-read under the write lock: another process may be migrating too.
    rc = Exec(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return fail("cannot migrate: " + Describe(db, rc));
    {
      Stmt s(db, "PRAGMA user_version");
      rc = s.Step();
      version = rc == SQLITE_ROW ? static_cast<int>(s.Int(0)) : -1;
    }
    if (version < 0 || version > kSchemaVersion) {
      Exec(db, "ROLLBACK");
      return fail("schema changed while migrating");
    }
    for (int v = version; v < kSchemaVersion; ++v) {
      rc = Exec(db, kMigrations[v]);
      if (rc != SQLITE_OK) {
        std::string why = Describe(db, rc);
        Exec(db, "ROLLBACK");
        return fail("migration to schema " + std::to_string(v + 1) + " failed: " + why);
      }
    }
    std::string set = "PRAGMA user_version=" + std::to_string(kSchemaVersion) +
                      "; PRAGMA application_id=" + std::to_string(kApplicationId);
    rc = Exec(db, set.c_str());
    if (rc == SQLITE_OK) rc = Exec(db, "COMMIT");
    if (rc != SQLITE_OK) {
      std::string why = Describe(db, rc);
      Exec(db, "ROLLBACK");
      return fail("migration failed: " + why);
    }
  }
  *out = db;
  return true;
}

void SqliteStore::Warn(const std::string& message) {
  if (warned_.exchange(true)) return;
  if (options_.warn) {
    options_.warn(message);
  } else {
    std::fprintf(stderr, "wasmstream: warning: %s\n", message.c_str());
  }
}

void SqliteStore::Disable(const std::string& why) {
  {
    std::lock_guard<std::mutex> lock(counters_mutex_);
    if (unusable_.load()) return;
    unusable_reason_ = why;
    unusable_.store(true);
  }
  Warn("code cache disabled: " + why);
}

void SqliteStore::DropDamaged(sqlite3* db) {
  uint64_t removed = 0;
  if (DropDamagedRows(db, &removed) != SQLITE_OK || removed == 0) return;
  BumpSession(&Counters::rejected, removed);
  Warn(options_.path + ": dropped " + std::to_string(removed) +
       " entries with impossible sizes (damaged rows)");
}

void SqliteStore::BumpSession(uint64_t Counters::*field, uint64_t n) {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  session_.*field += n;
}

void SqliteStore::CheckSqlite(int rc, const char* what) {
  if (IsFatal(rc)) Disable(options_.path + ": " + what + ": " + sqlite3_errstr(rc));
}

// Reads and checks one entry inside a read transaction: the row's size and
// SHA-256 must be {*expected}'s when given, then the payload (read with
// incremental blob I/O straight into its destination) must match its
// checksum, or its signature over the stored size and SHA-256.
int SqliteStore::ReadEntry(const CacheKey& key, const ContentDigest* expected,
                           ContentDigest* stored, LookupResult* result,
                           const std::function<void()>& on_found) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  sqlite3* db = read_db_;
  int rc = Exec(db, "BEGIN");
  if (rc != SQLITE_OK) {
    result->reason = MissReason::kError;
    return rc;
  }
  auto done = [&](MissReason reason, int code) {
    Exec(db, "COMMIT");
    result->reason = reason;
    return code;
  };
  int64_t id = 0;
  uint64_t checksum = 0, payload_size = 0;
  std::string fingerprint;
  std::vector<uint8_t> signature;
  {
    Stmt s(db,
           "SELECT id, checksum, wire_size, payload_size, sha256, fingerprint, signature, prefix"
           " FROM entries WHERE key = ?");
    s.BindBlob(1, KeySpan(key));
    rc = s.Step();
    if (rc == SQLITE_DONE) return done(MissReason::kNotFound, rc);
    if (rc != SQLITE_ROW) return done(MissReason::kError, rc);
    id = s.Int(0);
    checksum = static_cast<uint64_t>(s.Int(1));
    uint64_t wire_size = static_cast<uint64_t>(s.Int(2));
    payload_size = static_cast<uint64_t>(s.Int(3));
    std::span<const uint8_t> sha = s.Blob(4);
    if (sha.size() != stored->sha256.size()) return done(MissReason::kWireMismatch, SQLITE_OK);
    stored->size = wire_size;
    std::memcpy(stored->sha256.data(), sha.data(), sha.size());
    stored->prefix = static_cast<uint64_t>(s.Int(7));
    if (expected && (stored->size != expected->size || stored->sha256 != expected->sha256)) {
      return done(MissReason::kWireMismatch, SQLITE_OK);
    }
    fingerprint = s.Text(5);
    std::span<const uint8_t> sig = s.Blob(6);
    signature.assign(sig.begin(), sig.end());
  }
  if (signed_store() && signature.empty()) return done(MissReason::kUnsigned, SQLITE_OK);
  if (on_found) on_found();
  BlobReader payload(db, "blobs", "payload", id);
  if (payload.open_rc() != SQLITE_OK) return done(MissReason::kError, payload.open_rc());
  if (payload.size() != payload_size) return done(MissReason::kChecksum, SQLITE_OK);
  base::ResizeForFill(result->payload, payload_size);
  rc = payload.Read(result->payload, 0);
  if (rc != SQLITE_OK) {
    result->payload.clear();
    return done(MissReason::kError, rc);
  }
  if (signed_store()) {
    // The MAC covers everything the checksum does, and more.
    if (!VerifyEntry(options_.signing_key, key, fingerprint, *stored, result->payload, signature)) {
      result->payload.clear();
      return done(MissReason::kBadSignature, SQLITE_OK);
    }
  } else if (PayloadChecksum(result->payload) != checksum) {
    result->payload.clear();
    return done(MissReason::kChecksum, SQLITE_OK);
  }
  return done(MissReason::kHit, SQLITE_OK);
}

LookupResult SqliteStore::Lookup(const CacheKey& key, const ContentDigest& content,
                                 const std::function<void()>& on_found) {
  LookupResult result;
  if (!usable()) {
    result.reason = MissReason::kUnusable;
    return result;
  }
  if (content.size < options_.min_module_bytes) {
    BumpSession(&Counters::skipped_too_small);
    result.reason = MissReason::kTooSmall;
    return result;
  }
  ContentDigest stored;
  int rc = ReadEntry(key, &content, &stored, &result, on_found);
  if (result.reason == MissReason::kError) {
    CheckSqlite(rc, "lookup");
    if (usable()) Warn(options_.path + ": lookup failed: " + sqlite3_errstr(rc));
    return result;
  }
  Settle(key, result, /*count_not_found=*/true);
  return result;
}

LookupResult SqliteStore::Preload(const CacheKey& key, ContentDigest* stored) {
  LookupResult result;
  *stored = {};
  if (!usable()) {
    result.reason = MissReason::kUnusable;
    return result;
  }
  int rc = ReadEntry(key, nullptr, stored, &result, {});
  if (result.reason == MissReason::kError) {
    CheckSqlite(rc, "lookup");
    if (usable()) Warn(options_.path + ": lookup failed: " + sqlite3_errstr(rc));
    return result;
  }
  if (!result.hit()) Settle(key, result, /*count_not_found=*/false);
  return result;
}

void SqliteStore::CountPreloadHit(const CacheKey& key) {
  LookupResult hit;
  hit.reason = MissReason::kHit;
  Settle(key, hit, /*count_not_found=*/false);
}

void SqliteStore::Settle(const CacheKey& key, const LookupResult& result, bool count_not_found) {
  auto job = std::make_unique<Job>();
  job->key = key;
  if (result.hit()) {
    job->kind = Job::Kind::kTouch;
    job->delta.hits = 1;
  } else if (result.reason == MissReason::kNotFound) {
    if (!count_not_found) return;
    job->kind = Job::Kind::kCounters;
    job->delta.misses = 1;
  } else {
    Warn(options_.path + ": rejected entry " + key.ToHex() + ": " + ToString(result.reason));
    job->kind = Job::Kind::kDelete;
    job->delta.misses = 1;
    job->delta.rejected = 1;
    if (result.reason == MissReason::kUnsigned || result.reason == MissReason::kBadSignature) {
      job->delta.bad_signature = 1;
    }
  }
  {
    std::lock_guard<std::mutex> lock(counters_mutex_);
    session_.hits += job->delta.hits;
    session_.misses += job->delta.misses;
    session_.rejected += job->delta.rejected;
    session_.bad_signature += job->delta.bad_signature;
  }
  Enqueue(std::move(job), 0);
}

bool SqliteStore::StoreAsync(const CacheKey& key, std::string fingerprint,
                             const ContentDigest& content, std::vector<uint8_t> payload,
                             std::vector<uint8_t> signature) {
  return QueueStore(key, std::move(fingerprint), content, std::move(payload), std::move(signature),
                    nullptr);
}

bool SqliteStore::ReplaceAsync(const CacheKey& key, std::string fingerprint,
                               const ContentDigest& content, std::vector<uint8_t> payload) {
  return QueueStore(key, std::move(fingerprint), content, std::move(payload), {}, nullptr, true);
}

bool SqliteStore::QueueStore(const CacheKey& key, std::string fingerprint,
                             const ContentDigest& content, std::vector<uint8_t> payload,
                             std::vector<uint8_t> signature, std::unique_ptr<Written> written,
                             bool replace) {
  if (!usable()) return false;
  uint64_t size = payload.size();  // the bytes the entry takes on disk
  if (content.size < options_.min_module_bytes) {
    BumpSession(&Counters::skipped_too_small);
    return false;
  }
  if (size > options_.max_entry_bytes || size > options_.max_total_bytes) {
    BumpSession(&Counters::skipped_too_large);
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!accepting_) return false;
    if (size > kMaxPendingWriteBytes - std::min(queued_bytes_, kMaxPendingWriteBytes)) {
      // The disk is slower than the compiles: drop rather than grow.
      std::lock_guard<std::mutex> clock(counters_mutex_);
      ++session_.store_failures;
      return false;
    }
  }
  auto job = std::make_unique<Job>();
  job->kind = Job::Kind::kStore;
  job->key = key;
  job->fingerprint = std::move(fingerprint);
  job->content = content;
  job->payload = std::move(payload);
  job->signature = std::move(signature);
  job->written = std::move(written);
  job->replace = replace;
  Enqueue(std::move(job), size);
  return true;
}

std::optional<CacheKey> SqliteStore::FindByPrefix(uint64_t prefix, std::optional<uint64_t> size,
                                                  const std::string& fingerprint) {
  if (!usable()) return std::nullopt;
  std::lock_guard<std::mutex> lock(read_mutex_);
  Stmt s(read_db_,
         "SELECT key FROM entries WHERE prefix = ?1 AND fingerprint = ?2"
         " AND (?3 IS NULL OR wire_size = ?3) ORDER BY use_seq DESC LIMIT 1");
  s.Bind(1, PrefixColumn(prefix)).Bind(2, fingerprint);
  if (size) s.Bind(3, static_cast<int64_t>(*size));
  return StepKey(s, "prefix lookup");
}

std::optional<EntryRecord> SqliteStore::ExportEntry(const CacheKey& key) {
  if (!usable()) return std::nullopt;
  std::lock_guard<std::mutex> lock(read_mutex_);
  Stmt s(read_db_,
         "SELECT e.fingerprint, e.wire_size, e.sha256, e.prefix, e.signature, b.payload"
         " FROM entries e JOIN blobs b ON b.id = e.id WHERE e.key = ?");
  s.BindBlob(1, KeySpan(key));
  if (s.Step() != SQLITE_ROW) return std::nullopt;
  EntryRecord r;
  r.key = key;
  r.fingerprint = s.Text(0);
  r.content.size = static_cast<uint64_t>(s.Int(1));
  std::span<const uint8_t> sha = s.Blob(2);
  if (sha.size() != r.content.sha256.size()) return std::nullopt;
  std::memcpy(r.content.sha256.data(), sha.data(), sha.size());
  r.content.prefix = static_cast<uint64_t>(s.Int(3));
  std::span<const uint8_t> sig = s.Blob(4);
  r.signature.assign(sig.begin(), sig.end());
  std::span<const uint8_t> p = s.Blob(5);
  r.payload.assign(p.begin(), p.end());
  return r;
}

MissReason SqliteStore::ImportEntry(EntryRecord record) {
  if (!usable()) return MissReason::kUnusable;
  if (record.content.size < options_.min_module_bytes) return MissReason::kTooSmall;
  if (record.fingerprint.size() > kMaxHintStringBytes ||
      (!record.signature.empty() && record.signature.size() != kSignatureBytes)) {
    return MissReason::kChecksum;
  }
  if (signed_store()) {
    MissReason why = MissReason::kHit;
    if (record.signature.empty()) {
      why = MissReason::kUnsigned;
    } else if (!VerifyEntry(options_.signing_key, record.key, record.fingerprint, record.content,
                            record.payload, record.signature)) {
      why = MissReason::kBadSignature;
    }
    if (why != MissReason::kHit) {
      std::lock_guard<std::mutex> lock(counters_mutex_);
      ++session_.rejected;
      ++session_.bad_signature;
      return why;
    }
  }
  auto written = std::make_unique<Written>();
  std::future<bool> committed = written->future();
  std::vector<uint8_t> signature =
      signed_store() ? std::move(record.signature) : std::vector<uint8_t>{};
  if (!QueueStore(record.key, std::move(record.fingerprint), record.content,
                  std::move(record.payload), std::move(signature), std::move(written))) {
    return MissReason::kError;
  }
  return committed.get() ? MissReason::kHit : MissReason::kError;
}

void SqliteStore::Reject(const CacheKey& key, const std::string& why) {
  if (!usable()) return;
  Warn(options_.path + ": rejected entry " + key.ToHex() + ": " + why);
  auto job = std::make_unique<Job>();
  job->kind = Job::Kind::kDelete;
  job->key = key;
  job->delta.rejected = 1;
  BumpSession(&Counters::rejected);
  Enqueue(std::move(job), 0);
}

void SqliteStore::PutHintAsync(const std::string& url, const std::string& validators,
                               const CacheKey& key) {
  if (!usable() || url.size() > kMaxHintStringBytes || validators.size() > kMaxHintStringBytes) {
    return;
  }
  auto job = std::make_unique<Job>();
  job->kind = Job::Kind::kHint;
  job->key = key;
  job->url = url;
  job->validators = validators;
  Enqueue(std::move(job), url.size() + validators.size());
}

std::optional<CacheKey> SqliteStore::FindHint(const std::string& url, const std::string& validators) {
  if (!usable()) return std::nullopt;
  std::lock_guard<std::mutex> lock(read_mutex_);
  Stmt s(read_db_, "SELECT key FROM url_hints WHERE url = ? AND validators = ?");
  s.Bind(1, url).Bind(2, validators);
  return StepKey(s, "hint lookup");
}

std::optional<CacheKey> SqliteStore::StepKey(internal::Stmt& s, const char* what) {
  int rc = s.Step();
  if (rc != SQLITE_ROW) {
    if (rc != SQLITE_DONE) CheckSqlite(rc, what);
    return std::nullopt;
  }
  std::span<const uint8_t> b = s.Blob(0);
  if (b.size() != 16) return std::nullopt;
  CacheKey k;
  std::memcpy(k.bytes.data(), b.data(), 16);
  return k;
}

void SqliteStore::Enqueue(std::unique_ptr<Job> job, uint64_t bytes) {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!accepting_) return;
    queued_bytes_ += bytes;
    queue_.push_back(std::move(job));
  }
  queue_cv_.notify_one();
}

void SqliteStore::Flush() {
  std::unique_lock<std::mutex> lock(queue_mutex_);
  idle_cv_.wait(lock, [this] { return (queue_.empty() && !busy_) || writer_done_; });
}

void SqliteStore::Shutdown(std::chrono::milliseconds max_wait) {
  std::lock_guard<std::mutex> join_lock(join_mutex_);
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!accepting_) return;
    accepting_ = false;
    drain_deadline_ = std::chrono::steady_clock::now() + max_wait;
  }
  queue_cv_.notify_all();
  writer_.join();
}

// Runs on the writer thread.
void SqliteStore::WriterLoop() {
  std::unique_lock<std::mutex> lock(queue_mutex_);
  for (;;) {
    queue_cv_.wait(lock, [this] { return !accepting_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (!accepting_) break;
      continue;
    }
    if (!accepting_ && std::chrono::steady_clock::now() >= drain_deadline_) {
      DropQueued(lock);
      break;
    }
    std::unique_ptr<Job> job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    bool committed = usable() && RunJob(*job);
    if (job->written) job->written->Set(committed);
    uint64_t bytes = job->kind == Job::Kind::kStore ? job->payload.size()
                     : job->kind == Job::Kind::kHint ? job->url.size() + job->validators.size()
                                                     : 0;
    job.reset();
    lock.lock();
    queued_bytes_ -= std::min(queued_bytes_, bytes);
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
  writer_done_ = true;
  idle_cv_.notify_all();
}

// Writer thread, {queue_mutex_} held: the shutdown's time is up.
void SqliteStore::DropQueued(std::unique_lock<std::mutex>& lock) {
  uint64_t stores = 0, jobs = queue_.size();
  for (const auto& job : queue_) stores += job->kind == Job::Kind::kStore;
  queue_.clear();
  queued_bytes_ = 0;
  lock.unlock();
  BumpSession(&Counters::store_failures, stores);
  Warn(options_.path + ": " + std::to_string(jobs) + " queued writes (" + std::to_string(stores) +
       " entries) dropped: the shutdown's wait for the database ran out");
  lock.lock();
}

// Runs on the writer thread: one short transaction per job. True when it
// committed.
bool SqliteStore::RunJob(Job& job) {
  sqlite3* db = write_db_;
  int rc = Exec(db, "BEGIN IMMEDIATE");
  auto finish = [&](int step_rc, const char* what) {
    if (step_rc == SQLITE_OK || step_rc == SQLITE_DONE || step_rc == SQLITE_ROW) {
      step_rc = Exec(db, "COMMIT");
      if (step_rc == SQLITE_OK) return true;
    }
    Exec(db, "ROLLBACK");
    if (job.kind == Job::Kind::kStore) BumpSession(&Counters::store_failures);
    CheckSqlite(step_rc, what);
    if (usable()) Warn(options_.path + ": " + what + " failed: " + sqlite3_errstr(step_rc));
    return false;
  };
  if (rc != SQLITE_OK) {
    finish(rc, "begin");
    return false;
  }
  int64_t now = NowMs();
  Counters delta = job.delta;
  switch (job.kind) {
    case Job::Kind::kStore: {
      if (signed_store() && job.signature.empty()) {
        Signature mac = SignEntry(options_.signing_key, job.key, job.fingerprint, job.content,
                                  job.payload);
        job.signature.assign(mac.begin(), mac.end());
      }
      if (job.replace) {
        bool done = false;
        if ((rc = ReplacePayload(db, job, &delta, &done)) != SQLITE_OK) {
          finish(rc, "write back");
          return false;
        }
        if (done) break;
      }
      Stmt ins(db,
               "INSERT INTO entries(key, fingerprint, wire_size, payload_size, checksum, created_ms,"
               " last_used_ms, use_seq, sha256, prefix, signature) VALUES(?, ?, ?, ?, ?, ?, ?,"
               " (SELECT COALESCE(MAX(use_seq), 0) + 1 FROM entries), ?, ?, ?)"
               " ON CONFLICT(key) DO NOTHING");
      ins.BindBlob(1, KeySpan(job.key))
          .Bind(2, job.fingerprint)
          .Bind(3, static_cast<int64_t>(job.content.size))
          .Bind(4, static_cast<int64_t>(job.payload.size()))
          .Bind(5, static_cast<int64_t>(PayloadChecksum(job.payload)))
          .Bind(6, now)
          .Bind(7, now)
          .BindBlob(8, job.content.sha256)
          .Bind(9, PrefixColumn(job.content.prefix))
          .BindBlob(10, job.signature);  // empty: unsigned
      rc = ins.Step();
      if (rc != SQLITE_DONE) {
        finish(rc, "store");
        return false;
      }
      if (sqlite3_changes(db) == 0) break;  // another process stored it first
      int64_t id = sqlite3_last_insert_rowid(db);
      Stmt blob(db, "INSERT INTO blobs(id, payload, wire) VALUES(?, ?, x'')");
      blob.Bind(1, id).BindBlob(2, job.payload);
      rc = blob.Step();
      if (rc != SQLITE_DONE) {
        finish(rc, "store");
        return false;
      }
      delta.stores += 1;
      // Least recently used entries go until the budget holds again.
      if ((rc = EvictLru(db, options_.max_total_bytes, id, &delta.evicted)) != SQLITE_OK) {
        finish(rc, "evict");
        return false;
      }
      break;
    }
    case Job::Kind::kTouch: {
      Stmt s(db,
             "UPDATE entries SET hits = hits + 1, last_used_ms = ?,"
             " use_seq = (SELECT MAX(use_seq) + 1 FROM entries) WHERE key = ?");
      s.Bind(1, now).BindBlob(2, KeySpan(job.key));
      rc = s.Step();
      if (rc != SQLITE_DONE) {
        finish(rc, "record hit");
        return false;
      }
      break;
    }
    case Job::Kind::kDelete: {
      Stmt s(db, "DELETE FROM blobs WHERE id IN (SELECT id FROM entries WHERE key = ?)");
      s.BindBlob(1, KeySpan(job.key));
      Stmt e(db, "DELETE FROM entries WHERE key = ?");
      e.BindBlob(1, KeySpan(job.key));
      if ((rc = s.Step()) != SQLITE_DONE || (rc = e.Step()) != SQLITE_DONE) {
        finish(rc, "delete");
        return false;
      }
      break;
    }
    case Job::Kind::kHint: {
      Stmt s(db,
             "INSERT INTO url_hints(url, validators, key, updated_ms) VALUES(?, ?, ?, ?)"
             " ON CONFLICT(url) DO UPDATE SET validators = excluded.validators,"
             " key = excluded.key, updated_ms = excluded.updated_ms");
      s.Bind(1, job.url).Bind(2, job.validators).BindBlob(3, KeySpan(job.key)).Bind(4, now);
      Stmt trim(db,
                "DELETE FROM url_hints WHERE url IN (SELECT url FROM url_hints"
                " ORDER BY updated_ms DESC LIMIT -1 OFFSET ?)");
      trim.Bind(1, static_cast<int64_t>(kMaxUrlHints));
      if ((rc = s.Step()) != SQLITE_DONE || (rc = trim.Step()) != SQLITE_DONE) {
        finish(rc, "store hint");
        return false;
      }
      break;
    }
    case Job::Kind::kCounters:
      break;
  }
  Stmt c(db,
         "INSERT INTO counters(name, value) VALUES(?, ?)"
         " ON CONFLICT(name) DO UPDATE SET value = value + excluded.value");
  for (const CounterName& n : kCounterNames) {
    if (delta.*(n.field) == 0) continue;
    c.Reset();
    c.Bind(1, n.name).Bind(2, static_cast<int64_t>(delta.*(n.field)));
    if ((rc = c.Step()) != SQLITE_DONE) {
      finish(rc, "update counters");
      return false;
    }
  }
  if (!finish(SQLITE_DONE, "commit")) return false;
  std::lock_guard<std::mutex> lock(counters_mutex_);
  session_.stores += delta.stores;
  session_.evicted += delta.evicted;
  session_.write_backs += delta.write_backs;
  return true;
}

int SqliteStore::ReplacePayload(sqlite3* db, const Job& job, Counters* delta, bool* done) {
  *done = false;
  Stmt cur(db, "SELECT id, payload_size FROM entries WHERE key = ?");
  cur.BindBlob(1, KeySpan(job.key));
  int rc = cur.Step();
  if (rc == SQLITE_DONE) return SQLITE_OK;  // absent: stored as a new entry
  if (rc != SQLITE_ROW) return rc;
  *done = true;
  const int64_t id = cur.Int(0);
  // A damaged size (negative, not a number) counts as smaller: replaced.
  if (cur.Int(1) > static_cast<int64_t>(job.payload.size())) return SQLITE_OK;  // kept
  Stmt entry(db, "UPDATE entries SET payload_size = ?, checksum = ?, signature = ? WHERE id = ?");
  entry.Bind(1, static_cast<int64_t>(job.payload.size()))
      .Bind(2, static_cast<int64_t>(PayloadChecksum(job.payload)))
      .BindBlob(3, job.signature)
      .Bind(4, id);
  if ((rc = entry.Step()) != SQLITE_DONE) return rc;
  Stmt blob(db, "INSERT OR REPLACE INTO blobs(id, payload, wire) VALUES(?, ?, x'')");
  blob.Bind(1, id).BindBlob(2, job.payload);
  if ((rc = blob.Step()) != SQLITE_DONE) return rc;
  delta->write_backs += 1;
  // The payload grew: the budget may need older entries to go.
  return EvictLru(db, options_.max_total_bytes, id, &delta->evicted);
}

int SqliteStore::EvictLru(sqlite3* db, uint64_t max_bytes, int64_t keep_id, uint64_t* evicted) {
  Stmt total(db, internal::kSaneTotalSql);
  int rc = total.Step();
  if (rc != SQLITE_ROW) return rc;
  uint64_t sum = static_cast<uint64_t>(total.Int(0));
  if (sum <= max_bytes) return SQLITE_OK;
  std::vector<int64_t> victims;
  {
    Stmt lru(db, internal::kSaneLruSql);
    lru.Bind(1, keep_id);
    while (sum > max_bytes && (rc = lru.Step()) == SQLITE_ROW) {
      victims.push_back(lru.Int(0));
      sum -= std::min<uint64_t>(sum, static_cast<uint64_t>(lru.Int(1)));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
  }
  Stmt d1(db, "DELETE FROM entries WHERE id = ?");
  Stmt d2(db, "DELETE FROM blobs WHERE id = ?");
  for (int64_t v : victims) {
    d1.Reset();
    d2.Reset();
    d1.Bind(1, v);
    d2.Bind(1, v);
    if ((rc = d1.Step()) != SQLITE_DONE || (rc = d2.Step()) != SQLITE_DONE) return rc;
  }
  *evicted += victims.size();
  return SQLITE_OK;
}

StoreStats SqliteStore::Stats() {
  StoreStats st;
  st.path = options_.path;
  // Queued writes first, so the session's counters agree with the entries.
  if (usable()) Flush();
  {
    std::lock_guard<std::mutex> lock(counters_mutex_);
    st.session = session_;
    st.usable = !unusable_.load();
    st.unusable_reason = unusable_reason_;
  }
  std::error_code ec;
  auto fsize = std::filesystem::file_size(options_.path, ec);
  if (!ec) st.file_bytes = fsize;
  if (!st.usable) return st;
  std::lock_guard<std::mutex> lock(read_mutex_);
  Stmt v(read_db_, "PRAGMA user_version");
  if (v.Step() == SQLITE_ROW) st.schema_version = static_cast<int>(v.Int(0));
  Stmt s(read_db_, internal::kSaneCountAndTotalSql);
  if (s.Step() == SQLITE_ROW) {
    st.entries = static_cast<uint64_t>(s.Int(0));
    st.total_bytes = static_cast<uint64_t>(s.Int(1));
  }
  Stmt c(read_db_, "SELECT name, value FROM counters");
  while (c.Step() == SQLITE_ROW) {
    std::string name = c.Text(0);
    for (const CounterName& n : kCounterNames) {
      if (name == n.name) st.persisted.*(n.field) = static_cast<uint64_t>(c.Int(1));
    }
  }
  return st;
}

std::vector<EntryInfo> SqliteStore::List() {
  std::vector<EntryInfo> out;
  if (!usable()) return out;
  Flush();
  std::lock_guard<std::mutex> lock(read_mutex_);
  Stmt s(read_db_,
         "SELECT key, fingerprint, wire_size, payload_size, hits, created_ms, last_used_ms"
         " FROM entries ORDER BY use_seq DESC");
  while (s.Step() == SQLITE_ROW) {
    EntryInfo e;
    std::span<const uint8_t> k = s.Blob(0);
    if (k.size() == 16) std::memcpy(e.key.bytes.data(), k.data(), 16);
    e.fingerprint = s.Text(1);
    e.wire_size = static_cast<uint64_t>(s.Int(2));
    e.payload_size = static_cast<uint64_t>(s.Int(3));
    e.hits = static_cast<uint64_t>(s.Int(4));
    e.created_ms = s.Int(5);
    e.last_used_ms = s.Int(6);
    out.push_back(std::move(e));
  }
  return out;
}

bool SqliteStore::Clear() {
  if (!usable()) return false;
  Flush();
  std::lock_guard<std::mutex> lock(read_mutex_);
  int rc = Exec(read_db_,
                "BEGIN IMMEDIATE; DELETE FROM blobs; DELETE FROM entries; DELETE FROM url_hints;"
                " COMMIT");
  if (rc != SQLITE_OK) {
    Exec(read_db_, "ROLLBACK");
    CheckSqlite(rc, "clear");
    return false;
  }
  Exec(read_db_, "PRAGMA wal_checkpoint(TRUNCATE)");
  Exec(read_db_, "VACUUM");  // give the space back; harmless if another process is busy
  return true;
}

uint64_t SqliteStore::EvictTo(uint64_t max_bytes) {
  if (!usable()) return 0;
  Flush();
  std::lock_guard<std::mutex> lock(read_mutex_);
  sqlite3* db = read_db_;
  DropDamaged(db);
  if (Exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) return 0;
  uint64_t evicted = 0;
  if (EvictLru(db, max_bytes, -1, &evicted) != SQLITE_OK) {
    Exec(db, "ROLLBACK");
    return 0;
  }
  Stmt c(db,
         "INSERT INTO counters(name, value) VALUES('evicted', ?)"
         " ON CONFLICT(name) DO UPDATE SET value = value + excluded.value");
  c.Bind(1, static_cast<int64_t>(evicted));
  c.Step();
  if (Exec(db, "COMMIT") != SQLITE_OK) {
    Exec(db, "ROLLBACK");
    return 0;
  }
  BumpSession(&Counters::evicted, evicted);
  return evicted;
}

std::optional<std::vector<uint8_t>> SqliteStore::ReadPayloadUnchecked(const CacheKey& key) {
  if (!usable()) return std::nullopt;
  std::lock_guard<std::mutex> lock(read_mutex_);
  Stmt s(read_db_,
         "SELECT b.payload FROM entries e JOIN blobs b ON b.id = e.id WHERE e.key = ?");
  s.BindBlob(1, KeySpan(key));
  if (s.Step() != SQLITE_ROW) return std::nullopt;
  std::span<const uint8_t> p = s.Blob(0);
  return std::vector<uint8_t>(p.begin(), p.end());
}

bool SqliteStore::DestroyFile(const std::string& path, std::string* error) {
  std::string ignored;
  std::string* err = error ? error : &ignored;
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return true;
    *err = path + ": " + std::strerror(errno);
    return false;
  }
  if (S_ISREG(st.st_mode) && st.st_size == 0) {
    if (unlink(path.c_str()) == 0 || errno == ENOENT) return true;
    *err = path + ": " + std::strerror(errno);
    return false;
  }
  return RemoveOwnCacheFile(path, err);
}

}  // namespace wasmstream::cache
