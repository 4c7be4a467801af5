// The tables of one Store share a budget of elements (kMaxStoreTableElements):
// a small module declaring many large tables is a RangeError at instantiation,
// and table.grow returns -1 at the budget, instead of allocating without bound.
#include <gtest/gtest.h>

#include <vector>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/runtime/store.h"

namespace wasmstream::wasm {
namespace {

// (module (table 10000000 funcref) ... {count} times): 6 bytes a table.
std::vector<uint8_t> ManyLargeTables(uint32_t count) {
  std::vector<uint8_t> body;
  for (uint32_t n = count;; n >>= 7) {  // LEB128 count
    body.push_back(static_cast<uint8_t>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
    if (n < 0x80) break;
  }
  for (uint32_t i = 0; i < count; ++i) {
    // funcref, limits flag 0 (no max), min 10'000'000 as LEB128.
    body.insert(body.end(), {0x70, 0x00, 0x80, 0xad, 0xe2, 0x04});
  }
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04};
  for (size_t n = body.size();; n >>= 7) {  // LEB128 section size
    m.push_back(static_cast<uint8_t>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
    if (n < 0x80) break;
  }
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

TEST(TableBudgetTest, AThousandLargeTablesAreARangeError) {
  std::vector<uint8_t> bytes = ManyLargeTables(1000);
  EXPECT_LT(bytes.size(), 7000u);
  auto module = testing::CompileBytes(bytes);
  ASSERT_TRUE(module);
  Store store;
  EXPECT_EQ(store.table_budget().limit(), kMaxStoreTableElements);
  // One table fits in a tenth of the default budget, the second does not (the
  // default takes thirteen, a gigabyte; the test need not allocate that much).
  store.table_budget().set_limit(kMaxStoreTableElements / 10);
  auto inst = Instance::Instantiate(store, module, Imports());
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::kRangeError) << inst.error().Format();
  EXPECT_LE(store.table_budget().used(), kMaxStoreTableElements / 10);
}

TEST(TableBudgetTest, GrowStopsAtTheBudgetAndFreedTablesGiveItBack) {
  TableBudget budget(100);
  {
    Limits limits;
    limits.min = 10;
    TableInstance a(ValueType::FuncRef(), limits, kNullRef, &budget);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a.Grow(90, kNullRef), 10);
    EXPECT_EQ(a.Grow(1, kNullRef), -1);
    EXPECT_EQ(a.size(), 100u);
    limits.min = 1;
    TableInstance b(ValueType::FuncRef(), limits, kNullRef, &budget);
    EXPECT_FALSE(b.ok());
    EXPECT_EQ(budget.used(), 100u);
  }
  EXPECT_EQ(budget.used(), 0u);
}

}  // namespace
}  // namespace wasmstream::wasm
