// WireBuffer / WireBytes: a stable address while appending, the capacity
// limit, reuse of released buffers, and a streamed Module that keeps the very
// buffer its bytes were appended to (no copy at the end).
#include "wasm/wire_bytes.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <fstream>
#include <numeric>
#include <string>

#include "wasm/limits.h"
#include "wasm/streaming_compiler.h"
#include "wasm/testing/module_builder.h"

namespace wasmstream::wasm {
namespace {

std::vector<uint8_t> Iota(size_t n, uint8_t start = 0) {
  std::vector<uint8_t> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

TEST(WireBufferTest, AppendsKeepTheAddressAndTheBytes) {
  auto buffer = WireBuffer::Create(64 << 20);
  ASSERT_NE(buffer, nullptr);
  const uint8_t* at = buffer->data();
  std::vector<uint8_t> all;
  for (int i = 0; i < 200; ++i) {
    auto chunk = Iota(1000 + i * 37, static_cast<uint8_t>(i));
    ASSERT_TRUE(buffer->Append(chunk));
    all.insert(all.end(), chunk.begin(), chunk.end());
    ASSERT_EQ(buffer->data(), at);  // never moves, so pieces can point into it
  }
  ASSERT_EQ(buffer->size(), all.size());
  EXPECT_EQ(WireBytes(buffer, buffer->size()), all);
}

TEST(WireBufferTest, RefusesBytesPastItsCapacity) {
  auto buffer = WireBuffer::Create(1 << 20);
  ASSERT_NE(buffer, nullptr);
  ASSERT_GE(buffer->capacity(), 1u << 20);
  std::vector<uint8_t> big(buffer->capacity() - 10, 7);
  ASSERT_TRUE(buffer->Append(big));
  EXPECT_FALSE(buffer->Append(Iota(11)));
  EXPECT_EQ(buffer->size(), big.size());  // nothing of the refused chunk
  EXPECT_TRUE(buffer->Append(Iota(10)));
}

TEST(WireBufferTest, AReleasedBufferIsReusedWithoutItsOldSize) {
  const uint8_t* first_data;
  {
    auto buffer = WireBuffer::Create(8 << 20);
    ASSERT_TRUE(buffer->Append(Iota(4096)));
    first_data = buffer->data();
  }
  EXPECT_GE(WireBuffer::RecycledCountForTesting(), 1u);
  auto again = WireBuffer::Create(8 << 20);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->data(), first_data);
  EXPECT_EQ(again->size(), 0u);
  ASSERT_TRUE(again->Append(Iota(3, 9)));
  EXPECT_EQ(WireBytes(again, 3), std::vector<uint8_t>({9, 10, 11}));
}

// Resident 4 KiB pages in [data, data + bytes).
size_t ResidentPages(const uint8_t* data, size_t bytes) {
  std::vector<unsigned char> pages(bytes / 4096);
  if (::mincore(const_cast<uint8_t*>(data), bytes, pages.data()) != 0) return 0;
  size_t n = 0;
  for (unsigned char p : pages) n += p & 1;
  return n;
}

TEST(WireBufferTest, ASmallModuleCostsPagesNotAHugePage) {
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(thp, mode);
  if (mode.find("[always]") != std::string::npos) {
    GTEST_SKIP() << "transparent huge pages are always on: the kernel picks the page size";
  }
  auto maybe_recycled = WireBuffer::Create(kSpecMaxModuleSize);
  auto fresh = WireBuffer::Create(kSpecMaxModuleSize);  // the pool holds one at most
  ASSERT_NE(fresh, nullptr);
  ASSERT_TRUE(fresh->Append(Iota(100)));
  // One 4 KiB page, not a 2 MiB huge page (a few, should the kernel read ahead).
  EXPECT_LE(ResidentPages(fresh->data(), size_t{2} << 20), 16u);
}

TEST(WireBytesTest, AViewDoesNotGrowWithItsBuffer) {
  auto buffer = WireBuffer::Create(1 << 20);
  ASSERT_TRUE(buffer->Append(Iota(10)));
  WireBytes view(buffer, 10);
  ASSERT_TRUE(buffer->Append(Iota(10)));
  EXPECT_EQ(view.size(), 10u);
  EXPECT_EQ(view, Iota(10));
}

TEST(WireBytesTest, VectorBackedBytesCompareAndCopy) {
  WireBytes w(Iota(5));
  EXPECT_EQ(w, Iota(5));
  EXPECT_FALSE(w == Iota(4));
  EXPECT_EQ(w.ToVector(), Iota(5));
  WireBytes copy = w;
  EXPECT_EQ(copy.data(), w.data());  // shared, not copied
  EXPECT_TRUE(WireBytes().empty());
}

// The caller appends each chunk to the buffer and hands it in place: the
// Module's wire bytes are that buffer, not a copy of it.
TEST(WireBytesTest, AStreamedModuleKeepsTheCallersBuffer) {
  std::vector<uint8_t> module = testing::ModuleWithBodies(
      std::vector<testing::Bytes>(300, testing::Bytes{0x01, 0x01, 0x7F, 0x20, 0x00, 0x1A, 0x0B}));
  auto buffer = WireBuffer::Create(module.size());
  StreamingOptions options;
  options.wire_buffer = buffer;
  StreamingCompiler compiler(options);
  for (size_t at = 0; at < module.size(); at += 7) {
    size_t n = std::min<size_t>(7, module.size() - at);
    size_t before = buffer->size();
    ASSERT_TRUE(buffer->Append(std::span(module).subspan(at, n)));
    compiler.OnBytesReceived(buffer->span().subspan(before));
  }
  auto result = compiler.Finish();
  ASSERT_TRUE(result.ok()) << result.error().Format();
  EXPECT_EQ(result.value()->wire_bytes.data(), buffer->data());
  EXPECT_EQ(result.value()->wire_bytes, module);
  EXPECT_EQ(buffer->size(), module.size());  // nothing appended twice
}

// Without a buffer of the caller's, the compiler copies each chunk once into
// its own, and the module keeps that.
TEST(WireBytesTest, AStreamedModuleWithoutACallerBufferOwnsItsCopy) {
  std::vector<uint8_t> module = testing::ModuleWithBodies({testing::Bytes{0x00, 0x0B}});
  StreamingCompiler compiler;
  for (uint8_t b : module) compiler.OnBytesReceived(std::span(&b, 1));
  auto result = compiler.Finish();
  ASSERT_TRUE(result.ok()) << result.error().Format();
  EXPECT_EQ(result.value()->wire_bytes, module);
}

}  // namespace
}  // namespace wasmstream::wasm
