// A table of references (funcref, externref, …), growable to its maximum and
// the engine's limit.
#ifndef WASMSTREAM_WASM_RUNTIME_TABLE_H_
#define WASMSTREAM_WASM_RUNTIME_TABLE_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "wasm/runtime/store_object.h"
#include "wasm/runtime/value.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

// The elements every table of one Store may hold together
// (kMaxStoreTableElements by default). A table takes its elements from the
// budget when it is made or grown and gives them back when destroyed.
class TableBudget {
 public:
  explicit TableBudget(uint64_t limit);
  uint64_t limit() const { return limit_.load(); }
  void set_limit(uint64_t limit) { limit_.store(limit); }
  uint64_t used() const { return used_.load(); }
  // False, taking nothing, when {n} more would pass the limit.
  bool Take(uint64_t n);
  void Give(uint64_t n) { used_.fetch_sub(n); }

 private:
  std::atomic<uint64_t> limit_;
  std::atomic<uint64_t> used_{0};
};

class TableInstance : public StoreObject {
 public:
  // {limits.min} elements, each {init}. ok() is false when the limits pass
  // the engine's, {budget} (if any) has no room, or the allocation fails.
  TableInstance(ValueType elem_type, const Limits& limits, RefBits init,
                TableBudget* budget = nullptr);
  ~TableInstance();
  TableInstance(const TableInstance&) = delete;
  TableInstance& operator=(const TableInstance&) = delete;

  bool ok() const { return ok_; }
  ValueType elem_type() const { return elem_type_; }
  uint64_t size() const { return elems_.size(); }
  bool is64() const { return limits_.is64; }
  Limits type() const;  // min = current size

  RefBits* data() { return elems_.data(); }
  bool InBounds(uint64_t index, uint64_t n) const {
    return index <= elems_.size() && n <= elems_.size() - index;
  }
  RefBits Get(uint64_t i) const { return elems_[i]; }
  void Set(uint64_t i, RefBits r) { elems_[i] = r; }

  // table.grow: the old size, or -1 past the maximum, the engine's limit, the
  // budget, or when the allocation fails.
  int64_t Grow(uint64_t delta, RefBits init);

 private:
  ValueType elem_type_;
  Limits limits_;
  uint64_t max_;
  std::vector<RefBits> elems_;
  TableBudget* budget_;
  bool ok_ = false;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_TABLE_H_
