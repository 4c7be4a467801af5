// The cache file's rules (cache_file.h) through SqliteStore::Open: owner-only
// modes for what the store creates, refusal of loose or foreign files before
// SQLite touches them, and clear's recognition of its own database.
#include "cache/cache_file.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

class CacheFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/cache_file_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    chmod(dir_.c_str(), 0700);
  }

  std::unique_ptr<SqliteStore> Open(const std::string& path) {
    StoreOptions o;
    o.path = path;
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    return SqliteStore::Open(o);
  }

  std::string dir_;
  std::vector<std::string> warnings_;
};

TEST_F(CacheFileTest, WhatTheStoreCreatesIsOwnerOnly) {
  std::string path = dir_ + "/a/b/cache.db";
  auto store = Open(path);
  ASSERT_TRUE(store->usable());
  EXPECT_EQ(ModeOf(dir_ + "/a"), 0700u);
  EXPECT_EQ(ModeOf(dir_ + "/a/b"), 0700u);
  EXPECT_EQ(ModeOf(path), 0600u);
  // WAL mode: both companions exist while the store is open.
  EXPECT_EQ(ModeOf(path + "-wal"), 0600u);
  EXPECT_EQ(ModeOf(path + "-shm"), 0600u);
  std::string why;
  EXPECT_TRUE(IsOwnCacheFile(path, &why)) << why;
}

TEST_F(CacheFileTest, ACompanionOthersCanWriteIsRefused) {
  std::string path = dir_ + "/cache.db";
  { Open(path); }
  { std::ofstream(path + "-wal") << ""; }
  chmod((path + "-wal").c_str(), 0622);
  auto store = Open(path);
  EXPECT_FALSE(store->usable());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("permissions 0622 for " + path + "-wal are too open"),
            std::string::npos) << warnings_[0];
}

TEST_F(CacheFileTest, ForeignDatabaseIsNeverOpenedSoItsWalStays) {
  std::string path = dir_ + "/other.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  chmod(path.c_str(), 0600);
  { std::ofstream(path + "-wal") << "their wal"; }
  chmod((path + "-wal").c_str(), 0600);
  auto store = Open(path);
  EXPECT_FALSE(store->usable());
  store.reset();
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  std::string error;
  EXPECT_FALSE(RemoveOwnCacheFile(path, &error));
  EXPECT_NE(error.find("rm -- '" + path + "'"), std::string::npos) << error;
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
}

TEST_F(CacheFileTest, RemoveOwnCacheFileDeletesItWithItsCompanions) {
  std::string path = dir_ + "/cache.db";
  { Open(path); }
  { std::ofstream(path + "-wal") << ""; }
  std::string error;
  EXPECT_TRUE(RemoveOwnCacheFile(path, &error)) << error;
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_F(CacheFileTest, ACompanionThatIsADirectoryStopsClear) {
  std::string path = dir_ + "/cache.db";
  { Open(path); }
  std::filesystem::create_directories(path + "-shm");
  std::string error;
  EXPECT_FALSE(RemoveOwnCacheFile(path, &error));
  EXPECT_NE(error.find("nothing deleted"), std::string::npos) << error;
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace wasmstream::cache
