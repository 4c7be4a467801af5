#include "wasm/runtime/value.h"

#include <cinttypes>
#include <cstdio>

#include "wasm/runtime/ref_class.h"

namespace wasmstream::wasm {

std::string ToString(const Value& v) {
  char buf[96];
  switch (v.type.kind) {
    case ValueKind::kI32:
      std::snprintf(buf, sizeof buf, "i32:%" PRIu32, v.u.i32);
      return buf;
    case ValueKind::kI64:
      std::snprintf(buf, sizeof buf, "i64:%" PRIu64, v.u.i64);
      return buf;
    case ValueKind::kF32:
      std::snprintf(buf, sizeof buf, "f32:%.9g", static_cast<double>(v.f32()));
      return buf;
    case ValueKind::kF64:
      std::snprintf(buf, sizeof buf, "f64:%.17g", v.f64());
      return buf;
    case ValueKind::kV128: {
      std::string s = "v128:";
      for (int i = 0; i < 16; ++i) {
        std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", v.u.v128.bytes[i]);
        s += buf;
      }
      return s;
    }
    case ValueKind::kRef:
    case ValueKind::kBottom:
      break;
  }
  if (v.is_null()) return "ref.null " + ToString(v.type.heap);
  RefClass c = ClassifyRef(v.u.ref);
  bool is_extern = v.type.heap == HeapType::Abstract(AbstractHeap::kExtern) ||
                   v.type.heap == HeapType::Abstract(AbstractHeap::kNoExtern);
  if (c == RefClass::kHost) {
    return (is_extern ? "ref.extern " : "ref.host ") + std::to_string(*HostValueOf(v.u.ref));
  }
  if (is_extern) return "ref.extern";
  if (c == RefClass::kI31) return "ref.i31 " + std::to_string(v.u.ref >> 1 & 0x7FFF'FFFFu);
  return std::string("ref.") + ToString(c);
}

void StoreToSlots(const Value& v, uint64_t* slots) {
  switch (v.type.kind) {
    case ValueKind::kI32:
    case ValueKind::kF32:
      slots[0] = v.u.i32;
      return;
    case ValueKind::kV128:
      std::memcpy(slots, v.u.v128.bytes, 16);
      return;
    default:
      slots[0] = v.u.i64;
      return;
  }
}

Value LoadFromSlots(ValueType t, const uint64_t* slots) {
  Value v;
  v.type = t;
  switch (t.kind) {
    case ValueKind::kI32:
    case ValueKind::kF32:
      v.u.i32 = static_cast<uint32_t>(slots[0]);
      break;
    case ValueKind::kV128:
      std::memcpy(v.u.v128.bytes, slots, 16);
      break;
    default:
      v.u.i64 = slots[0];
      break;
  }
  return v;
}

}  // namespace wasmstream::wasm
