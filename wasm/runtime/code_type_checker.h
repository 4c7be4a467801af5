// The typed half of the code verifier (code_verifier.h): follows the type of
// every frame slot through compiled code, as a bytecode verifier does, so
// that no operation of code loaded from a cache entry sees a value of the
// wrong kind (an integer used as a function, a struct of another type, ...).
#ifndef WASMSTREAM_WASM_RUNTIME_CODE_TYPE_CHECKER_H_
#define WASMSTREAM_WASM_RUNTIME_CODE_TYPE_CHECKER_H_

#include <cstdint>
#include <vector>

#include "wasm/module.h"
#include "wasm/result.h"
#include "wasm/runtime/code.h"

namespace wasmstream::wasm {

// Checks the types of {code} as function {code.func_index} of {module}.
// {code} must already have passed VerifyFunctionCode's structural checks
// (operations whole, slot operands and indices in range, branch targets and
// handler landing pads on operation boundaries); {starts} lists the code
// index of every operation in order.
//
// Every slot holds one abstract type at each point: a number type, one half
// of a v128, a reference type (heap type and nullability, subtyping as the
// validator knows it), "a constant" (any number) or "the constant 0" (any
// number, or null), or unknown (unusable). States meet at branch targets
// and handler landing pads with a least upper bound, until nothing changes.
// A call leaves the slots from its argument base up unknown but for its
// results (the callee's frame overlaps them).
Status CheckCodeTypes(const Module& module, const FunctionCode& code,
                      const std::vector<uint32_t>& starts);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_CODE_TYPE_CHECKER_H_
