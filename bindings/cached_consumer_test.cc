// The caching consumer's policies, driven as the controller drives a consumer.
// The inner "compiler" here is a small stand-in that builds a Module holding
// the wire bytes (the streaming compiler is tested on its own; the end-to-end
// test in tests/ uses the real one); it counts its work so the tests can prove
// that a hit does no compile work, and it can hold its result back to make
// streams overlap.
#include "bindings/cached_consumer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <thread>

#include "wasm/serialization/serializer.h"

namespace wasmstream::bindings {
namespace {

struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = true;
  void Close() { std::lock_guard<std::mutex> l(mu); open = false; }
  void Open() { { std::lock_guard<std::mutex> l(mu); open = true; } cv.notify_all(); }
  void Wait() { std::unique_lock<std::mutex> l(mu); cv.wait(l, [&] { return open; }); }
};

struct Counts {
  std::atomic<int> created{0}, bytes_fed{0}, finished{0}, aborted{0}, completed{0}, exited{0};
};

class StandInCompiler final : public ModuleStreamConsumer {
 public:
  StandInCompiler(Counts& c, Gate& g) : c_(c), g_(g), s_(std::make_shared<Shared>()) {}
  void OnBytes(std::span<const uint8_t> b) override {
    c_.bytes_fed += static_cast<int>(b.size());
    s_->bytes.insert(s_->bytes.end(), b.begin(), b.end());
  }
  void Finish(FinishCallback done) override {
    ++c_.finished;
    // Detached: the consumer may be destroyed on this very thread.
    std::thread([s = s_, &c = c_, &g = g_, done = std::move(done)] {
      struct Exit {
        Counts& c;
        ~Exit() { ++c.exited; }
      } exit{c};
      g.Wait();
      if (s->aborted) return;
      if (s->bytes.size() < 8 || s->bytes[0] != 0 || s->bytes[1] != 'a') {
        done(wasm::CompileError{0, "expected magic word"}, ConsumerReport{});
        return;
      }
      auto m = std::make_shared<wasm::Module>();
      m->wire_bytes = s->bytes;
      m->custom_sections.push_back({"tail", {8, static_cast<uint32_t>(s->bytes.size() - 8)}});
      m->exports.push_back({"e", wasm::ExternalKind::kMemory, 0});
      m->memories.push_back({});
      ++c.completed;
      done(std::shared_ptr<const wasm::Module>(std::move(m)), ConsumerReport{});
    }).detach();
  }
  void Abort() override {
    s_->aborted = true;
    ++c_.aborted;
  }

 private:
  struct Shared {
    std::vector<uint8_t> bytes;
    std::atomic<bool> aborted{false};
  };
  Counts& c_;
  Gate& g_;
  std::shared_ptr<Shared> s_;
};

class StandInFactory final : public ModuleStreamConsumerFactory {
 public:
  std::unique_ptr<ModuleStreamConsumer> Create(const StreamInfo&) override {
    ++counts.created;
    return std::make_unique<StandInCompiler>(counts, gate);
  }
  std::string_view name() const override { return "stand-in"; }
  Counts counts;
  Gate gate;
};

std::vector<uint8_t> ModuleBytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> v = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (size_t i = 8; i < n; ++i) v.push_back(static_cast<uint8_t>(i * 11 + seed));
  return v;
}

struct Outcome {
  bool ok = false;
  std::shared_ptr<const wasm::Module> module;
  ConsumerReport report;
};

class CachedConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/cached_consumer_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    cache::SqliteStore::DestroyFile(path_, nullptr);
  }

  // A new CodeCache on the same file: what a new process sees.
  std::shared_ptr<CodeCache> NewCache(uint64_t min_bytes = 64) {
    cache::StoreOptions o;
    o.path = path_;
    o.min_module_bytes = min_bytes;
    o.warn = [this](const std::string& w) { warnings_.push_back(w); };
    return std::make_shared<CodeCache>(cache::SqliteStore::Open(o));
  }

  std::unique_ptr<ModuleStreamConsumer> Start(CachedConsumerFactory& f,
                                              const std::vector<uint8_t>& bytes,
                                              StreamInfo info = {}) {
    auto c = f.Create(info);
    for (size_t i = 0; i < bytes.size(); i += 100) {
      c->OnBytes(std::span(bytes).subspan(i, std::min<size_t>(100, bytes.size() - i)));
    }
    return c;
  }

  std::future<Outcome> FinishAsync(ModuleStreamConsumer& c) {
    auto p = std::make_shared<std::promise<Outcome>>();
    c.Finish([p](ModuleResult r, ConsumerReport rep) {
      Outcome o;
      o.ok = r.ok();
      if (r.ok()) o.module = r.value();
      o.report = std::move(rep);
      p->set_value(std::move(o));
    });
    return p->get_future();
  }

  Outcome Run(CachedConsumerFactory& f, const std::vector<uint8_t>& bytes, StreamInfo info = {}) {
    auto c = Start(f, bytes, info);
    return FinishAsync(*c).get();
  }

  // An earlier process streamed {bytes} through the cache: they are stored.
  void StoreFromEarlierProcess(const std::vector<uint8_t>& bytes) {
    auto cache = NewCache();
    CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
    ASSERT_TRUE(Run(f, bytes).ok);
    cache->Shutdown();
  }

  // Runs {statement} on the cache file through a connection of its own, as
  // another program with write access could.
  void Sql(const char* statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement, nullptr, nullptr, nullptr), SQLITE_OK) << statement;
    sqlite3_close(db);
  }

  void TearDown() override {
    // The stand-in's threads use {inner_}: wait until every one has exited.
    while (inner_.counts.exited < inner_.counts.finished) std::this_thread::yield();
  }

  std::string path_;
  std::vector<std::string> warnings_;
  StandInFactory inner_;
};

TEST_F(CachedConsumerTest, MissStoresThenANewProcessHitsSqliteWithoutCompiling) {
  auto bytes = ModuleBytes(5000, 1);
  {
    auto cache = NewCache();
    CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
    Outcome miss = Run(f, bytes);
    ASSERT_TRUE(miss.ok);
    EXPECT_EQ(miss.report.cache, "miss");
    EXPECT_EQ(miss.report.cache_detail, "policy=content; miss: not found");
    cache->Flush();
  }
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  int created_before = inner_.counts.created;
  Outcome hit = Run(f, bytes);
  ASSERT_TRUE(hit.ok);
  EXPECT_EQ(hit.report.cache, "hit");
  // The stored entry's prefix predicted the hit: no compile was started.
  EXPECT_EQ(hit.report.cache_detail, "policy=content; prefix matched; hit: sqlite, read while streaming");
  EXPECT_EQ(hit.module->wire_bytes, bytes);
  ASSERT_EQ(hit.module->custom_sections.size(), 1u);
  EXPECT_EQ(hit.module->custom_sections[0].name, "tail");
  EXPECT_EQ(inner_.counts.created, created_before);
  EXPECT_TRUE(warnings_.empty());
}

