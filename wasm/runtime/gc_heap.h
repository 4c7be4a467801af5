// The GC heap: where struct and array objects live.
//
// Memory management (first version): objects are owned by the Store and live
// as long as it does (an arena of individually allocated blocks), bounded by
// an explicit byte limit (kMaxGcHeapBytes, adjustable per Store) and an
// array length limit (kMaxArrayLength): past either, allocation fails and the
// instruction traps with a clear error instead of growing without bound.
// Not done yet: a collector. The plan is mark-sweep with roots = globals,
// tables, element segments, exception payloads, Values held by the host and
// the ExecStack's live slots scanned conservatively against the set of live
// objects (GcObject::marked is reserved for it).
#ifndef WASMSTREAM_WASM_RUNTIME_GC_HEAP_H_
#define WASMSTREAM_WASM_RUNTIME_GC_HEAP_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "wasm/runtime/error.h"
#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/gc_types.h"
#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {

class GcHeap {
 public:
  // Zeroed object with {payload_bytes} after the header, or null when it
  // would take the heap past its limit.
  GcObject* Allocate(uint32_t type, bool is_array, uint32_t length, uint64_t payload_bytes);

  uint64_t bytes() const { return bytes_; }
  size_t objects() const { return blocks_.size(); }
  uint64_t limit() const { return limit_; }
  void set_limit(uint64_t bytes) { limit_ = bytes; }

 private:
  std::vector<std::unique_ptr<uint64_t[]>> blocks_;
  uint64_t bytes_ = 0;
  uint64_t limit_ = kMaxGcHeapBytes;
};

class Store;

// Object construction shared by the interpreter and constant expressions.
// Operand values are in slots (v128 takes two); {*out} gets the reference.
// struct.new ({fields} null: struct.new_default).
TrapKind NewStruct(Store& store, uint32_t type, const uint64_t* fields, RefBits* out);
// array.new / array.new_default ({value} null): {length} copies of one value.
TrapKind NewArray(Store& store, uint32_t type, uint64_t length, const uint64_t* value,
                  RefBits* out);
// array.new_fixed: {length} values, consecutive in slots.
TrapKind NewArrayFixed(Store& store, uint32_t type, uint32_t length, const uint64_t* values,
                       RefBits* out);

// Field/element access at {p} of {size} bytes to/from slots (little-endian).
void StoreFieldBytes(uint8_t* p, uint8_t size, const uint64_t* src);
void LoadFieldBytes(const uint8_t* p, uint8_t size, uint64_t* dst);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_GC_HEAP_H_
