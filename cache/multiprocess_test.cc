// Several processes share one cache file: WAL, busy timeout and UNIQUE keys
// must give no error, no lost and no duplicated entry.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

constexpr size_t kModuleBytes = 64 * 1024;
constexpr int kModulesPerProcess = 12;

std::string WriterPath() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  std::string base = srcdir ? std::string(srcdir) + "/" + (ws ? ws : "wasmstream") : ".";
  return base + "/cache/store_writer";
}

pid_t Spawn(const std::string& db, int first, int count) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string bin = WriterPath(), f = std::to_string(first), c = std::to_string(count),
                s = std::to_string(kModuleBytes);
    execl(bin.c_str(), bin.c_str(), db.c_str(), f.c_str(), c.c_str(), s.c_str(), nullptr);
    _exit(127);
  }
  return pid;
}

// Runs {n} writers at once; writer i stores seeds [first(i), first(i)+count).
void RunWriters(const std::string& db, int n, bool same_modules) {
  std::vector<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    pids.push_back(Spawn(db, same_modules ? 0 : 1000 + i * kModulesPerProcess, kModulesPerProcess));
    ASSERT_GT(pids.back(), 0);
  }
  for (pid_t p : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(p, &status, 0), p);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "writer " << p << " failed (see its stderr)";
  }
}

class MultiprocessTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(WriterPath())) << WriterPath();
    db_ = ::testing::TempDir() + "/multiprocess_" + std::to_string(GetParam()) + ".db";
    SqliteStore::DestroyFile(db_, nullptr);
  }
  std::string db_;
};

TEST_P(MultiprocessTest, SameModulesAtOnceLeaveOneEntryEach) {
  RunWriters(db_, GetParam(), /*same_modules=*/true);
  StoreOptions o;
  o.path = db_;
  auto s = SqliteStore::Open(o);
  ASSERT_TRUE(s->usable());
  auto list = s->List();
  EXPECT_EQ(list.size(), static_cast<size_t>(kModulesPerProcess));
  std::set<CacheKey> keys;
  for (auto& e : list) keys.insert(e.key);
  EXPECT_EQ(keys.size(), list.size());
  // Every process either stored or hit each module: stores + hits = n × modules.
  StoreStats st = s->Stats();
  EXPECT_EQ(st.persisted.stores, static_cast<uint64_t>(kModulesPerProcess));
  EXPECT_EQ(st.persisted.store_failures, 0u);
}

TEST_P(MultiprocessTest, DifferentModulesAtOnceAreAllKept) {
  RunWriters(db_, GetParam(), /*same_modules=*/false);
  StoreOptions o;
  o.path = db_;
  auto s = SqliteStore::Open(o);
  ASSERT_TRUE(s->usable());
  EXPECT_EQ(s->List().size(), static_cast<size_t>(GetParam() * kModulesPerProcess));
  EXPECT_EQ(s->Stats().persisted.stores, static_cast<uint64_t>(GetParam() * kModulesPerProcess));
  // A second round finds everything: each process hits all its modules.
  RunWriters(db_, GetParam(), /*same_modules=*/false);
  EXPECT_EQ(s->Stats().persisted.hits, static_cast<uint64_t>(GetParam() * kModulesPerProcess));
  EXPECT_EQ(s->List().size(), static_cast<size_t>(GetParam() * kModulesPerProcess));
}

INSTANTIATE_TEST_SUITE_P(Processes, MultiprocessTest, ::testing::Values(2, 8));

}  // namespace
}  // namespace wasmstream::cache
