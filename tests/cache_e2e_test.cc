// The code cache through the whole path: loopback HTTP server → fetch →
// compileStreaming controller → caching consumer → SQLite file. A "new
// process" is a new CodeCache on the same file (empty in-process map, fresh
// connections); the multi-process tests in cache/ use real processes.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "bindings/cached_consumer.h"
#include "bindings/compiling_consumer.h"
#include "bindings/test_modules.h"
#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

namespace wasmstream::bindings {
namespace {

using testing::AsString;
using testing::kIncrementer;
using testing::kSimple;

class CacheEndToEndTest : public ::testing::Test {
 protected:
  CacheEndToEndTest() {
    realm_.fetcher = &fetcher_;
    EXPECT_TRUE(realm_.SetPageUrl(server_.Url("/index.html")));
    server_.Fixed("/inc.wasm", 200, {{"Content-Type", "application/wasm"}, {"ETag", "\"inc-1\""}},
                  AsString(kIncrementer));
    server_.Fixed("/simple.wasm", 200, {{"Content-Type", "application/wasm"}}, AsString(kSimple));
    path_ = ::testing::TempDir() + "/cache_e2e_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    cache::SqliteStore::DestroyFile(path_, nullptr);
  }

  // A fresh CodeCache on the same file: what a new process would have.
  void NewProcess(CachePolicy policy = CachePolicy::kContent) {
    cache::StoreOptions o;
    o.path = path_;
    o.min_module_bytes = 0;  // the test modules are tiny
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    if (cache_) cache_->Flush();
    cache_ = std::make_shared<CodeCache>(cache::SqliteStore::Open(o));
    realm_.consumer_factory =
        std::make_shared<CachedConsumerFactory>(cache_, policy, &DefaultConsumerFactory());
  }

  Module Compile(const std::string& path) {
    auto p = wasm_.CompileStreaming(realm_.Fetch(server_.Url(path)));
    p.Then([](const Module&) {}, [](const Error&) {});
    EXPECT_TRUE(testing::Settle(loop_, p));
    EXPECT_TRUE(p.is_fulfilled()) << (p.is_rejected() ? p.reason().ToString() : "pending");
    return p.is_fulfilled() ? p.value() : Module(nullptr);
  }

  // increment(41) through a fresh instance of {m}.
  uint32_t CallIncrement(const Module& m) {
    auto p = wasm_.Instantiate(m, nullptr);
    EXPECT_TRUE(testing::Settle(loop_, p));
    if (!p.is_fulfilled()) return 0;
    auto r = p.value().Call("increment", std::vector<wasm::Value>{wasm::Value::I32(41)});
    return r.ok() ? r.value()[0].u.i32 : 0;
  }

  EventLoop loop_;
  testserver::HttpServer server_;
  fetch::Fetcher fetcher_;
  Realm realm_{loop_};
  WebAssembly wasm_{realm_};
  std::string path_;
  std::shared_ptr<CodeCache> cache_;
  std::vector<std::string> warnings_;
};

TEST_F(CacheEndToEndTest, MissThenHitFromSqliteInANewProcess) {
  NewProcess();
  Module fresh = Compile("/simple.wasm");
  ASSERT_TRUE(fresh.module());
  EXPECT_EQ(fresh.record()->cache, "miss");
  EXPECT_EQ(fresh.record()->cache_detail, "policy=content; miss: not found");
  EXPECT_EQ(fresh.record()->consumer, "cache:content");

  NewProcess();
  Module cached = Compile("/simple.wasm");
  ASSERT_TRUE(cached.module());
  EXPECT_EQ(cached.record()->cache, "hit");
  EXPECT_EQ(cached.record()->cache_detail, "policy=content; prefix matched; hit: sqlite, read while streaming");
  // Indistinguishable from the fresh one: imports, exports, custom sections.
  EXPECT_EQ(cached.Imports(), fresh.Imports());
  EXPECT_EQ(cached.Exports(), fresh.Exports());
  EXPECT_EQ(cached.CustomSections("meta"), fresh.CustomSections("meta"));
  EXPECT_EQ(cached.CustomSections("other"), fresh.CustomSections("other"));
  EXPECT_NE(cached.module().get(), fresh.module().get());
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(CacheEndToEndTest, CachedCodeRunsLikeFreshCode) {
  NewProcess();
  Module fresh = Compile("/inc.wasm");
  EXPECT_EQ(CallIncrement(fresh), 42u);
  NewProcess();
  Module cached = Compile("/inc.wasm");
  EXPECT_EQ(cached.record()->cache, "hit");
  EXPECT_EQ(CallIncrement(cached), 42u);
}

TEST_F(CacheEndToEndTest, SameProcessSharesCodeButGivesDistinctModules) {
  NewProcess();
  Module a = Compile("/inc.wasm");
  Module b = Compile("/inc.wasm");
  // Whether the first module's entry reached SQLite before the second stream
  // began (and predicted the hit) depends on the writer thread; the answer
  // comes from the map either way.
  const std::string& detail = b.record()->cache_detail;
  EXPECT_TRUE(detail == "policy=content; hit: in-process map" ||
              detail == "policy=content; prefix matched; hit: in-process map")
      << detail;
  EXPECT_EQ(a.module().get(), b.module().get());  // same compiled code
  EXPECT_FALSE(a.SameObject(b));                  // distinct JS objects
}

TEST_F(CacheEndToEndTest, UrlHintHitsWithMatchingETag) {
  NewProcess(CachePolicy::kUrlHint);
  EXPECT_EQ(Compile("/inc.wasm").record()->cache, "miss");
  NewProcess(CachePolicy::kUrlHint);
  Module m = Compile("/inc.wasm");
  EXPECT_EQ(m.record()->cache_detail, "policy=url-hint; hint matched; hit: sqlite, read while streaming");
  EXPECT_EQ(CallIncrement(m), 42u);
}

TEST_F(CacheEndToEndTest, FileThatIsNotADatabaseStillCompilesWithOneWarning) {
  { std::ofstream(path_) << std::string(5000, 'j'); }
  NewProcess();
  Module m = Compile("/inc.wasm");
  EXPECT_EQ(m.record()->cache, "miss");
  EXPECT_EQ(m.record()->cache_detail, "policy=content; miss: not in memory; persistent cache unusable");
  EXPECT_EQ(CallIncrement(m), 42u);
  EXPECT_EQ(Compile("/simple.wasm").record()->cache, "miss");
  EXPECT_EQ(warnings_.size(), 1u);
}

TEST_F(CacheEndToEndTest, FutureSchemaStillCompilesWithOneWarning) {
  NewProcess();
  Compile("/inc.wasm");
  cache_.reset();
  realm_.consumer_factory = nullptr;
  {
    auto store = cache::SqliteStore::Open({.path = path_});
    ASSERT_TRUE(store->usable());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // The first compile's store may still be finishing its write on the
  // writer thread (it is not tied to the Module's lifetime): wait for the
  // lock like any other cache user instead of failing with SQLITE_BUSY.
  sqlite3_busy_timeout(db, 10'000);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  NewProcess();
  Module m = Compile("/inc.wasm");
  EXPECT_EQ(m.record()->cache, "miss");
  EXPECT_EQ(CallIncrement(m), 42u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("newer"), std::string::npos);
}

}  // namespace
}  // namespace wasmstream::bindings
