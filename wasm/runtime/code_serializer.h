// FunctionCode to bytes and back, for the code cache, and the verifier that
// makes loaded code safe to run: a cache entry is hostile input, and the
// interpreter trusts its code (no bounds checks on slots or indices).
//
// Byte layout of one function (all little-endian u32 unless noted):
//   func_index num_param_slots num_result_slots num_local_slots frame_slots
//   n_code  code[n_code]
//   n_const consts[n_const] (u64 each)
//   n_regions (begin end first_handler num_handlers)[n_regions]
//   n_handlers (kind tag target dst_slot)[n_handlers]
#ifndef WASMSTREAM_WASM_RUNTIME_CODE_SERIALIZER_H_
#define WASMSTREAM_WASM_RUNTIME_CODE_SERIALIZER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wasm/module.h"
#include "wasm/result.h"
#include "wasm/runtime/code.h"

namespace wasmstream::wasm {

void SerializeFunctionCode(const FunctionCode& code, std::vector<uint8_t>& out);

// Reads one function at {*pos} (advanced past it). Null with {*error} set
// when the bytes are truncated or absurd; the result still needs
// VerifyFunctionCode before it may run.
std::unique_ptr<FunctionCode> DeserializeFunctionCode(std::span<const uint8_t> bytes, size_t* pos,
                                                      std::string* error);

// Checks that {code} is safe to run as function {code.func_index} of
// {module}: every operation known and whole, every slot inside the frame,
// every index inside the module's index spaces, every branch target on an
// operation boundary, no fall-through past the end.
Status VerifyFunctionCode(const Module& module, const FunctionCode& code);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_CODE_SERIALIZER_H_
