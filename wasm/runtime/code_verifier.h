// The verifier that makes compiled code loaded from the code cache safe to
// run (wasm/serialization/serializer.cc calls it for every function it loads): a cache
// entry is hostile input, and the interpreter trusts its code (no bounds
// checks on slots or indices at run time).
#ifndef WASMSTREAM_WASM_RUNTIME_CODE_VERIFIER_H_
#define WASMSTREAM_WASM_RUNTIME_CODE_VERIFIER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "wasm/module.h"
#include "wasm/result.h"
#include "wasm/runtime/code.h"

namespace wasmstream::wasm {

// Checks that {code} is safe to run as function {code.func_index} of
// {module}: every operation known and whole, every slot inside the frame,
// every index inside the module's index spaces, every branch target on an
// operation boundary, no fall-through past the end; then the type of every
// slot at every operation (code_type_checker.h).
Status VerifyFunctionCode(const Module& module, const FunctionCode& code);

// What each operand word of an operation is, for tools that edit compiled
// code (the loader's fuzzer, tests).
enum class OperandKind : uint8_t {
  kSlot,       // a frame slot (or a call's argument base)
  kTarget,     // a branch target
  kIndex,      // an index into one of the module's index spaces
  kImmediate,  // anything else: an offset, a count, an opcode, a heap type
};
// The operation at {code[at]}: appends the kind of each word after the
// opcode to {kinds} and returns its length in words, or 0 when the opcode
// is unknown or the operation runs past the end.
uint32_t DescribeOperation(std::span<const uint32_t> code, size_t at, std::vector<OperandKind>* kinds);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_CODE_VERIFIER_H_
