// A function as the runtime sees it: a wasm function of some instance (its
// compiled code) or a host (C++) function. funcref values are addresses of
// these objects; the Store owns them.
#ifndef WASMSTREAM_WASM_RUNTIME_FUNCTION_H_
#define WASMSTREAM_WASM_RUNTIME_FUNCTION_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "wasm/runtime/error.h"
#include "wasm/runtime/store_object.h"
#include "wasm/runtime/value.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

struct FunctionCode;
class Instance;

// A C++ callable imported as a wasm function. It gets the arguments typed as
// the import's parameters and returns exactly the import's results (checked:
// a wrong count or type is a TypeError), or an Error, which propagates as is
// (a trap with kHostError when the host gives a RuntimeError).
using HostFunction = std::function<Outcome<std::vector<Value>>(std::span<const Value> args)>;

struct FuncInstance : StoreObject {
  FuncType type;
  uint32_t sig_id = 0;              // Store-interned id of {type}: call_indirect checks
  Instance* instance = nullptr;     // null for host functions
  uint32_t func_index = 0;          // in {instance}'s module
  const FunctionCode* code = nullptr;
  HostFunction host;

  bool is_host() const { return instance == nullptr; }
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_FUNCTION_H_
