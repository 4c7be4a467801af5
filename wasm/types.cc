#include "wasm/types.h"

namespace wasmstream::wasm {

std::string ToString(HeapType h) {
  if (h.is_index()) return std::to_string(h.index());
  switch (h.abstract()) {
    case AbstractHeap::kFunc: return "func";
    case AbstractHeap::kExtern: return "extern";
    case AbstractHeap::kAny: return "any";
    case AbstractHeap::kEq: return "eq";
    case AbstractHeap::kI31: return "i31";
    case AbstractHeap::kStruct: return "struct";
    case AbstractHeap::kArray: return "array";
    case AbstractHeap::kNone: return "none";
    case AbstractHeap::kNoFunc: return "nofunc";
    case AbstractHeap::kNoExtern: return "noextern";
    case AbstractHeap::kExn: return "exn";
    case AbstractHeap::kNoExn: return "noexn";
    case AbstractHeap::kBottom: return "bot";
  }
  return "?";
}

std::string ToString(ValueType t) {
  switch (t.kind) {
    case ValueKind::kI32: return "i32";
    case ValueKind::kI64: return "i64";
    case ValueKind::kF32: return "f32";
    case ValueKind::kF64: return "f64";
    case ValueKind::kV128: return "v128";
    case ValueKind::kBottom: return "<bot>";
    case ValueKind::kRef:
      if (t.nullable && !t.heap.is_index() && t.heap.abstract() != AbstractHeap::kBottom) {
        return ToString(t.heap) + "ref";
      }
      return std::string("(ref ") + (t.nullable ? "null " : "") + ToString(t.heap) + ")";
  }
  return "?";
}

std::string ToString(const FuncType& f) {
  std::string s = "[";
  for (size_t i = 0; i < f.params.size(); ++i) s += (i ? " " : "") + ToString(f.params[i]);
  s += "] -> [";
  for (size_t i = 0; i < f.results.size(); ++i) s += (i ? " " : "") + ToString(f.results[i]);
  return s + "]";
}

const char* ToString(ExternalKind k) {
  switch (k) {
    case ExternalKind::kFunction: return "function";
    case ExternalKind::kTable: return "table";
    case ExternalKind::kMemory: return "memory";
    case ExternalKind::kGlobal: return "global";
    case ExternalKind::kTag: return "tag";
  }
  return "?";
}

}  // namespace wasmstream::wasm
