// SqliteStore::DestroyFile, the tests' and benchmarks' clean-up: it removes
// the cache's own database (and its -wal/-shm) and nothing else a mistyped
// path could name.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

class DestroyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/destroy_file_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    chmod(dir_.c_str(), 0700);
  }
  static bool Exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::symlink_status(path, ec));
  }
  std::string dir_;
};

TEST_F(DestroyFileTest, RemovesTheCacheItsStoreMade) {
  std::string path = dir_ + "/cache.db";
  {
    StoreOptions o;
    o.path = path;
    auto store = SqliteStore::Open(o);
    ASSERT_TRUE(store->usable());
  }
  std::ofstream(path + "-wal") << "";  // a companion left by a killed process
  ASSERT_TRUE(Exists(path));
  std::string error;
  EXPECT_TRUE(SqliteStore::DestroyFile(path, &error)) << error;
  EXPECT_FALSE(Exists(path));
  EXPECT_FALSE(Exists(path + "-wal"));
  // Absent: nothing to do.
  EXPECT_TRUE(SqliteStore::DestroyFile(path, &error)) << error;
  EXPECT_TRUE(SqliteStore::DestroyFile(path, nullptr));
}

TEST_F(DestroyFileTest, RemovesAnEmptyFile) {
  std::string path = dir_ + "/empty.db";
  std::ofstream(path) << "";
  EXPECT_TRUE(SqliteStore::DestroyFile(path, nullptr));
  EXPECT_FALSE(Exists(path));
}

TEST_F(DestroyFileTest, RefusesWhatIsNotACache) {
  std::string text = dir_ + "/notes.txt";
  std::ofstream(text) << "my notes\n";
  std::string foreign = dir_ + "/other.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::string subdir = dir_ + "/sub";
  std::filesystem::create_directories(subdir);
  std::ofstream(subdir + "/inside") << "x";
  for (const std::string& path : {text, foreign, subdir}) {
    std::string error;
    EXPECT_FALSE(SqliteStore::DestroyFile(path, &error)) << path;
    EXPECT_NE(error.find("not a wasmstream cache"), std::string::npos) << error;
    EXPECT_TRUE(Exists(path)) << path;
    EXPECT_FALSE(SqliteStore::DestroyFile(path, nullptr)) << path;
  }
  EXPECT_TRUE(Exists(subdir + "/inside"));
  // The -wal/-shm of a database that is not ours are not touched either.
  std::ofstream(foreign + "-wal") << "wal";
  EXPECT_FALSE(SqliteStore::DestroyFile(foreign, nullptr));
  EXPECT_TRUE(Exists(foreign + "-wal"));
}

}  // namespace
}  // namespace wasmstream::cache
