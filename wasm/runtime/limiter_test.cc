// Store::SetLimiter: memory and table growth go through the embedder's
// ResourceLimiter; a refusal is memory.grow / table.grow returning -1, or a
// RangeError when instantiation makes the memory or table, never a crash.
#include <gtest/gtest.h>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/runtime_test_util.h"

namespace wasmstream::wasm {
namespace {

constexpr char kGrower[] = R"((module
  (memory (export "mem") 1 100)
  (table $t 5 funcref)
  (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow_table") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))))";

class LimiterTest : public ::testing::Test {
 protected:
  Outcome<Instance*> Load(const char* wat) {
    auto m = testing::Compile(wat);
    if (!m) return Error::Type("did not compile");
    return Instance::Instantiate(store_, m, Imports());
  }
  static int32_t Call(Instance* inst, const char* name, int32_t arg) {
    auto r = inst->CallExport(name, std::vector<Value>{Value::I32(static_cast<uint32_t>(arg))});
    EXPECT_TRUE(r.ok()) << r.error().Format();
    return r.ok() ? static_cast<int32_t>(r.value()[0].u.i32) : -2;
  }
  Store store_;
};

TEST_F(LimiterTest, MemoryGrowthPastTheLimitIsRefused) {
  auto limits = std::make_shared<StoreLimits>();
  limits->memory_bytes = 3 * 65536;
  store_.SetLimiter(limits);
  auto inst = Load(kGrower);
  ASSERT_TRUE(inst.ok()) << inst.error().Format();
  EXPECT_EQ(Call(inst.value(), "grow_memory", 2), 1);   // 1 -> 3 pages
  EXPECT_EQ(Call(inst.value(), "grow_memory", 1), -1);  // 4 pages: refused
  EXPECT_EQ(inst.value()->GetExport("mem")->memory->pages(), 3u);
  EXPECT_EQ(Call(inst.value(), "grow_memory", 0), 3);   // no growth: allowed
}

TEST_F(LimiterTest, TableGrowthPastTheLimitIsRefused) {
  auto limits = std::make_shared<StoreLimits>();
  limits->table_elements = 8;
  store_.SetLimiter(limits);
  auto inst = Load(kGrower);
  ASSERT_TRUE(inst.ok()) << inst.error().Format();
  EXPECT_EQ(Call(inst.value(), "grow_table", 3), 5);
  EXPECT_EQ(Call(inst.value(), "grow_table", 1), -1);
}

TEST_F(LimiterTest, InstantiationRefusedIsARangeError) {
  auto limits = std::make_shared<StoreLimits>();
  limits->memory_bytes = 65536;
  store_.SetLimiter(limits);
  auto inst = Load(R"((module (memory 2)))");
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::kRangeError);
  limits->memory_bytes = UINT64_MAX;
  limits->table_elements = 4;
  auto t = Load(R"((module (table 5 funcref)))");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kRangeError);
}

TEST_F(LimiterTest, TotalOverTheStoresMemories) {
  auto limits = std::make_shared<StoreLimits>();
  limits->total_memory_bytes = 3 * 65536;
  store_.SetLimiter(limits);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Load(R"((module (memory 1)))").ok());
  auto fourth = Load(R"((module (memory 1)))");
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.error().kind, ErrorKind::kRangeError);
}

TEST_F(LimiterTest, LimiterSeesCurrentDesiredAndMaximum) {
  struct Recorder : ResourceLimiter {
    std::vector<std::string> calls;
    bool MemoryGrowing(uint64_t c, uint64_t d, std::optional<uint64_t> m) override {
      calls.push_back("memory " + std::to_string(c) + " " + std::to_string(d) + " " +
                      (m ? std::to_string(*m) : "none"));
      return true;
    }
    bool TableGrowing(uint64_t c, uint64_t d, std::optional<uint64_t> m) override {
      calls.push_back("table " + std::to_string(c) + " " + std::to_string(d) + " " +
                      (m ? std::to_string(*m) : "none"));
      return true;
    }
  };
  auto recorder = std::make_shared<Recorder>();
  store_.SetLimiter(recorder);
  auto inst = Load(kGrower);
  ASSERT_TRUE(inst.ok()) << inst.error().Format();
  Call(inst.value(), "grow_memory", 1);
  Call(inst.value(), "grow_table", 2);
  EXPECT_EQ(recorder->calls, (std::vector<std::string>{
                                 "table 0 5 none",
                                 "memory 0 65536 6553600",
                                 "memory 65536 131072 6553600",
                                 "table 5 7 none",
                             }));
}

}  // namespace
}  // namespace wasmstream::wasm
