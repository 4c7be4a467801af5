// The "spectest" host module the spec testsuite imports: print functions,
// global_i32/i64/f32/f64 (666 / 666.6), funcref tables "table" and "table64"
// (10, max 20; i32 / i64 addresses) and a
// memory (1 page, max 2), as the reference interpreter defines them.
#ifndef WASMSTREAM_WASM_RUNTIME_WAST_SPECTEST_HOST_H_
#define WASMSTREAM_WASM_RUNTIME_WAST_SPECTEST_HOST_H_

#include "wasm/runtime/instance.h"
#include "wasm/runtime/store.h"

namespace wasmstream::wasm {

// Adds the spectest module to {imports}, its objects owned by {store}.
// {quiet}: the print functions print nothing.
void AddSpectestHost(Store& store, Imports& imports, bool quiet);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_WAST_SPECTEST_HOST_H_
