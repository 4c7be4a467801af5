#include "wasm/runtime/error.h"

namespace wasmstream::wasm {

const char* TrapMessage(TrapKind k) {
  switch (k) {
    case TrapKind::kNone: return "no trap";
    case TrapKind::kUnreachable: return "unreachable";
    case TrapKind::kDivByZero: return "integer divide by zero";
    case TrapKind::kIntOverflow: return "integer overflow";
    case TrapKind::kInvalidConversion: return "invalid conversion to integer";
    case TrapKind::kMemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::kTableOutOfBounds: return "out of bounds table access";
    case TrapKind::kUndefinedElement: return "undefined element";
    case TrapKind::kUninitializedElement: return "uninitialized element";
    case TrapKind::kIndirectCallMismatch: return "indirect call type mismatch";
    case TrapKind::kNullReference: return "null function reference";
    case TrapKind::kCallStackExhausted: return "call stack exhausted";
    case TrapKind::kUnalignedAtomic: return "unaligned atomic";
    case TrapKind::kUncaughtException: return "uncaught exception";
    case TrapKind::kHostError: return "host function failed";
    case TrapKind::kDataSegmentOutOfBounds: return "out of bounds memory access";
    case TrapKind::kArrayOutOfBounds: return "out of bounds array access";
    case TrapKind::kCastFailure: return "cast failure";
    case TrapKind::kNullStructRef: return "null structure reference";
    case TrapKind::kNullArrayRef: return "null array reference";
    case TrapKind::kNullI31Ref: return "null i31 reference";
    case TrapKind::kArrayTooLarge: return "requested new array is too large";
    case TrapKind::kGcHeapExhausted: return "GC heap exhausted";
    case TrapKind::kWaitForever: return "atomic wait would never return (no other agent can notify)";
    case TrapKind::kWaitOnUnsharedMemory: return "expected shared memory";
    case TrapKind::kInterrupted: return "interrupted";
    case TrapKind::kDeadlineExceeded: return "deadline exceeded";
  }
  return "trap";
}

const char* ToString(ErrorKind k) {
  switch (k) {
    case ErrorKind::kLinkError: return "LinkError";
    case ErrorKind::kTypeError: return "TypeError";
    case ErrorKind::kRuntimeError: return "RuntimeError";
    case ErrorKind::kRangeError: return "RangeError";
    case ErrorKind::kException: return "Exception";
    case ErrorKind::kCompileError: return "CompileError";
  }
  return "Error";
}

Error Error::Trap(TrapKind k) {
  ErrorKind kind = k == TrapKind::kCallStackExhausted || k == TrapKind::kGcHeapExhausted
                       ? ErrorKind::kRangeError
                   : k == TrapKind::kUncaughtException ? ErrorKind::kException
                                                       : ErrorKind::kRuntimeError;
  return Error{kind, TrapMessage(k), k};
}

}  // namespace wasmstream::wasm
