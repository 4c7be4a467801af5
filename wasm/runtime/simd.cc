// SIMD (v128) operations, out of line: lane-wise loops over 16-byte values
// held in two slots. Covers loads/stores, splats, lane access, bitwise ops
// and the integer and float lane arithmetic used by compilers; the rest
// traps as unreachable (listed in README's runtime section as missing).
#include <cmath>
#include <cstring>

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

template <typename T, typename F>
V Map2(const V& a, const V& b, F f) {
  V r;
  constexpr int n = 16 / sizeof(T);
  for (int i = 0; i < n; ++i) {
    T x, y;
    std::memcpy(&x, a.b + i * sizeof(T), sizeof(T));
    std::memcpy(&y, b.b + i * sizeof(T), sizeof(T));
    T z = f(x, y);
    std::memcpy(r.b + i * sizeof(T), &z, sizeof(T));
  }
  return r;
}
template <typename T, typename F>
V Map1(const V& a, F f) {
  V r;
  constexpr int n = 16 / sizeof(T);
  for (int i = 0; i < n; ++i) {
    T x;
    std::memcpy(&x, a.b + i * sizeof(T), sizeof(T));
    T z = f(x);
    std::memcpy(r.b + i * sizeof(T), &z, sizeof(T));
  }
  return r;
}
template <typename T>
V Splat(T x) {
  V r;
  for (size_t i = 0; i < 16 / sizeof(T); ++i) std::memcpy(r.b + i * sizeof(T), &x, sizeof(T));
  return r;
}
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
T Mask(bool c) {
  return c ? static_cast<T>(~T{0}) : T{0};
}

}  // namespace

