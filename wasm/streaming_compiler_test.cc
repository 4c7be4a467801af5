// StreamingCompiler: chunking independence, parallel bodies with a
// deterministic first error, FinishAsync, Abort, CodeSinkFactory, WorkerPool.
#include "wasm/streaming_compiler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>

#include "wasm/code_sink.h"
#include "wasm/testing/module_builder.h"
#include "wasm/worker_pool.h"

namespace wasmstream::wasm {
namespace {

using testing::Bytes;
using testing::Cat;
using testing::CompileInChunks;
using testing::ModuleWithBodies;

const Bytes kEmptyBody = {0x00, 0x0B};
// (local i32) local.get 0 drop: valid.
const Bytes kLocalBody = {0x01, 0x01, 0x7F, 0x20, 0x00, 0x1A, 0x0B};
// i32.add with nothing on the stack: invalid.
const Bytes kBadBody = {0x00, 0x6A, 0x0B};

Bytes ManyBodies(size_t n, std::vector<size_t> bad) {
  std::vector<Bytes> bodies(n, kLocalBody);
  for (size_t b : bad) bodies[b] = kBadBody;
  return ModuleWithBodies(bodies);
}

TEST(StreamingCompilerTest, RandomChunkingsAgree) {
  Bytes m = ManyBodies(500, {});
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    StreamingCompiler c;
    size_t pos = 0;
    while (pos < m.size()) {
      size_t n = std::min<size_t>(m.size() - pos, 1 + rng() % 300);
      c.OnBytesReceived(std::span<const uint8_t>(m.data() + pos, n));
      pos += n;
    }
    CompileResult r = c.Finish();
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(r.value()->functions.size(), 500u);
    EXPECT_EQ(r.value()->wire_bytes, m);
  }
}

TEST(StreamingCompilerTest, FirstErrorIsDeterministicAcrossThreads) {
  Bytes m = ManyBodies(3000, {2999, 1234, 1500});
  CompileResult whole = CompileInChunks(m, 0, Features::Wasm20(), /*inline=*/true);
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.error().message.rfind("Compiling function #1234 failed: ", 0), 0u)
      << whole.error().message;
  WorkerPool pool(4);
  std::mt19937 rng(11);
  for (int round = 0; round < 10; ++round) {
    StreamingOptions o;
    o.pool = &pool;
    StreamingCompiler c(o);
    size_t pos = 0;
    while (pos < m.size()) {
      size_t n = std::min<size_t>(m.size() - pos, 1 + rng() % 2000);
      c.OnBytesReceived(std::span<const uint8_t>(m.data() + pos, n));
      pos += n;
    }
    CompileResult r = c.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), whole.error());
  }
}

TEST(StreamingCompilerTest, FinishAsyncDeliversOnce) {
  Bytes m = ManyBodies(100, {});
  StreamingCompiler c;
  c.OnBytesReceived(m);
  std::promise<bool> got;
  std::atomic<int> calls{0};
  c.FinishAsync([&](CompileResult r) {
    ++calls;
    got.set_value(r.ok());
  });
  EXPECT_TRUE(got.get_future().get());
  EXPECT_EQ(calls.load(), 1);
}

TEST(StreamingCompilerTest, FinishTwiceIsAnError) {
  StreamingCompiler c;
  c.OnBytesReceived(testing::Preamble());
  EXPECT_TRUE(c.Finish().ok());
  CompileResult again = c.Finish();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "compilation already finished");
}

TEST(StreamingCompilerTest, AbortIsIdempotentAndSilent) {
  Bytes m = ManyBodies(1000, {});
  StreamingCompiler c;
  c.OnBytesReceived(std::span<const uint8_t>(m.data(), m.size() / 2));
  c.Abort();
  c.Abort();
  c.OnBytesReceived(std::span<const uint8_t>(m.data() + m.size() / 2, m.size() - m.size() / 2));
  bool called = false;
  c.FinishAsync([&](CompileResult) { called = true; });
  EXPECT_FALSE(called);
  CompileResult r = c.Finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "compilation aborted");
}

TEST(StreamingCompilerTest, ErrorStopsFurtherBytes) {
  // Bad magic: later bytes are ignored and the error stays the first one.
  StreamingCompiler c;
  Bytes bad = {0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00};
  c.OnBytesReceived(bad);
  EXPECT_TRUE(c.failed());
  c.OnBytesReceived(ManyBodies(3, {}));
  CompileResult r = c.Finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), (CompileError{0, "magic header not detected"}));
}

// Counts what the decoder hands to the sinks.
class CountingFactory : public CodeSinkFactory {
 public:
  class Sink : public CodeSink {
   public:
    explicit Sink(CountingFactory* f) : f_(f) {}
    void OnFunctionStart(const FunctionStart&) override { ++f_->starts; }
    void OnInstruction(const Instruction&, const ValidatorState&) override { ++f_->instructions; }
    Status OnFunctionEnd(uint32_t) override {
      ++f_->ends;
      return Ok{};
    }

