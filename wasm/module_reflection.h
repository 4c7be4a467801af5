// A Module as the JavaScript API reflects it: WebAssembly.Module.imports(),
// .exports() and .customSections(name).
#ifndef WASMSTREAM_WASM_MODULE_REFLECTION_H_
#define WASMSTREAM_WASM_MODULE_REFLECTION_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasm/module.h"

namespace wasmstream::wasm {

struct ImportDescriptor {
  std::string module;
  std::string name;
  std::string kind;  // "function", "table", "memory", "global", "tag"
  bool operator==(const ImportDescriptor&) const = default;
};

struct ExportDescriptor {
  std::string name;
  std::string kind;
  bool operator==(const ExportDescriptor&) const = default;
};

// In module order, as WebAssembly.Module.imports / exports list them.
std::vector<ImportDescriptor> ModuleImports(const Module& module);
std::vector<ExportDescriptor> ModuleExports(const Module& module);
// The payloads (after the name) of every custom section named {name}, in
// module order; the spans point into module.wire_bytes.
std::vector<std::span<const uint8_t>> ModuleCustomSections(const Module& module,
                                                           std::string_view name);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_MODULE_REFLECTION_H_
