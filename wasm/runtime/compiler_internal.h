// Pieces shared by the interpreter compiler's files (compiler*.cc), not part
// of its interface.
#ifndef WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_
#define WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_

#include <array>
#include <cstdint>

#include "wasm/opcodes.h"
#include "wasm/opcodes_impl.h"
#include "wasm/runtime/code.h"
#include "wasm/types.h"

namespace wasmstream::wasm::compiler_internal {

constexpr uint8_t WidthOf(ValueType t) { return t.kind == ValueKind::kV128 ? 2 : 1; }

// The IOp of an opcode that maps one to one (numeric, load, store).
#define WASMSTREAM_IOP_CASE(name) \
  case Opcode::k##name:           \
    *out = IOp::k##name;          \
    return true;
constexpr bool IsNumericIOp(Opcode op, IOp* out) {
  switch (op) {
    WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_IOP_CASE)
    default: return false;
  }
}
inline bool IsLoadIOp(Opcode op, IOp* out) {
  switch (op) {
    WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_IOP_CASE)
    default: return false;
  }
}
inline bool IsStoreIOp(Opcode op, IOp* out) {
  switch (op) {
    WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_IOP_CASE)
    default: return false;
  }
}
#undef WASMSTREAM_IOP_CASE

// The one-byte numeric opcodes as the compiler emits them, folded at compile
// time: OnInstruction's first test, instead of the switch, the opcode-table
// lookup and the signature for every arithmetic instruction.
struct OneByteNumeric {
  IOp iop = IOp::kUnreachable;
  uint8_t params = 0;  // 0: not a numeric opcode
  uint8_t result_width = 0;
};
constexpr std::array<OneByteNumeric, 256> BuildOneByteNumeric() {
  std::array<OneByteNumeric, 256> table{};
  for (size_t b = 0; b < 256; ++b) {
    uint16_t row = opcode_tables::kOneByteIndex[b];
    if (row == 0) continue;
    const OpcodeInfo& info = opcode_tables::kRows[row - 1];
    IOp iop = IOp::kUnreachable;
    if (!IsNumericIOp(info.opcode, &iop)) continue;
    const SigRow& sig = opcode_tables::kSigRows[static_cast<size_t>(info.sig)];
    table[b] = {iop, static_cast<uint8_t>(sig.num_params), WidthOf(sig.results[0])};
  }
  return table;
}
inline constexpr std::array<OneByteNumeric, 256> kOneByteNumeric = BuildOneByteNumeric();

}  // namespace wasmstream::wasm::compiler_internal

#endif  // WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_
