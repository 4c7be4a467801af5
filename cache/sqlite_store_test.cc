#include "cache/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace wasmstream::cache {
namespace {

EngineFingerprint Fp() { return {1, 0x7f, "test"}; }

std::vector<uint8_t> Module(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 13 + seed);
  return v;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/sqlite_store_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    path_ = dir_ + "/sub/cache.db";  // the store creates missing directories
  }

  std::unique_ptr<SqliteStore> OpenStore(uint64_t budget = kDefaultMaxTotalBytes) {
    StoreOptions o;
    o.path = path_;
    o.min_module_bytes = 16;
    o.max_total_bytes = budget;
    o.max_entry_bytes = std::min(budget, kDefaultMaxEntryBytes);
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    return SqliteStore::Open(o);
  }

  // Stores {wire} with a payload derived from it; waits for the write.
  CacheKey Put(SqliteStore& s, const std::vector<uint8_t>& wire) {
    CacheKey k = KeyFor(wire, Fp());
    auto owner = std::make_shared<std::vector<uint8_t>>(wire);
    std::vector<uint8_t> payload(wire.rbegin(), wire.rend());
    EXPECT_TRUE(s.StoreAsync(k, Fp().ToString(), DigestOf(*owner), payload));
    s.Flush();
    return k;
  }

  // An earlier process stored {wire}; its store is closed again.
  CacheKey PutInEarlierProcess(const std::vector<uint8_t>& wire) {
    auto s = OpenStore();
    return Put(*s, wire);
  }

  // Runs {statement} on the file through a connection of its own, as another
  // program with write access could.
  void Sql(const char* statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement, nullptr, nullptr, nullptr), SQLITE_OK) << statement;
    sqlite3_close(db);
  }

  std::string dir_, path_;
  std::vector<std::string> warnings_;
};

TEST_F(SqliteStoreTest, MissThenStoreThenHit) {
  auto s = OpenStore();
  ASSERT_TRUE(s->usable());
  auto wire = Module(1000, 1);
  CacheKey k = KeyFor(wire, Fp());
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kNotFound);
  Put(*s, wire);
  LookupResult r = s->Lookup(k, DigestOf(wire));
  ASSERT_TRUE(r.hit());
  EXPECT_EQ(r.payload, std::vector<uint8_t>(wire.rbegin(), wire.rend()));
  StoreStats st = s->Stats();
  EXPECT_EQ(st.entries, 1u);
  EXPECT_EQ(st.total_bytes, 1000u);  // the payload; no copy of the wire bytes
  EXPECT_EQ(st.session.hits, 1u);
  EXPECT_EQ(st.session.misses, 1u);
  EXPECT_EQ(st.session.stores, 1u);
  EXPECT_EQ(st.persisted.hits, 1u);
  EXPECT_EQ(st.persisted.stores, 1u);
  EXPECT_EQ(st.schema_version, kSchemaVersion);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(SqliteStoreTest, EntriesSurviveReopenAndHitsAreCounted) {
  auto wire = Module(500, 2);
  {
    auto s = OpenStore();
    Put(*s, wire);
  }
  auto s = OpenStore();
  CacheKey k = KeyFor(wire, Fp());
  EXPECT_TRUE(s->Lookup(k, DigestOf(wire)).hit());
  EXPECT_TRUE(s->Lookup(k, DigestOf(wire)).hit());
  auto list = s->List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].key, k);
  EXPECT_EQ(list[0].hits, 2u);
  EXPECT_EQ(list[0].wire_size, 500u);
  EXPECT_EQ(list[0].fingerprint, Fp().ToString());
  EXPECT_GE(list[0].last_used_ms, list[0].created_ms);
}

TEST_F(SqliteStoreTest, StoringTheSameKeyTwiceKeepsOneEntry) {
  auto s = OpenStore();
  auto wire = Module(300, 3);
  Put(*s, wire);
  Put(*s, wire);
  EXPECT_EQ(s->Stats().entries, 1u);
  EXPECT_EQ(s->Stats().session.stores, 1u);
}

TEST_F(SqliteStoreTest, DifferentWireBytesUnderTheSameKeyAreACollisionMiss) {
  auto s = OpenStore();
  auto wire = Module(300, 4);
  CacheKey k = Put(*s, wire);
  auto other = Module(300, 5);  // pretend it collided: same key, other bytes
  EXPECT_EQ(s->Lookup(k, DigestOf(other)).reason, MissReason::kWireMismatch);
  s->Flush();
  EXPECT_EQ(s->Stats().entries, 0u);  // the hostile entry is gone
  EXPECT_EQ(s->Stats().session.rejected, 1u);
  EXPECT_EQ(warnings_.size(), 1u);
}

