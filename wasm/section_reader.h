// Readers shared by the section decoders: value/heap/reference types, limits,
// and the one chokepoint for counts, so every count meets its limit.
#ifndef WASMSTREAM_WASM_SECTION_READER_H_
#define WASMSTREAM_WASM_SECTION_READER_H_

#include <cstdint>

#include "wasm/decoder.h"
#include "wasm/features.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

// Reads a count and checks it against {max}:
// "<name> count of <n> exceeds internal limit of <max>" at the count's offset.
// {already} is how many of the same kind exist (imports count towards
// functions, …); the check is written so it cannot overflow.
uint32_t ConsumeCount(Decoder& d, const char* name, uint32_t max, uint32_t already = 0);

// Heap type (s33): an abstract type code or a type index < {num_types}.
HeapType ReadHeapType(Decoder& d, const Features& f, uint32_t num_types);
// Value type, with the reference types the features allow. {num_types}
// bounds concrete type indices ("unknown type").
ValueType ReadValueType(Decoder& d, const Features& f, uint32_t num_types);
// A reference type only ("malformed reference type" otherwise).
ValueType ReadRefType(Decoder& d, const Features& f, uint32_t num_types);

enum class LimitsKind { kTable, kMemory };
// Limits flags and bounds. Checks the flags the features allow; the caller
// checks the bounds (they differ for tables and memories).
Limits ReadLimits(Decoder& d, const Features& f, LimitsKind kind);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_SECTION_READER_H_
