// The code a module has now, for a code-cache write-back
// (SerializeOptions::with_code_so_far): per function, the code compiled
// while streaming (Module::code), else the code made on its first call
// (ModuleCodeTable), else the code the module's own cache payload holds for
// it (DeferredCode: a function the entry had but this process never called
// keeps its stored code, loaded and verified here). Functions with none of
// these have no code in the write-back and compile on their first call after
// it, as they do now. Private to the serializer's files.
#ifndef WASMSTREAM_WASM_SERIALIZATION_CODE_SO_FAR_H_
#define WASMSTREAM_WASM_SERIALIZATION_CODE_SO_FAR_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "wasm/module.h"
#include "wasm/runtime/code.h"

namespace wasmstream::wasm::serialization {

struct CodeSoFar {
  std::vector<const FunctionCode*> code;  // one per function; null: none
  size_t functions_with_code = 0;
  // Owns the code loaded from the payload for this write-back only.
  std::vector<std::unique_ptr<FunctionCode>> loaded;
};

// Safe while other threads call the module's functions (published code never
// changes; a function published after its slot was read is left out).
CodeSoFar CollectCodeSoFar(const Module& m);

}  // namespace wasmstream::wasm::serialization

#endif  // WASMSTREAM_WASM_SERIALIZATION_CODE_SO_FAR_H_
