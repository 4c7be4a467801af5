// The verifier that makes compiled code loaded from the code cache safe to
// run (wasm/serializer.cc calls it for every function it loads): a cache
// entry is hostile input, and the interpreter trusts its code (no bounds
// checks on slots or indices at run time).
#ifndef WASMSTREAM_WASM_RUNTIME_CODE_VERIFIER_H_
#define WASMSTREAM_WASM_RUNTIME_CODE_VERIFIER_H_

#include <cstdint>

#include "wasm/module.h"
#include "wasm/result.h"
#include "wasm/runtime/code.h"

namespace wasmstream::wasm {

// Checks that {code} is safe to run as function {code.func_index} of
// {module}: every operation known and whole, every slot inside the frame,
// every index inside the module's index spaces, every branch target on an
// operation boundary, no fall-through past the end.
Status VerifyFunctionCode(const Module& module, const FunctionCode& code);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_CODE_VERIFIER_H_
