// A worker reuses one Compiler (and its buffers) for every body it compiles,
// of every module (sink_factory.cc): the code it makes must not depend on
// what it compiled before. The modules the runtime tests assemble, and the
// typed-code and GC test modules, are compiled eagerly on a one-thread pool,
// one after the other, forwards and then backwards, and each function's code
// is compared with that of a fresh Compiler (CompileFunction).
#include <gtest/gtest.h>

#include <span>
#include <vector>

#include "wasm/runtime/compiler.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/worker_pool.h"

namespace wasmstream::wasm {
namespace {

#include "wasm/runtime/code_type_checker_test_module.inc"
#include "wasm/runtime/gc_test_modules.inc"

std::vector<std::span<const uint8_t>> AllModules() {
  std::vector<std::span<const uint8_t>> all;
  for (const auto& [text, bytes] : testing::kAssembledWat) {
    all.push_back({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  }
  all.push_back(kTypedCodeWasm);
  all.push_back(kBasicWasm);
  return all;
}

// Compiles {bytes} eagerly on {pool}; returns how many functions it compared.
size_t CompareWithFreshCompiler(std::span<const uint8_t> bytes, WorkerPool* pool) {
  StreamingOptions o;
  o.features = Features::All();
  o.pool = pool;
  o.sink_factory = std::make_shared<InterpreterSinkFactory>();
  CompileResult r = CompileModule(bytes, o);
  if (!r.ok()) return 0;  // a test's deliberately invalid or uncompilable module
  const Module& m = *r.value();
  size_t compared = 0;
  for (uint32_t f = m.num_imported_functions; f < m.functions.size(); ++f) {
    auto fresh = CompileFunction(m, f);
    EXPECT_TRUE(fresh.ok());
    if (!fresh.ok()) continue;
    const FunctionCode& a = *m.code[f];
    const FunctionCode& b = *fresh.value();
    EXPECT_EQ(a.code, b.code) << "function " << f;
    EXPECT_EQ(a.consts, b.consts) << "function " << f;
    EXPECT_EQ(a.frame_slots, b.frame_slots) << "function " << f;
    EXPECT_EQ(a.num_param_slots, b.num_param_slots);
    EXPECT_EQ(a.num_result_slots, b.num_result_slots);
    EXPECT_EQ(a.num_local_slots, b.num_local_slots);
    EXPECT_EQ(a.try_regions.size(), b.try_regions.size());
    EXPECT_EQ(a.handlers.size(), b.handlers.size());
    ++compared;
  }
  return compared;
}

TEST(CompilerReuseTest, CodeDoesNotDependOnWhatTheWorkerCompiledBefore) {
  WorkerPool pool(1);  // one thread: one Compiler sees every body
  std::vector<std::span<const uint8_t>> modules = AllModules();
  ASSERT_GT(modules.size(), 20u);
  size_t compared = 0;
  for (auto it = modules.begin(); it != modules.end(); ++it) {
    compared += CompareWithFreshCompiler(*it, &pool);
  }
  for (auto it = modules.rbegin(); it != modules.rend(); ++it) {
    compared += CompareWithFreshCompiler(*it, &pool);
  }
  EXPECT_GT(compared, 200u);
}

}  // namespace
}  // namespace wasmstream::wasm
