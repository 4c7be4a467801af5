#include "wasm/opcodes.h"

#include <array>

#include "wasm/opcodes_impl.h"

namespace wasmstream::wasm {
namespace {

using opcode_tables::BuildIndex;
using opcode_tables::kRows;

constexpr auto kOneByte = BuildIndex<256>(0);
constexpr auto kGc = BuildIndex<32>(kGcPrefix);
constexpr auto kMisc = BuildIndex<32>(kMiscPrefix);
constexpr auto kSimd = BuildIndex<0x120>(kSimdPrefix);
constexpr auto kAtomic = BuildIndex<0x50>(kAtomicPrefix);

template <size_t N>
const OpcodeInfo* Find(const std::array<uint16_t, N>& index, uint32_t code) {
  if (code >= N || index[code] == 0) return nullptr;
  return &kRows[index[code] - 1];
}

}  // namespace

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

std::span<const OpcodeInfo> AllOpcodes() { return {kRows, opcode_tables::kNumRows}; }

std::span<const ValueType> SigParams(Sig sig) {
  const SigRow& row = opcode_tables::kSigRows[static_cast<size_t>(sig)];
  return {row.params, row.num_params};
}

std::span<const ValueType> SigResults(Sig sig) {
  const SigRow& row = opcode_tables::kSigRows[static_cast<size_t>(sig)];
  return {row.results, row.num_results};
}

}  // namespace wasmstream::wasm
