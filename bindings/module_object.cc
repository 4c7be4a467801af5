#include "bindings/module_object.h"

namespace wasmstream::bindings {

Module::Module(std::shared_ptr<const wasm::Module> module, std::shared_ptr<const StreamRecord> record)
    : object_(std::make_shared<const Object>(Object{std::move(module), std::move(record)})) {}

std::vector<ModuleExportDescriptor> Module::Exports() const {
  std::vector<ModuleExportDescriptor> out;
  out.reserve(module()->exports.size());
  for (const wasm::Export& e : module()->exports) out.push_back({e.name, wasm::ToString(e.kind)});
  return out;
}

std::vector<ModuleImportDescriptor> Module::Imports() const {
  std::vector<ModuleImportDescriptor> out;
  out.reserve(module()->imports.size());
  for (const wasm::Import& i : module()->imports) {
    out.push_back({i.module, i.name, wasm::ToString(i.kind)});
  }
  return out;
}

std::vector<std::vector<uint8_t>> Module::CustomSections(std::string_view name) const {
  std::vector<std::vector<uint8_t>> out;
  const wasm::WireBytes& wire = module()->wire_bytes;
  for (const wasm::CustomSection& s : module()->custom_sections) {
    if (s.name != name) continue;
    // A Module keeps its complete wire bytes; a range outside them is a bug
    // upstream, answered with an empty payload rather than a crash.
    if (s.payload.offset > wire.size() || s.payload.length > wire.size() - s.payload.offset) {
      out.emplace_back();
      continue;
    }
    out.emplace_back(wire.begin() + s.payload.offset, wire.begin() + s.payload.end());
  }
  return out;
}

}  // namespace wasmstream::bindings
