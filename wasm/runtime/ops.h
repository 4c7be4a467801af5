// Helpers shared by the interpreter loop and its out-of-line operations
// (bulk memory, tables, generic memory access, SIMD, atomics).
#ifndef WASMSTREAM_WASM_RUNTIME_OPS_H_
#define WASMSTREAM_WASM_RUNTIME_OPS_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "wasm/runtime/error.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

class Instance;

inline float BitsToF32(uint32_t b) { float f; std::memcpy(&f, &b, 4); return f; }
inline double BitsToF64(uint64_t b) { double d; std::memcpy(&d, &b, 8); return d; }
inline uint32_t F32ToBits(float f) { uint32_t b; std::memcpy(&b, &f, 4); return b; }
inline uint64_t F64ToBits(double d) { uint64_t b; std::memcpy(&b, &d, 8); return b; }

// wasm min/max: NaN if either is NaN; -0 < +0.
template <typename F>
inline F WasmMin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;  // a quiet NaN
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <typename F>
inline F WasmMax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// ceil/floor/trunc/nearest: a NaN operand gives a quiet NaN (libm may pass
// a signalling NaN through unchanged).
template <typename F, typename Fn>
inline F Round(Fn fn, F x) {
  return std::isnan(x) ? x + x : fn(x);
}

// Float -> integer truncation: false when the value is NaN or out of range.
template <typename I, typename F>
inline bool TruncInRange(F x) {
  if (std::isnan(x)) return false;
  F t = std::trunc(x);
  constexpr int bits = sizeof(I) * 8;
  if constexpr (std::is_signed_v<I>) {
    const F lo = -std::ldexp(F(1), bits - 1);
    return t >= lo && t < -lo;
  } else {
    return t >= F(0) ? t < std::ldexp(F(1), bits) : t > F(-1);
  }
}
template <typename I, typename F>
inline TrapKind TruncCheck(F x) {
  if (std::isnan(x)) return TrapKind::kInvalidConversion;
  return TruncInRange<I>(x) ? TrapKind::kNone : TrapKind::kIntOverflow;
}
template <typename I, typename F>
inline I TruncSat(F x) {
  if (std::isnan(x)) return 0;
  if (TruncInRange<I>(x)) return static_cast<I>(x);
  return x < F(0) ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
}

// Out-of-line operations; each returns kNone or the trap.
// {pc} points at the operation word.
TrapKind ExecLoadX(Instance* inst, uint64_t* fp, const uint32_t* pc);
TrapKind ExecStoreX(Instance* inst, uint64_t* fp, const uint32_t* pc);
// memory.fill/copy/init, data.drop, table.*, elem.drop; sets {*words} to the
// instruction's length.
TrapKind ExecBulk(Instance* inst, uint64_t* fp, const uint32_t* pc, uint32_t* words);
TrapKind ExecSimd(uint64_t* fp, const uint32_t* pc);
TrapKind ExecSimdMem(Instance* inst, uint64_t* fp, const uint32_t* pc);
TrapKind ExecAtomic(Instance* inst, uint64_t* fp, const uint32_t* pc);
// GC operations (gc_ops.cc): IOp::kGc.
class Store;
TrapKind ExecGc(Store& store, Instance* inst, uint64_t* fp, const uint32_t* pc);
// ref.test's question: is {r} non-null of heap type {heap} (a type index of
// {inst}'s module or an AbstractHeap code), or null and {nullable}?
bool RefMatches(Store& store, const Instance* inst, uint64_t r, uint32_t heap, bool nullable);
// Whether the host may pass reference {r} where {t} is expected (a wasm
// function's parameter, a host function's result): the JS API's
// ToWebAssemblyValue check, so wasm never sees bits of the wrong kind.
// {t}'s type index is {inst}'s (null: a canonical id).
bool RefFitsType(Store& store, const Instance* inst, ValueType t, uint64_t r);

// Effective address of an access of {n} bytes; false when out of bounds.
bool EffectiveAddress(Instance* inst, uint32_t memory, uint64_t addr_slot_value,
                      uint64_t offset, uint64_t n, uint8_t** out);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_OPS_H_
