// WebAssembly.Module as the embedder sees it: a wrapper object around a
// shared, immutable wasm::Module. Every compile gives a new wrapper (a new JS
// object), even when a cache hands back the same wasm::Module; SameObject()
// is identity, like ===.
#ifndef WASMSTREAM_BINDINGS_MODULE_OBJECT_H_
#define WASMSTREAM_BINDINGS_MODULE_OBJECT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bindings/stream_record.h"
#include "wasm/module.h"

namespace wasmstream::bindings {

// Module.exports() entries (J-2): own keys kind, name.
struct ModuleExportDescriptor {
  std::string name;
  std::string kind;  // "function", "table", "memory", "global", "tag"
  bool operator==(const ModuleExportDescriptor&) const = default;
};
// Module.imports() entries (J-2): own keys kind, module, name.
struct ModuleImportDescriptor {
  std::string module;
  std::string name;
  std::string kind;
  bool operator==(const ModuleImportDescriptor&) const = default;
};

class Module {
 public:
  explicit Module(std::shared_ptr<const wasm::Module> module,
                  std::shared_ptr<const StreamRecord> record = nullptr);

  // In module order.
  std::vector<ModuleExportDescriptor> Exports() const;
  std::vector<ModuleImportDescriptor> Imports() const;
  // J-4: new byte arrays holding only each matching section's payload (after
  // the name), in module order. {name} is compared as UTF-8 bytes.
  std::vector<std::vector<uint8_t>> CustomSections(std::string_view name) const;

  const std::shared_ptr<const wasm::Module>& module() const { return object_->module; }
  // The record of the compile that made this object (null if none).
  const std::shared_ptr<const StreamRecord>& record() const { return object_->record; }
  bool SameObject(const Module& other) const { return object_ == other.object_; }

 private:
  struct Object {
    std::shared_ptr<const wasm::Module> module;
    std::shared_ptr<const StreamRecord> record;
  };
  std::shared_ptr<const Object> object_;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_MODULE_OBJECT_H_
