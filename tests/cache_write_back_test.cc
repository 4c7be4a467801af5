// Code-cache write-back end to end (bindings/cache_write_back.h): loopback
// HTTP server → fetch → compileStreaming (lazy) → caching consumer → real
// SQLite file. A "new process" is a new CodeCache on the same file. The
// functions a run called come back from the entry in the next process
// (counted by the module's ModuleCodeTable), the others still compile on
// their first call, and every result is right.
#include <string>

#include <gtest/gtest.h>

#include "bindings/cached_consumer.h"
#include "bindings/compiling_consumer.h"
#include "bindings/test_modules.h"
#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"
#include "wasm/runtime/module_code_table.h"
#include "wasm/serialization/serializer.h"

namespace wasmstream::bindings {
namespace {

using testing::AsString;
using testing::kManyFunctions;

// kManyFunctions: f2 calls f1, which calls f0; f3 and f4 call nothing.
constexpr uint32_t kF0 = 0;

class CacheWriteBackTest : public ::testing::Test {
 protected:
  CacheWriteBackTest() {
    realm_.fetcher = &fetcher_;
    EXPECT_TRUE(realm_.SetPageUrl(server_.Url("/index.html")));
    server_.Fixed("/many.wasm", 200, {{"Content-Type", "application/wasm"}},
                  AsString(kManyFunctions));
    path_ = ::testing::TempDir() + "/cache_write_back_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    cache::SqliteStore::DestroyFile(path_, nullptr);
  }
  ~CacheWriteBackTest() override {
    if (cache_) cache_->Shutdown();
  }

  // A fresh CodeCache on the same file, write-back on.
  void NewProcess(std::vector<uint8_t> signing_key = {}) {
    if (cache_) cache_->Shutdown();
    cache::StoreOptions o;
    o.path = path_;
    o.min_module_bytes = 0;  // the test module is tiny
    o.signing_key = std::move(signing_key);
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    cache_ = std::make_shared<CodeCache>(cache::SqliteStore::Open(o));
    cache_->EnableWriteBack();
    realm_.consumer_factory =
        std::make_shared<CachedConsumerFactory>(cache_, CachePolicy::kContent, &DefaultConsumerFactory());
  }

  Module Compile() {
    auto p = wasm_.CompileStreaming(realm_.Fetch(server_.Url("/many.wasm")));
    p.Then([](const Module&) {}, [](const Error&) {});
    EXPECT_TRUE(testing::Settle(loop_, p));
    EXPECT_TRUE(p.is_fulfilled()) << (p.is_rejected() ? p.reason().ToString() : "pending");
    return p.is_fulfilled() ? p.value() : Module(nullptr);
  }

  Instance New(const Module& m) {
    auto p = wasm_.Instantiate(m, nullptr);
    EXPECT_TRUE(testing::Settle(loop_, p));
    EXPECT_TRUE(p.is_fulfilled());
    return p.value();
  }

  // f2(3, 4) = ((3 + 4) + 1) * 2, through f1 and f0.
  static uint32_t F2(const Instance& inst) {
    auto r = inst.Call("f2", std::vector<wasm::Value>{wasm::Value::I32(3), wasm::Value::I32(4)});
    return r.ok() ? r.value()[0].u.i32 : 0;
  }
  static double F4(const Instance& inst) {
    auto r = inst.Call("f4", std::vector<wasm::Value>{wasm::Value::F64(1.0)});
    return r.ok() ? r.value()[0].f64() : 0;
  }

  static wasm::ModuleCodeStats Stats(const Module& m) {
    auto table = wasm::ModuleCodeTable::Find(*m.module());
    return table ? table->stats() : wasm::ModuleCodeStats{};
  }