// Stats() waits for queued writes before it copies the session's counters,
// so a store it counts as an entry is also counted as a store.
TEST_F(SqliteStoreTest, StatsCountAQueuedStoreBesideItsEntry) {
  auto s = OpenStore();
  auto wire = Module(3000, 7);
  std::vector<uint8_t> payload(wire.rbegin(), wire.rend());
  ASSERT_TRUE(s->StoreAsync(KeyFor(wire, Fp()), Fp().ToString(), DigestOf(wire), payload));
  StoreStats st = s->Stats();  // no Flush() before it
  EXPECT_EQ(st.entries, 1u);
  EXPECT_EQ(st.session.stores, 1u);
}

// An entry is confirmed by the content's size and SHA-256, so it keeps no
// copy of the wire bytes: the store's size is the payloads' alone.
TEST_F(SqliteStoreTest, AnEntryHoldsNoCopyOfTheWireBytes) {
  auto wire = Module(5000, 8);
  {
    auto s = OpenStore();
    Put(*s, wire);
    StoreStats st = s->Stats();
    EXPECT_EQ(st.entries, 1u);
    EXPECT_EQ(st.total_bytes, wire.size());  // the payload (as big as the module here) alone
  }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT length(wire), length(e.sha256) FROM blobs"
                               " JOIN entries e USING(id)", -1, &q, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(q, 0), 0);
  EXPECT_EQ(sqlite3_column_int(q, 1), 32);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

// A row whose digest was edited (or that another build wrote for other bytes
// under the same key) is a miss, and goes.
TEST_F(SqliteStoreTest, AnEditedDigestIsAMissAndTheEntryIsRemoved) {
  auto wire = Module(400, 9);
  CacheKey k = PutInEarlierProcess(wire);
  Sql("UPDATE entries SET sha256 = zeroblob(32)");
  auto s = OpenStore();
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kWireMismatch);
  s->Flush();
  EXPECT_EQ(s->Stats().entries, 0u);
}

TEST_F(SqliteStoreTest, FlippedPayloadByteIsAChecksumMissAndTheEntryIsRemoved) {
  auto wire = Module(400, 6);
  CacheKey k = PutInEarlierProcess(wire);
  Sql("UPDATE blobs SET payload = substr(payload, 1, 10) || x'ff' || substr(payload, 12)");
  auto s = OpenStore();
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kChecksum);
  s->Flush();
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kNotFound);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("checksum"), std::string::npos);
  EXPECT_TRUE(s->usable());
}

TEST_F(SqliteStoreTest, RejectDeletesAnEntryTheLoaderRefused) {
  auto s = OpenStore();
  auto wire = Module(400, 7);
  CacheKey k = Put(*s, wire);
  ASSERT_TRUE(s->Lookup(k, DigestOf(wire)).hit());
  s->Reject(k, "bad format tag");
  s->Flush();
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kNotFound);
  EXPECT_EQ(s->Stats().persisted.rejected, 1u);
}

// A preload reads the entry before the stream's digest is known and returns
// the digest the entry was made from; the hit is counted only when the
// caller confirms it.
TEST_F(SqliteStoreTest, PreloadReturnsThePayloadAndTheStoredDigest) {
  auto s = OpenStore();
  auto wire = Module(600, 3);
  CacheKey k = Put(*s, wire);
  ContentDigest stored;
  LookupResult r = s->Preload(k, &stored);
  ASSERT_TRUE(r.hit()) << ToString(r.reason);
  EXPECT_EQ(r.payload, std::vector<uint8_t>(wire.rbegin(), wire.rend()));
  EXPECT_EQ(stored, DigestOf(wire));
  s->Flush();
  EXPECT_EQ(s->Stats().session.hits, 0u);
  s->CountPreloadHit(k);
  s->Flush();
  StoreStats st = s->Stats();
  EXPECT_EQ(st.session.hits, 1u);
  EXPECT_EQ(st.persisted.hits, 1u);
  EXPECT_EQ(st.session.misses, 0u);

  // Not found: nothing counted (the Lookup that follows counts the miss).
  CacheKey absent = KeyFor(Module(600, 4), Fp());
  EXPECT_EQ(s->Preload(absent, &stored).reason, MissReason::kNotFound);
  EXPECT_EQ(stored, ContentDigest{});
  EXPECT_EQ(s->Stats().session.misses, 0u);
}

TEST_F(SqliteStoreTest, PreloadRejectsAndRemovesADamagedEntry) {
  auto wire = Module(400, 5);
  CacheKey k = PutInEarlierProcess(wire);
  Sql("UPDATE blobs SET payload = substr(payload, 1, 10) || x'ff' || substr(payload, 12)");
  auto s = OpenStore();
  ContentDigest stored;
  LookupResult r = s->Preload(k, &stored);
  EXPECT_EQ(r.reason, MissReason::kChecksum);
  EXPECT_TRUE(r.payload.empty());
  s->Flush();
  StoreStats st = s->Stats();
  EXPECT_EQ(st.entries, 0u);
  EXPECT_EQ(st.session.rejected, 1u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("checksum"), std::string::npos);
}

