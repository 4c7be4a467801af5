// A table of references (funcref, externref, …), growable to its maximum and
// the engine's limit.
#ifndef WASMSTREAM_WASM_RUNTIME_TABLE_H_
#define WASMSTREAM_WASM_RUNTIME_TABLE_H_

#include <cstdint>
#include <vector>

#include "wasm/runtime/store_object.h"
#include "wasm/runtime/value.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

class TableInstance : public StoreObject {
 public:
  // {limits.min} elements, each {init}. ok() is false when the limits pass
  // the engine's.
  TableInstance(ValueType elem_type, const Limits& limits, RefBits init);

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

  // table.grow: the old size, or -1 past the maximum or the engine's limit.
  int64_t Grow(uint64_t delta, RefBits init);

 private:
  ValueType elem_type_;
  Limits limits_;
  uint64_t max_;
  std::vector<RefBits> elems_;
  bool ok_ = false;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_TABLE_H_
