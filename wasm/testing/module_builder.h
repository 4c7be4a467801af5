// Test helpers: assemble module bytes from sections without counting lengths
// by hand, and check a module over every chunking.
#ifndef WASMSTREAM_WASM_TESTING_MODULE_BUILDER_H_
#define WASMSTREAM_WASM_TESTING_MODULE_BUILDER_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "wasm/features.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::wasm::testing {

using Bytes = std::vector<uint8_t>;

Bytes U32Leb(uint32_t v);
// "\0asm" + version 1.
Bytes Preamble();
// id, LEB128 length, payload.
Bytes Section(uint8_t id, const Bytes& payload);
// A length-prefixed name.
Bytes Name(std::string_view s);
Bytes Cat(std::initializer_list<Bytes> parts);

// A module with one type [] -> [] and {n} functions of that type whose bodies
// are {body} (local declarations + code + end), and optional extra sections
// spliced after the code section.
Bytes ModuleWithBodies(const std::vector<Bytes>& bodies, const Bytes& after_code = {});

// Compiles {bytes} whole, split in two at every point, and one byte at a
// time, on the worker pool and inline; every outcome must be valid and the
// same, or the test fails.
void ExpectVerifies(const Bytes& bytes, Features features = Features::Wasm20());
// As above, but every run must fail with exactly {offset} and a message
// starting with {message}.
void ExpectFailure(const Bytes& bytes, uint32_t offset, std::string_view message,
                   Features features = Features::Wasm20());

// One compile with the given chunk size (0 = whole).
CompileResult CompileInChunks(const Bytes& bytes, size_t chunk, Features features,
                              bool inline_bodies = false);

}  // namespace wasmstream::wasm::testing

#endif  // WASMSTREAM_WASM_TESTING_MODULE_BUILDER_H_
