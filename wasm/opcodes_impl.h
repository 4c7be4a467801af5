// The opcode table as compile-time data, for the code that needs it folded
// into constants: wasm/opcodes.cc (its lookups) and the function-body
// decoder's dispatch (wasm/body_dispatch.cc), which specializes one handler
// per one-byte opcode from these rows. Everyone else uses wasm/opcodes.h.
#ifndef WASMSTREAM_WASM_OPCODES_IMPL_H_
#define WASMSTREAM_WASM_OPCODES_IMPL_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "wasm/opcodes.h"

namespace wasmstream::wasm::opcode_tables {

// Every row of WASMSTREAM_FOREACH_OPCODE, in table order.
inline constexpr OpcodeInfo kRows[] = {
#define WASMSTREAM_OPCODE_ROW(name, prefix, code, text, imm, sig, mem, gate) \
  {Opcode::k##name, text, ImmKind::imm, Sig::sig, mem, Gate::gate},
    WASMSTREAM_FOREACH_OPCODE(WASMSTREAM_OPCODE_ROW)
#undef WASMSTREAM_OPCODE_ROW
};
inline constexpr size_t kNumRows = sizeof(kRows) / sizeof(kRows[0]);

// Dense per-prefix index: row number + 1, 0 where no opcode.
template <size_t N>
constexpr std::array<uint16_t, N> BuildIndex(uint8_t prefix) {
  std::array<uint16_t, N> index{};
  for (size_t i = 0; i < kNumRows; ++i) {
    if (PrefixOf(kRows[i].opcode) == prefix) index[CodeOf(kRows[i].opcode)] = i + 1;
  }
  return index;
}

// One-byte opcodes: row number + 1, 0 where no opcode. (Compile-time code
// tests this index, not a row pointer against null: GCC does not fold that
// comparison under -fsanitize=undefined.)
inline constexpr std::array<uint16_t, 256> kOneByteIndex = BuildIndex<256>(0);

constexpr std::array<const OpcodeInfo*, 256> BuildOneBytePointers() {
  std::array<const OpcodeInfo*, 256> out{};
  for (size_t b = 0; b < 256; ++b) {
    out[b] = kOneByteIndex[b] ? &kRows[kOneByteIndex[b] - 1] : nullptr;
  }
  return out;
}
// One-byte opcodes: the row, null where no opcode (prefix bytes have none).
inline constexpr std::array<const OpcodeInfo*, 256> kOneByteRows = BuildOneBytePointers();

// The signatures of Sig, indexed by the enum.
inline constexpr SigRow kSigRows[] = {
    {Sig::kSpecial, {}, 0, {}, 0},
    {Sig::kD_D, {ValueType::F64()}, 1, {ValueType::F64()}, 1},
    {Sig::kD_DD, {ValueType::F64(), ValueType::F64()}, 2, {ValueType::F64()}, 1},
    {Sig::kD_F, {ValueType::F32()}, 1, {ValueType::F64()}, 1},
    {Sig::kD_I, {ValueType::I32()}, 1, {ValueType::F64()}, 1},
    {Sig::kD_L, {ValueType::I64()}, 1, {ValueType::F64()}, 1},
    {Sig::kD_S, {ValueType::V128()}, 1, {ValueType::F64()}, 1},
    {Sig::kF_D, {ValueType::F64()}, 1, {ValueType::F32()}, 1},
    {Sig::kF_F, {ValueType::F32()}, 1, {ValueType::F32()}, 1},
    {Sig::kF_FF, {ValueType::F32(), ValueType::F32()}, 2, {ValueType::F32()}, 1},
    {Sig::kF_I, {ValueType::I32()}, 1, {ValueType::F32()}, 1},
    {Sig::kF_L, {ValueType::I64()}, 1, {ValueType::F32()}, 1},
    {Sig::kF_S, {ValueType::V128()}, 1, {ValueType::F32()}, 1},
    {Sig::kI_D, {ValueType::F64()}, 1, {ValueType::I32()}, 1},
    {Sig::kI_DD, {ValueType::F64(), ValueType::F64()}, 2, {ValueType::I32()}, 1},
    {Sig::kI_F, {ValueType::F32()}, 1, {ValueType::I32()}, 1},
    {Sig::kI_FF, {ValueType::F32(), ValueType::F32()}, 2, {ValueType::I32()}, 1},
    {Sig::kI_I, {ValueType::I32()}, 1, {ValueType::I32()}, 1},
    {Sig::kI_II, {ValueType::I32(), ValueType::I32()}, 2, {ValueType::I32()}, 1},
    {Sig::kI_III, {ValueType::I32(), ValueType::I32(), ValueType::I32()}, 3, {ValueType::I32()}, 1},
    {Sig::kI_IIL, {ValueType::I32(), ValueType::I32(), ValueType::I64()}, 3, {ValueType::I32()}, 1},
    {Sig::kI_ILL, {ValueType::I32(), ValueType::I64(), ValueType::I64()}, 3, {ValueType::I32()}, 1},
    {Sig::kI_L, {ValueType::I64()}, 1, {ValueType::I32()}, 1},
    {Sig::kI_LL, {ValueType::I64(), ValueType::I64()}, 2, {ValueType::I32()}, 1},
    {Sig::kI_S, {ValueType::V128()}, 1, {ValueType::I32()}, 1},
    {Sig::kL_D, {ValueType::F64()}, 1, {ValueType::I64()}, 1},
    {Sig::kL_F, {ValueType::F32()}, 1, {ValueType::I64()}, 1},
    {Sig::kL_I, {ValueType::I32()}, 1, {ValueType::I64()}, 1},
    {Sig::kL_IL, {ValueType::I32(), ValueType::I64()}, 2, {ValueType::I64()}, 1},
    {Sig::kL_ILL, {ValueType::I32(), ValueType::I64(), ValueType::I64()}, 3, {ValueType::I64()}, 1},
    {Sig::kL_L, {ValueType::I64()}, 1, {ValueType::I64()}, 1},
    {Sig::kL_LL, {ValueType::I64(), ValueType::I64()}, 2, {ValueType::I64()}, 1},
    {Sig::kL_S, {ValueType::V128()}, 1, {ValueType::I64()}, 1},
    {Sig::kS_D, {ValueType::F64()}, 1, {ValueType::V128()}, 1},
    {Sig::kS_F, {ValueType::F32()}, 1, {ValueType::V128()}, 1},
    {Sig::kS_I, {ValueType::I32()}, 1, {ValueType::V128()}, 1},
    {Sig::kS_IS, {ValueType::I32(), ValueType::V128()}, 2, {ValueType::V128()}, 1},
    {Sig::kS_L, {ValueType::I64()}, 1, {ValueType::V128()}, 1},
    {Sig::kS_S, {ValueType::V128()}, 1, {ValueType::V128()}, 1},
    {Sig::kS_SD, {ValueType::V128(), ValueType::F64()}, 2, {ValueType::V128()}, 1},
    {Sig::kS_SF, {ValueType::V128(), ValueType::F32()}, 2, {ValueType::V128()}, 1},
    {Sig::kS_SI, {ValueType::V128(), ValueType::I32()}, 2, {ValueType::V128()}, 1},
    {Sig::kS_SL, {ValueType::V128(), ValueType::I64()}, 2, {ValueType::V128()}, 1},
    {Sig::kS_SS, {ValueType::V128(), ValueType::V128()}, 2, {ValueType::V128()}, 1},
    {Sig::kS_SSS, {ValueType::V128(), ValueType::V128(), ValueType::V128()}, 3, {ValueType::V128()}, 1},
    {Sig::kV_ID, {ValueType::I32(), ValueType::F64()}, 2, {}, 0},
    {Sig::kV_IF, {ValueType::I32(), ValueType::F32()}, 2, {}, 0},
    {Sig::kV_II, {ValueType::I32(), ValueType::I32()}, 2, {}, 0},
    {Sig::kV_IL, {ValueType::I32(), ValueType::I64()}, 2, {}, 0},
    {Sig::kV_IS, {ValueType::I32(), ValueType::V128()}, 2, {}, 0},
    {Sig::kV_V, {}, 0, {}, 0},
};

constexpr bool SigsInOrder() {
  for (size_t i = 0; i < sizeof(kSigRows) / sizeof(kSigRows[0]); ++i) {
    if (static_cast<size_t>(kSigRows[i].sig) != i) return false;
  }
  return true;
}
static_assert(SigsInOrder(), "kSigRows rows must follow the Sig enum");

}  // namespace wasmstream::wasm::opcode_tables

#endif  // WASMSTREAM_WASM_OPCODES_IMPL_H_
