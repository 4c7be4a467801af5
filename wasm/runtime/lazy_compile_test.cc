// Lazy compilation: a module that was only validated (no CodeSink while
// streaming, or loaded from a cache entry without code) runs, each function
// compiled on its first call (Instance::CompileLazily), with the same results
// as eagerly compiled code; a body that does not compile is a CompileError
// from that call, and nothing else is affected.
#include <gtest/gtest.h>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/serialization/serializer.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::wasm {
namespace {

constexpr const char* kWat = R"((module
  (memory (export "mem") 1)
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $sq $fib)
  (type $t (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 1) (local.get 0)))
  (func (export "store_load") (param i32) (result i32)
    (i32.store (i32.const 8) (local.get 0))
    (i32.load (i32.const 8)))
  (func (export "never_called") (result i32) (i32.const 7))))";

std::shared_ptr<const Module> ValidateOnly(const std::vector<uint8_t>& bytes) {
  StreamingOptions options;  // no sink factory: validate only
  options.features = Features::All();
  auto r = CompileModule(bytes, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().Format());
  return r.ok() ? r.value() : nullptr;
}

uint32_t CallI32(Instance* inst, const char* name, std::vector<Value> args) {
  auto r = inst->CallExport(name, args);
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().Format());
  return r.ok() && !r.value().empty() ? r.value()[0].u.i32 : 0xDEAD'BEEF;
}

const FuncInstance* Export(Instance* inst, const char* name) {
  auto e = inst->GetExport(name);
  return e && e->kind == ExternalKind::kFunction ? e->func : nullptr;
}

TEST(LazyCompileTest, ValidatedOnlyModuleRunsLikeACompiledOne) {
  std::vector<uint8_t> bytes = testing::Assemble(kWat);
  ASSERT_FALSE(bytes.empty());
  auto lazy = ValidateOnly(bytes);
  auto eager = CompileRunnable(bytes, Features::All());
  ASSERT_TRUE(lazy && eager.ok());
  for (const auto& code : lazy->code) EXPECT_EQ(code, nullptr);
  Store store;
  auto a = Instance::Instantiate(store, lazy, Imports());
  auto b = Instance::Instantiate(store, eager.value(), Imports());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Export(a.value(), "fib")->code, nullptr);
  for (uint32_t n : {0u, 1u, 10u, 20u}) {
    EXPECT_EQ(CallI32(a.value(), "fib", {Value::I32(n)}), CallI32(b.value(), "fib", {Value::I32(n)}));
  }
  EXPECT_NE(Export(a.value(), "fib")->code, nullptr);  // compiled by its first call
  // call_indirect reaches $sq (never called directly) through the table.
  EXPECT_EQ(CallI32(a.value(), "indirect", {Value::I32(0), Value::I32(9)}), 81u);
  EXPECT_EQ(CallI32(a.value(), "indirect", {Value::I32(1), Value::I32(10)}), 55u);
  EXPECT_EQ(CallI32(a.value(), "store_load", {Value::I32(-5)}), static_cast<uint32_t>(-5));
  EXPECT_EQ(Export(a.value(), "never_called")->code, nullptr);
}

TEST(LazyCompileTest, FunctionsImportedByAnotherInstanceCompileInTheirOwn) {
  auto lazy = ValidateOnly(testing::Assemble(kWat));
  auto user = testing::Compile(R"((module
    (import "lib" "fib" (func $fib (param i32) (result i32)))
    (func (export "f") (param i32) (result i32) (call $fib (local.get 0)))))");
  ASSERT_TRUE(lazy && user);
  Store store;
  auto lib = Instance::Instantiate(store, lazy, Imports());
  ASSERT_TRUE(lib.ok());
  Imports imports;
  imports.AddInstance("lib", *lib.value());
  auto u = Instance::Instantiate(store, user, imports);
  ASSERT_TRUE(u.ok()) << u.error().Format();
  EXPECT_EQ(CallI32(u.value(), "f", {Value::I32(15)}), 610u);
}

