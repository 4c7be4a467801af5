// SIMD (v128) operations, out of line: lane-wise loops over 16-byte values
// held in two slots (little-endian lanes, as in linear memory). Float lanes
// follow the scalar rules (ops.h): NaN results are quiet, min/max propagate
// NaN and order -0 < +0, truncations saturate.
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "wasm/opcodes.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/ops.h"

namespace wasmstream::wasm {
namespace {

struct V {
  uint8_t b[16];
};

V Get(const uint64_t* fp, uint32_t slot) {
  V v;
  std::memcpy(v.b, fp + slot, 16);
  return v;
}
void Put(uint64_t* fp, uint32_t slot, const V& v) { std::memcpy(fp + slot, v.b, 16); }

template <typename T>
T Lane(const V& v, uint32_t i) {
  T x;
  std::memcpy(&x, v.b + i * sizeof(T), sizeof(T));
  return x;
}
template <typename T>
void SetLane(V& v, uint32_t i, T x) {
  std::memcpy(v.b + i * sizeof(T), &x, sizeof(T));
}
template <typename T>
constexpr uint32_t Lanes() {
  return 16 / sizeof(T);
}

// The unsigned integer of T's size (comparison masks).
template <typename T>
using UInt = std::conditional_t<sizeof(T) == 1, uint8_t,
             std::conditional_t<sizeof(T) == 2, uint16_t,
             std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

template <typename T, typename F>
V Map1(const V& a, F f) {
  V r;
  for (uint32_t i = 0; i < Lanes<T>(); ++i) SetLane<T>(r, i, static_cast<T>(f(Lane<T>(a, i))));
  return r;
}
template <typename T, typename F>
V Map2(const V& a, const V& b, F f) {
  V r;
  for (uint32_t i = 0; i < Lanes<T>(); ++i) {
    SetLane<T>(r, i, static_cast<T>(f(Lane<T>(a, i), Lane<T>(b, i))));
  }
  return r;
}
template <typename T, typename F>
V Cmp(const V& a, const V& b, F f) {
  V r;
  for (uint32_t i = 0; i < Lanes<T>(); ++i) {
    SetLane<UInt<T>>(r, i, f(Lane<T>(a, i), Lane<T>(b, i)) ? static_cast<UInt<T>>(~UInt<T>{0}) : 0);
  }
  return r;
}
template <typename T>
V Splat(T x) {
  V r;
  for (uint32_t i = 0; i < Lanes<T>(); ++i) SetLane<T>(r, i, x);
  return r;
}
template <typename T>
T Sat(int64_t x) {
  if (x < static_cast<int64_t>(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (x > static_cast<int64_t>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(x);
}
template <typename T>
uint32_t AllTrue(const V& a) {
  for (uint32_t i = 0; i < Lanes<T>(); ++i) {
    if (Lane<T>(a, i) == 0) return 0;
  }
  return 1;
}
template <typename T>
uint32_t Bitmask(const V& a) {
  uint32_t m = 0;
  for (uint32_t i = 0; i < Lanes<T>(); ++i) {
    if (Lane<std::make_signed_t<T>>(a, i) < 0) m |= 1u << i;
  }
  return m;
}
// Narrow: lanes of a then b, saturated from From to To.
template <typename From, typename To>
V Narrow(const V& a, const V& b) {
  V r;
  constexpr uint32_t n = Lanes<From>();
  for (uint32_t i = 0; i < n; ++i) SetLane<To>(r, i, Sat<To>(Lane<From>(a, i)));
  for (uint32_t i = 0; i < n; ++i) SetLane<To>(r, n + i, Sat<To>(Lane<From>(b, i)));
  return r;
}
// Extend the low or high half of From lanes to To.
template <typename From, typename To>
V Extend(const V& a, bool high) {
  V r;
  constexpr uint32_t n = Lanes<To>();
  for (uint32_t i = 0; i < n; ++i) SetLane<To>(r, i, static_cast<To>(Lane<From>(a, i + (high ? n : 0))));
  return r;
}
template <typename From, typename To>
V Extmul(const V& a, const V& b, bool high) {
  V r;
  constexpr uint32_t n = Lanes<To>();
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t k = i + (high ? n : 0);
    SetLane<To>(r, i, static_cast<To>(static_cast<To>(Lane<From>(a, k)) * static_cast<To>(Lane<From>(b, k))));
  }
  return r;
}
template <typename From, typename To>
V ExtaddPairwise(const V& a) {
  V r;
  for (uint32_t i = 0; i < Lanes<To>(); ++i) {
    SetLane<To>(r, i, static_cast<To>(static_cast<To>(Lane<From>(a, 2 * i)) +
                                      static_cast<To>(Lane<From>(a, 2 * i + 1))));
  }
  return r;
}
template <typename T>
V Shift(const V& a, uint32_t count, int kind) {  // 0 shl, 1 shr_s, 2 shr_u
  constexpr uint32_t bits = sizeof(T) * 8;
  count &= bits - 1;
  using S = std::make_signed_t<T>;
  using U = std::make_unsigned_t<T>;
  V r;
  for (uint32_t i = 0; i < Lanes<T>(); ++i) {
    U x = Lane<U>(a, i);
    U y = kind == 0 ? static_cast<U>(x << count)
          : kind == 1 ? static_cast<U>(static_cast<S>(x) >> count)
                      : static_cast<U>(x >> count);
    SetLane<U>(r, i, y);
  }
  return r;
}
template <typename F>
F FRound(int which, F x) {
  switch (which) {
    case 0: return Round([](auto v) { return std::ceil(v); }, x);
    case 1: return Round([](auto v) { return std::floor(v); }, x);
    case 2: return Round([](auto v) { return std::trunc(v); }, x);
    default: return Round([](auto v) { return std::nearbyint(v); }, x);
  }
}

}  // namespace

TrapKind ExecSimd(uint64_t* fp, const uint32_t* pc) {
  // opcode dst a b c imm
  const Opcode op = static_cast<Opcode>(pc[1]);
  const uint32_t d = pc[2], sa = pc[3], sb = pc[4], sc = pc[5], lane = pc[6];
  const V a = Get(fp, sa);  // may be garbage for scalar operands; then unused
  auto B = [&] { return Get(fp, sb); };
  auto put = [&](const V& v) { Put(fp, d, v); };
  auto scalar = [&] { return fp[sa]; };
  using i8 = int8_t;
  using u8 = uint8_t;
  using i16 = int16_t;
  using u16 = uint16_t;
  using i32 = int32_t;
  using u32 = uint32_t;
  using i64 = int64_t;
  using u64 = uint64_t;
  switch (op) {
    // Splat, lanes, shuffles.
    case Opcode::kI8x16Splat: put(Splat<u8>(static_cast<u8>(scalar()))); break;
    case Opcode::kI16x8Splat: put(Splat<u16>(static_cast<u16>(scalar()))); break;
    case Opcode::kI32x4Splat: case Opcode::kF32x4Splat: put(Splat<u32>(static_cast<u32>(scalar()))); break;
    case Opcode::kI64x2Splat: case Opcode::kF64x2Splat: put(Splat<u64>(scalar())); break;
    case Opcode::kI8x16ExtractLaneS: fp[d] = static_cast<u32>(i32{Lane<i8>(a, lane)}); break;
    case Opcode::kI8x16ExtractLaneU: fp[d] = Lane<u8>(a, lane); break;
    case Opcode::kI16x8ExtractLaneS: fp[d] = static_cast<u32>(i32{Lane<i16>(a, lane)}); break;
    case Opcode::kI16x8ExtractLaneU: fp[d] = Lane<u16>(a, lane); break;
    case Opcode::kI32x4ExtractLane: case Opcode::kF32x4ExtractLane: fp[d] = Lane<u32>(a, lane); break;
    case Opcode::kI64x2ExtractLane: case Opcode::kF64x2ExtractLane: fp[d] = Lane<u64>(a, lane); break;
    case Opcode::kI8x16ReplaceLane: { V v = a; SetLane<u8>(v, lane, static_cast<u8>(fp[sb])); put(v); break; }
    case Opcode::kI16x8ReplaceLane: { V v = a; SetLane<u16>(v, lane, static_cast<u16>(fp[sb])); put(v); break; }
    case Opcode::kI32x4ReplaceLane: case Opcode::kF32x4ReplaceLane: { V v = a; SetLane<u32>(v, lane, static_cast<u32>(fp[sb])); put(v); break; }
    case Opcode::kI64x2ReplaceLane: case Opcode::kF64x2ReplaceLane: { V v = a; SetLane<u64>(v, lane, fp[sb]); put(v); break; }
    case Opcode::kI8x16Shuffle: {
      V b = B(), m = Get(fp, sc), r;
      for (int i = 0; i < 16; ++i) r.b[i] = m.b[i] < 16 ? a.b[m.b[i]] : b.b[(m.b[i] - 16) & 15];
      put(r);
      break;
    }
    case Opcode::kI8x16Swizzle: {
      V s = B(), r;
      for (int i = 0; i < 16; ++i) r.b[i] = s.b[i] < 16 ? a.b[s.b[i]] : 0;
      put(r);
      break;
    }
    // Bitwise.
    case Opcode::kV128Not: put(Map1<u64>(a, [](u64 x) { return ~x; })); break;
    case Opcode::kV128And: put(Map2<u64>(a, B(), [](u64 x, u64 y) { return x & y; })); break;
    case Opcode::kV128Andnot: put(Map2<u64>(a, B(), [](u64 x, u64 y) { return x & ~y; })); break;
    case Opcode::kV128Or: put(Map2<u64>(a, B(), [](u64 x, u64 y) { return x | y; })); break;
    case Opcode::kV128Xor: put(Map2<u64>(a, B(), [](u64 x, u64 y) { return x ^ y; })); break;
    case Opcode::kV128Bitselect: {
      V b = B(), c = Get(fp, sc), r;
      for (int i = 0; i < 16; ++i) r.b[i] = (a.b[i] & c.b[i]) | (b.b[i] & ~c.b[i]);
      put(r);
      break;
    }
    case Opcode::kV128AnyTrue: fp[d] = Lane<u64>(a, 0) != 0 || Lane<u64>(a, 1) != 0; break;

    // Integer comparisons.
#define ICMP(P, S, U)                                                                    \
  case Opcode::k##P##Eq: put(Cmp<U>(a, B(), [](U x, U y) { return x == y; })); break;    \
  case Opcode::k##P##Ne: put(Cmp<U>(a, B(), [](U x, U y) { return x != y; })); break;    \
  case Opcode::k##P##LtS: put(Cmp<S>(a, B(), [](S x, S y) { return x < y; })); break;    \
  case Opcode::k##P##GtS: put(Cmp<S>(a, B(), [](S x, S y) { return x > y; })); break;    \
  case Opcode::k##P##LeS: put(Cmp<S>(a, B(), [](S x, S y) { return x <= y; })); break;   \
  case Opcode::k##P##GeS: put(Cmp<S>(a, B(), [](S x, S y) { return x >= y; })); break;
#define ICMPU(P, U)                                                                      \
  case Opcode::k##P##LtU: put(Cmp<U>(a, B(), [](U x, U y) { return x < y; })); break;    \
  case Opcode::k##P##GtU: put(Cmp<U>(a, B(), [](U x, U y) { return x > y; })); break;    \
  case Opcode::k##P##LeU: put(Cmp<U>(a, B(), [](U x, U y) { return x <= y; })); break;   \
  case Opcode::k##P##GeU: put(Cmp<U>(a, B(), [](U x, U y) { return x >= y; })); break;
    ICMP(I8x16, i8, u8) ICMPU(I8x16, u8)
    ICMP(I16x8, i16, u16) ICMPU(I16x8, u16)
    ICMP(I32x4, i32, u32) ICMPU(I32x4, u32)
    ICMP(I64x2, i64, u64)
#undef ICMP
#undef ICMPU
    // Float comparisons.
#define FCMP(P, F)                                                                      \
  case Opcode::k##P##Eq: put(Cmp<F>(a, B(), [](F x, F y) { return x == y; })); break;   \
  case Opcode::k##P##Ne: put(Cmp<F>(a, B(), [](F x, F y) { return x != y; })); break;   \
  case Opcode::k##P##Lt: put(Cmp<F>(a, B(), [](F x, F y) { return x < y; })); break;    \
  case Opcode::k##P##Gt: put(Cmp<F>(a, B(), [](F x, F y) { return x > y; })); break;    \
  case Opcode::k##P##Le: put(Cmp<F>(a, B(), [](F x, F y) { return x <= y; })); break;   \
  case Opcode::k##P##Ge: put(Cmp<F>(a, B(), [](F x, F y) { return x >= y; })); break;
    FCMP(F32x4, float)
    FCMP(F64x2, double)
#undef FCMP

    // Integer arithmetic.
#define IARITH(P, S, U)                                                                          \
  case Opcode::k##P##Add: put(Map2<U>(a, B(), [](U x, U y) { return U(x + y); })); break;        \
  case Opcode::k##P##Sub: put(Map2<U>(a, B(), [](U x, U y) { return U(x - y); })); break;        \
  case Opcode::k##P##Neg: put(Map1<U>(a, [](U x) { return U(U{0} - x); })); break;               \
  case Opcode::k##P##Abs: put(Map1<S>(a, [](S x) { return x < 0 ? S(U{0} - U(x)) : x; })); break; \
  case Opcode::k##P##AllTrue: fp[d] = AllTrue<U>(a); break;                                      \
  case Opcode::k##P##Bitmask: fp[d] = Bitmask<U>(a); break;                                      \
  case Opcode::k##P##Shl: put(Shift<U>(a, static_cast<u32>(fp[sb]), 0)); break;                  \
  case Opcode::k##P##ShrS: put(Shift<U>(a, static_cast<u32>(fp[sb]), 1)); break;                 \
  case Opcode::k##P##ShrU: put(Shift<U>(a, static_cast<u32>(fp[sb]), 2)); break;
    IARITH(I8x16, i8, u8)
    IARITH(I16x8, i16, u16)
    IARITH(I32x4, i32, u32)
    IARITH(I64x2, i64, u64)
#undef IARITH
#define IMINMAX(P, S, U)                                                                  \
  case Opcode::k##P##MinS: put(Map2<S>(a, B(), [](S x, S y) { return x < y ? x : y; })); break; \
  case Opcode::k##P##MinU: put(Map2<U>(a, B(), [](U x, U y) { return x < y ? x : y; })); break; \
  case Opcode::k##P##MaxS: put(Map2<S>(a, B(), [](S x, S y) { return x > y ? x : y; })); break; \
  case Opcode::k##P##MaxU: put(Map2<U>(a, B(), [](U x, U y) { return x > y ? x : y; })); break;
    IMINMAX(I8x16, i8, u8)
    IMINMAX(I16x8, i16, u16)
    IMINMAX(I32x4, i32, u32)
#undef IMINMAX
#define ISAT(P, S, U)                                                                                  \
  case Opcode::k##P##AddSatS: put(Map2<S>(a, B(), [](S x, S y) { return Sat<S>(int64_t{x} + y); })); break; \
  case Opcode::k##P##AddSatU: put(Map2<U>(a, B(), [](U x, U y) { return Sat<U>(int64_t{x} + y); })); break; \
  case Opcode::k##P##SubSatS: put(Map2<S>(a, B(), [](S x, S y) { return Sat<S>(int64_t{x} - y); })); break; \
  case Opcode::k##P##SubSatU: put(Map2<U>(a, B(), [](U x, U y) { return Sat<U>(int64_t{x} - y); })); break; \
  case Opcode::k##P##AvgrU: put(Map2<U>(a, B(), [](U x, U y) { return U((uint32_t{x} + y + 1) / 2); })); break;
    ISAT(I8x16, i8, u8)
    ISAT(I16x8, i16, u16)
#undef ISAT
    case Opcode::kI16x8Mul: put(Map2<u16>(a, B(), [](u16 x, u16 y) { return u16(uint32_t{x} * y); })); break;
    case Opcode::kI32x4Mul: put(Map2<u32>(a, B(), [](u32 x, u32 y) { return x * y; })); break;
    case Opcode::kI64x2Mul: put(Map2<u64>(a, B(), [](u64 x, u64 y) { return x * y; })); break;
    case Opcode::kI8x16Popcnt: put(Map1<u8>(a, [](u8 x) { return std::popcount(x); })); break;
    case Opcode::kI16x8Q15mulrSatS:
      put(Map2<i16>(a, B(), [](i16 x, i16 y) { return Sat<i16>((int32_t{x} * y + 0x4000) >> 15); }));
      break;
    case Opcode::kI32x4DotI16x8S: {
      V b = B(), r;
      for (uint32_t i = 0; i < 4; ++i) {
        // Both products may be -32768 * -32768: the sum wraps (in unsigned).
        uint32_t s = static_cast<uint32_t>(int32_t{Lane<i16>(a, 2 * i)} * Lane<i16>(b, 2 * i)) +
                     static_cast<uint32_t>(int32_t{Lane<i16>(a, 2 * i + 1)} * Lane<i16>(b, 2 * i + 1));
        SetLane<u32>(r, i, s);
      }
      put(r);
      break;
    }
    case Opcode::kI8x16NarrowI16x8S: put(Narrow<i16, i8>(a, B())); break;
    case Opcode::kI8x16NarrowI16x8U: put(Narrow<i16, u8>(a, B())); break;
    case Opcode::kI16x8NarrowI32x4S: put(Narrow<i32, i16>(a, B())); break;
    case Opcode::kI16x8NarrowI32x4U: put(Narrow<i32, u16>(a, B())); break;
    case Opcode::kI16x8ExtendLowI8x16S: put(Extend<i8, i16>(a, false)); break;
    case Opcode::kI16x8ExtendHighI8x16S: put(Extend<i8, i16>(a, true)); break;
    case Opcode::kI16x8ExtendLowI8x16U: put(Extend<u8, u16>(a, false)); break;
    case Opcode::kI16x8ExtendHighI8x16U: put(Extend<u8, u16>(a, true)); break;
    case Opcode::kI32x4ExtendLowI16x8S: put(Extend<i16, i32>(a, false)); break;
    case Opcode::kI32x4ExtendHighI16x8S: put(Extend<i16, i32>(a, true)); break;
    case Opcode::kI32x4ExtendLowI16x8U: put(Extend<u16, u32>(a, false)); break;
    case Opcode::kI32x4ExtendHighI16x8U: put(Extend<u16, u32>(a, true)); break;
    case Opcode::kI64x2ExtendLowI32x4S: put(Extend<i32, i64>(a, false)); break;
    case Opcode::kI64x2ExtendHighI32x4S: put(Extend<i32, i64>(a, true)); break;
    case Opcode::kI64x2ExtendLowI32x4U: put(Extend<u32, u64>(a, false)); break;
    case Opcode::kI64x2ExtendHighI32x4U: put(Extend<u32, u64>(a, true)); break;
    case Opcode::kI16x8ExtmulLowI8x16S: put(Extmul<i8, i16>(a, B(), false)); break;
    case Opcode::kI16x8ExtmulHighI8x16S: put(Extmul<i8, i16>(a, B(), true)); break;
    case Opcode::kI16x8ExtmulLowI8x16U: put(Extmul<u8, u16>(a, B(), false)); break;
    case Opcode::kI16x8ExtmulHighI8x16U: put(Extmul<u8, u16>(a, B(), true)); break;
    case Opcode::kI32x4ExtmulLowI16x8S: put(Extmul<i16, i32>(a, B(), false)); break;
    case Opcode::kI32x4ExtmulHighI16x8S: put(Extmul<i16, i32>(a, B(), true)); break;
    case Opcode::kI32x4ExtmulLowI16x8U: put(Extmul<u16, u32>(a, B(), false)); break;
    case Opcode::kI32x4ExtmulHighI16x8U: put(Extmul<u16, u32>(a, B(), true)); break;
    case Opcode::kI64x2ExtmulLowI32x4S: put(Extmul<i32, i64>(a, B(), false)); break;
    case Opcode::kI64x2ExtmulHighI32x4S: put(Extmul<i32, i64>(a, B(), true)); break;
    case Opcode::kI64x2ExtmulLowI32x4U: put(Extmul<u32, u64>(a, B(), false)); break;
    case Opcode::kI64x2ExtmulHighI32x4U: put(Extmul<u32, u64>(a, B(), true)); break;
    case Opcode::kI16x8ExtaddPairwiseI8x16S: put(ExtaddPairwise<i8, i16>(a)); break;
    case Opcode::kI16x8ExtaddPairwiseI8x16U: put(ExtaddPairwise<u8, u16>(a)); break;
    case Opcode::kI32x4ExtaddPairwiseI16x8S: put(ExtaddPairwise<i16, i32>(a)); break;
    case Opcode::kI32x4ExtaddPairwiseI16x8U: put(ExtaddPairwise<u16, u32>(a)); break;

    // Float arithmetic.
#define FARITH(P, F, U, SIGN)                                                                     \
  case Opcode::k##P##Add: put(Map2<F>(a, B(), [](F x, F y) { return x + y; })); break;            \
  case Opcode::k##P##Sub: put(Map2<F>(a, B(), [](F x, F y) { return x - y; })); break;            \
  case Opcode::k##P##Mul: put(Map2<F>(a, B(), [](F x, F y) { return x * y; })); break;            \
  case Opcode::k##P##Div: put(Map2<F>(a, B(), [](F x, F y) { return x / y; })); break;            \
  case Opcode::k##P##Min: put(Map2<F>(a, B(), [](F x, F y) { return WasmMin(x, y); })); break;    \
  case Opcode::k##P##Max: put(Map2<F>(a, B(), [](F x, F y) { return WasmMax(x, y); })); break;    \
  case Opcode::k##P##Pmin: put(Map2<F>(a, B(), [](F x, F y) { return y < x ? y : x; })); break;   \
  case Opcode::k##P##Pmax: put(Map2<F>(a, B(), [](F x, F y) { return x < y ? y : x; })); break;   \
  case Opcode::k##P##Sqrt: put(Map1<F>(a, [](F x) { return std::sqrt(x); })); break;              \
  case Opcode::k##P##Abs: put(Map1<U>(a, [](U x) { return U(x & ~SIGN); })); break;               \
  case Opcode::k##P##Neg: put(Map1<U>(a, [](U x) { return U(x ^ SIGN); })); break;                \
  case Opcode::k##P##Ceil: put(Map1<F>(a, [](F x) { return FRound(0, x); })); break;              \
  case Opcode::k##P##Floor: put(Map1<F>(a, [](F x) { return FRound(1, x); })); break;             \
  case Opcode::k##P##Trunc: put(Map1<F>(a, [](F x) { return FRound(2, x); })); break;             \
  case Opcode::k##P##Nearest: put(Map1<F>(a, [](F x) { return FRound(3, x); })); break;
    FARITH(F32x4, float, u32, 0x8000'0000u)
    FARITH(F64x2, double, u64, 0x8000'0000'0000'0000ull)
#undef FARITH

    // Conversions.
    case Opcode::kI32x4TruncSatF32x4S: {
      V r;
      for (uint32_t i = 0; i < 4; ++i) SetLane<i32>(r, i, TruncSat<i32>(Lane<float>(a, i)));
      put(r);
      break;
    }
    case Opcode::kI32x4TruncSatF32x4U: {
      V r;
      for (uint32_t i = 0; i < 4; ++i) SetLane<u32>(r, i, TruncSat<u32>(Lane<float>(a, i)));
      put(r);
      break;
    }
    case Opcode::kI32x4TruncSatF64x2SZero: {
      V r{};
      for (uint32_t i = 0; i < 2; ++i) SetLane<i32>(r, i, TruncSat<i32>(Lane<double>(a, i)));
      put(r);
      break;
    }
    case Opcode::kI32x4TruncSatF64x2UZero: {
      V r{};
      for (uint32_t i = 0; i < 2; ++i) SetLane<u32>(r, i, TruncSat<u32>(Lane<double>(a, i)));
      put(r);
      break;
    }
    case Opcode::kF32x4ConvertI32x4S: {
      V r;
      for (uint32_t i = 0; i < 4; ++i) SetLane<float>(r, i, static_cast<float>(Lane<i32>(a, i)));
      put(r);
      break;
    }
    case Opcode::kF32x4ConvertI32x4U: {
      V r;
      for (uint32_t i = 0; i < 4; ++i) SetLane<float>(r, i, static_cast<float>(Lane<u32>(a, i)));
      put(r);
      break;
    }
    case Opcode::kF64x2ConvertLowI32x4S: {
      V r;
      for (uint32_t i = 0; i < 2; ++i) SetLane<double>(r, i, static_cast<double>(Lane<i32>(a, i)));
      put(r);
      break;
    }
    case Opcode::kF64x2ConvertLowI32x4U: {
      V r;
      for (uint32_t i = 0; i < 2; ++i) SetLane<double>(r, i, static_cast<double>(Lane<u32>(a, i)));
      put(r);
      break;
    }
    case Opcode::kF32x4DemoteF64x2Zero: {
      V r{};
      for (uint32_t i = 0; i < 2; ++i) SetLane<float>(r, i, static_cast<float>(Lane<double>(a, i)));
      put(r);
      break;
    }
    case Opcode::kF64x2PromoteLowF32x4: {
      V r;
      for (uint32_t i = 0; i < 2; ++i) SetLane<double>(r, i, static_cast<double>(Lane<float>(a, i)));
      put(r);
      break;
    }
    // Relaxed SIMD: each takes the deterministic (non-relaxed) answer, which
    // the proposal allows.
    case Opcode::kI8x16RelaxedSwizzle: {
      V s = B(), r;
      for (int i = 0; i < 16; ++i) r.b[i] = s.b[i] < 16 ? a.b[s.b[i]] : 0;
      put(r);
      break;
    }
    case Opcode::kI32x4RelaxedTruncF32x4S: {
      V r;
      for (uint32_t i = 0; i < 4; ++i) SetLane<i32>(r, i, TruncSat<i32>(Lane<float>(a, i)));
      put(r);
      break;
    }
    case Opcode::kI32x4RelaxedTruncF32x4U: {
      V r;
      for (uint32_t i = 0; i < 4; ++i) SetLane<u32>(r, i, TruncSat<u32>(Lane<float>(a, i)));
      put(r);
      break;
    }
    case Opcode::kI32x4RelaxedTruncF64x2SZero: {
      V r{};
      for (uint32_t i = 0; i < 2; ++i) SetLane<i32>(r, i, TruncSat<i32>(Lane<double>(a, i)));
      put(r);
      break;
    }
    case Opcode::kI32x4RelaxedTruncF64x2UZero: {
      V r{};
      for (uint32_t i = 0; i < 2; ++i) SetLane<u32>(r, i, TruncSat<u32>(Lane<double>(a, i)));
      put(r);
      break;
    }
#define MADD(name, F, SIGN)                                                         \
  case Opcode::k##name: {                                                           \
    V b = B(), c = Get(fp, sc), r;                                                  \
    for (uint32_t i = 0; i < Lanes<F>(); ++i) {                                     \
      SetLane<F>(r, i, SIGN (Lane<F>(a, i) * Lane<F>(b, i)) + Lane<F>(c, i));       \
    }                                                                               \
    put(r);                                                                         \
    break;                                                                          \
  }
    MADD(F32x4RelaxedMadd, float, +)
    MADD(F32x4RelaxedNmadd, float, -)
    MADD(F64x2RelaxedMadd, double, +)
    MADD(F64x2RelaxedNmadd, double, -)
#undef MADD
    case Opcode::kI8x16RelaxedLaneselect:
    case Opcode::kI16x8RelaxedLaneselect:
    case Opcode::kI32x4RelaxedLaneselect:
    case Opcode::kI64x2RelaxedLaneselect: {
      V b = B(), c = Get(fp, sc), r;
      for (int i = 0; i < 16; ++i) r.b[i] = (a.b[i] & c.b[i]) | (b.b[i] & ~c.b[i]);
      put(r);
      break;
    }
    case Opcode::kF32x4RelaxedMin: put(Map2<float>(a, B(), [](float x, float y) { return WasmMin(x, y); })); break;
    case Opcode::kF32x4RelaxedMax: put(Map2<float>(a, B(), [](float x, float y) { return WasmMax(x, y); })); break;
    case Opcode::kF64x2RelaxedMin: put(Map2<double>(a, B(), [](double x, double y) { return WasmMin(x, y); })); break;
    case Opcode::kF64x2RelaxedMax: put(Map2<double>(a, B(), [](double x, double y) { return WasmMax(x, y); })); break;
    case Opcode::kI16x8RelaxedQ15mulrS:
      put(Map2<i16>(a, B(), [](i16 x, i16 y) { return Sat<i16>((int32_t{x} * y + 0x4000) >> 15); }));
      break;
    case Opcode::kI16x8RelaxedDotI8x16I7x16S: {
      V b = B(), r;
      for (uint32_t i = 0; i < 8; ++i) {
        int32_t s = int32_t{Lane<i8>(a, 2 * i)} * Lane<i8>(b, 2 * i) +
                    int32_t{Lane<i8>(a, 2 * i + 1)} * Lane<i8>(b, 2 * i + 1);
        SetLane<i16>(r, i, static_cast<i16>(s));
      }
      put(r);
      break;
    }
    case Opcode::kI32x4RelaxedDotI8x16I7x16AddS: {
      V b = B(), c = Get(fp, sc), r;
      for (uint32_t i = 0; i < 4; ++i) {
        int32_t s = 0;
        for (uint32_t k = 0; k < 4; ++k) s += int32_t{Lane<i8>(a, 4 * i + k)} * Lane<i8>(b, 4 * i + k);
        SetLane<i32>(r, i, static_cast<i32>(static_cast<u32>(s) + Lane<u32>(c, i)));
      }
      put(r);
      break;
    }
    default:
      return TrapKind::kUnreachable;
  }
  return TrapKind::kNone;
}

TrapKind ExecSimdMem(Instance* inst, uint64_t* fp, const uint32_t* pc) {
  // opcode dst addr value memory off_lo off_hi lane
  const Opcode op = static_cast<Opcode>(pc[1]);
  const uint64_t offset = uint64_t{pc[6]} | (uint64_t{pc[7]} << 32);
  const uint32_t lane = pc[8];
  uint8_t* p;
  auto at = [&](uint64_t n) { return EffectiveAddress(inst, pc[5], fp[pc[3]], offset, n, &p); };
  auto load = [&](auto tag) {
    using T = decltype(tag);
    T x;
    std::memcpy(&x, p, sizeof(T));
    return x;
  };
  V v{};
  switch (op) {
    case Opcode::kV128Load:
      if (!at(16)) return TrapKind::kMemoryOutOfBounds;
      std::memcpy(v.b, p, 16);
      break;
    case Opcode::kV128Store:
      if (!at(16)) return TrapKind::kMemoryOutOfBounds;
      std::memcpy(p, fp + pc[4], 16);
      return TrapKind::kNone;
#define LOAD_EXTEND(name, From, To)                                                  \
  case Opcode::k##name:                                                              \
    if (!at(8)) return TrapKind::kMemoryOutOfBounds;                                 \
    for (uint32_t i = 0; i < 8 / sizeof(From); ++i) {                                \
      From x;                                                                        \
      std::memcpy(&x, p + i * sizeof(From), sizeof(From));                           \
      SetLane<To>(v, i, static_cast<To>(x));                                         \
    }                                                                                \
    break;
    LOAD_EXTEND(V128Load8x8S, int8_t, int16_t)
    LOAD_EXTEND(V128Load8x8U, uint8_t, uint16_t)
    LOAD_EXTEND(V128Load16x4S, int16_t, int32_t)
    LOAD_EXTEND(V128Load16x4U, uint16_t, uint32_t)
    LOAD_EXTEND(V128Load32x2S, int32_t, int64_t)
    LOAD_EXTEND(V128Load32x2U, uint32_t, uint64_t)
#undef LOAD_EXTEND
    case Opcode::kV128Load32Zero:
      if (!at(4)) return TrapKind::kMemoryOutOfBounds;
      std::memcpy(v.b, p, 4);
      break;
    case Opcode::kV128Load64Zero:
      if (!at(8)) return TrapKind::kMemoryOutOfBounds;
      std::memcpy(v.b, p, 8);
      break;
    case Opcode::kV128Load8Splat:
      if (!at(1)) return TrapKind::kMemoryOutOfBounds;
      v = Splat(load(uint8_t{}));
      break;
    case Opcode::kV128Load16Splat:
      if (!at(2)) return TrapKind::kMemoryOutOfBounds;
      v = Splat(load(uint16_t{}));
      break;
    case Opcode::kV128Load32Splat:
      if (!at(4)) return TrapKind::kMemoryOutOfBounds;
      v = Splat(load(uint32_t{}));
      break;
    case Opcode::kV128Load64Splat:
      if (!at(8)) return TrapKind::kMemoryOutOfBounds;
      v = Splat(load(uint64_t{}));
      break;
#define LOAD_LANE(name, T)                              \
  case Opcode::k##name:                                 \
    if (!at(sizeof(T))) return TrapKind::kMemoryOutOfBounds; \
    v = Get(fp, pc[4]);                                 \
    SetLane<T>(v, lane, load(T{}));                     \
    break;
    LOAD_LANE(V128Load8Lane, uint8_t)
    LOAD_LANE(V128Load16Lane, uint16_t)
    LOAD_LANE(V128Load32Lane, uint32_t)
    LOAD_LANE(V128Load64Lane, uint64_t)
#undef LOAD_LANE
#define STORE_LANE(name, T)                             \
  case Opcode::k##name: {                               \
    if (!at(sizeof(T))) return TrapKind::kMemoryOutOfBounds; \
    T x = Lane<T>(Get(fp, pc[4]), lane);                \
    std::memcpy(p, &x, sizeof(T));                      \
    return TrapKind::kNone;                             \
  }
    STORE_LANE(V128Store8Lane, uint8_t)
    STORE_LANE(V128Store16Lane, uint16_t)
    STORE_LANE(V128Store32Lane, uint32_t)
    STORE_LANE(V128Store64Lane, uint64_t)
#undef STORE_LANE
    default:
      return TrapKind::kUnreachable;
  }
  Put(fp, pc[2], v);
  return TrapKind::kNone;
}

}  // namespace wasmstream::wasm
