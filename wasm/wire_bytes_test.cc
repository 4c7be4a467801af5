// WireBuffer / WireBytes: a stable address while appending, the capacity
// limit, reuse of released buffers, and a streamed Module that keeps the very
// buffer its bytes were appended to (no copy at the end).
#include "wasm/wire_bytes.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <numeric>
#include <string>
#include <thread>

#include "wasm/limits.h"
#include "wasm/streaming_compiler.h"
#include "wasm/testing/module_builder.h"
#include "wasm/worker_pool.h"

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

// A buffer of its own: the pool may hold one released buffer whose pages
// are still resident.
std::shared_ptr<WireBuffer> FreshBuffer(std::shared_ptr<WireBuffer>* maybe_recycled) {
  *maybe_recycled = WireBuffer::Create(kSpecMaxModuleSize);
  return WireBuffer::Create(kSpecMaxModuleSize);
}

constexpr size_t kPage = 4096;
constexpr size_t kHuge = size_t{2} << 20;
size_t RoundUpTo(size_t n, size_t to) { return (n + to - 1) / to * to; }

TEST(WireBufferTest, PrefaultMapsPagesWithoutWritingThem) {
  std::shared_ptr<WireBuffer> other;
  auto buffer = FreshBuffer(&other);
  ASSERT_NE(buffer, nullptr);
  ASSERT_TRUE(buffer->Append(Iota(100)));
  const size_t end = 6 << 20;
  if (!buffer->Prefault(100, end)) GTEST_SKIP() << "no MADV_POPULATE_WRITE in this kernel";
  EXPECT_EQ(ResidentPages(buffer->data(), end), end / kPage);
  // The bytes already there stay; the rest is still zero until appended.
  EXPECT_EQ(WireBytes(buffer, 100), Iota(100));
  EXPECT_EQ(std::count(buffer->data() + 100, buffer->data() + end, 0), static_cast<long>(end - 100));
  auto rest = Iota(end - 100, 100);
  ASSERT_TRUE(buffer->Append(rest));
  EXPECT_TRUE(std::equal(rest.begin(), rest.end(), buffer->data() + 100));
  EXPECT_FALSE(buffer->Prefault(0, buffer->capacity() + 1));
  EXPECT_FALSE(buffer->Prefault(end, end));
}

// Polls (a liveness bound, not a timing assertion) until at least {pages}
// of [data, data + bytes) are resident; returns how many are.
size_t WaitForResidentPages(const uint8_t* data, size_t bytes, size_t pages) {
  size_t n = 0;
  for (int i = 0; i < 30000; ++i) {
    n = ResidentPages(data, bytes);
    if (n >= pages) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return n;
}

// A module whose code section comes after {prefix} bytes of custom section,
// as pandoc's comes after a 2 MB element section: the workers have nothing
// to do until then.
testing::Bytes ModuleAfterCustomSection(size_t prefix) {
  testing::Bytes body = {0x00, 0x0B};
  testing::Bytes rest = testing::ModuleWithBodies({body, body, body});
  testing::Bytes custom = testing::Section(0, testing::Cat({testing::Name("pad"),
                                                            testing::Bytes(prefix, 0x5A)}));
  return testing::Cat({testing::Preamble(), custom,
                       testing::Bytes(rest.begin() + 8, rest.end())});  // without its preamble
}

TEST(WireBufferPrefaultTest, IdleWorkersFaultInTheBytesToCome) {
  std::shared_ptr<WireBuffer> other;
  auto buffer = FreshBuffer(&other);
  ASSERT_NE(buffer, nullptr);
  if (!buffer->Prefault(0, kPage)) GTEST_SKIP() << "no MADV_POPULATE_WRITE in this kernel";
  testing::Bytes m = ModuleAfterCustomSection(6 << 20);
  WorkerPool pool(2);
  StreamingOptions o;
  o.pool = &pool;
  o.wire_buffer = buffer;
  o.expected_size = m.size();
  StreamingCompiler c(o);
  const size_t first = 64 << 10;
  ASSERT_TRUE(buffer->Append(std::span<const uint8_t>(m.data(), first)));
  c.OnBytesReceived(std::span<const uint8_t>(buffer->data(), first));
  // The pages for the whole announced size get mapped while nothing else
  // arrives.
  const size_t whole = m.size() / kPage * kPage;
  EXPECT_EQ(WaitForResidentPages(buffer->data(), whole, whole / kPage), whole / kPage);
  ASSERT_TRUE(buffer->Append(std::span<const uint8_t>(m.data() + first, m.size() - first)));
  c.OnBytesReceived(std::span<const uint8_t>(buffer->data() + first, m.size() - first));
  CompileResult r = c.Finish();
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()->wire_bytes, m);
  EXPECT_EQ(r.value()->functions.size(), 3u);
}

// A Content-Length is only a claim: pages are faulted in at most
// kMaxPrefaultAhead past the bytes that did arrive.
TEST(WireBufferPrefaultTest, AClaimedSizeIsFaultedInOnlyAheadOfTheBytes) {
  std::shared_ptr<WireBuffer> other;
  auto buffer = FreshBuffer(&other);
  ASSERT_NE(buffer, nullptr);
  if (!buffer->Prefault(0, kPage)) GTEST_SKIP() << "no MADV_POPULATE_WRITE in this kernel";
  WorkerPool pool(2);
  StreamingOptions o;
  o.pool = &pool;
  o.wire_buffer = buffer;
  o.expected_size = 1u << 30;
  StreamingCompiler c(o);
  // The start of a custom section of 200 MB, which never comes.
  const size_t first = 64 << 10;
  testing::Bytes m = testing::Cat({testing::Preamble(), {0x00}, testing::U32Leb(200 << 20),
                                   testing::Name("pad")});
  m.resize(first, 0x5A);
  ASSERT_TRUE(buffer->Append(std::span<const uint8_t>(m.data(), first)));
  c.OnBytesReceived(std::span<const uint8_t>(buffer->data(), first));
  const size_t window = 128 << 20;
  const size_t cap = RoundUpTo(first + kMaxPrefaultAhead, kHuge);  // a huge page is mapped whole
  size_t resident = WaitForResidentPages(buffer->data(), window, (first + kMaxPrefaultAhead) / kPage);
  EXPECT_GE(resident, (first + kMaxPrefaultAhead) / kPage);
  EXPECT_LE(resident, cap / kPage);
  c.Abort();
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