// A module longer than the prefix: on a miss the compile starts as soon as
// the prefix has arrived (it keeps overlapping the download); on a stream
// whose prefix matches an entry the stream only hashes until the end.
TEST_F(CachedConsumerTest, PrefixDecidesBeforeTheEndWhetherToCompile) {
  auto bytes = ModuleBytes(3 * cache::kPrefixBytes, 1);
  auto prefix_part = std::span(bytes).first(cache::kPrefixBytes);
  {
    auto cache = NewCache();
    CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
    auto c = f.Create({});
    c->OnBytes(prefix_part.first(prefix_part.size() - 1));
    EXPECT_EQ(inner_.counts.created, 0);  // still gathering the prefix
    c->OnBytes(std::span(bytes).subspan(prefix_part.size() - 1));
    EXPECT_EQ(inner_.counts.created, 1);  // no entry: compiling before the end
    Outcome miss = FinishAsync(*c).get();
    ASSERT_TRUE(miss.ok);
    EXPECT_EQ(miss.report.cache_detail, "policy=content; miss: not found");
    EXPECT_EQ(miss.module->wire_bytes, bytes);
    cache->Shutdown();
  }
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  auto c = f.Create({});
  c->OnBytes(bytes);
  Outcome hit = FinishAsync(*c).get();
  ASSERT_TRUE(hit.ok);
  EXPECT_EQ(hit.report.cache_detail, "policy=content; prefix matched; hit: sqlite, read while streaming");
  EXPECT_EQ(inner_.counts.created, 1);
}

// The predicted entry is read while the rest of the bytes arrive: once the
// I/O thread has run (Flush), the entry can even vanish from the file and the
// stream still ends in a hit, confirmed by its SHA-256.
TEST_F(CachedConsumerTest, PredictedEntryIsReadBeforeTheLastByte) {
  auto bytes = ModuleBytes(3 * cache::kPrefixBytes, 4);
  StoreFromEarlierProcess(bytes);
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  auto c = f.Create({});
  c->OnBytes(std::span(bytes).first(cache::kPrefixBytes + 10));
  cache->Flush();  // the preload has run
  Sql("DELETE FROM entries");
  c->OnBytes(std::span(bytes).subspan(cache::kPrefixBytes + 10));
  Outcome hit = FinishAsync(*c).get();
  ASSERT_TRUE(hit.ok);
  EXPECT_EQ(hit.report.cache_detail,
            "policy=content; prefix matched; hit: sqlite, read while streaming");
  EXPECT_EQ(hit.module->wire_bytes, bytes);
  EXPECT_EQ(inner_.counts.created, 1);  // the first run's compile only
}

// A predicted entry that fails its checks when read ahead is removed and
// counted once; the stream compiles from its retained bytes.
TEST_F(CachedConsumerTest, DamagedPredictedEntryIsRefusedAndTheModuleCompiled) {
  auto bytes = ModuleBytes(2 * cache::kPrefixBytes, 5);
  StoreFromEarlierProcess(bytes);
  Sql("UPDATE blobs SET payload = substr(payload, 1, 10) || x'ff' || substr(payload, 12)");
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  Outcome o = Run(f, bytes);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.report.cache, "miss");
  EXPECT_EQ(o.report.cache_detail,
            "policy=content; prefix matched; miss: payload checksum mismatch");
  EXPECT_EQ(o.module->wire_bytes, bytes);
  cache->Flush();
  cache::StoreStats st = cache->store()->Stats();
  EXPECT_EQ(st.session.rejected, 1u);
  EXPECT_EQ(st.session.hits, 0u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("checksum"), std::string::npos);
}

// Same prefix and size, other bytes after it: the prediction is wrong, the
// SHA-256 at the end says so, and the module is compiled from the retained
// bytes: the right module, later.
TEST_F(CachedConsumerTest, MispredictedPrefixCompilesTheRetainedBytes) {
  auto first = ModuleBytes(2 * cache::kPrefixBytes, 1);
  auto second = first;
  second.back() ^= 0xff;
  StoreFromEarlierProcess(first);
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  StreamInfo info;
  info.body_size = second.size();
  int created_before = inner_.counts.created;
  Outcome o = Run(f, second, info);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.report.cache, "miss");
  EXPECT_EQ(o.report.cache_detail, "policy=content; prefix mispredicted; miss: not found");
  EXPECT_EQ(o.module->wire_bytes, second);
  EXPECT_EQ(inner_.counts.created, created_before + 1);  // only after the last byte
}

