// SqliteStore::Shutdown: what is queued is written before it returns, its
// wait is bounded when the file stays locked, and later writes are refused.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

EngineFingerprint Fp() { return {1, 0x7f, "test"}; }

std::vector<uint8_t> Wire(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + seed);
  return v;
}

class SqliteStoreShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/shutdown_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    path_ = dir_ + "/cache.db";
  }

  std::unique_ptr<SqliteStore> Open(int busy_timeout_ms = kDefaultBusyTimeoutMs) {
    StoreOptions o;
    o.path = path_;
    o.min_module_bytes = 0;
    o.busy_timeout_ms = busy_timeout_ms;
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    return SqliteStore::Open(o);
  }

  bool Queue(SqliteStore& s, uint8_t seed) {
    std::vector<uint8_t> wire = Wire(3000, seed);
    return s.StoreAsync(KeyFor(wire, Fp()), Fp().ToString(), DigestOf(wire),
                        std::vector<uint8_t>(wire.rbegin(), wire.rend()));
  }

  // Entries in the file, read by a connection of our own (not the store's).
  int64_t EntriesOnDisk() {
    sqlite3* db = nullptr;
    int64_t n = -1;
    if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* s = nullptr;
      sqlite3_prepare_v2(db, "SELECT count(*) FROM entries", -1, &s, nullptr);
      if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
      sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return n;
  }

  std::string dir_, path_;
  std::vector<std::string> warnings_;
};

TEST_F(SqliteStoreShutdownTest, EveryQueuedStoreIsOnDiskWhenShutdownReturns) {
  auto s = Open();
  ASSERT_TRUE(s->usable());
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(Queue(*s, static_cast<uint8_t>(i)));
  s->Shutdown();
  EXPECT_EQ(EntriesOnDisk(), 40);  // the store object is still open
  EXPECT_EQ(s->Stats().session.stores, 40u);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(SqliteStoreShutdownTest, WritesAfterShutdownAreRefusedAndReadsStillWork) {
  auto s = Open();
  ASSERT_TRUE(Queue(*s, 1));
  s->Shutdown();
  s->Shutdown();  // idempotent
  EXPECT_FALSE(Queue(*s, 2));
  std::vector<uint8_t> wire = Wire(3000, 1);
  EXPECT_TRUE(s->Lookup(KeyFor(wire, Fp()), DigestOf(wire)).hit());
  s->Flush();  // returns at once: nothing will be written any more
  EXPECT_EQ(EntriesOnDisk(), 1);
}

TEST_F(SqliteStoreShutdownTest, ShutdownGivesUpOnAFileAnotherProcessKeepsLocked) {
  { Open(); }  // create the file
  sqlite3* locker = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  auto s = Open(/*busy_timeout_ms=*/50);
  ASSERT_TRUE(s->usable());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Queue(*s, static_cast<uint8_t>(i)));
  // The first write waits one busy timeout and fails; the wait is over by
  // then, so the other four are dropped instead of waiting in turn.
  s->Shutdown(std::chrono::milliseconds(1));
  EXPECT_EQ(s->Stats().session.store_failures, 5u);
  EXPECT_EQ(s->Stats().session.stores, 0u);
  EXPECT_EQ(warnings_.size(), 1u);

  ASSERT_EQ(sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(locker);
  EXPECT_EQ(EntriesOnDisk(), 0);
  auto again = Open();
  EXPECT_TRUE(Queue(*again, 9));
  again->Shutdown();
  EXPECT_EQ(EntriesOnDisk(), 1);
}

// An import learns its own write's outcome: refused while another process
// holds the write lock, stored once it lets go; another store's failure in
// between is not mistaken for the import's.
TEST_F(SqliteStoreShutdownTest, ImportReportsItsOwnWrite) {
  { Open(); }  // create the file
  std::vector<uint8_t> wire = Wire(3000, 7);
  EntryRecord record;
  record.key = KeyFor(wire, Fp());
  record.fingerprint = Fp().ToString();
  record.content = DigestOf(wire);
  record.payload.assign(wire.rbegin(), wire.rend());

  sqlite3* locker = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto s = Open(/*busy_timeout_ms=*/50);
  ASSERT_TRUE(s->usable());
  EXPECT_EQ(s->ImportEntry(record), MissReason::kError);
  ASSERT_TRUE(Queue(*s, 8));  // fails too, after the import answered
  s->Flush();
  EXPECT_EQ(s->Stats().session.store_failures, 2u);
  ASSERT_EQ(sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(locker);

  EXPECT_EQ(s->ImportEntry(record), MissReason::kHit);
  EXPECT_EQ(s->ImportEntry(record), MissReason::kHit);  // already there
  EXPECT_TRUE(s->Lookup(record.key, record.content).hit());
  s->Shutdown();
  EXPECT_EQ(EntriesOnDisk(), 1);
}

}  // namespace
}  // namespace wasmstream::cache