TEST(LazyCompileTest, CacheEntryWithoutCodeLoadsAndRuns) {
  auto lazy = ValidateOnly(testing::Assemble(kWat));
  ASSERT_NE(lazy, nullptr);
  std::vector<uint8_t> payload = SerializeModule(*lazy);
  auto loaded = DeserializeModule(payload);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  Store store;
  auto inst = Instance::Instantiate(store, loaded.value(), Imports());
  ASSERT_TRUE(inst.ok());
  EXPECT_EQ(CallI32(inst.value(), "fib", {Value::I32(12)}), 144u);
}

// A cache entry loaded the code cache's way: code read and verified per
// function at its first call; a function whose stored code fails the checks
// is compiled from the wire bytes instead, with the same results.
TEST(LazyCompileTest, DeferredCodeFromAPayloadRunsAndBadCodeFallsBackToCompiling) {
  std::vector<uint8_t> bytes = testing::Assemble(kWat);
  auto eager = CompileRunnable(bytes, Features::All());
  ASSERT_TRUE(eager.ok());
  auto damaged = std::make_shared<Module>(*eager.value());
  uint32_t fib = damaged->num_imported_functions + 1;
  auto bad = std::make_shared<FunctionCode>(*damaged->code[fib]);
  bad->code[0] = 0x7FFF'FFF0u;  // not an operation: the verifier refuses it
  damaged->code[fib] = bad;
  for (const Module* m : {eager.value().get(), static_cast<const Module*>(damaged.get())}) {
    auto loaded = DeserializeModuleDeferred(std::make_shared<const std::vector<uint8_t>>(
        SerializeModule(*m, {.omit_wire_bytes = true})), WireBytes(bytes));
    ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
    ASSERT_NE(loaded.value()->deferred_code, nullptr);
    Store store;
    auto inst = Instance::Instantiate(store, loaded.value(), Imports());
    ASSERT_TRUE(inst.ok());
    EXPECT_EQ(Export(inst.value(), "fib")->code, nullptr);
    EXPECT_EQ(CallI32(inst.value(), "fib", {Value::I32(20)}), 6765u);
    EXPECT_EQ(CallI32(inst.value(), "indirect", {Value::I32(0), Value::I32(12)}), 144u);
    EXPECT_NE(Export(inst.value(), "fib")->code, nullptr);
    EXPECT_EQ(Export(inst.value(), "never_called")->code, nullptr);
  }
}

// A module that reaches the runtime without having been validated (built or
// loaded by hand) never runs unchecked code: its body is validated when it
// is compiled, and the call is a CompileError.
TEST(LazyCompileTest, ABodyThatDoesNotCompileIsACompileErrorOfItsCall) {
  std::vector<uint8_t> bytes = testing::Assemble(kWat);
  auto lazy = ValidateOnly(bytes);
  ASSERT_NE(lazy, nullptr);
  auto broken = std::make_shared<Module>(*lazy);
  uint32_t f = broken->num_imported_functions + 4;  // never_called: (i32.const 7) end
  const ByteRange& body = broken->functions[f].body;
  ASSERT_GE(body.length, 3u);
  std::vector<uint8_t> wire = broken->wire_bytes.ToVector();
  wire[body.offset + body.length - 3] = 0x42;  // i32.const -> i64.const
  broken->wire_bytes = std::move(wire);
  Store store;
  auto inst = Instance::Instantiate(store, broken, Imports());
  ASSERT_TRUE(inst.ok());
  auto r = inst.value()->CallExport("never_called", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCompileError);
  EXPECT_NE(r.error().message.find("Compiling function #4 failed: type mismatch"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(Export(inst.value(), "never_called")->code, nullptr);
  EXPECT_EQ(CallI32(inst.value(), "fib", {Value::I32(10)}), 55u);  // the rest still runs
}

}  // namespace
}  // namespace wasmstream::wasm
