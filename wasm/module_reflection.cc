#include "wasm/module_reflection.h"

namespace wasmstream::wasm {

std::vector<ImportDescriptor> ModuleImports(const Module& module) {
  std::vector<ImportDescriptor> out;
  out.reserve(module.imports.size());
  for (const Import& i : module.imports) out.push_back({i.module, i.name, ToString(i.kind)});
  return out;
}

std::vector<ExportDescriptor> ModuleExports(const Module& module) {
  std::vector<ExportDescriptor> out;
  out.reserve(module.exports.size());
  for (const Export& e : module.exports) out.push_back({e.name, ToString(e.kind)});
  return out;
}

std::vector<std::span<const uint8_t>> ModuleCustomSections(const Module& module,
                                                           std::string_view name) {
  std::vector<std::span<const uint8_t>> out;
  for (const CustomSection& c : module.custom_sections) {
    if (c.name != name) continue;
    if (c.payload.end() > module.wire_bytes.size()) continue;  // a module without its bytes
    out.emplace_back(module.wire_bytes.data() + c.payload.offset, c.payload.length);
  }
  return out;
}

}  // namespace wasmstream::wasm
