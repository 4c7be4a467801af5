// The compiler's map from a one-slot constant's bits to its index in the
// function's constant area: open addressing with linear probing in one flat
// array that is reused from function to function (cleared by bumping a
// generation, not by freeing), because a std::unordered_map here cost one heap
// node per distinct constant, about a tenth of all compile time.
#ifndef WASMSTREAM_WASM_RUNTIME_CONST_INDEX_H_
#define WASMSTREAM_WASM_RUNTIME_CONST_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wasmstream::wasm {

class ConstIndex {
 public:
  // The index recorded for {bits}; when there is none, records {next} and
  // returns it with *inserted = true.
  uint32_t FindOrInsert(uint64_t bits, uint32_t next, bool* inserted) {
    if ((size_ + 1) * 4 > table_.size() * 3) Grow();  // load factor <= 3/4
    size_t mask = table_.size() - 1;
    for (size_t i = Hash(bits) & mask;; i = (i + 1) & mask) {
      Entry& e = table_[i];
      if (e.gen != gen_) {
        e = {bits, next, gen_};
        ++size_;
        *inserted = true;
        return next;
      }
      if (e.bits == bits) {
        *inserted = false;
        return e.index;
      }
    }
  }

  void Clear() {
    size_ = 0;
    if (++gen_ == 0) {  // wrapped: stale entries could look current
      for (Entry& e : table_) e.gen = 0;
      gen_ = 1;
    }
  }

 private:
  struct Entry {
    uint64_t bits = 0;
    uint32_t index = 0;
    uint32_t gen = 0;  // current when equal to gen_
  };
  static constexpr size_t kInitialSize = 64;

  static size_t Hash(uint64_t bits) { return (bits * 0x9E3779B97F4A7C15ull) >> 32; }

  void Grow() {
    std::vector<Entry> old;
    old.swap(table_);
    table_.assign(old.empty() ? kInitialSize : old.size() * 2, Entry{});
    uint32_t live = gen_;
    gen_ = 1;
    size_ = 0;
    size_t mask = table_.size() - 1;
    for (const Entry& e : old) {
      if (e.gen != live) continue;
      size_t i = Hash(e.bits) & mask;
      while (table_[i].gen == gen_) i = (i + 1) & mask;
      table_[i] = {e.bits, e.index, gen_};
      ++size_;
    }
  }

  std::vector<Entry> table_;
  uint32_t gen_ = 1;
  uint32_t size_ = 0;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_CONST_INDEX_H_
