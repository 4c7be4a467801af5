// Rows with impossible sizes (written by hand, another program or a damaged
// disk) are dropped, and never break the sums the rest of the cache needs:
// stores, stats and eviction keep working.
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

std::vector<uint8_t> Wire(uint8_t seed) {
  std::vector<uint8_t> v(1000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(i * 11 + seed);
  return v;
}

class DamagedRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = ::testing::TempDir() + "/damaged_rows_" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    path_ = dir + "/cache.db";
  }

  std::unique_ptr<SqliteStore> Open() {
    StoreOptions o;
    o.path = path_;
    o.min_module_bytes = 0;
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    return SqliteStore::Open(o);
  }

  CacheKey Put(SqliteStore& s, uint8_t seed) {
    std::vector<uint8_t> wire = Wire(seed);
    CacheKey k = KeyFor(wire, Fp());
    EXPECT_TRUE(s.StoreAsync(k, Fp().ToString(), DigestOf(wire), std::vector<uint8_t>(500, seed)));
    s.Flush();
    return k;
  }

  // Runs {sql} through a connection of our own, as a person with sqlite3 would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::string path_;
  std::vector<std::string> warnings_;
};

TEST_F(DamagedRowsTest, AbsurdSizesAreDroppedWhenAStoreOpens) {
  {
    auto s = Open();
    for (uint8_t i = 1; i <= 4; ++i) Put(*s, i);
  }
  Tamper("UPDATE entries SET payload_size = 9223372036854775807 WHERE id = 1;"
         "UPDATE entries SET wire_size = -5 WHERE id = 2;"
         "UPDATE entries SET payload_size = 'lots' WHERE id = 3;");
  auto s = Open();
  ASSERT_TRUE(s->usable());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("3 entries with impossible sizes"), std::string::npos) << warnings_[0];
  StoreStats st = s->Stats();
  EXPECT_EQ(st.entries, 1u);
  EXPECT_EQ(st.total_bytes, 500u);  // payloads
  EXPECT_EQ(st.session.rejected, 3u);
  EXPECT_EQ(s->Lookup(KeyFor(Wire(1), Fp()), DigestOf(Wire(1))).reason, MissReason::kNotFound);
  EXPECT_TRUE(s->Lookup(KeyFor(Wire(4), Fp()), DigestOf(Wire(4))).hit());
  Put(*s, 5);
  EXPECT_EQ(s->Stats().session.stores, 1u);
  EXPECT_EQ(s->Stats().entries, 2u);
  EXPECT_EQ(s->EvictTo(500), 1u);
  EXPECT_EQ(s->Stats().entries, 1u);
}

TEST_F(DamagedRowsTest, ARowDamagedWhileOpenDoesNotBreakStoresStatsOrEviction) {
  auto s = Open();
  for (uint8_t i = 1; i <= 3; ++i) Put(*s, i);
  Tamper("UPDATE entries SET payload_size = 9223372036854775807 WHERE id = 1;"
         "UPDATE entries SET wire_size = 9223372036854775807 WHERE id = 2;");
  Put(*s, 4);  // the budget's sum over the table must not fail
  StoreStats st = s->Stats();
  EXPECT_TRUE(st.usable);
  EXPECT_EQ(st.session.stores, 4u);
  EXPECT_EQ(st.session.store_failures, 0u);
  EXPECT_EQ(st.entries, 2u);  // the damaged rows are not counted
  EXPECT_EQ(st.total_bytes, 1000u);
  EXPECT_TRUE(warnings_.empty());
  EXPECT_EQ(s->EvictTo(0), 2u);  // and eviction drops the damaged rows
  EXPECT_EQ(s->Stats().entries, 0u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("dropped 2 entries"), std::string::npos) << warnings_[0];
  EXPECT_EQ(s->List().size(), 0u);
}

}  // namespace
}  // namespace wasmstream::cache
