// A process killed with SIGKILL while it writes large entries leaves a cache
// file that passes PRAGMA integrity_check, in which every entry stored before
// is still a hit and every entry that is listed at all is whole (a hit with
// its exact payload). Real processes (cache/store_writer_main.cc) on a real
// file, killed again and again at points spread over the time one entry takes
// to write: if a store were not one transaction (the entry's row committed
// before its blob, say), some kill would leave a listed entry that misses.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBaseEntries = 6;
constexpr size_t kBaseBytes = 1 << 20;
constexpr size_t kLargeBytes = 8 << 20;  // 128 pages of 64 KiB: spills to the WAL mid-write
constexpr int kRounds = 16;
constexpr int kSeedsPerRound = 100;       // more than a round gets to write

std::string WriterPath() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  std::string base = srcdir ? std::string(srcdir) + "/" + (ws ? ws : "wasmstream") : ".";
  return base + "/cache/store_writer";
}

// The writer's bytes for {seed} (store_writer_main.cc); its payload is them reversed.
std::vector<uint8_t> Wire(int seed, size_t size) {
  std::vector<uint8_t> wire(size);
  for (size_t i = 0; i < size; ++i) wire[i] = static_cast<uint8_t>(i * 7 + seed * 131 + (i >> 9));
  return wire;
}

const EngineFingerprint kFp{1, 0, "multiprocess"};

class CrashSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(WriterPath())) << WriterPath();
    db_ = ::testing::TempDir() + "/crash_safety.db";
    ASSERT_TRUE(SqliteStore::DestroyFile(db_, nullptr));
  }

  // Starts a writer with its stdout on a pipe; returns its pid.
  pid_t Start(int first, int count, size_t size, int* out_fd) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      std::string bin = WriterPath(), f = std::to_string(first), c = std::to_string(count),
                  s = std::to_string(size);
      execl(bin.c_str(), bin.c_str(), db_.c_str(), f.c_str(), c.c_str(), s.c_str(),
            "--commit-each", nullptr);
      _exit(127);
    }
    close(fds[1]);
    *out_fd = fds[0];
    return pid;
  }

  // One line of the writer: "storing SEED MICROS" or "committed SEED
  // MICROS"; false at end of stream. {at}: the steady clock's time, which
  // every process shares.
  struct Line {
    bool committed = false;
    int seed = -1;
    Clock::time_point at;
  };
  static bool Read(FILE* in, Line* line) {
    char what[16];
    long long us = 0;
    if (std::fscanf(in, "%15s %d %lld\n", what, &line->seed, &us) != 3) return false;
    line->committed = std::string(what) == "committed";
    line->at = Clock::time_point(std::chrono::microseconds(us));
    return true;
  }

  // What a seed's entry must be: its key, its content's digest and a hash
  // of its payload, computed once (the checks run after every kill).
  struct Expected {
    CacheKey key;
    ContentDigest digest;
    size_t payload_hash = 0;
  };
  const Expected& For(int seed, size_t size) {
    auto it = expected_.find(seed);
    if (it != expected_.end()) return it->second;
    std::vector<uint8_t> wire = Wire(seed, size);
    std::string payload(wire.rbegin(), wire.rend());
    return expected_[seed] = {KeyFor(wire, kFp), DigestOf(wire), std::hash<std::string>()(payload)};
  }

  // Everything the file must satisfy after a kill.
  void Verify(const std::map<int, size_t>& must_hit, const std::map<CacheKey, std::pair<int, size_t>>& known) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
    std::vector<std::string> problems;
    while (sqlite3_step(st) == SQLITE_ROW) {
      problems.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    ASSERT_EQ(problems, std::vector<std::string>{"ok"});

    std::vector<std::string> warnings;
    StoreOptions o;
    o.path = db_;
    o.max_total_bytes = uint64_t{1} << 40;
    o.warn = [&](const std::string& w) { warnings.push_back(w); };
    auto store = SqliteStore::Open(o);
    ASSERT_TRUE(store->usable());
    auto expect_hit = [&](int seed, size_t size) {
      const Expected& e = For(seed, size);
      LookupResult r = store->Lookup(e.key, e.digest);
      EXPECT_TRUE(r.hit()) << "seed " << seed << ": " << ToString(r.reason);
      std::string payload(r.payload.begin(), r.payload.end());
      EXPECT_EQ(std::hash<std::string>()(payload), e.payload_hash) << "seed " << seed;
    };
    for (const auto& [seed, size] : must_hit) expect_hit(seed, size);
    for (const EntryInfo& e : store->List()) {
      auto it = known.find(e.key);
      ASSERT_NE(it, known.end()) << "an entry no writer stored";
      expect_hit(it->second.first, it->second.second);
    }
    store->Flush();
    EXPECT_EQ(store->Stats().session.rejected, 0u);
    EXPECT_TRUE(warnings.empty()) << warnings.front();
  }

  std::map<int, Expected> expected_;
  std::string db_;
};

