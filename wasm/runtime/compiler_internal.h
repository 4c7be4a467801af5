// Pieces shared by the interpreter compiler's files (compiler*.cc), not part
// of its interface.
#ifndef WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_
#define WASMSTREAM_WASM_RUNTIME_COMPILER_INTERNAL_H_

#include <cstdint>

#include "wasm/opcodes.h"
#include "wasm/runtime/code.h"
#include "wasm/types.h"

namespace wasmstream::wasm::compiler_internal {

inline uint8_t WidthOf(ValueType t) { return t.kind == ValueKind::kV128 ? 2 : 1; }

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
