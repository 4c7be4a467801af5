#include "wasm/runtime/ref_class.h"

#include "wasm/runtime/gc_object.h"

namespace wasmstream::wasm {

RefClass ClassifyRef(RefBits bits) {
  if (bits == kNullRef) return RefClass::kNull;
  if (IsI31(bits)) return RefClass::kI31;
  switch (bits & kRefTagMask) {
    case 0: return RefClass::kFunc;
    case kRefTagHost: return RefClass::kHost;
    case kRefTagExn: return RefClass::kExn;
    default: break;
  }
  return GcObjectOf(bits)->is_array ? RefClass::kArray : RefClass::kStruct;
}

std::optional<uint64_t> HostValueOf(RefBits bits) {
  if (!IsHostRef(bits)) return std::nullopt;
  return bits >> 3;
}

const char* ToString(RefClass c) {
  switch (c) {
    case RefClass::kNull: return "null";
    case RefClass::kFunc: return "func";
    case RefClass::kHost: return "host";
    case RefClass::kI31: return "i31";
    case RefClass::kStruct: return "struct";
    case RefClass::kArray: return "array";
    case RefClass::kExn: return "exn";
  }
  return "?";
}

}  // namespace wasmstream::wasm
