#include "wasm/runtime/table.h"

#include <algorithm>
#include <new>

#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {

TableBudget::TableBudget(uint64_t limit) : limit_(limit) {}

bool TableBudget::Take(uint64_t n) {
  uint64_t used = used_.load();
  do {
    uint64_t limit = limit_.load();
    if (used > limit || n > limit - used) return false;
  } while (!used_.compare_exchange_weak(used, used + n));
  return true;
}

TableInstance::TableInstance(ValueType elem_type, const Limits& limits, RefBits init,
                             TableBudget* budget)
    : elem_type_(elem_type), limits_(limits), budget_(budget) {
  max_ = limits.has_max ? std::min<uint64_t>(limits.max, kMaxTableElements) : kMaxTableElements;
  if (limits.min > max_) return;
  if (budget_ && !budget_->Take(limits.min)) return;
  try {
    elems_.assign(limits.min, init);
  } catch (const std::bad_alloc&) {  // a RangeError for the caller, never an abort
    if (budget_) budget_->Give(limits.min);
    return;
  }
  ok_ = true;
}

TableInstance::~TableInstance() {
  if (budget_ && ok_) budget_->Give(elems_.size());
}

Limits TableInstance::type() const {
  Limits l = limits_;
  l.min = elems_.size();
  return l;
}

int64_t TableInstance::Grow(uint64_t delta, RefBits init) {
  uint64_t old = elems_.size();
  if (delta > max_ - old) return -1;
  if (budget_ && !budget_->Take(delta)) return -1;
  try {
    elems_.resize(old + delta, init);
  } catch (const std::bad_alloc&) {
    if (budget_) budget_->Give(delta);
    return -1;
  }
  return static_cast<int64_t>(old);
}

}  // namespace wasmstream::wasm
