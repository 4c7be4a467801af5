#include "bindings/instance_object.h"

namespace wasmstream::bindings {

void ImportObject::Add(std::string module, std::string name, ImportValue value) {
  namespaces_[std::move(module)].fields.insert_or_assign(std::move(name), std::move(value));
}

void ImportObject::SetNotAnObject(std::string module) {
  Namespace& ns = namespaces_[std::move(module)];
  ns.is_object = false;
  ns.fields.clear();
}

const ImportObject::Namespace* ImportObject::Find(std::string_view module) const {
  auto it = namespaces_.find(module);
  return it == namespaces_.end() ? nullptr : &it->second;
}

Error FromRuntimeError(const wasm::Error& e) {
  switch (e.kind) {
    case wasm::ErrorKind::kLinkError: return Error::Link(e.message);
    case wasm::ErrorKind::kTypeError: return Error::Type(e.message);
    case wasm::ErrorKind::kRuntimeError: return Error::Runtime(e.message);
    case wasm::ErrorKind::kRangeError: return Error::Range(e.message);
    case wasm::ErrorKind::kException:
      return Error::Make(ErrorKind::kError, "Uncaught WebAssembly.Exception: " + e.message);
    case wasm::ErrorKind::kCompileError: return Error::Compile(e.message);
  }
  return Error::Runtime(e.message);
}

std::vector<std::string> Instance::ExportNames() const {
  std::vector<std::string> out;
  for (const wasm::Export& e : instance_->module().exports) out.push_back(e.name);
  return out;
}

std::optional<wasm::ExternRef> Instance::GetExport(std::string_view name) const {
  auto e = instance_->GetExport(name);
  if (!e) return std::nullopt;
  return wasm::ExternRef(*e);
}

Settled<std::vector<wasm::Value>> Instance::Call(std::string_view name,
                                                 std::span<const wasm::Value> args) const {
  auto out = instance_->CallExport(name, args);
  if (!out.ok()) return FromRuntimeError(out.error());
  return std::move(out).value();
}

Settled<std::shared_ptr<wasm::Imports>> ReadImports(const wasm::Module& module,
                                                    const ImportObject* imports,
                                                    wasm::Store& store) {
  auto result = std::make_shared<wasm::Imports>();
  if (module.imports.empty()) return result;
  if (imports == nullptr) {  // imports present, importObject omitted
    return Error::Type("Imports argument must be present and must be an object");
  }
  for (size_t i = 0; i < module.imports.size(); ++i) {
    const wasm::Import& imp = module.imports[i];
    std::string where = "Import #" + std::to_string(i) + " \"" + imp.module + "\"";
    const ImportObject::Namespace* ns = imports->Find(imp.module);
    if (ns == nullptr || !ns->is_object) {
      return Error::Type(where + ": module is not an object or function");
    }
    where += " \"" + imp.name + "\"";
    auto field = ns->fields.find(imp.name);
    // A missing field reads as undefined: never callable, never a wasm object.
    const ImportValue* v = field == ns->fields.end() ? nullptr : &field->second;
    const wasm::Extern* ext = v ? std::get_if<wasm::ExternRef>(v) : nullptr;
    switch (imp.kind) {
      case wasm::ExternalKind::kFunction: {
        if (ext && ext->kind == wasm::ExternalKind::kFunction) {
          result->Add(imp.module, imp.name, *ext);  // an Exported Function: same funcaddr
        } else if (const HostCallable* fn = v ? std::get_if<HostCallable>(v) : nullptr) {
          HostCallable callable = *fn;
          wasm::FuncInstance* f = store.NewHostFunction(
              module, module.functions[imp.index].type_index,
              [callable](std::span<const wasm::Value> args) -> wasm::Outcome<std::vector<wasm::Value>> {
                Settled<std::vector<wasm::Value>> r = callable(args);
                if (r.ok()) return std::move(r.value());
                wasm::Error e = wasm::Error::Trap(wasm::TrapKind::kHostError);
                e.message = r.error().ToString();
                return e;
              });
          result->Add(imp.module, imp.name, wasm::Extern::Func(f));
          wasm::Store::Release(f);  // {result} holds it now
        } else {
          return Error::Link(where + ": function import requires a callable");
        }
        break;
      }
      case wasm::ExternalKind::kGlobal: {
        if (ext && ext->kind == wasm::ExternalKind::kGlobal) {
          result->Add(imp.module, imp.name, *ext);  // type checked at instantiation
        } else if (const wasm::Value* num = v ? std::get_if<wasm::Value>(v) : nullptr) {
          const wasm::Global& g = module.globals[imp.index];
          if (!g.type.is_num() || !(num->type == g.type)) {
            return Error::Link(where + ": global import must be a number of type " +
                               wasm::ToString(g.type));
          }
          result->AddValue(imp.module, imp.name, *num);  // an immutable global
        } else {
          return Error::Link(where + ": global import must be a number or WebAssembly.Global");
        }
        break;
      }
      case wasm::ExternalKind::kMemory:
      case wasm::ExternalKind::kTable:
      case wasm::ExternalKind::kTag: {
        if (!ext || ext->kind != imp.kind) {
          return Error::Link(where + ": " + wasm::ToString(imp.kind) +
                             " import requires a WebAssembly." +
                             (imp.kind == wasm::ExternalKind::kMemory  ? "Memory"
                              : imp.kind == wasm::ExternalKind::kTable ? "Table"
                                                                       : "Tag"));
        }
        result->Add(imp.module, imp.name, *ext);
        break;
      }
    }
  }
  return result;
}

}  // namespace wasmstream::bindings
