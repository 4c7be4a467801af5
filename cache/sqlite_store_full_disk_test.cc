// A full disk during a store loses nothing and degrades cleanly.
//
// The disk is "full" through RLIMIT_FSIZE (it binds root too, unlike file
// permissions), set in a forked child so the test runner keeps its limits. The
// child stores a small entry, lowers the limit to just above the current file
// sizes, tries a store bigger than that, then restores the limit and checks the
// file. It reports key=value lines through a pipe; the parent asserts on them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

constexpr size_t kSmallBytes = 4 * 1024;
constexpr size_t kLargeBytes = 4 * 1024 * 1024;  // wire; the payload is as big again
constexpr uint64_t kHeadroom = 128 * 1024;       // the limit sits this far above the biggest file

EngineFingerprint Fp() { return {1, 0x7f, "test"}; }

std::vector<uint8_t> Module(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 13 + seed);
  return v;
}

std::vector<uint8_t> PayloadFor(const std::vector<uint8_t>& wire) {
  return std::vector<uint8_t>(wire.rbegin(), wire.rend());
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

StoreOptions Options(const std::string& db, std::vector<std::string>* warnings) {
  StoreOptions o;
  o.path = db;
  o.min_module_bytes = 16;
  o.warn = [warnings](const std::string& w) { warnings->push_back(w); };
  return o;
}

std::string IntegrityCheck(const std::string& db) {
  sqlite3* h = nullptr;
  std::string out;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    out = std::string("open failed: ") + (h ? sqlite3_errmsg(h) : "?");
  } else {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK) {
      out = std::string("prepare failed: ") + sqlite3_errmsg(h);
    } else {
      int rc;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!out.empty()) out += ";";
        auto* t = sqlite3_column_text(st, 0);
        out += t ? reinterpret_cast<const char*>(t) : "";
      }
      if (rc != SQLITE_DONE) out += std::string(" step failed: ") + sqlite3_errstr(rc);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return out;
}

// Runs in the child. Everything it learns goes to {out} as key=value lines.
void ChildBody(const std::string& db, std::ostringstream& out) {
  auto small = Module(kSmallBytes, 1);
  auto large = Module(kLargeBytes, 2);
  CacheKey small_key = KeyFor(small, Fp());
  CacheKey large_key = KeyFor(large, Fp());
  std::vector<std::string> warnings;

  {
    auto store = SqliteStore::Open(Options(db, &warnings));
    out << "opened_usable=" << store->usable() << "\n";
    auto owner = std::make_shared<std::vector<uint8_t>>(small);
    out << "small_accepted="
        << store->StoreAsync(small_key, Fp().ToString(), DigestOf(*owner), PayloadFor(small)) << "\n";
    store->Flush();
    out << "small_stores=" << store->Stats().session.stores << "\n";

    // The disk fills up: no file may grow past a little above its current size.
    uint64_t biggest = std::max({FileSize(db), FileSize(db + "-wal"), FileSize(db + "-shm")});
    rlimit old_limit;
    getrlimit(RLIMIT_FSIZE, &old_limit);
    rlimit limit = old_limit;
    limit.rlim_cur = biggest + kHeadroom;
    signal(SIGXFSZ, SIG_IGN);
    out << "setrlimit=" << (setrlimit(RLIMIT_FSIZE, &limit) == 0) << "\n";
    out << "limit_below_large=" << (limit.rlim_cur < 2 * kLargeBytes) << "\n";

    auto large_owner = std::make_shared<std::vector<uint8_t>>(large);
    out << "large_accepted="
        << store->StoreAsync(large_key, Fp().ToString(), DigestOf(*large_owner),
                             PayloadFor(large))
        << "\n";
    store->Flush();
    StoreStats st = store->Stats();
    out << "store_failures=" << st.session.stores << "/" << st.session.store_failures << "\n";
    out << "usable_after_failure=" << store->usable() << "\n";
    // A degraded store answers without touching the disk.
    out << "lookup_after_failure=" << ToString(store->Lookup(small_key, DigestOf(small)).reason) << "\n";
    out << "store_after_failure="
        << store->StoreAsync(small_key, Fp().ToString(), DigestOf(*owner), PayloadFor(small)) << "\n";
    store->Flush();

    // The disk has room again.
    out << "restored_limit=" << (setrlimit(RLIMIT_FSIZE, &old_limit) == 0) << "\n";
  }  // waits for the writer, closes

  out << "warnings=" << warnings.size() << "\n";
  for (const auto& w : warnings) {
    std::string one = w;
    std::replace(one.begin(), one.end(), '\n', ' ');
    out << "warning=" << one << "\n";
  }
  out << "integrity=" << IntegrityCheck(db) << "\n";

  std::vector<std::string> later_warnings;
  auto store = SqliteStore::Open(Options(db, &later_warnings));
  out << "reopened_usable=" << store->usable() << "\n";
  LookupResult r = store->Lookup(small_key, DigestOf(small));
  out << "small_lookup=" << ToString(r.reason) << "\n";
  out << "small_intact=" << (r.hit() && r.payload == PayloadFor(small)) << "\n";
  out << "large_lookup=" << ToString(store->Lookup(large_key, DigestOf(large)).reason) << "\n";
  store->Flush();
  out << "entries=" << store->Stats().entries << "\n";
  out << "later_warnings=" << later_warnings.size() << "\n";
}

