// Work that outlives its owner. An owner may stop waiting (a RunUntil that
// gave up) and destroy the Realm and the EventLoop while a compile is still
// queued on a worker: when the worker finishes, the result is dropped and
// nothing touches the destroyed loop (ASan reports a heap-use-after-free
// otherwise). A CodeCache may lose its last reference inside its own I/O
// task: it shuts down from there instead of joining its own thread (which
// throws, and so terminates the process).
#include <future>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "bindings/cached_consumer.h"
#include "bindings/compiling_consumer.h"
#include "bindings/test_modules.h"
#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"
#include "wasm/worker_pool.h"

namespace wasmstream::bindings {
namespace {

// Consumers compiling on {pool}.
class PoolFactory final : public ModuleStreamConsumerFactory {
 public:
  explicit PoolFactory(wasm::WorkerPool* pool) : pool_(pool) {}
  std::unique_ptr<ModuleStreamConsumer> Create(const StreamInfo& info) override {
    return MakeCompilingConsumer(info, pool_);
  }
  std::string_view name() const override { return "compile"; }

 private:
  wasm::WorkerPool* pool_;
};

// A one-worker pool whose worker waits until Release(): compiles queued
// behind it cannot end before then.
class HeldPool {
 public:
  HeldPool() {
    std::shared_future<void> open = gate_.get_future().share();
    pool_.Post([open] { open.wait(); });
  }
  ~HeldPool() { Release(); }
  void Release() {
    if (!released_) gate_.set_value();
    released_ = true;
  }
  wasm::WorkerPool* pool() { return &pool_; }

 private:
  std::promise<void> gate_;
  bool released_ = false;
  wasm::WorkerPool pool_{1};  // destroyed first: joins after the gate opens
};

TEST(LoopLifetimeTest, PosterDropsTasksOnceTheLoopIsGone) {
  auto loop = std::make_unique<EventLoop>();
  EventLoop::Poster poster = loop->poster();
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  EXPECT_TRUE(poster.Post([token] {}));  // queued, never run
  token.reset();
  loop.reset();
  EXPECT_TRUE(watch.expired());  // the queued task went with the loop
  auto later = std::make_shared<int>(0);
  watch = later;
  EXPECT_FALSE(poster.Post([later] {}));
  later.reset();
  EXPECT_TRUE(watch.expired());  // dropped by Post itself
}

TEST(LoopLifetimeTest, CompileStreamingEndingAfterTheLoopIsGone) {
  HeldPool held;
  auto factory = std::make_shared<PoolFactory>(held.pool());
  {
    EventLoop loop;
    Realm realm(loop);
    realm.consumer_factory = factory;
    WebAssembly wasm_ns(realm);
    uint64_t received = 0;
    StreamingOptions options;
    options.on_progress = [&](uint64_t n, std::optional<uint64_t>) { received = n; };
    // No reaction attached: a promise that never settles keeps its
    // reactions (and they it) alive.
    Promise<Module> p =
        wasm_ns.CompileStreaming(testing::SyntheticResponse(testing::kIncrementer), options);
    ASSERT_TRUE(loop.RunUntil([&] { return received == testing::kIncrementer.size(); }));
    // The end of the body was read in the task just queued: the compile is
    // now waiting for the held worker.
    loop.RunPending();
    EXPECT_TRUE(p.is_pending());
  }  // the owner gives up: wasm_ns, realm and loop go
  held.Release();
}

TEST(LoopLifetimeTest, CompileEndingAfterTheLoopIsGone) {
  HeldPool held;
  auto factory = std::make_shared<PoolFactory>(held.pool());
  {
    EventLoop loop;
    Realm realm(loop);
    realm.consumer_factory = factory;
    WebAssembly wasm_ns(realm);
    Promise<Module> p = wasm_ns.Compile(testing::kIncrementer);
    loop.RunPending();  // the task that hands the bytes to the compiler
    EXPECT_TRUE(p.is_pending());
  }
  held.Release();
}

// A compiled module nobody holds is freed, with its wire bytes: the code
// cache's in-process map holds it weakly, so a process that compiles many
// distinct modules does not keep them all. An instance holds its module
// until the realm's store collects it.
TEST(LoopLifetimeTest, ModulesNobodyHoldsAreFreed) {
  EventLoop loop;
  Realm realm(loop);
  auto cache = std::make_shared<CodeCache>(nullptr);
  realm.consumer_factory =
      std::make_shared<CachedConsumerFactory>(cache, CachePolicy::kContent, &DefaultConsumerFactory());
  WebAssembly wasm_ns(realm);
  std::weak_ptr<const wasm::Module> compiled;
  {
    Promise<Module> p = wasm_ns.CompileStreaming(testing::SyntheticResponse(testing::kIncrementer));
    ASSERT_TRUE(testing::Settle(loop, p));
    ASSERT_TRUE(p.is_fulfilled());
    compiled = p.value().module();
    auto inst = wasm_ns.Instantiate(p.value(), nullptr);
    ASSERT_TRUE(testing::Settle(loop, inst));
    ASSERT_TRUE(inst.is_fulfilled());
    std::vector<wasm::Value> args = {wasm::Value::I32(41)};
    auto r = inst.value().Call("increment", args);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value()[0].u.i32, 42u);
    EXPECT_EQ(cache->map().live_size(), 1u);
  }
  ASSERT_TRUE(loop.RunUntilIdle());
  // The instance kept its module until the realm's runtime store collects
  // (it does so by itself once enough objects or memory were made).
  EXPECT_FALSE(compiled.expired());
  realm.store()->Collect();
  EXPECT_TRUE(compiled.expired());
  EXPECT_EQ(cache->map().live_size(), 0u);
  cache->Shutdown();
}

// Holds the only reference to a CodeCache; dropping it (on whatever thread
// destroys the holder) destroys the cache, then says so.
struct LastReference {
  std::shared_ptr<CodeCache> cache;
  std::promise<void> destroyed;
  ~LastReference() {
    cache.reset();
    destroyed.set_value();
  }
};

TEST(LoopLifetimeTest, CodeCacheDestroyedInsideItsOwnIoTask) {
  std::string path = ::testing::TempDir() + "/code_cache_lifetime.db";
  ASSERT_TRUE(cache::SqliteStore::DestroyFile(path, nullptr));
  cache::StoreOptions o;
  o.path = path;
  auto holder = std::make_shared<LastReference>();
  holder->cache = std::make_shared<CodeCache>(cache::SqliteStore::Open(o));
  ASSERT_TRUE(holder->cache->store()->usable());
  std::future<void> destroyed = holder->destroyed.get_future();
  std::promise<void> let_go;
  std::shared_future<void> released = let_go.get_future().share();
  // The task waits until it holds the last reference, then ends: it is
  // destroyed on the I/O thread, and the cache with it.
  holder->cache->PostIo([holder, released] { released.wait(); });
  holder.reset();
  let_go.set_value();
  destroyed.wait();  // std::terminate before the fix
  // The store was shut down and closed: the file opens again.
  auto again = cache::SqliteStore::Open(o);
  EXPECT_TRUE(again->usable());
}

}  // namespace
}  // namespace wasmstream::bindings