TrapKind ExecSimd(uint64_t* fp, const uint32_t* pc) {
  // opcode dst a b c imm
  Opcode op = static_cast<Opcode>(pc[1]);
  uint32_t d = pc[2], sa = pc[3], sb = pc[4], sc = pc[5], lane = pc[6];
  auto A = [&] { return Get(fp, sa); };
  auto B = [&] { return Get(fp, sb); };
  auto put = [&](const V& v) { Put(fp, d, v); };
  switch (op) {
    case Opcode::kI8x16Splat: put(Splat<uint8_t>(static_cast<uint8_t>(fp[sa]))); break;
    case Opcode::kI16x8Splat: put(Splat<uint16_t>(static_cast<uint16_t>(fp[sa]))); break;
    case Opcode::kI32x4Splat: put(Splat<uint32_t>(static_cast<uint32_t>(fp[sa]))); break;
    case Opcode::kI64x2Splat: put(Splat<uint64_t>(fp[sa])); break;
    case Opcode::kF32x4Splat: put(Splat<uint32_t>(static_cast<uint32_t>(fp[sa]))); break;
    case Opcode::kF64x2Splat: put(Splat<uint64_t>(fp[sa])); break;
    case Opcode::kI8x16ExtractLaneS: fp[d] = static_cast<uint32_t>(int32_t{Lane<int8_t>(A(), lane)}); break;
    case Opcode::kI8x16ExtractLaneU: fp[d] = Lane<uint8_t>(A(), lane); break;
    case Opcode::kI16x8ExtractLaneS: fp[d] = static_cast<uint32_t>(int32_t{Lane<int16_t>(A(), lane)}); break;
    case Opcode::kI16x8ExtractLaneU: fp[d] = Lane<uint16_t>(A(), lane); break;
    case Opcode::kI32x4ExtractLane: case Opcode::kF32x4ExtractLane: fp[d] = Lane<uint32_t>(A(), lane); break;
    case Opcode::kI64x2ExtractLane: case Opcode::kF64x2ExtractLane: fp[d] = Lane<uint64_t>(A(), lane); break;
    case Opcode::kI8x16ReplaceLane: { V v = A(); SetLane<uint8_t>(v, lane, static_cast<uint8_t>(fp[sb])); put(v); break; }
    case Opcode::kI16x8ReplaceLane: { V v = A(); SetLane<uint16_t>(v, lane, static_cast<uint16_t>(fp[sb])); put(v); break; }
    case Opcode::kI32x4ReplaceLane: case Opcode::kF32x4ReplaceLane: { V v = A(); SetLane<uint32_t>(v, lane, static_cast<uint32_t>(fp[sb])); put(v); break; }
    case Opcode::kI64x2ReplaceLane: case Opcode::kF64x2ReplaceLane: { V v = A(); SetLane<uint64_t>(v, lane, fp[sb]); put(v); break; }
    case Opcode::kI8x16Shuffle: {
      V a = A(), b = B(), m = Get(fp, sc), r;
      for (int i = 0; i < 16; ++i) r.b[i] = m.b[i] < 16 ? a.b[m.b[i]] : b.b[m.b[i] - 16];
      put(r);
      break;
    }
    case Opcode::kI8x16Swizzle: {
      V a = A(), s = B(), r;
      for (int i = 0; i < 16; ++i) r.b[i] = s.b[i] < 16 ? a.b[s.b[i]] : 0;
      put(r);
      break;
    }
    case Opcode::kV128Not: put(Map1<uint64_t>(A(), [](uint64_t x) { return ~x; })); break;
    case Opcode::kV128And: put(Map2<uint64_t>(A(), B(), [](uint64_t x, uint64_t y) { return x & y; })); break;
    case Opcode::kV128Andnot: put(Map2<uint64_t>(A(), B(), [](uint64_t x, uint64_t y) { return x & ~y; })); break;
    case Opcode::kV128Or: put(Map2<uint64_t>(A(), B(), [](uint64_t x, uint64_t y) { return x | y; })); break;
    case Opcode::kV128Xor: put(Map2<uint64_t>(A(), B(), [](uint64_t x, uint64_t y) { return x ^ y; })); break;
    case Opcode::kV128Bitselect: {
      V a = A(), b = B(), c = Get(fp, sc), r;
      for (int i = 0; i < 16; ++i) r.b[i] = (a.b[i] & c.b[i]) | (b.b[i] & ~c.b[i]);
      put(r);
      break;
    }
    case Opcode::kV128AnyTrue: {
      V a = A();
      bool any = false;
      for (int i = 0; i < 16; ++i) any |= a.b[i] != 0;
      fp[d] = any;
      break;
    }
#define INT_ARITH(P, T)                                                                        \
  case Opcode::k##P##Add: put(Map2<T>(A(), B(), [](T x, T y) { return T(x + y); })); break;    \
  case Opcode::k##P##Sub: put(Map2<T>(A(), B(), [](T x, T y) { return T(x - y); })); break;    \
  case Opcode::k##P##Neg: put(Map1<T>(A(), [](T x) { return T(T{0} - x); })); break;           \
  case Opcode::k##P##Eq: put(Map2<T>(A(), B(), [](T x, T y) { return Mask<T>(x == y); })); break; \
  case Opcode::k##P##Ne: put(Map2<T>(A(), B(), [](T x, T y) { return Mask<T>(x != y); })); break;
    INT_ARITH(I8x16, uint8_t)
    INT_ARITH(I16x8, uint16_t)
    INT_ARITH(I32x4, uint32_t)
    INT_ARITH(I64x2, uint64_t)
#undef INT_ARITH
    case Opcode::kI16x8Mul: put(Map2<uint16_t>(A(), B(), [](uint16_t x, uint16_t y) { return uint16_t(x * y); })); break;
    case Opcode::kI32x4Mul: put(Map2<uint32_t>(A(), B(), [](uint32_t x, uint32_t y) { return x * y; })); break;
    case Opcode::kI64x2Mul: put(Map2<uint64_t>(A(), B(), [](uint64_t x, uint64_t y) { return x * y; })); break;
    case Opcode::kI32x4Shl: { uint32_t s = fp[sb] & 31; put(Map1<uint32_t>(A(), [s](uint32_t x) { return x << s; })); break; }
    case Opcode::kI32x4ShrS: { uint32_t s = fp[sb] & 31; put(Map1<int32_t>(A(), [s](int32_t x) { return x >> s; })); break; }
    case Opcode::kI32x4ShrU: { uint32_t s = fp[sb] & 31; put(Map1<uint32_t>(A(), [s](uint32_t x) { return x >> s; })); break; }
    case Opcode::kI32x4LtS: put(Map2<int32_t>(A(), B(), [](int32_t x, int32_t y) { return Mask<int32_t>(x < y); })); break;
    case Opcode::kI32x4GtS: put(Map2<int32_t>(A(), B(), [](int32_t x, int32_t y) { return Mask<int32_t>(x > y); })); break;
    case Opcode::kI32x4LtU: put(Map2<uint32_t>(A(), B(), [](uint32_t x, uint32_t y) { return Mask<uint32_t>(x < y); })); break;
    case Opcode::kI32x4GtU: put(Map2<uint32_t>(A(), B(), [](uint32_t x, uint32_t y) { return Mask<uint32_t>(x > y); })); break;
#define FLOAT_ARITH(P, T)                                                                          \
  case Opcode::k##P##Add: put(Map2<T>(A(), B(), [](T x, T y) { return x + y; })); break;          \
  case Opcode::k##P##Sub: put(Map2<T>(A(), B(), [](T x, T y) { return x - y; })); break;          \
  case Opcode::k##P##Mul: put(Map2<T>(A(), B(), [](T x, T y) { return x * y; })); break;          \
  case Opcode::k##P##Div: put(Map2<T>(A(), B(), [](T x, T y) { return x / y; })); break;          \
  case Opcode::k##P##Min: put(Map2<T>(A(), B(), [](T x, T y) { return WasmMin(x, y); })); break;  \
  case Opcode::k##P##Max: put(Map2<T>(A(), B(), [](T x, T y) { return WasmMax(x, y); })); break;  \
  case Opcode::k##P##Sqrt: put(Map1<T>(A(), [](T x) { return std::sqrt(x); })); break;
    FLOAT_ARITH(F32x4, float)
    FLOAT_ARITH(F64x2, double)
#undef FLOAT_ARITH
    default:
      return TrapKind::kUnreachable;
  }
  return TrapKind::kNone;
}