// An announced length that differs from the entry's is no prediction.
TEST_F(CachedConsumerTest, AnnouncedLengthMustMatchTheEntry) {
  auto first = ModuleBytes(2 * cache::kPrefixBytes, 1);
  auto longer = ModuleBytes(2 * cache::kPrefixBytes + 10, 1);  // same prefix
  StoreFromEarlierProcess(first);
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  StreamInfo info;
  info.body_size = longer.size();
  Outcome o = Run(f, longer, info);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.report.cache_detail, "policy=content; miss: not found");
}

TEST_F(CachedConsumerTest, SameBytesInOneProcessShareOneCompiledModule) {
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  auto bytes = ModuleBytes(3000, 2);
  Outcome a = Run(f, bytes);
  Outcome b = Run(f, bytes);
  ASSERT_TRUE(a.ok && b.ok);
  // Whether the first stream's entry reached SQLite before the second stream
  // began (and predicted the hit) depends on the threads; the map answers.
  EXPECT_TRUE(b.report.cache_detail == "policy=content; hit: in-process map" ||
              b.report.cache_detail == "policy=content; prefix matched; hit: in-process map")
      << b.report.cache_detail;
  EXPECT_EQ(a.module.get(), b.module.get());
  EXPECT_EQ(inner_.counts.completed, 1);
}

TEST_F(CachedConsumerTest, ConcurrentIdenticalStreamsCompileOnce) {
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  auto bytes = ModuleBytes(3000, 3);
  inner_.gate.Close();  // hold the first compile back
  auto c1 = Start(f, bytes);
  auto c2 = Start(f, bytes);
  auto f1 = FinishAsync(*c1);
  // Let c1 claim the key and miss in SQLite (its compile is then held).
  while (inner_.counts.finished < 1) std::this_thread::yield();
  auto f2 = FinishAsync(*c2);
  inner_.gate.Open();
  Outcome o1 = f1.get(), o2 = f2.get();
  ASSERT_TRUE(o1.ok && o2.ok);
  EXPECT_EQ(o1.module.get(), o2.module.get());
  EXPECT_EQ(o2.report.cache_detail,
            "policy=content; hit: in-process map (waited for a concurrent compile)");
  EXPECT_EQ(inner_.counts.completed, 1);
}

TEST_F(CachedConsumerTest, CorruptEntryIsAMissWithAWarningAndTheModuleIsStillRight) {
  auto bytes = ModuleBytes(5000, 4);
  StoreFromEarlierProcess(bytes);
  // Replace the payload with a valid-checksum but unloadable one: the store's
  // checks pass, the serializer's must catch it.
  {
    auto store = cache::SqliteStore::Open({.path = path_, .min_module_bytes = 64});
    // These streams carry no sink factory: validated-only entries.
    cache::CacheKey key = cache::KeyFor(
        bytes, EngineFingerprintFor(wasm::Features::Default(), /*with_code=*/false));
    ASSERT_TRUE(store->Lookup(key, cache::DigestOf(bytes)).hit());
    store->Reject(key, "test: replace");
    store->Flush();
    auto owner = std::make_shared<std::vector<uint8_t>>(bytes);
    std::vector<uint8_t> junk(100, 0x5a);
    ASSERT_TRUE(store->StoreAsync(key, "fp", cache::DigestOf(*owner), junk));
    store->Flush();
  }
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  int created = inner_.counts.created, aborted = inner_.counts.aborted;
  Outcome o = Run(f, bytes);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.report.cache, "miss");
  EXPECT_NE(o.report.cache_detail.find("cached entry rejected"), std::string::npos);
  EXPECT_EQ(o.module->wire_bytes, bytes);
  EXPECT_EQ(warnings_.size(), 1u);
  // The streaming compile stopped when the entry was found, and a new one
  // compiled the retained bytes when the entry failed to load.
  EXPECT_EQ(inner_.counts.created, created + 2);
  EXPECT_EQ(inner_.counts.aborted, aborted + 1);
}

