// Instances nobody references are freed: many instantiations in one realm,
// each dropped after one call, keep the process's resident memory flat.
//
// A leak test, not a timing test: the bound is generous. Each instance
// touches a page of its memory and makes a host function, a table, a global
// and a tag; with nothing freed, 100,000 instantiations grew RSS by 520 MB
// (measured); the bound is 24 MB past the first tenth. WASMSTREAM_LIFETIME_COUNT=1000000 runs the
// long version by hand (docs/embedding.md gives the figures).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"
#include "wasm/runtime/runtime_test_util.h"

namespace wasmstream::bindings {
namespace {

size_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

constexpr char kModule[] = R"((module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (memory (export "mem") 1)
  (data (i32.const 0) "a page of this memory is touched")
  (table 1 funcref)
  (elem (i32.const 0) $run)
  (global $n (mut i32) (i32.const 20))
  (tag (param i32))
  (func $run (export "run") (result i32)
    (call $twice (i32.add (global.get $n) (i32.load8_u (i32.const 0)))))))";

TEST(InstanceLifetimeTest, ResidentMemoryStaysFlatOverManyInstantiations) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine (up to 256 MB), so RSS
  // says nothing there: fewer rounds, and the Store's object count (below)
  // is the check; LeakSanitizer checks the rest at exit.
  long count = 20'000;
  constexpr bool kMeasureRss = false;
#else
  long count = 100'000;
  constexpr bool kMeasureRss = true;
#endif
  if (const char* c = std::getenv("WASMSTREAM_LIFETIME_COUNT")) count = std::atol(c);
  std::vector<uint8_t> bytes = wasm::testing::Assemble(kModule);
  ASSERT_FALSE(bytes.empty());
  EventLoop loop;
  Realm realm(loop);
  WebAssembly wasm(realm);
  auto compiled = wasm.Compile(bytes);
  ASSERT_TRUE(testing::Settle(loop, compiled));
  ASSERT_TRUE(compiled.is_fulfilled());
  Module module = compiled.value();
  auto imports = std::make_shared<ImportObject>();
  imports->Add("env", "twice",
               HostCallable([](std::span<const wasm::Value> a) -> Settled<std::vector<wasm::Value>> {
                 return std::vector<wasm::Value>{wasm::Value::I32(a[0].u.i32 * 2)};
               }));

  long results = 0, wrong = 0;
  size_t warm = 0;
  for (long i = 0; i < count; ++i) {
    if (i == count / 10) warm = ResidentBytes();
    wasm.Instantiate(module, imports).Then([&](const Instance& instance) {
      auto r = instance.Call("run", {});
      ++results;
      if (!r.ok() || r.value()[0].u.i32 != 2 * (20 + 'a')) ++wrong;
    });
    loop.RunUntilIdle();
  }
  size_t end = ResidentBytes();
  EXPECT_EQ(results, count);
  EXPECT_EQ(wrong, 0);
  std::printf("%ld instantiations: RSS %.1f MB after %ld, %.1f MB at the end; %zu instances "
              "in the store\n",
              count, warm / 1e6, count / 10, end / 1e6, realm.store()->instance_count());
  if (kMeasureRss) {
    EXPECT_LT(end, warm + (size_t{24} << 20))
        << "resident memory grew by " << (end - warm) / 1e6 << " MB";
  }
  EXPECT_LT(realm.store()->instance_count(), size_t{2} * wasm::Store::kMinCollectionObjects);
}

}  // namespace
}  // namespace wasmstream::bindings
