// Pieces shared by the interpreter compiler's files (compiler*.cc), not part
// of its interface.
#ifndef WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_
#define WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_

#include <cstdint>
#include <span>
#include <vector>

#include "wasm/opcodes.h"
#include "wasm/runtime/code.h"
#include "wasm/types.h"

namespace wasmstream::wasm::compiler_internal {

// Slot operands are emitted before the frame layout is known (constants and
// temporaries are counted as the body goes), so they carry a tag that
// OnFunctionEnd() replaces with the final slot index.
constexpr uint32_t kTempTag = 0x8000'0000;
constexpr uint32_t kConstTag = 0x4000'0000;
constexpr uint32_t kTagMask = kTempTag | kConstTag;

inline uint8_t WidthOf(ValueType t) { return t.kind == ValueKind::kV128 ? 2 : 1; }

inline std::vector<uint8_t> Widths(std::span<const ValueType> types) {
  std::vector<uint8_t> w;
  w.reserve(types.size());
  for (ValueType t : types) w.push_back(WidthOf(t));
  return w;
}

// The IOp of an opcode that maps one to one (numeric, load, store).
#define WASMSTREAM_IOP_CASE(name) \
  case Opcode::k##name:           \
    *out = IOp::k##name;          \
    return true;
inline bool IsNumericIOp(Opcode op, IOp* out) {
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

}  // namespace wasmstream::wasm::compiler_internal

#endif  // WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_
