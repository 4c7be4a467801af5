// An instance of a compiled Module: its functions, tables, memories, globals
// and tags (own or imported), its segments, and its exports. Instantiation
// follows the JS API's "read the imports" and the core spec's instantiate:
// imports are matched (TypeError for a missing module, LinkError for a
// missing or mismatched import), globals and tables are initialised, active
// element and data segments are written in order, then the start function
// runs. A trap there is a RuntimeError, and writes already made stay.
#ifndef WASMSTREAM_WASM_RUNTIME_INSTANCE_H_
#define WASMSTREAM_WASM_RUNTIME_INSTANCE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasm/module.h"
#include "wasm/runtime/code.h"
#include "wasm/runtime/error.h"
#include "wasm/runtime/module_code_table.h"
#include "wasm/runtime/store.h"
#include "wasm/runtime/value.h"

namespace wasmstream::wasm {

// An exported or imported entity.
struct Extern {
  ExternalKind kind = ExternalKind::kFunction;
  FuncInstance* func = nullptr;
  TableInstance* table = nullptr;
  MemoryInstance* memory = nullptr;
  GlobalInstance* global = nullptr;
  TagInstance* tag = nullptr;

  static Extern Func(FuncInstance* f) { Extern e; e.kind = ExternalKind::kFunction; e.func = f; return e; }
  static Extern Table(TableInstance* t) { Extern e; e.kind = ExternalKind::kTable; e.table = t; return e; }
  static Extern Memory(MemoryInstance* m) { Extern e; e.kind = ExternalKind::kMemory; e.memory = m; return e; }
  static Extern Global(GlobalInstance* g) { Extern e; e.kind = ExternalKind::kGlobal; e.global = g; return e; }
  static Extern Tag(TagInstance* t) { Extern e; e.kind = ExternalKind::kTag; e.tag = t; return e; }

  // The object named, whatever its kind (null for an empty Extern).
  StoreObject* object() const;
};

// An Extern that holds a host reference on its object (store_object.h), so
// the object outlives the instance that exported it while this is kept.
struct ExternRef : Extern {
  ExternRef() = default;
  ExternRef(const Extern& e) : Extern(e), root(e.object()) {}  // NOLINT: implicit by design
  Handle<StoreObject> root;
};

// The import object: module name -> field name -> value. A field may be an
// Extern or, as a JS number is for an immutable global import, a plain Value.
// It holds a host reference on every Extern added (they stay alive for an
// instantiation that comes later).
class Imports {
 public:
  void Add(std::string module, std::string name, Extern e);
  void AddValue(std::string module, std::string name, Value v);
  // Every export of {instance} under {module} (the spec tests' `register`).
  void AddInstance(std::string module, const class Instance& instance);

  bool HasModule(std::string_view module) const;
  struct Field {
    std::optional<Extern> ext;
    std::optional<Value> value;
  };
  const Field* Find(std::string_view module, std::string_view name) const;

 private:
  std::map<std::string, std::map<std::string, Field, std::less<>>, std::less<>> modules_;
  std::vector<Handle<StoreObject>> roots_;
};

class Instance : public StoreObject {
 public:
  // Instantiates {module} in {store}. Functions without code in the module
  // (a module that was only validated, or loaded without code) are compiled
  // on their first call. On success the Store owns the instance and the
  // caller gets its creation reference (store_object.h: keep it for the
  // Store's life, or adopt it in a Handle).
  static Outcome<Instance*> Instantiate(Store& store, std::shared_ptr<const Module> module,
                                        const Imports& imports);

  const Module& module() const { return *module_; }
  Store& store() const { return *store_; }
  std::optional<Extern> GetExport(std::string_view name) const;
  const std::map<std::string, Extern, std::less<>>& exports() const { return exports_; }

  // Calls the exported function {name}: TypeError for a missing export or
  // arguments of the wrong types, RuntimeError for a trap.
  Outcome<std::vector<Value>> CallExport(std::string_view name, std::span<const Value> args);

  // The interpreter reads these directly.
  std::vector<FuncInstance*> funcs;
  std::vector<TableInstance*> tables;
  std::vector<MemoryInstance*> memories;
  std::vector<GlobalInstance*> globals;
  std::vector<TagInstance*> tags;
  std::vector<uint32_t> canon_types;        // per type index: the Store's canonical type id
  std::vector<std::vector<RefBits>> elems;  // element segments; empty once dropped
  std::vector<uint8_t> data_dropped;        // per data segment

  // A data segment's bytes (empty once dropped).
  std::span<const uint8_t> DataBytes(uint32_t index) const;

  // The code of function {func_index} (defined here), loaded now from the
  // module's deferred code or else compiled now if the module has none; null
  // with {*error} set when compiling fails (only a module that was never
  // validated, or an implementation limit). The code belongs to the module
  // (ModuleCodeTable): an instance that calls the function later, in any
  // Store, gets the same code without compiling again.
  const FunctionCode* CompileLazily(uint32_t func_index, Error* error);

 private:
  Instance(Store* store, std::shared_ptr<const Module> module)
      : store_(store), module_(std::move(module)) {}
  friend class Store;

  Store* store_;
  std::shared_ptr<const Module> module_;
  std::map<std::string, Extern, std::less<>> exports_;
  // The module's code made on first call (null until this instance needs
  // it or when the module had a table at instantiation).
  std::shared_ptr<ModuleCodeTable> code_table_;
};

// Evaluates a validated constant expression of {module} in {instance}'s
// context (its globals and functions so far).
Outcome<Value> EvalConstExpr(const Module& module, const Instance& instance, const ConstExpr& expr,
                             ValueType type);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_INSTANCE_H_
