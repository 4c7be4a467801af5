// Errors of instantiation and execution, as values (never C++ exceptions):
// the kind is the JS error class an embedder maps it to, the message is in the
// spec interpreter's wording so the testsuite's assert_trap texts match.
#ifndef WASMSTREAM_WASM_RUNTIME_ERROR_H_
#define WASMSTREAM_WASM_RUNTIME_ERROR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

#include "base/expected.h"

namespace wasmstream::wasm {

// Append-only.
enum class TrapKind : uint8_t {
  kNone = 0,
  kUnreachable,          // "unreachable"
  kDivByZero,            // "integer divide by zero"
  kIntOverflow,          // "integer overflow"
  kInvalidConversion,    // "invalid conversion to integer"
  kMemoryOutOfBounds,    // "out of bounds memory access"
  kTableOutOfBounds,     // "out of bounds table access"
  kUndefinedElement,     // "undefined element" (call_indirect index >= table size)
  kUninitializedElement, // "uninitialized element" (call_indirect of a null entry)
  kIndirectCallMismatch, // "indirect call type mismatch"
  kNullReference,        // "null function reference", call_ref/ref.as_non_null of null
  kCallStackExhausted,   // "call stack exhausted" (a RangeError in JS)
  kUnalignedAtomic,      // "unaligned atomic"
  kUncaughtException,    // a wasm exception left the outermost call
  kHostError,            // a host function failed; the message is the host's
  kDataSegmentOutOfBounds,  // "out of bounds memory access" (memory.init)
  kArrayOutOfBounds,     // "out of bounds array access"
  kCastFailure,          // "cast failure"
  kNullStructRef,        // "null structure reference"
  kNullArrayRef,         // "null array reference"
  kNullI31Ref,           // "null i31 reference"
  kArrayTooLarge,        // "requested new array is too large" (kMaxArrayLength)
  kGcHeapExhausted,      // "GC heap exhausted" (a RangeError; kMaxGcHeapBytes)
  kWaitForever,          // "atomic wait would never return": infinite wait, no other agent
  kWaitOnUnsharedMemory, // "expected shared memory": memory.atomic.wait on an unshared memory
  kInterrupted,          // "interrupted": Store::Interrupt() from the host
  kDeadlineExceeded,     // "deadline exceeded": the Store's deadline passed
};

const char* TrapMessage(TrapKind k);

enum class ErrorKind : uint8_t {
  kLinkError,     // an import does not match (WebAssembly.LinkError)
  kTypeError,     // an import is of the wrong JS type / missing module object
  kRuntimeError,  // a trap (WebAssembly.RuntimeError)
  kRangeError,    // call stack exhausted, memory/table allocation failed
  kException,     // an uncaught wasm exception (WebAssembly.Exception)
  kCompileError,  // a function compiled on its first call failed (WebAssembly.CompileError)
};

const char* ToString(ErrorKind k);  // "LinkError", …

struct Exception;  // store.h

struct Error {
  ErrorKind kind = ErrorKind::kRuntimeError;
  std::string message;
  TrapKind trap = TrapKind::kNone;  // for kRuntimeError/kRangeError from a trap
  const Exception* exception = nullptr;  // kException: the thrown wasm exception

  static Error Trap(TrapKind k);
  static Error Link(std::string m) { return {ErrorKind::kLinkError, std::move(m)}; }
  static Error Type(std::string m) { return {ErrorKind::kTypeError, std::move(m)}; }
  static Error Range(std::string m) { return {ErrorKind::kRangeError, std::move(m)}; }
  // "RuntimeError: unreachable"
  std::string Format() const { return std::string(ToString(kind)) + ": " + message; }
};

// A value or an Error (base/expected.h: ok() on success).
template <typename T>
using Outcome = Expected<T, Error>;

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_ERROR_H_
