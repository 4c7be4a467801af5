// What a reference value is, from its bits alone (the encoding is in
// value.h). This is the interface test harnesses and embedders use to check
// results such as `(ref.struct)`, `(ref.i31)` or `(ref.host 1)`; it stays
// right whatever the encoding becomes.
#ifndef WASMSTREAM_WASM_RUNTIME_REF_CLASS_H_
#define WASMSTREAM_WASM_RUNTIME_REF_CLASS_H_

#include <cstdint>
#include <optional>

#include "wasm/runtime/value.h"

namespace wasmstream::wasm {

enum class RefClass { kNull, kFunc, kHost, kI31, kStruct, kArray, kExn };

RefClass ClassifyRef(RefBits bits);

// The host value n of `ref.extern n` / `ref.host n` (Value::Extern(n)), or
// nothing when {bits} is not a host value.
std::optional<uint64_t> HostValueOf(RefBits bits);

const char* ToString(RefClass c);  // "null", "func", "host", "i31", …

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_REF_CLASS_H_
