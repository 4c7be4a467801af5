// Code made on a function's first call belongs to the module
// (ModuleCodeTable): every instance, in any Store and on any thread, ends
// up with the one code object per function, and a write-back serializes
// exactly the functions compiled so far. Run it under --config=tsan too.
#include "wasm/runtime/module_code_table.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/serialization/serializer.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::wasm {
namespace {

constexpr const char* kWat = R"((module
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "sum_sq") (param i32) (result i32) (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get 0)))
      (local.set $acc (i32.add (local.get $acc) (call $sq (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "seven") (result i32) (i32.const 7))))";

constexpr uint32_t kSq = 0, kFib = 1, kSumSq = 2, kSeven = 3;

std::shared_ptr<const Module> ValidateOnly() {
  StreamingOptions options;  // no sink factory: validate only, compile on call
  options.features = Features::All();
  auto r = CompileModule(testing::Assemble(kWat), options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().Format());
  return r.ok() ? r.value() : nullptr;
}

Instance* New(Store& store, const std::shared_ptr<const Module>& m) {
  auto inst = Instance::Instantiate(store, m, Imports());
  EXPECT_TRUE(inst.ok()) << (inst.ok() ? "" : inst.error().Format());
  return inst.ok() ? inst.value() : nullptr;
}

uint32_t CallI32(Instance* inst, const char* name, std::vector<Value> args) {
  auto r = inst->CallExport(name, args);
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().Format());
  return r.ok() && !r.value().empty() ? r.value()[0].u.i32 : 0xDEAD'BEEF;
}

TEST(ModuleCodeTableTest, InstancesShareOneCodeObjectPerFunction) {
  auto m = ValidateOnly();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(ModuleCodeTable::Find(*m), nullptr);  // nothing made before a call
  Store s1, s2;
  Instance* early = New(s1, m);  // instantiated before anything was compiled
  Instance* a = New(s1, m);
  ASSERT_TRUE(early && a);
  EXPECT_EQ(CallI32(a, "fib", {Value::I32(15)}), 610u);
  auto table = ModuleCodeTable::Find(*m);
  ASSERT_NE(table, nullptr);
  const FunctionCode* fib = table->Get(kFib);
  ASSERT_NE(fib, nullptr);
  EXPECT_EQ(a->funcs[kFib]->code, fib);
  // A later instance, in another Store, starts with the code made so far.
  Instance* b = New(s2, m);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->funcs[kFib]->code, fib);
  EXPECT_EQ(b->funcs[kSumSq]->code, nullptr);
  // An earlier one takes the module's code at its first call, compiles nothing.
  EXPECT_EQ(CallI32(early, "fib", {Value::I32(10)}), 55u);
  EXPECT_EQ(early->funcs[kFib]->code, fib);
  EXPECT_EQ(table->stats().compiled, 1u);
  EXPECT_EQ(CallI32(b, "sum_sq", {Value::I32(3)}), 14u);
  EXPECT_EQ(table->stats().compiled, 3u);  // sum_sq and sq
  EXPECT_EQ(CallI32(a, "sum_sq", {Value::I32(4)}), 30u);
  EXPECT_EQ(a->funcs[kSq]->code, b->funcs[kSq]->code);
  EXPECT_EQ(table->stats().compiled, 3u);
  EXPECT_EQ(table->stats().loaded_from_cache, 0u);
  EXPECT_EQ(table->Get(kSeven), nullptr);
}

// Threads, each with its own Store and instance, make the same functions at
// once: one code object each, counted once (run under --config=tsan).
TEST(ModuleCodeTableTest, ConcurrentFirstCallsEndWithOneCodeObject) {
  for (int round = 0; round < 20; ++round) {
    auto m = ValidateOnly();
    ASSERT_NE(m, nullptr);
    constexpr int kThreads = 4;
    std::atomic<int> ready{0};
    std::vector<const FunctionCode*> fib(kThreads), sq(kThreads);
    std::vector<uint32_t> results(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        Store store;
        Instance* inst = New(store, m);
        if (!inst) return;
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();
        results[t] = CallI32(inst, "fib", {Value::I32(12)}) + CallI32(inst, "sum_sq", {Value::I32(5)});
        fib[t] = inst->funcs[kFib]->code;
        sq[t] = inst->funcs[kSq]->code;
      });
    }
    for (auto& th : threads) th.join();
    auto table = ModuleCodeTable::Find(*m);
    ASSERT_NE(table, nullptr);
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_EQ(results[t], 144u + 55u);
      EXPECT_EQ(fib[t], table->Get(kFib));
      EXPECT_EQ(sq[t], table->Get(kSq));
    }
    EXPECT_EQ(table->stats().compiled, 3u);  // fib, sum_sq, sq: once each
  }
}