TEST_F(SqliteStoreTest, ModulesBelowTheMinimumAreNeitherStoredNorLookedUp) {
  auto s = OpenStore();
  auto tiny = Module(8, 1);
  CacheKey k = KeyFor(tiny, Fp());
  auto owner = std::make_shared<std::vector<uint8_t>>(tiny);
  EXPECT_FALSE(s->StoreAsync(k, "fp", DigestOf(*owner), {1, 2, 3}));
  EXPECT_EQ(s->Lookup(k, DigestOf(tiny)).reason, MissReason::kTooSmall);
  EXPECT_EQ(s->Stats().session.skipped_too_small, 2u);
}

TEST_F(SqliteStoreTest, EntriesAboveTheMaximumAreNotStored) {
  auto s = OpenStore(/*budget=*/4000);
  auto big = Module(3000, 1);
  auto owner = std::make_shared<std::vector<uint8_t>>(big);
  EXPECT_FALSE(s->StoreAsync(KeyFor(big, Fp()), "fp", DigestOf(*owner), std::vector<uint8_t>(4001)));
  s->Flush();
  EXPECT_EQ(s->Stats().entries, 0u);
  EXPECT_EQ(s->Stats().session.skipped_too_large, 1u);
}

TEST_F(SqliteStoreTest, EvictionKeepsTheBudgetAndDropsTheLeastRecentlyUsed) {
  auto s = OpenStore(/*budget=*/2500);  // each entry is a 1000-byte payload
  auto a = Module(1000, 1), b = Module(1000, 2), c = Module(1000, 3);
  CacheKey ka = Put(*s, a), kb = Put(*s, b);
  ASSERT_TRUE(s->Lookup(ka, DigestOf(a)).hit());  // a is now more recent than b
  s->Flush();
  CacheKey kc = Put(*s, c);  // 3000 > 2500: b goes
  StoreStats st = s->Stats();
  EXPECT_LE(st.total_bytes, 2500u);
  EXPECT_EQ(st.entries, 2u);
  EXPECT_EQ(st.session.evicted, 1u);
  EXPECT_TRUE(s->Lookup(ka, DigestOf(a)).hit());
  EXPECT_TRUE(s->Lookup(kc, DigestOf(c)).hit());
  EXPECT_EQ(s->Lookup(kb, DigestOf(b)).reason, MissReason::kNotFound);
}

TEST_F(SqliteStoreTest, EvictToShrinksInLruOrder) {
  auto s = OpenStore();
  std::vector<CacheKey> keys;
  std::vector<std::vector<uint8_t>> wires;
  for (uint8_t i = 0; i < 5; ++i) {
    wires.push_back(Module(1000, i));
    keys.push_back(Put(*s, wires.back()));
  }
  ASSERT_TRUE(s->Lookup(keys[0], DigestOf(wires[0])).hit());
  EXPECT_EQ(s->EvictTo(2000), 3u);  // keeps the two most recent: 0 and 4
  EXPECT_TRUE(s->Lookup(keys[0], DigestOf(wires[0])).hit());
  EXPECT_TRUE(s->Lookup(keys[4], DigestOf(wires[4])).hit());
  EXPECT_EQ(s->Lookup(keys[1], DigestOf(wires[1])).reason, MissReason::kNotFound);
  EXPECT_EQ(s->EvictTo(0), 2u);
  EXPECT_EQ(s->Stats().entries, 0u);
}

TEST_F(SqliteStoreTest, ClearRemovesEverything) {
  auto s = OpenStore();
  auto wire = Module(100, 1);
  CacheKey k = Put(*s, wire);
  s->PutHintAsync("http://x/a.wasm", "etag=1", k);
  s->Flush();
  EXPECT_TRUE(s->Clear());
  EXPECT_EQ(s->Stats().entries, 0u);
  EXPECT_FALSE(s->FindHint("http://x/a.wasm", "etag=1").has_value());
}