   private:
    CountingFactory* f_;
  };
  CodeSink* SinkFor(const Module&, uint32_t) override {
    ++sinks;
    return &sink_;  // stateless: the workers may share it
  }
  void Prepare(uint32_t num_functions) override {
    ++prepares;
    prepared_functions = num_functions;
  }
  Status Finish(Module& m) override {
    ++finishes;
    finished_functions = m.functions.size();
    return Ok{};
  }
  std::atomic<int> sinks{0}, starts{0}, instructions{0}, ends{0}, finishes{0}, prepares{0};
  std::atomic<uint32_t> prepared_functions{0};
  size_t finished_functions = 0;

 private:
  Sink sink_{this};
};

TEST(StreamingCompilerTest, CodeSinkFactorySeesEveryBody) {
  auto factory = std::make_shared<CountingFactory>();
  StreamingOptions o;
  o.sink_factory = factory;
  CompileResult r = CompileModule(ManyBodies(50, {}), o);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(factory->sinks.load(), 50);
  EXPECT_EQ(factory->starts.load(), 50);
  EXPECT_EQ(factory->ends.load(), 50);
  EXPECT_EQ(factory->instructions.load(), 50 * 3);  // local.get, drop, end
  EXPECT_EQ(factory->finishes.load(), 1);
  EXPECT_EQ(factory->finished_functions, 50u);
}

// The factory hears the function count (imports included) once the function
// section is decoded, on a worker, so it can size its tables before bodies.
TEST(StreamingCompilerTest, CodeSinkFactoryIsPreparedAfterTheFunctionSection) {
  // One imported function "m" "f" of type 0, then 3 defined ones.
  Bytes m = Cat({testing::Preamble(), testing::Section(1, {0x01, 0x60, 0x00, 0x00}),
                 testing::Section(2, Cat({{0x01}, testing::Name("m"), testing::Name("f"), {0x00, 0x00}})),
                 testing::Section(3, {0x03, 0x00, 0x00, 0x00}),
                 testing::Section(10, Cat({{0x03}, {0x02}, kEmptyBody, {0x02}, kEmptyBody, {0x02},
                                           kEmptyBody}))});
  auto factory = std::make_shared<CountingFactory>();
  StreamingOptions o;
  o.sink_factory = factory;
  CompileResult r = CompileModule(m, o);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(factory->prepares.load(), 1);
  EXPECT_EQ(factory->prepared_functions.load(), 4u);
  EXPECT_EQ(factory->ends.load(), 3);

  // Bodies validated inline need no worker, and get no Prepare.
  auto inline_factory = std::make_shared<CountingFactory>();
  o.sink_factory = inline_factory;
  o.validate_inline = true;
  ASSERT_TRUE(CompileModule(m, o).ok());
  EXPECT_EQ(inline_factory->prepares.load(), 0);
  EXPECT_EQ(inline_factory->ends.load(), 3);
}

// Destroying an unfinished compiler aborts it: bodies already queued on the
// pool still run (or are dropped) without touching it, and no module is ever
// finished. The pool is joined after the compiler is gone, so a queued body
// that touched it would be a use after free under ASan.
TEST(StreamingCompilerTest, DestroyWithoutFinish) {
  auto factory = std::make_shared<CountingFactory>();
  {
    WorkerPool pool(1);
    StreamingOptions o;
    o.pool = &pool;
    o.sink_factory = factory;
    auto c = std::make_unique<StreamingCompiler>(o);
    c->OnBytesReceived(ManyBodies(2000, {}));
    c.reset();
  }  // the pool runs what is queued, then joins
  EXPECT_EQ(factory->finishes.load(), 0);
  EXPECT_LE(factory->sinks.load(), 2000);
  EXPECT_EQ(factory->starts.load(), factory->ends.load());  // no body left half-compiled
}

class FailingFactory : public CodeSinkFactory {
 public:
  CodeSink* SinkFor(const Module&, uint32_t) override { return nullptr; }
  Status Finish(Module&) override { return CompileError{0, "code space exhausted"}; }
};

TEST(StreamingCompilerTest, FactoryFinishErrorFailsTheCompile) {
  StreamingOptions o;
  o.sink_factory = std::make_shared<FailingFactory>();
  CompileResult r = CompileModule(ManyBodies(2, {}), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "code space exhausted");
}

TEST(WorkerPoolTest, RunsEveryTaskBeforeJoining) {
  std::atomic<int> n{0};
  {
    WorkerPool pool(3);
    EXPECT_EQ(pool.size(), 3u);
    for (int i = 0; i < 1000; ++i) pool.Post([&] { ++n; });
  }
  EXPECT_EQ(n.load(), 1000);
}

TEST(WorkerPoolTest, SharedIsSizedToCores) {
  EXPECT_GE(WorkerPool::Shared().size(), 1u);
}

}  // namespace
}  // namespace wasmstream::wasm