// The serializer's write-back view: the functions called so far have code
// in the payload, the others none; loading it gives them back from the
// payload (counted), the rest compile on first call as before.
TEST(ModuleCodeTableTest, WriteBackHoldsTheFunctionsCompiledSoFar) {
  auto m = ValidateOnly();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(SerializeModule(*m, {.with_code_so_far = true}), SerializeModule(*m));
  Store store;
  Instance* inst = New(store, m);
  ASSERT_TRUE(inst);
  EXPECT_EQ(CallI32(inst, "sum_sq", {Value::I32(3)}), 14u);
  std::vector<uint8_t> plain = SerializeModule(*m, {.omit_wire_bytes = true});
  std::vector<uint8_t> written =
      SerializeModule(*m, {.omit_wire_bytes = true, .with_code_so_far = true});
  EXPECT_GT(written.size(), plain.size());
  auto loaded = DeserializeModuleDeferred(
      std::make_shared<const std::vector<uint8_t>>(written), m->wire_bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  const Module& l = *loaded.value();
  ASSERT_NE(l.deferred_code, nullptr);
  EXPECT_TRUE(l.deferred_code->Has(kSq));
  EXPECT_TRUE(l.deferred_code->Has(kSumSq));
  EXPECT_FALSE(l.deferred_code->Has(kFib));
  EXPECT_FALSE(l.deferred_code->Has(kSeven));
  Store s2;
  Instance* again = New(s2, loaded.value());
  ASSERT_TRUE(again);
  EXPECT_EQ(CallI32(again, "sum_sq", {Value::I32(4)}), 30u);
  auto table = ModuleCodeTable::Find(l);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->stats().loaded_from_cache, 2u);
  EXPECT_EQ(table->stats().compiled, 0u);
  EXPECT_EQ(CallI32(again, "fib", {Value::I32(11)}), 89u);
  EXPECT_EQ(CallI32(again, "seven", {}), 7u);
  EXPECT_EQ(table->stats().loaded_from_cache, 2u);
  EXPECT_EQ(table->stats().compiled, 2u);
  // Written back again, it keeps the stored code of functions it did not
  // call and adds the new ones.
  auto second = DeserializeModuleDeferred(
      std::make_shared<const std::vector<uint8_t>>(
          SerializeModule(l, {.omit_wire_bytes = true, .with_code_so_far = true})),
      m->wire_bytes);
  ASSERT_TRUE(second.ok()) << second.error().Format();
  for (uint32_t f : {kSq, kFib, kSumSq, kSeven}) EXPECT_TRUE(second.value()->deferred_code->Has(f));
}

// Stored code the verifier refuses is counted as refused, and the function
// compiles from its wire bytes with the right result.
TEST(ModuleCodeTableTest, RefusedStoredCodeCompilesFromTheWireBytes) {
  auto m = ValidateOnly();
  ASSERT_NE(m, nullptr);
  Store store;
  Instance* inst = New(store, m);
  ASSERT_TRUE(inst);
  EXPECT_EQ(CallI32(inst, "fib", {Value::I32(9)}), 34u);
  // A crafted write-back: the module's fib code with an operation that is
  // not one, beside the real code of the other functions.
  auto crafted = std::make_shared<Module>(*m);
  crafted->code.assign(m->functions.size(), nullptr);
  auto bad = std::make_shared<FunctionCode>(*ModuleCodeTable::Find(*m)->Get(kFib));
  bad->code[0] = 0x7FFF'FFF0u;
  crafted->code[kFib] = bad;
  auto loaded = DeserializeModuleDeferred(
      std::make_shared<const std::vector<uint8_t>>(
          SerializeModule(*crafted, {.omit_wire_bytes = true, .with_code_so_far = true})),
      m->wire_bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  ASSERT_TRUE(loaded.value()->deferred_code->Has(kFib));
  Store s2;
  Instance* again = New(s2, loaded.value());
  ASSERT_TRUE(again);
  EXPECT_EQ(CallI32(again, "fib", {Value::I32(20)}), 6765u);
  ModuleCodeStats stats = ModuleCodeTable::Find(*loaded.value())->stats();
  EXPECT_EQ(stats.refused_from_cache, 1u);
  EXPECT_EQ(stats.loaded_from_cache, 0u);
  EXPECT_EQ(stats.compiled, 1u);
}

}  // namespace
}  // namespace wasmstream::wasm
