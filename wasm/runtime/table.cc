#include "wasm/runtime/table.h"

#include <algorithm>

#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {

TableInstance::TableInstance(ValueType elem_type, const Limits& limits, RefBits init)
    : elem_type_(elem_type), limits_(limits) {
  max_ = limits.has_max ? std::min<uint64_t>(limits.max, kMaxTableElements) : kMaxTableElements;
  if (limits.min > max_) return;
  elems_.assign(limits.min, init);
  ok_ = true;
}

Limits TableInstance::type() const {
  Limits l = limits_;
  l.min = elems_.size();
  return l;
}

int64_t TableInstance::Grow(uint64_t delta, RefBits init) {
  uint64_t old = elems_.size();
  if (delta > max_ - old) return -1;
  elems_.resize(old + delta, init);
  return static_cast<int64_t>(old);
}

}  // namespace wasmstream::wasm
