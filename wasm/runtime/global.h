// Globals and exception tags.
#ifndef WASMSTREAM_WASM_RUNTIME_GLOBAL_H_
#define WASMSTREAM_WASM_RUNTIME_GLOBAL_H_

#include <cstdint>

#include "wasm/runtime/store_object.h"
#include "wasm/runtime/value.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

class GlobalInstance : public StoreObject {
 public:
  GlobalInstance(ValueType type, bool mutable_, const Value& init)
      : type_(type), mutable__(mutable_) {
    Set(init);
  }
  ValueType type() const { return type_; }
  bool is_mutable() const { return mutable__; }
  Value Get() const { return LoadFromSlots(type_, slots_); }
  void Set(const Value& v) { StoreToSlots(v, slots_); }
  // The interpreter reads and writes the slots directly.
  uint64_t* slots() { return slots_; }

 private:
  ValueType type_;
  bool mutable__;
  uint64_t slots_[2] = {0, 0};
};

// An exception tag: identity is the object's address; the type is a function
// type with no results (the exception's payload).
class TagInstance : public StoreObject {
 public:
  TagInstance(FuncType type, uint32_t type_id) : type_(std::move(type)), type_id_(type_id) {}
  const FuncType& type() const { return type_; }
  // The canonical id of the tag's type (Store::types()): imports match by it.
  uint32_t type_id() const { return type_id_; }

 private:
  FuncType type_;
  uint32_t type_id_;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_GLOBAL_H_
