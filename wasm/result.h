// Errors as values (STYLE.md habit 2). A CompileError carries the byte offset
// in the whole module (not in the current chunk) and a message in the engines'
// wording. Result<T> holds a value or a CompileError (base/expected.h: ok()
// on success, the same template as the runtime's and the fetch layer's).
#ifndef WASMSTREAM_WASM_RESULT_H_
#define WASMSTREAM_WASM_RESULT_H_

#include <cstdint>
#include <string>
#include <utility>

#include "base/expected.h"

namespace wasmstream::wasm {

struct CompileError {
  uint32_t offset = 0;   // byte offset from the start of the module
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
