// The compiled-code area of a serialized module (serializer.h), kept apart
// from the metadata because it is most of an eager entry's bytes.
//
// Code is grouped into chunks of about kCodeChunkBytes of serialized
// functions, at function boundaries, each compressed with zstd on its own:
// interpreter code is regular (slot numbers, a few opcodes), so an entry
// shrinks several times, and a function's first call decompresses only its
// chunk, never the whole area. Layout:
//
//   u32 n (the module's function count)
//   n x u32 chunk index (kNoChunk: no code; compiled from the wire bytes)
//   n x u32 offset of the function in its chunk's decompressed bytes
//   u32 m, m x (u32 compressed size, u32 decompressed size)
//   the m chunks, back to back (each compressed, or stored when the sizes
//   are equal)
//
// Every field is input: indices, sizes and offsets are checked before use,
// a chunk's decompressed size must be what it claims (at most
// kMaxCodeChunkBytes; all of them together at most kMaxCompressionRatio
// times the payload), and every function read is checked by the runtime's
// verifier before it can run. Private to the serializer's files.
#ifndef WASMSTREAM_WASM_SERIALIZATION_SERIALIZED_CODE_H_
#define WASMSTREAM_WASM_SERIALIZATION_SERIALIZED_CODE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wasm/module.h"
#include "wasm/serialization/serializer_io.h"

namespace wasmstream::wasm::serialization {

inline constexpr uint32_t kCodeChunkBytes = 256 * 1024;
// A function whose code alone is larger is not stored (it is compiled from
// the wire bytes on its first call); also the loader's bound on a chunk.
inline constexpr uint32_t kMaxCodeChunkBytes = 64 * 1024 * 1024;
inline constexpr uint32_t kNoChunk = UINT32_MAX;
// The code area decompresses to at most this many times the whole
// payload's size (an entry of real interpreter code: about 5x, metadata
// included), so a crafted entry cannot make the loader allocate far more
// than its own size (zstd turns a few bytes into megabytes of zeros). A
// module past it is stored without code. A chunk that does not shrink is
// stored as is: compressed size == decompressed size means not compressed.
inline constexpr uint32_t kMaxCompressionRatio = 64;

// Writes the code area of {m} (whose code is compiled).
void WriteCodeArea(Writer& w, const Module& m);
// The same with {code} (one per function of {m}, null: none) instead of m.code.
void WriteCodeArea(Writer& w, const Module& m, const std::vector<const FunctionCode*>& code);

// Reads the code area at {r}'s position into {m}, whose function table is
// loaded. With {payload} (the bytes {r} reads), the code stays there and each
// function is decompressed, read and verified on its first call
// (m.deferred_code); without, every function is read into m.code now (and
// verified by the caller's consistency check).
void ReadCodeArea(Reader& r, Module& m, std::shared_ptr<const std::vector<uint8_t>> payload);

// Function {i}'s compiled code is its own and safe to run: the runtime's
// verifier checks the frame layout against the signature, the exception
// tables and every instruction.
std::optional<std::string> CheckFunctionCode(const Module& m, size_t i, const FunctionCode& c);

}  // namespace wasmstream::wasm::serialization

#endif  // WASMSTREAM_WASM_SERIALIZATION_SERIALIZED_CODE_H_
