// Errors as values: no exception crosses a layer. A CompileError carries the
// byte offset in the whole module (not in the current chunk) and a message in
// the engines' wording. The serialized-module loader (wasm/serialization/)
// uses the same type, its offset then counting from the start of the
// serialized bytes. Result<T> holds a value or a CompileError (base/expected.h: ok()
// on success, the same template as the runtime's and the fetch layer's).
#ifndef WASMSTREAM_WASM_RESULT_H_
#define WASMSTREAM_WASM_RESULT_H_

#include <cstdint>
#include <string>
#include <utility>

#include "base/expected.h"

namespace wasmstream::wasm {

struct CompileError {
  uint32_t offset = 0;   // from the start of the module (or of the serialized bytes)
  std::string message;   // without the " @+offset" suffix; see Format()
  // "message @+offset", the form error strings are shown in.
  std::string Format() const { return message + " @+" + std::to_string(offset); }
  bool operator==(const CompileError&) const = default;
};

template <typename T>
using Result = Expected<T, CompileError>;

// For operations that produce nothing but may fail.
using Status = Result<Ok>;

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RESULT_H_
