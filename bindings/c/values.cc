// wasm_val_t <-> the runtime's Value, and reference handles <-> reference
// bits. A function reference is the FuncInstance; any other object the host
// passes (a foreign object, a global, ...) becomes a host value, interned per
// store so that the same object is the same externref and comes back as a
// handle to itself. References wasm made itself (GC objects, i31s) come back
// as opaque handles that keep the object alive while they live.
#include <cstring>

#include "bindings/c/c_api_internal.h"
#include "wasm/runtime/ref_class.h"

namespace wasmstream::capi {

using wasm::AbstractHeap;
using wasm::RefBits;
using wasm::ValueKind;
using wasm::ValueType;

bool RefToBits(const wasm_ref_t* ref, ValueType want, StoreCtx& store, RefBits* out,
               std::string* error) {
  const Handle* h = H(ref);
  if (!h) {
    *out = wasm::kNullRef;
    return true;
  }
  if (h->store && h->store.get() != &store) {
    Misuse("wasm_val_t", "a reference of another store");
    *error = "a reference of another store";
    return false;
  }
  AbstractHeap top = TopOf(want);
  if (top == AbstractHeap::kFunc) {
    if (h->kind != Kind::kFunc) {
      *error = "expected a function reference";
      return false;
    }
    *out = reinterpret_cast<RefBits>(h->func());
    return true;
  }
  if (h->kind == Kind::kOpaque) {
    *out = h->bits();
    return true;
  }
  if (top == AbstractHeap::kExn || !h->store) {
    *error = "this reference cannot be passed as " + wasm::ToString(want);
    return false;
  }
  *out = wasm::Value::Extern(store.Intern(h->kind, h->entity)).u.ref;
  return true;
}

wasm_ref_t* BitsToRef(RefBits bits, ValueType type, StoreCtx& store) {
  if (bits == wasm::kNullRef) return nullptr;
  std::shared_ptr<StoreCtx> self = store.shared_from_this();
  if (wasm::ClassifyRef(bits) == wasm::RefClass::kFunc) {
    return NewHandle(Kind::kFunc, self, reinterpret_cast<const void*>(bits));
  }
  if (auto n = wasm::HostValueOf(bits); n && *n < store.interned.size()) {
    const StoreCtx::Interned& e = store.interned[*n];
    return NewHandle(e.kind, self, e.entity);
  }
  (void)type;
  Handle* h = NewHandle(Kind::kOpaque, self, reinterpret_cast<const void*>(bits));
  wasm::RefClass c = wasm::ClassifyRef(bits);
  if (c == wasm::RefClass::kStruct || c == wasm::RefClass::kArray || c == wasm::RefClass::kExn) {
    store.store->Pin(bits);
    h->pinned = true;
  }
  return h;
}

bool ToValue(const wasm_val_t& v, ValueType want, StoreCtx& store, wasm::Value* out,
             std::string* error) {
  // Numbers are written in place: this runs for every argument and result
  // that crosses the boundary.
  out->type = want;
  switch (want.kind) {
    case ValueKind::kI32:
      if (v.kind != WASM_I32) break;
      out->u.i32 = static_cast<uint32_t>(v.of.i32);
      return true;
    case ValueKind::kI64:
      if (v.kind != WASM_I64) break;
      out->u.i64 = static_cast<uint64_t>(v.of.i64);
      return true;
    case ValueKind::kF32:
      if (v.kind != WASM_F32) break;
      std::memcpy(&out->u.f32_bits, &v.of.f32, 4);
      return true;
    case ValueKind::kF64:
      if (v.kind != WASM_F64) break;
      std::memcpy(&out->u.f64_bits, &v.of.f64, 8);
      return true;
    case ValueKind::kRef: {
      // A funcref needs a function; other references any reference kind.
      bool want_func = KindOf(want) == WASM_FUNCREF;
      if (!wasm_valkind_is_ref(v.kind) || (v.kind == WASM_FUNCREF) != want_func) break;
      return RefToBits(v.of.ref, want, store, &out->u.ref, error);
    }
    default:
      *error = "v128 values cannot cross the C API";
      return false;
  }
  *error = "expected a value of type " + wasm::ToString(want);
  return false;
}

bool FromValue(const wasm::Value& v, StoreCtx& store, wasm_val_t* out, std::string* error) {
  out->kind = KindOf(v.type);
  switch (v.type.kind) {
    case ValueKind::kI32: out->of.i32 = static_cast<int32_t>(v.u.i32); return true;
    case ValueKind::kI64: out->of.i64 = static_cast<int64_t>(v.u.i64); return true;
    case ValueKind::kF32: out->of.f32 = v.f32(); return true;
    case ValueKind::kF64: out->of.f64 = v.f64(); return true;
    case ValueKind::kRef: out->of.ref = BitsToRef(v.u.ref, v.type, store); return true;
    default:
      out->kind = WASM_I64;
      out->of.i64 = 0;
      *error = "v128 values cannot cross the C API";
      return false;
  }
}

}  // namespace wasmstream::capi

using namespace wasmstream::capi;

extern "C" {

void wasm_val_delete(wasm_val_t* v) {
  if (v && wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = nullptr;
  }
}

void wasm_val_copy(wasm_val_t* out, const wasm_val_t* v) {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) out->of.ref = wasm_ref_copy(v->of.ref);
}

}  // extern "C"
