#include "base/huge_pages.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace wasmstream::base {
namespace {

std::string ThpSetting() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string s;
  std::getline(f, s);
  return s;
}

// The "THPeligible" line of the /proc/self/smaps block that maps {addr}:
// whether the kernel may back that mapping with huge pages.
int ThpEligible(const void* addr) {
  const auto a = reinterpret_cast<uintptr_t>(addr);
  std::ifstream f("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(f, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= a && a < hi;
      continue;
    }
    if (inside && line.rfind("THPeligible:", 0) == 0) return std::stoi(line.substr(12));
  }
  return -1;
}

TEST(HugePagesTest, ResizeForFillIsResize) {
  std::vector<uint32_t> v = {7, 8};
  ResizeForFill(v, kMinHugePageBuffer);  // 4x the threshold in bytes
  ASSERT_EQ(v.size(), kMinHugePageBuffer);
  EXPECT_EQ(v[0], 7u);
  EXPECT_EQ(v[1], 8u);
  for (size_t i = 2; i < v.size(); i += 4099) EXPECT_EQ(v[i], 0u) << i;
  EXPECT_EQ(v.back(), 0u);
  ResizeForFill(v, 3);  // shrinking keeps the front
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1], 8u);
  std::vector<uint8_t> small;
  ResizeForFill(small, 100);
  EXPECT_EQ(small, std::vector<uint8_t>(100, 0));
  ReserveForFill(small, 10);  // never shrinks capacity or size
  EXPECT_EQ(small.size(), 100u);
}

TEST(HugePagesTest, LargeBuffersAreAdvised) {
  if (ThpSetting().find("[never]") != std::string::npos || ThpSetting().empty()) {
    GTEST_SKIP() << "transparent huge pages are off here";
  }
  std::vector<uint8_t> big;
  ResizeForFill(big, 4 * kMinHugePageBuffer);
  const uint8_t* middle = big.data() + big.size() / 2;
  EXPECT_EQ(ThpEligible(middle), 1);
}

TEST(HugePagesTest, AdviceOnSmallOrOddRangesIsHarmless) {
  std::vector<uint8_t> v(3 * kHugePageBytes, 5);
  AdviseHugePages(v.data() + 1, 10);
  AdviseHugePages(v.data() + 1, v.size() - 2);
  AdviseHugePages(nullptr, 0);
  for (size_t i = 0; i < v.size(); i += 4096) ASSERT_EQ(v[i], 5) << i;
}

}  // namespace
}  // namespace wasmstream::base