TEST_F(CrashSafetyTest, KilledWhileWritingLargeEntriesLeavesAWholeDatabase) {
  std::map<int, size_t> must_hit;                       // seed -> size
  std::map<CacheKey, std::pair<int, size_t>> known;     // every seed a writer may have stored
  auto know = [&](int seed, size_t size) { known[For(seed, size).key] = {seed, size}; };
  // The earlier entries: a writer that finishes.
  int fd = -1;
  pid_t pid = Start(0, kBaseEntries, kBaseBytes, &fd);
  ASSERT_GT(pid, 0);
  FILE* in = fdopen(fd, "r");
  for (Line l; Read(in, &l);) {
    if (l.committed) must_hit[l.seed] = kBaseBytes;
  }
  fclose(in);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(must_hit.size(), static_cast<size_t>(kBaseEntries));
  for (int seed = 0; seed < kBaseEntries; ++seed) know(seed, kBaseBytes);

  std::vector<int> kill_points;  // when, in % of a write's time after it started
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    int first = 1000 + round * kSeedsPerRound;
    pid = Start(first, kSeedsPerRound, kLargeBytes, &fd);
    ASSERT_GT(pid, 0);
    in = fdopen(fd, "r");
    // Two entries written: how long a write takes (storing to committed).
    // Then kill from 5% to 125% of that time into the third one's (the
    // blob's write is the end of it).
    Line l;
    Clock::duration write_time{};
    int committed = 0;
    Clock::time_point storing_at;
    while (committed < 2 && Read(in, &l)) {
      if (!l.committed) {
        storing_at = l.at;
        continue;
      }
      must_hit[l.seed] = kLargeBytes;
      write_time = std::max(write_time, l.at - storing_at);
      ++committed;
    }
    ASSERT_EQ(committed, 2);
    ASSERT_TRUE(Read(in, &l) && !l.committed);  // the third entry's write starts
    std::this_thread::sleep_until(l.at + write_time * (5 + 120 * round / (kRounds - 1)) / 100);
    kill(pid, SIGKILL);
    Clock::time_point killed = Clock::now();
    kill_points.push_back(static_cast<int>(100 * (killed - l.at) / write_time));
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended before it was killed";
    int last = l.seed;
    while (Read(in, &l)) {
      if (l.committed) must_hit[l.seed] = kLargeBytes;
      last = l.seed;
    }
    fclose(in);
    for (int seed = first; seed <= last + 1; ++seed) know(seed, kLargeBytes);
    Verify(must_hit, known);
    if (HasFatalFailure()) return;
  }
  std::printf("crash safety: %d kills, %zu entries kept; kills at this %% of a write's time:",
              kRounds, must_hit.size());
  for (int p : kill_points) std::printf(" %d", p);
  std::printf("\n");
}

}  // namespace
}  // namespace wasmstream::cache