TEST_F(CachedConsumerTest, OtherFeaturesAreAnotherFingerprintAndMiss) {
  auto bytes = ModuleBytes(5000, 5);
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  ASSERT_TRUE(Run(f, bytes).ok);
  StreamInfo other;
  other.features = wasm::Features::Wasm20();  // not the default
  Outcome o = Run(f, bytes, other);
  EXPECT_EQ(o.report.cache, "miss");
}

TEST_F(CachedConsumerTest, UrlHintSkipsCompilingWhileStreamingAndCatchesStaleHints) {
  StreamInfo info;
  info.url = "http://127.0.0.1/m.wasm";
  info.etag = "\"v1\"";
  auto v1 = ModuleBytes(5000, 6);
  {
    auto cache = NewCache();
    CachedConsumerFactory f(cache, CachePolicy::kUrlHint, &inner_);
    Outcome first = Run(f, v1, info);
    EXPECT_EQ(first.report.cache_detail, "policy=url-hint; miss: not found");
    cache->Flush();
  }
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kUrlHint, &inner_);
  int created = inner_.counts.created;
  auto c = Start(f, v1, info);
  EXPECT_EQ(inner_.counts.created, created);  // hash only: no compiler made
  Outcome hit = FinishAsync(*c).get();
  EXPECT_EQ(hit.report.cache_detail, "policy=url-hint; hint matched; hit: sqlite, read while streaming");
  EXPECT_EQ(inner_.counts.created, created);

  // The server changed the bytes but not the ETag: the key check catches it.
  auto v2 = ModuleBytes(5000, 7);
  auto cache2 = NewCache();
  CachedConsumerFactory f2(cache2, CachePolicy::kUrlHint, &inner_);
  Outcome stale = Run(f2, v2, info);
  ASSERT_TRUE(stale.ok);
  EXPECT_EQ(stale.report.cache_detail, "policy=url-hint; hint stale; miss: not found");
  EXPECT_EQ(stale.module->wire_bytes, v2);
}

TEST_F(CachedConsumerTest, OffPolicyIsThePlainCompiler) {
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kOff, &inner_);
  Outcome o = Run(f, ModuleBytes(5000, 8));
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.report.cache, "off");
  EXPECT_EQ(f.name(), "cache:off");
}

TEST_F(CachedConsumerTest, SmallModulesSkipSqlite) {
  auto cache = NewCache(/*min_bytes=*/10'000);
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  Outcome o = Run(f, ModuleBytes(500, 9));
  EXPECT_EQ(o.report.cache_detail, "policy=content; miss: module below the cache's minimum size (10000)");
  cache->Flush();
  EXPECT_EQ(cache->store()->Stats().entries, 0u);
}

TEST_F(CachedConsumerTest, CompileErrorsPassThroughAndAreNotCached) {
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  std::vector<uint8_t> junk(500, 0x42);
  Outcome o = Run(f, junk);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.report.cache, "miss");
  Outcome again = Run(f, junk);  // the failed claim was released
  EXPECT_FALSE(again.ok);
  cache->Flush();
  EXPECT_EQ(cache->store()->Stats().entries, 0u);
}

TEST_F(CachedConsumerTest, AbortBeforeTheResultNeverCallsDone) {
  auto cache = NewCache();
  CachedConsumerFactory f(cache, CachePolicy::kContent, &inner_);
  auto bytes = ModuleBytes(3000, 10);
  inner_.gate.Close();
  auto c = Start(f, bytes);
  std::atomic<bool> called{false};
  c->Finish([&](ModuleResult, ConsumerReport) { called = true; });
  while (inner_.counts.finished < 1) std::this_thread::yield();
  c->Abort();
  c->Abort();  // idempotent
  inner_.gate.Open();
  // The claim was released: the same bytes compile again.
  Outcome o = Run(f, bytes);
  EXPECT_TRUE(o.ok);
  c.reset();
  EXPECT_FALSE(called.load());
}

}  // namespace
}  // namespace wasmstream::bindings
