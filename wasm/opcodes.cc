#include "wasm/opcodes.h"

#include <array>

namespace wasmstream::wasm {
namespace {

constexpr OpcodeInfo kOpcodes[] = {
#define WASMSTREAM_OPCODE_ROW(name, prefix, code, text, imm, sig, mem, gate) \
  {Opcode::k##name, text, ImmKind::imm, Sig::sig, mem, Gate::gate},
    WASMSTREAM_FOREACH_OPCODE(WASMSTREAM_OPCODE_ROW)
#undef WASMSTREAM_OPCODE_ROW
};
constexpr size_t kNumOpcodes = sizeof(kOpcodes) / sizeof(kOpcodes[0]);

// Dense per-prefix index tables, built at compile time: row number + 1, 0 = none.
template <size_t N>
constexpr std::array<uint16_t, N> BuildIndex(uint8_t prefix) {
  std::array<uint16_t, N> index{};
  for (size_t i = 0; i < kNumOpcodes; ++i) {
    if (PrefixOf(kOpcodes[i].opcode) == prefix) index[CodeOf(kOpcodes[i].opcode)] = i + 1;
  }
  return index;
}
constexpr auto kOneByte = BuildIndex<256>(0);
constexpr auto kGc = BuildIndex<32>(kGcPrefix);
constexpr auto kMisc = BuildIndex<32>(kMiscPrefix);
constexpr auto kSimd = BuildIndex<0x120>(kSimdPrefix);
constexpr auto kAtomic = BuildIndex<0x50>(kAtomicPrefix);

template <size_t N>
const OpcodeInfo* Find(const std::array<uint16_t, N>& index, uint32_t code) {
  if (code >= N || index[code] == 0) return nullptr;
  return &kOpcodes[index[code] - 1];
}


}  // namespace

namespace opcode_tables {
constexpr SigRow kSigRows[] = {
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

constexpr std::array<const OpcodeInfo*, 256> BuildOneBytePointers() {
  std::array<const OpcodeInfo*, 256> out{};
  for (size_t b = 0; b < 256; ++b) out[b] = kOneByte[b] ? &kOpcodes[kOneByte[b] - 1] : nullptr;
  return out;
}
constexpr std::array<const OpcodeInfo*, 256> kOneByteRows = BuildOneBytePointers();

}  // namespace opcode_tables

uint32_t GateMask(const Features& features) {
  uint32_t mask = 0;
  for (uint32_t g = 0; g <= static_cast<uint32_t>(Gate::kGc); ++g) {
    if (GateOpen(static_cast<Gate>(g), features)) mask |= 1u << g;
  }
  return mask;
}

bool GateOpen(Gate gate, const Features& f) {
  switch (gate) {
    case Gate::kMvp: return true;
    case Gate::kSignExtension: return f.has(Feature::kSignExtension);
    case Gate::kSaturatingFloatToInt: return f.has(Feature::kSaturatingFloatToInt);
    case Gate::kBulkMemory: return f.has(Feature::kBulkMemory);
    case Gate::kReferenceTypes: return f.has(Feature::kReferenceTypes);
    case Gate::kSimd: return f.has(Feature::kSimd);
    case Gate::kRelaxedSimd: return f.has(Feature::kRelaxedSimd) && f.has(Feature::kSimd);
    case Gate::kThreads: return f.has(Feature::kThreads);
    case Gate::kExceptions: return f.has(Feature::kExceptions);
    case Gate::kLegacyExceptions: return f.has(Feature::kLegacyExceptions);
    case Gate::kAnyExceptions:
      return f.has(Feature::kExceptions) || f.has(Feature::kLegacyExceptions);
    case Gate::kTailCall: return f.has(Feature::kTailCall);
    case Gate::kTailCallRef:
      return f.has(Feature::kTailCall) && f.has(Feature::kFunctionReferences);
    case Gate::kFunctionReferences: return f.has(Feature::kFunctionReferences);
    case Gate::kGc: return f.has(Feature::kGc);
  }
  return false;
}

const OpcodeInfo* LookupOpcode(uint8_t prefix, uint32_t code) {
  switch (prefix) {
    case 0: return Find(kOneByte, code);
    case kGcPrefix: return Find(kGc, code);
    case kMiscPrefix: return Find(kMisc, code);
    case kSimdPrefix: return Find(kSimd, code);
    case kAtomicPrefix: return Find(kAtomic, code);
  }
  return nullptr;
}

const OpcodeInfo& InfoOf(Opcode op) { return *LookupOpcode(PrefixOf(op), CodeOf(op)); }

std::span<const OpcodeInfo> AllOpcodes() { return {kOpcodes, kNumOpcodes}; }

std::span<const ValueType> SigParams(Sig sig) {
  const SigRow& row = opcode_tables::kSigRows[static_cast<size_t>(sig)];
  return {row.params, row.num_params};
}

std::span<const ValueType> SigResults(Sig sig) {
  const SigRow& row = opcode_tables::kSigRows[static_cast<size_t>(sig)];
  return {row.results, row.num_results};
}

}  // namespace wasmstream::wasm