TrapKind ExecSimdMem(Instance* inst, uint64_t* fp, const uint32_t* pc) {
  // opcode dst addr value memory off_lo off_hi lane
  Opcode op = static_cast<Opcode>(pc[1]);
  uint64_t offset = uint64_t{pc[6]} | (uint64_t{pc[7]} << 32);
  uint8_t* p;
  auto at = [&](uint64_t n) { return EffectiveAddress(inst, pc[5], fp[pc[3]], offset, n, &p); };
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
      v = Splat<uint8_t>(*p);
      break;
    case Opcode::kV128Load16Splat: {
      if (!at(2)) return TrapKind::kMemoryOutOfBounds;
      uint16_t x;
      std::memcpy(&x, p, 2);
      v = Splat(x);
      break;
    }
    case Opcode::kV128Load32Splat: {
      if (!at(4)) return TrapKind::kMemoryOutOfBounds;
      uint32_t x;
      std::memcpy(&x, p, 4);
      v = Splat(x);
      break;
    }
    case Opcode::kV128Load64Splat: {
      if (!at(8)) return TrapKind::kMemoryOutOfBounds;
      uint64_t x;
      std::memcpy(&x, p, 8);
      v = Splat(x);
      break;
    }
    default:
      return TrapKind::kUnreachable;
  }
  Put(fp, pc[2], v);
  return TrapKind::kNone;
}

}  // namespace wasmstream::wasm
