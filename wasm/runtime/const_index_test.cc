#include "wasm/runtime/const_index.h"

#include <cstdint>
#include <unordered_map>

#include <gtest/gtest.h>

namespace wasmstream::wasm {
namespace {

// Agrees with a std::unordered_map over many keys (several growths, colliding
// low bits, 0 as a key) and across Clear()s, as one compiler reuses it from
// function to function.
TEST(ConstIndexTest, AgreesWithAMapAcrossGrowthAndClears) {
  ConstIndex index;
  for (int round = 0; round < 3; ++round) {
    std::unordered_map<uint64_t, uint32_t> want;
    uint32_t next = 0;
    for (uint64_t i = 0; i < 5000; ++i) {
      uint64_t key = (i % 1700) << (round * 20);  // repeats; round 2 shares low bits
      bool inserted;
      uint32_t got = index.FindOrInsert(key, next, &inserted);
      auto [it, fresh] = want.emplace(key, next);
      EXPECT_EQ(inserted, fresh) << "round " << round << " key " << key;
      EXPECT_EQ(got, it->second);
      if (fresh) ++next;
    }
    EXPECT_EQ(next, 1700u);
    index.Clear();
    bool inserted;
    EXPECT_EQ(index.FindOrInsert(0, 7, &inserted), 7u);  // nothing survives Clear()
    EXPECT_TRUE(inserted);
    index.Clear();
  }
}

}  // namespace
}  // namespace wasmstream::wasm
