#include "wasm/runtime/memory.h"

#include <sys/mman.h>

#include <algorithm>

#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {

namespace {
// mmap of 0 bytes fails: every memory maps at least one OS page.
constexpr uint64_t kMinMapping = 4096;
}  // namespace

MemoryInstance::MemoryInstance(const Limits& limits, uint32_t page_size_log2)
    : limits_(limits), page_size_log2_(page_size_log2) {
  uint64_t engine_max = limits.is64 ? kMaxMemory64Pages : kMaxMemory32Pages;
  if (page_size_log2 != 16) engine_max = (engine_max << 16) >> page_size_log2;
  max_pages_ = limits.has_max ? std::min(limits.max, engine_max) : engine_max;
  if (limits.min > max_pages_) return;
  size_ = limits.min << page_size_log2_;
  mapped_ = std::max(size_, kMinMapping);
  void* p = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) {
    size_ = mapped_ = 0;
    return;
  }
  data_ = static_cast<uint8_t*>(p);
  ok_ = true;
}

MemoryInstance::~MemoryInstance() {
  if (data_) munmap(data_, mapped_);
}

Limits MemoryInstance::type() const {
  Limits l = limits_;
  l.min = pages();
  return l;
}

int64_t MemoryInstance::Grow(uint64_t delta) {
  uint64_t old_pages = pages();
  if (delta > max_pages_ - old_pages) return -1;
  if (delta == 0) return static_cast<int64_t>(old_pages);
  uint64_t new_size = (old_pages + delta) << page_size_log2_;
  if (new_size > mapped_) {
    void* p = mremap(data_, mapped_, new_size, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) return -1;
    data_ = static_cast<uint8_t*>(p);
    mapped_ = new_size;
  }
  size_ = new_size;
  limits_.min = old_pages + delta;
  return static_cast<int64_t>(old_pages);
}

}  // namespace wasmstream::wasm
