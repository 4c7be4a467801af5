// SqliteStore::ReplaceAsync, the store's half of a code-cache write-back, on
// real SQLite files: the payload is replaced in place (hits and use order
// kept), a bigger stored payload is never replaced by a smaller one, an
// absent entry is stored, a keyed store signs the new payload, and a process
// killed mid-replace leaves a whole entry (the old payload or the new one).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

EngineFingerprint Fp() { return {1, 0x7f, "test"}; }

std::vector<uint8_t> Bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + seed);
  return v;
}

class WriteBackStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/write_back_store_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = dir_ + "/cache.db";
  }

  std::unique_ptr<SqliteStore> Open(std::vector<uint8_t> key = {}) {
    StoreOptions o;
    o.path = path_;
    o.min_module_bytes = 16;
    o.signing_key = std::move(key);
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    return SqliteStore::Open(o);
  }

  std::vector<uint8_t> Payload(SqliteStore& s) { return s.Lookup(key_, DigestOf(wire_)).payload; }

  const std::vector<uint8_t> wire_ = Bytes(1000, 1);
  const CacheKey key_ = KeyFor(wire_, Fp());
  std::string dir_, path_;
  std::vector<std::string> warnings_;
};

TEST_F(WriteBackStoreTest, ReplacesThePayloadInPlaceKeepingHits) {
  auto s = Open();
  ASSERT_TRUE(s->StoreAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(300, 2)));
  s->Flush();
  EXPECT_EQ(Payload(*s), Bytes(300, 2));  // one hit
  ASSERT_TRUE(s->ReplaceAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(800, 3)));
  s->Flush();
  auto reopened = Open();
  EXPECT_EQ(Payload(*reopened), Bytes(800, 3));
  reopened->Flush();
  std::vector<EntryInfo> list = reopened->List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].payload_size, 800u);
  EXPECT_EQ(list[0].hits, 2u);  // the hit before the write-back is kept
  EXPECT_EQ(reopened->Stats().persisted.write_backs, 1u);
  EXPECT_EQ(reopened->Stats().persisted.stores, 1u);
  EXPECT_EQ(s->Stats().session.write_backs, 1u);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(WriteBackStoreTest, ASmallerWriteBackNeverReplacesABiggerOne) {
  auto s = Open();
  ASSERT_TRUE(s->StoreAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(300, 2)));
  ASSERT_TRUE(s->ReplaceAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(900, 4)));
  ASSERT_TRUE(s->ReplaceAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(600, 5)));
  s->Flush();
  EXPECT_EQ(Payload(*s), Bytes(900, 4));
  EXPECT_EQ(s->Stats().persisted.write_backs, 1u);
}

TEST_F(WriteBackStoreTest, AWriteBackOfAnAbsentEntryStoresIt) {
  auto s = Open();
  ASSERT_TRUE(s->ReplaceAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(500, 6)));
  s->Flush();
  EXPECT_EQ(Payload(*s), Bytes(500, 6));
  EXPECT_EQ(s->Stats().persisted.stores, 1u);
}

TEST_F(WriteBackStoreTest, AKeyedStoreSignsTheWriteBack) {
  const std::vector<uint8_t> key = Bytes(32, 9), other = Bytes(32, 10);
  {
    auto s = Open(key);
    ASSERT_TRUE(s->StoreAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(300, 2)));
    ASSERT_TRUE(s->ReplaceAsync(key_, Fp().ToString(), DigestOf(wire_), Bytes(700, 7)));
    s->Flush();
  }
  auto keyed = Open(key);
  EXPECT_EQ(Payload(*keyed), Bytes(700, 7));
  keyed->Flush();
  keyed.reset();
  auto wrong = Open(other);  // another key: the signature does not verify
  EXPECT_EQ(wrong->Lookup(key_, DigestOf(wire_)).reason, MissReason::kBadSignature);
}

// A child process replaces the payload again and again with bigger ones and
// is killed at points spread over a write: each time, the entry that is left
// is a hit whose payload is one of the writes, whole.
TEST_F(WriteBackStoreTest, AProcessKilledMidWriteBackLeavesAWholeEntry) {
  constexpr size_t kStep = 256 * 1024;
  auto payload_of = [&](uint8_t i) { return std::vector<uint8_t>(kStep * (i + 1), i); };
  {
    auto s = Open();
    ASSERT_TRUE(s->StoreAsync(key_, Fp().ToString(), DigestOf(wire_), payload_of(0)));
    s->Flush();
  }
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE(round);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto s = Open();
      for (uint8_t i = 1; i < 40; ++i) {
        s->ReplaceAsync(key_, Fp().ToString(), DigestOf(wire_), payload_of(i));
        s->Flush();
      }
      _exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + 25 * round));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    auto s = Open();
    std::vector<uint8_t> got = Payload(*s);
    ASSERT_FALSE(got.empty()) << "the entry was lost";
    const uint8_t i = got[0];
    EXPECT_EQ(got, payload_of(i));
    s->Flush();
  }
}

}  // namespace
}  // namespace wasmstream::cache