TEST_F(SqliteStoreTest, UrlHintsRoundTripAndValidatorsMustMatch) {
  auto s = OpenStore();
  CacheKey k = KeyFor(Module(100, 1), Fp());
  s->PutHintAsync("http://x/a.wasm", "etag=\"1\"", k);
  s->Flush();
  EXPECT_EQ(s->FindHint("http://x/a.wasm", "etag=\"1\""), k);
  EXPECT_FALSE(s->FindHint("http://x/a.wasm", "etag=\"2\"").has_value());
  EXPECT_FALSE(s->FindHint("http://x/b.wasm", "etag=\"1\"").has_value());
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsUnusableWithOneWarningAndUntouched) {
  std::filesystem::create_directories(dir_ + "/sub");
  std::string junk(10000, 'x');
  { std::ofstream(path_, std::ios::binary) << junk; }
  auto s = OpenStore();
  EXPECT_FALSE(s->usable());
  auto wire = Module(100, 1);
  CacheKey k = KeyFor(wire, Fp());
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kUnusable);
  auto owner = std::make_shared<std::vector<uint8_t>>(wire);
  EXPECT_FALSE(s->StoreAsync(k, "fp", DigestOf(*owner), {1}));
  s->Flush();
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("not a wasmstream cache database"), std::string::npos)
      << warnings_[0];
  EXPECT_EQ(std::filesystem::file_size(path_), junk.size());
  // Removed by hand (`cache clear` refuses it), a fresh store works.
  s.reset();
  // DestroyFile refuses what is not a cache, as `cache clear` does.
  EXPECT_FALSE(SqliteStore::DestroyFile(path_, nullptr));
  ASSERT_TRUE(std::filesystem::remove(path_));
  EXPECT_TRUE(OpenStore()->usable());
}

TEST_F(SqliteStoreTest, ForeignSqliteDatabaseIsNotWritten) {
  std::filesystem::create_directories(dir_ + "/sub");
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE mine(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = OpenStore();
  EXPECT_FALSE(s->usable());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("not a wasmstream cache"), std::string::npos);
}

TEST_F(SqliteStoreTest, FutureSchemaVersionIsUnusableAndLeftUntouched) {
  auto wire = Module(100, 1);
  { Put(*OpenStore(), wire); }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = OpenStore();
  EXPECT_FALSE(s->usable());
  EXPECT_EQ(s->Lookup(KeyFor(wire, Fp()), DigestOf(wire)).reason, MissReason::kUnusable);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("newer"), std::string::npos);
  s.reset();
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM entries", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 1);  // the newer build's entry is still there
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// Entries of schema 1 and 2 were confirmed by a stored copy of the wire bytes,
// which version 3 does not keep: the migration drops them (one miss each).
TEST_F(SqliteStoreTest, SchemaVersionOneIsMigratedAndItsEntriesDropped) {
  // Build a version-1 database by hand, as an older build left it.
  std::filesystem::create_directories(dir_ + "/sub");
  auto wire = Module(100, 9);
  CacheKey k;
  {
    auto s = OpenStore();
    k = Put(*s, wire);
  }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE url_hints; ALTER TABLE entries DROP COLUMN sha256;"
                         " DROP INDEX entries_by_prefix; ALTER TABLE entries DROP COLUMN prefix;"
                         " ALTER TABLE entries DROP COLUMN signature;"
                         " UPDATE blobs SET wire = zeroblob(100); PRAGMA user_version = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = OpenStore();
  ASSERT_TRUE(s->usable());
  EXPECT_EQ(s->Stats().schema_version, kSchemaVersion);
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kNotFound);
  s->PutHintAsync("u", "v", k);
  s->Flush();
  EXPECT_EQ(s->FindHint("u", "v"), k);
}

TEST_F(SqliteStoreTest, TruncatedDatabaseMissesWithOneWarning) {
  std::vector<std::vector<uint8_t>> wires;
  std::vector<CacheKey> keys;
  {
    auto s = OpenStore();
    for (uint8_t i = 0; i < 20; ++i) {
      wires.push_back(Module(20000, i));
      keys.push_back(Put(*s, wires.back()));
    }
  }
  auto size = std::filesystem::file_size(path_);
  std::filesystem::resize_file(path_, size / 3);
  auto s = OpenStore();
  int hits = 0;
  for (size_t i = 0; i < wires.size(); ++i) hits += s->Lookup(keys[i], DigestOf(wires[i])).hit();
  // Whatever survived the cut may still hit; nothing crashed, and the damage
  // produced exactly one warning.
  EXPECT_LT(hits, 20);
  EXPECT_EQ(warnings_.size(), 1u);
}

TEST_F(SqliteStoreTest, ReadOnlyDirectoryIsUnusableWithOneWarning) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores file permissions";
  std::filesystem::create_directories(dir_ + "/sub");
  std::filesystem::permissions(dir_ + "/sub", std::filesystem::perms::owner_read |
                                                  std::filesystem::perms::owner_exec);
  auto s = OpenStore();
  EXPECT_FALSE(s->usable());
  EXPECT_EQ(warnings_.size(), 1u);
  std::filesystem::permissions(dir_ + "/sub", std::filesystem::perms::owner_all);
}

TEST_F(SqliteStoreTest, DefaultPathFollowsXdgCacheHome) {
  setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(DefaultCachePath(), "/tmp/xdg-test/wasmstream/cache.db");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(DefaultCachePath(), "/home/u/.cache/wasmstream/cache.db");
}

}  // namespace
}  // namespace wasmstream::cache
