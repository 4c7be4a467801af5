// The layout of a GC heap object (struct or array) and its reference bits.
// Objects live in the Store's GcHeap (gc_heap.h).
#ifndef WASMSTREAM_WASM_RUNTIME_GC_OBJECT_H_
#define WASMSTREAM_WASM_RUNTIME_GC_OBJECT_H_

#include <cstdint>

#include "wasm/runtime/value.h"

namespace wasmstream::wasm {

// A 16-byte header, then the payload: a struct's fields in 8-byte slots (a
// v128 field takes two), an array's elements packed at their natural size
// (i8 1, i16 2, i32/f32 4, i64/f64/ref 8, v128 16 bytes).
struct GcObject {
  uint32_t type = 0;    // canonical type id (TypeRegistry, gc_types.h)
  uint32_t length = 0;  // array elements; 0 for a struct
  uint8_t is_array = 0;
  uint8_t marked = 0;   // reserved for a collector
  uint8_t pad[6] = {};

  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(this + 1); }
};
static_assert(sizeof(GcObject) == 16);

inline RefBits GcRef(const GcObject* o) { return reinterpret_cast<RefBits>(o) | kRefTagGc; }
inline bool IsGcRef(RefBits b) { return b != kNullRef && (b & kRefTagMask) == kRefTagGc; }
inline GcObject* GcObjectOf(RefBits b) { return reinterpret_cast<GcObject*>(b & ~kRefTagMask); }

inline bool IsI31(RefBits b) { return (b & 1) != 0; }
inline RefBits I31Ref(uint32_t v) { return (RefBits{v & 0x7FFF'FFFFu} << 1) | 1; }
inline uint32_t I31GetU(RefBits b) { return static_cast<uint32_t>(b >> 1) & 0x7FFF'FFFFu; }
inline int32_t I31GetS(RefBits b) {
  return static_cast<int32_t>(static_cast<uint32_t>(b >> 1) << 1) >> 1;
}

inline bool IsHostRef(RefBits b) { return (b & kRefTagMask) == kRefTagHost; }
inline bool IsExnRef(RefBits b) { return (b & kRefTagMask) == kRefTagExn; }
// A funcref: untagged, non-null.
inline bool IsFuncRef(RefBits b) { return b != kNullRef && (b & kRefTagMask) == 0; }

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_GC_OBJECT_H_