  uint64_t EntryBytes() {
    cache_->Flush();
    auto list = cache_->store()->List();
    return list.size() == 1 ? list[0].payload_size : 0;
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

TEST_F(CacheWriteBackTest, CalledFunctionsComeBackFromTheEntry) {
  NewProcess();
  Module fresh = Compile();
  ASSERT_TRUE(fresh.module());
  EXPECT_EQ(fresh.record()->cache, "miss");
  EXPECT_EQ(F2(New(fresh)), 16u);
  EXPECT_EQ(Stats(fresh).compiled, 3u);
  const uint64_t metadata_only = EntryBytes();
  ASSERT_GT(metadata_only, 0u);
  WriteBackOutcome written = cache_->WriteBack();
  EXPECT_EQ(written.queued, 1u);
  const uint64_t with_code = EntryBytes();
  EXPECT_GT(with_code, metadata_only);

  NewProcess();
  Module cached = Compile();
  ASSERT_TRUE(cached.module());
  EXPECT_EQ(cached.record()->cache, "hit");
  Instance a = New(cached), b = New(cached);
  EXPECT_EQ(F2(a), 16u);
  EXPECT_EQ(Stats(cached).loaded_from_cache, 3u);  // f2, f1, f0
  EXPECT_EQ(Stats(cached).compiled, 0u);
  EXPECT_EQ(F4(b), 2.5);  // not in the entry: compiled on its first call
  EXPECT_EQ(Stats(cached).compiled, 1u);
  // Two instances, one code object per function: {a} takes f4's code at its
  // first call, compiling nothing.
  EXPECT_EQ(F2(b), 16u);
  EXPECT_EQ(F4(a), 2.5);
  EXPECT_EQ(Stats(cached).compiled, 1u);
  for (uint32_t f : {0, 1, 2, 4}) {
    EXPECT_NE(a.raw()->funcs[f]->code, nullptr);
    EXPECT_EQ(a.raw()->funcs[f]->code, b.raw()->funcs[f]->code);
  }

  // Written back again: the entry keeps f0-f2 (not loaded in this process
  // by f4's call) and gains f4.
  EXPECT_EQ(cache_->WriteBack().queued, 1u);
  EXPECT_GT(EntryBytes(), with_code);
  NewProcess();
  Module third = Compile();
  Instance c = New(third);
  EXPECT_EQ(F4(c), 2.5);
  EXPECT_EQ(F2(c), 16u);
  EXPECT_EQ(Stats(third).loaded_from_cache, 4u);
  EXPECT_EQ(Stats(third).compiled, 0u);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(CacheWriteBackTest, NothingNewCompiledWritesNothing) {
  NewProcess();
  Module fresh = Compile();
  cache_->Flush();
  EXPECT_EQ(cache_->WriteBack().unchanged, 1u);  // nothing called yet
  EXPECT_EQ(F2(New(fresh)), 16u);
  EXPECT_EQ(cache_->WriteBack().queued, 1u);
  cache_->Flush();
  WriteBackOutcome again = cache_->WriteBack();
  EXPECT_EQ(again.queued, 0u);
  EXPECT_EQ(again.unchanged, 1u);

  // A process that only calls what the entry holds writes nothing either.
  NewProcess();
  Module cached = Compile();
  EXPECT_EQ(F2(New(cached)), 16u);
  EXPECT_EQ(Stats(cached).loaded_from_cache, 3u);
  EXPECT_EQ(cache_->WriteBack().queued, 0u);
  cache_->Flush();
  cache::StoreStats st = cache_->store()->Stats();
  EXPECT_EQ(st.persisted.write_backs, 1u);
  EXPECT_EQ(st.session.write_backs, 0u);
}

TEST_F(CacheWriteBackTest, AWriteBackWithASigningKeyIsAcceptedByTheKeyedStore) {
  const std::vector<uint8_t> key(32, 0x5a);
  NewProcess(key);
  Module fresh = Compile();
  EXPECT_EQ(F2(New(fresh)), 16u);
  cache_->Flush();
  EXPECT_EQ(cache_->WriteBack().queued, 1u);
  NewProcess(key);
  Module cached = Compile();
  EXPECT_EQ(cached.record()->cache, "hit");
  EXPECT_EQ(F2(New(cached)), 16u);
  EXPECT_EQ(Stats(cached).loaded_from_cache, 3u);
  EXPECT_EQ(cache_->store()->Stats().session.bad_signature, 0u);
}

// An entry whose code was crafted (f0's first operation is not one) loads;
// f0's stored code is refused by the verifier when it is first called and
// f0 compiles from its wire bytes; the rest of the entry's code is used.
TEST_F(CacheWriteBackTest, ACraftedCodeChunkIsRefusedPerFunction) {
  NewProcess();
  Module fresh = Compile();
  EXPECT_EQ(F2(New(fresh)), 16u);
  cache_->Flush();
  auto crafted = std::make_shared<wasm::Module>(*fresh.module());
  auto table = wasm::ModuleCodeTable::Find(*fresh.module());
  crafted->code.assign(crafted->functions.size(), nullptr);
  for (uint32_t f = 0; f < 3; ++f) {
    crafted->code[f] = std::make_shared<wasm::FunctionCode>(*table->Get(f));
  }
  auto bad = std::make_shared<wasm::FunctionCode>(*crafted->code[kF0]);
  bad->code[0] = 0x7FFF'FFF0u;
  crafted->code[kF0] = bad;
  std::vector<cache::EntryInfo> list = cache_->store()->List();
  ASSERT_EQ(list.size(), 1u);
  ASSERT_TRUE(cache_->store()->ReplaceAsync(
      list[0].key, list[0].fingerprint, cache::DigestOf(kManyFunctions),
      wasm::SerializeModule(*crafted, {.omit_wire_bytes = true, .with_code_so_far = true})));
  cache_->Flush();

  NewProcess();
  Module cached = Compile();
  EXPECT_EQ(cached.record()->cache, "hit");
  EXPECT_EQ(F2(New(cached)), 16u);
  wasm::ModuleCodeStats stats = Stats(cached);
  EXPECT_EQ(stats.refused_from_cache, 1u);
  EXPECT_EQ(stats.loaded_from_cache, 2u);
  EXPECT_EQ(stats.compiled, 1u);
  // The repaired code is written back.
  EXPECT_EQ(cache_->WriteBack().queued, 1u);
}

}  // namespace
}  // namespace wasmstream::bindings
