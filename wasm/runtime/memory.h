// A linear memory: bounds-checked, growable up to its maximum and to the
// engine's limit. Bytes are mapped with mmap and grown with mremap, so
// untouched pages cost no RAM and grown pages read as zero. The buffer may
// move on grow: the interpreter reloads data()/size() after memory.grow and
// after every call.
#ifndef WASMSTREAM_WASM_RUNTIME_MEMORY_H_
#define WASMSTREAM_WASM_RUNTIME_MEMORY_H_

#include <cstdint>

#include "wasm/runtime/store_object.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

class MemoryInstance : public StoreObject {
 public:
  // {limits.min} pages are mapped; fails (returns false from ok()) when the
  // bytes cannot be mapped or the limits pass the engine's.
  MemoryInstance(const Limits& limits, uint32_t page_size_log2 = 16);
  ~MemoryInstance();
  MemoryInstance(const MemoryInstance&) = delete;
  MemoryInstance& operator=(const MemoryInstance&) = delete;

  bool ok() const { return ok_; }
  uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }  // bytes
  uint64_t pages() const { return size_ >> page_size_log2_; }
  uint32_t page_size_log2() const { return page_size_log2_; }
  bool is64() const { return limits_.is64; }
  bool shared() const { return limits_.shared; }
  // The type as an import sees it: min is the current size in pages.
  Limits type() const;

  // memory.grow: the old size in pages, or -1 when the new size passes the
  // maximum, the engine's limit, or the mapping fails.
  int64_t Grow(uint64_t delta_pages);

  // True when [addr, addr + n) lies in the memory (no overflow).
  bool InBounds(uint64_t addr, uint64_t n) const { return addr <= size_ && n <= size_ - addr; }

 private:
  Limits limits_;
  uint32_t page_size_log2_;
  uint64_t max_pages_;
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  uint64_t mapped_ = 0;
  bool ok_ = false;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_MEMORY_H_
