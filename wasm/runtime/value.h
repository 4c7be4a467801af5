// Runtime values as the embedder (C++ host code, the CLI, bindings/) sees
// them: a typed union. Inside the interpreter values live untyped in 8-byte
// slots (v128 takes two); Value is only for the API edge.
//
// References are one 64-bit word, 0 meaning null, with ONE encoding for all
// hierarchies (func, extern, any, exn), told apart by the low three bits:
//   ...000 (not 0)  a FuncInstance* (funcref; untagged so calls stay cheap)
//   ...xx1          an i31: (value << 1) | 1, the value's 31 bits unsigned
//   ...010          host value n: (n << 3) | 2
//   ...100          an Exception* | 4 (exnref)
//   ...110          a GcObject* | 6 (struct or array, gc_heap.h)
// Every pointer is 8-aligned. Because externref and anyref share the
// encoding, any.convert_extern and extern.convert_any are no-ops: host value
// n is what both `ref.extern n` and `ref.host n` are, and a struct that went
// through extern.convert_any and back is the same bits (so ref.eq holds).
// ref_class.h classifies bits; only value.h/ref_class.h/gc_heap.h encode.
#ifndef WASMSTREAM_WASM_RUNTIME_VALUE_H_
#define WASMSTREAM_WASM_RUNTIME_VALUE_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "wasm/types.h"

namespace wasmstream::wasm {

using RefBits = uint64_t;
constexpr RefBits kNullRef = 0;

// Reference tags (see above).
constexpr RefBits kRefTagMask = 7;
constexpr RefBits kRefTagHost = 2;
constexpr RefBits kRefTagExn = 4;
constexpr RefBits kRefTagGc = 6;
// Host values are 61-bit: Value::Extern keeps the low 61 bits of n.
constexpr uint64_t kMaxHostValue = (uint64_t{1} << 61) - 1;

struct V128 {
  uint8_t bytes[16] = {};
  bool operator==(const V128&) const = default;
};

struct FuncInstance;

struct Value {
  ValueType type = ValueType::I32();
  union {
    uint32_t i32;
    uint64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    RefBits ref;
    V128 v128;
  } u = {.v128 = {}};

  static Value I32(uint32_t v) { Value x; x.type = ValueType::I32(); x.u.i32 = v; return x; }
  static Value I64(uint64_t v) { Value x; x.type = ValueType::I64(); x.u.i64 = v; return x; }
  static Value F32Bits(uint32_t b) { Value x; x.type = ValueType::F32(); x.u.f32_bits = b; return x; }
  static Value F64Bits(uint64_t b) { Value x; x.type = ValueType::F64(); x.u.f64_bits = b; return x; }
  static Value F32(float f) { uint32_t b; std::memcpy(&b, &f, 4); return F32Bits(b); }
  static Value F64(double d) { uint64_t b; std::memcpy(&b, &d, 8); return F64Bits(b); }
  static Value Vec(const V128& v) { Value x; x.type = ValueType::V128(); x.u.v128 = v; return x; }
  static Value Ref(ValueType t, RefBits r) { Value x; x.type = t; x.u.ref = r; return x; }
  static Value NullFunc() { return Ref(ValueType::FuncRef(), kNullRef); }
  static Value NullExtern() { return Ref(ValueType::ExternRef(), kNullRef); }
  static Value Func(const FuncInstance* f) {
    return Ref(ValueType::FuncRef(), reinterpret_cast<RefBits>(f));
  }
  // The host value {n} (<= kMaxHostValue) as an externref. For the same
  // host value as an anyref (`ref.host n`), use Ref(anyref, Extern(n).u.ref).
  static Value Extern(uint64_t n) {
    return Ref(ValueType::ExternRef(), ((n & kMaxHostValue) << 3) | kRefTagHost);
  }

  float f32() const { float f; std::memcpy(&f, &u.f32_bits, 4); return f; }
  double f64() const { double d; std::memcpy(&d, &u.f64_bits, 8); return d; }
  bool is_null() const { return u.ref == kNullRef; }

  // The zero value of {t} (default of locals, table.grow fill, …).
  static Value Default(ValueType t) {
    Value x;
    x.type = t;
    return x;
  }
};

// "i32:42", "f64:1.5", "ref.null func", "ref.extern 3"… for messages and the CLI.
std::string ToString(const Value& v);

// Number of 8-byte interpreter slots a value of this type takes.
inline uint32_t SlotCount(ValueType t) { return t.kind == ValueKind::kV128 ? 2 : 1; }

// Moves between the API form and slots.
void StoreToSlots(const Value& v, uint64_t* slots);
Value LoadFromSlots(ValueType t, const uint64_t* slots);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_VALUE_H_
