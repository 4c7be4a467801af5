// The one function-body decoder (V8's WasmFullDecoder idea, without the
// template tower). It validates a body exactly as the core spec's
// validation algorithm does and, when given a CodeSink, hands each validated
// instruction to it so the same walk also compiles (wasm/runtime/).
//
// Contract for callers (the streaming compiler):
//  - {module} holds every section before the code section, fully decoded
//    (types, imports, functions, tables, memories, globals, tags, exports,
//    start, elements, data count). It is not modified during the call, so
//    bodies may be decoded on several worker threads at once.
//  - {body} is the body's bytes (local declarations + instructions + final
//    `end`), {body_offset} its offset in the module, so errors carry module
//    offsets. The bytes are owned by the caller and live through the call.
//  - The returned error's message is in the spec interpreter's wording
//    ("type mismatch: expected i32, found f64"); the caller adds the
//    "Compiling function #N "name" failed: " prefix.
#ifndef WASMSTREAM_WASM_FUNCTION_BODY_DECODER_H_
#define WASMSTREAM_WASM_FUNCTION_BODY_DECODER_H_

#include <cstdint>
#include <span>

#include "wasm/module.h"
#include "wasm/result.h"

namespace wasmstream::wasm {

class CodeSink;  // wasm/code_sink.h

Status DecodeFunctionBody(const Module& module, uint32_t func_index,
                          std::span<const uint8_t> body, uint32_t body_offset,
                          CodeSink* sink /* may be null: validate only */);

// Decodes and validates a constant expression starting at {bytes} (which may
// extend past it) and returns how many bytes it took, including its `end`.
// {num_globals} is how many globals it may refer to (those declared before it).
// Each validated instruction also goes to {sink}'s OnInstruction, if given
// (how instantiation evaluates the expression: wasm/runtime/const_eval.cc).
Result<uint32_t> DecodeConstExpr(const Module& module, std::span<const uint8_t> bytes,
                                 uint32_t offset, ValueType expected, uint32_t num_globals,
                                 CodeSink* sink = nullptr);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_FUNCTION_BODY_DECODER_H_
