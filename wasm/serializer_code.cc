// Compiled function code in the serialized module. Until the runtime's
// FunctionCode serializer is linked here, modules with code serialize without
// it (the flag stays clear) and loading a payload that claims code fails.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wasm/module.h"

namespace wasmstream::wasm {

bool CodeSerializationSupported() { return false; }

void WriteCode(const Module& module, std::vector<uint8_t>& out) {
  (void)module;
  (void)out;
}

bool ReadCode(std::span<const uint8_t> bytes, size_t* pos, Module& module, std::string* error) {
  (void)bytes;
  (void)pos;
  (void)module;
  *error = "compiled code in the payload is not supported by this build";
  return false;
}

}  // namespace wasmstream::wasm
