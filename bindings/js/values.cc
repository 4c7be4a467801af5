// ToWebAssemblyValue and ToJSValue (JS API §"JavaScript interface":
// conversions). i64 is a BigInt both ways; v128 has no JS value (TypeError);
// funcref is null or an Exported Function; externref is any JS value, kept
// as a host value (null is ref.null); anyref/eqref/i31ref take integers in
// i31 range as i31 and other values as host values.
#include <cmath>

#include "bindings/js/jsc_util.h"
#include "bindings/js/runtime_state.h"
#include "wasm/runtime/ref_class.h"

namespace wasmstream::bindings::js {
namespace {

constexpr double kI31Min = -(1 << 30);
constexpr double kI31Max = (1 << 30) - 1;

wasm::Value Fail(RuntimeState& s, JSValueRef* exception, std::string_view message) {
  *exception = s.MakeError(ErrorKind::kTypeError, message);
  return wasm::Value();
}

// ToBigInt64: a BigInt, or a value ToBigInt accepts (booleans, strings);
// Numbers, undefined, null and symbols are TypeErrors, as ToBigInt has it.
bool ToBigInt64(RuntimeState& s, JSValueRef v, int64_t* out, JSValueRef* exception) {
  JSContextRef ctx = s.ctx;
  if (!JSValueIsBigInt(ctx, v)) {
    if (JSValueIsNumber(ctx, v) || JSValueIsUndefined(ctx, v) || JSValueIsNull(ctx, v) ||
        JSValueIsSymbol(ctx, v)) {
      *exception = s.MakeError(ErrorKind::kTypeError, "Cannot convert value to a BigInt");
      return false;
    }
    JSObjectRef bigint = AsObject(ctx, Get(ctx, JSContextGetGlobalObject(ctx), "BigInt"));
    v = JSObjectCallAsFunction(ctx, bigint, nullptr, 1, &v, exception);
    if (*exception) return false;
  }
  *out = JSValueToInt64(ctx, v, exception);  // BigInt.asIntN(64, v)
  return *exception == nullptr;
}

bool IsFuncHeap(wasm::HeapType h) {
  if (h.is_index()) return true;  // a concrete type: function types here
  return h.abstract() == wasm::AbstractHeap::kFunc || h.abstract() == wasm::AbstractHeap::kNoFunc;
}

}  // namespace

wasm::Value ToWasmValue(RuntimeState& s, JSValueRef v, wasm::ValueType type,
                        JSValueRef* exception) {
  JSContextRef ctx = s.ctx;
  switch (type.kind) {
    case wasm::ValueKind::kI32: {
      int32_t i = JSValueToInt32(ctx, v, exception);
      return wasm::Value::I32(static_cast<uint32_t>(i));
    }
    case wasm::ValueKind::kI64: {
      int64_t i = 0;
      if (!ToBigInt64(s, v, &i, exception)) return wasm::Value();
      return wasm::Value::I64(static_cast<uint64_t>(i));
    }
    case wasm::ValueKind::kF32:
      return wasm::Value::F32(static_cast<float>(JSValueToNumber(ctx, v, exception)));
    case wasm::ValueKind::kF64:
      return wasm::Value::F64(JSValueToNumber(ctx, v, exception));
    case wasm::ValueKind::kV128:
    case wasm::ValueKind::kBottom:
      return Fail(s, exception, "type incompatibility when transforming from/to JS");
    case wasm::ValueKind::kRef:
      break;
  }
  if (JSValueIsNull(ctx, v)) {
    if (!type.nullable) return Fail(s, exception, "null is not allowed for a non-nullable reference");
    return wasm::Value::Ref(type, wasm::kNullRef);
  }
  if (IsFuncHeap(type.heap)) {
    wasm::FuncInstance* f = s.AsWasmFunction(v);
    if (!f) return Fail(s, exception, "type incompatibility when transforming from/to JS: "
                                      "the value is not an exported WebAssembly function");
    return wasm::Value::Ref(type, reinterpret_cast<wasm::RefBits>(f));
  }
  switch (type.heap.abstract()) {
    case wasm::AbstractHeap::kExtern:
      return wasm::Value::Ref(type, wasm::Value::Extern(s.HostValue(v)).u.ref);
    case wasm::AbstractHeap::kAny:
    case wasm::AbstractHeap::kEq:
    case wasm::AbstractHeap::kI31: {
      if (JSValueIsNumber(ctx, v)) {
        double d = JSValueToNumber(ctx, v, nullptr);
        if (d >= kI31Min && d <= kI31Max && d == std::trunc(d) && !(d == 0 && std::signbit(d))) {
          uint64_t bits = static_cast<uint32_t>(static_cast<int32_t>(d)) & 0x7FFF'FFFFu;
          return wasm::Value::Ref(type, (bits << 1) | 1);
        }
      }
      if (type.heap.abstract() != wasm::AbstractHeap::kAny) {
        return Fail(s, exception, "type incompatibility when transforming from/to JS");
      }
      return wasm::Value::Ref(type, wasm::Value::Extern(s.HostValue(v)).u.ref);
    }
    default:
      return Fail(s, exception, "type incompatibility when transforming from/to JS");
  }
}

JSValueRef ToJsValue(RuntimeState& s, const wasm::Value& v, JSValueRef* exception) {
  JSContextRef ctx = s.ctx;
  switch (v.type.kind) {
    case wasm::ValueKind::kI32:
      return JSValueMakeNumber(ctx, static_cast<int32_t>(v.u.i32));
    case wasm::ValueKind::kI64:
      return JSBigIntCreateWithInt64(ctx, static_cast<int64_t>(v.u.i64), exception);
    case wasm::ValueKind::kF32:
      return JSValueMakeNumber(ctx, v.f32());
    case wasm::ValueKind::kF64:
      return JSValueMakeNumber(ctx, v.f64());
    case wasm::ValueKind::kV128:
    case wasm::ValueKind::kBottom:
      *exception = s.MakeError(ErrorKind::kTypeError, "type incompatibility when transforming from/to JS");
      return JSValueMakeUndefined(ctx);
    case wasm::ValueKind::kRef:
      break;
  }
  wasm::RefBits bits = v.u.ref;
  switch (wasm::ClassifyRef(bits)) {
    case wasm::RefClass::kNull:
      return JSValueMakeNull(ctx);
    case wasm::RefClass::kFunc:
      return s.ExportedFunction(reinterpret_cast<wasm::FuncInstance*>(bits));
    case wasm::RefClass::kHost:
      return s.FromHostValue(*wasm::HostValueOf(bits));
    case wasm::RefClass::kI31: {
      // i31.get_s
      int32_t x = static_cast<int32_t>(static_cast<uint32_t>(bits >> 1) << 1) >> 1;
      return JSValueMakeNumber(ctx, x);
    }
    default:
      // Structs, arrays and exnrefs have no JS mapping here yet.
      *exception = s.MakeError(ErrorKind::kTypeError,
                               "a GC or exception reference cannot be passed to JavaScript");
      return JSValueMakeUndefined(ctx);
  }
}

}  // namespace wasmstream::bindings::js