std::map<std::string, std::string> Parse(const std::string& report) {
  std::map<std::string, std::string> m;
  std::istringstream in(report);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    m[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return m;
}

TEST(SqliteStoreFullDiskTest, FullDiskDuringAStoreLosesNothingAndDegradesCleanly) {
  std::string dir = ::testing::TempDir() + "/sqlite_store_full_disk_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string db = dir + "/cache.db";

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  fflush(nullptr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    std::ostringstream out;
    ChildBody(db, out);
    out << "done=1\n";
    std::string s = out.str();
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = write(fds[1], s.data() + off, s.size() - off);
      if (n <= 0) _exit(3);
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string report;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) report.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "child died, signal " << WTERMSIG(status) << "\n" << report;
  ASSERT_EQ(WEXITSTATUS(status), 0) << report;

  ::testing::Test::RecordProperty("child_report", report);
  auto m = Parse(report);
  SCOPED_TRACE("child report:\n" + report);
  ASSERT_EQ(m["done"], "1");
  EXPECT_EQ(m["opened_usable"], "1");
  EXPECT_EQ(m["small_accepted"], "1");
  EXPECT_EQ(m["small_stores"], "1");
  EXPECT_EQ(m["setrlimit"], "1");
  EXPECT_EQ(m["limit_below_large"], "1");
  // The large store is queued, then fails on the writer thread: counted, not stored.
  EXPECT_EQ(m["large_accepted"], "1");
  EXPECT_EQ(m["store_failures"], "1/1");
  // A full disk turns the cache off for this store (no retry storm).
  EXPECT_EQ(m["usable_after_failure"], "0");
  EXPECT_EQ(m["lookup_after_failure"], std::string(ToString(MissReason::kUnusable)));
  EXPECT_EQ(m["store_after_failure"], "0");
  EXPECT_EQ(m["restored_limit"], "1");
  // One clear warning, naming the file.
  EXPECT_EQ(m["warnings"], "1");
  EXPECT_NE(m["warning"].find(db), std::string::npos);
  // Nothing lost, nothing damaged.
  EXPECT_EQ(m["integrity"], "ok");
  EXPECT_EQ(m["reopened_usable"], "1");
  EXPECT_EQ(m["small_lookup"], std::string(ToString(MissReason::kHit)));
  EXPECT_EQ(m["small_intact"], "1");
  EXPECT_EQ(m["large_lookup"], std::string(ToString(MissReason::kNotFound)));
  EXPECT_EQ(m["entries"], "1");
  EXPECT_EQ(m["later_warnings"], "0");
}

}  // namespace
}  // namespace wasmstream::cache
