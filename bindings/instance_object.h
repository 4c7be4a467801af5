// WebAssembly.Instance and the import object for C++ embedders.
//
// An ImportObject is the JS importObject: module name -> namespace, and in a
// namespace, field name -> value. Values model what a JS program can pass: a
// callable (a host function), a wasm entity exported by another instance
// (function, memory, table, global, tag), a plain number (for a global), or
// some other value ({} or a string: not callable, not a wasm object). A
// namespace may itself be a non-object (undefined, 1, …).
//
// The JS API's "read the imports" maps these to the
// runtime's imports with the JS API's error kinds: TypeError for a missing
// importObject or a namespace that is not an object, LinkError for a value of
// the wrong kind; type mismatches are then LinkErrors from instantiation.
#ifndef WASMSTREAM_BINDINGS_INSTANCE_OBJECT_H_
#define WASMSTREAM_BINDINGS_INSTANCE_OBJECT_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bindings/error.h"
#include "bindings/module_object.h"
#include "bindings/promise.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/store.h"
#include "wasm/runtime/value.h"

namespace wasmstream::bindings {

// A host (JS) function: gets the wasm arguments, returns results or an Error
// (a JS exception, surfacing as a RuntimeError from the call). Runs inside the
// wasm call, on the thread that made it: the loop thread for instantiation
// (the start function) and for calls made from promise reactions, or the
// thread that called Instance::Call. A Store runs calls on one thread at a
// time (checked on every call: a call from another thread while one runs
// fails with a TypeError).
using HostCallable =
    std::function<Settled<std::vector<wasm::Value>>(std::span<const wasm::Value> args)>;

struct OtherValue {  // a JS value that is neither callable nor a wasm object
  std::string description = "{}";
};
// A wasm entity is held as an ExternRef: the import object keeps it alive.
using ImportValue = std::variant<HostCallable, wasm::ExternRef, wasm::Value, OtherValue>;

class ImportObject {
 public:
  void Add(std::string module, std::string name, ImportValue value);
  // Makes {module}'s namespace a non-object (undefined, null, 1, …).
  void SetNotAnObject(std::string module);

  struct Namespace {
    bool is_object = true;
    std::map<std::string, ImportValue, std::less<>> fields;
  };
  const Namespace* Find(std::string_view module) const;

 private:
  std::map<std::string, Namespace, std::less<>> namespaces_;
};

// An instance and the Store it lives in. Copies share the instance; when the
// last copy (and every ExternRef to its exports) is gone and nothing else
// reaches it, the Store frees it at a later instantiation (Store::Collect).
class Instance {
 public:
  Instance(wasm::Handle<wasm::Instance> instance, std::shared_ptr<wasm::Store> store)
      : store_(std::move(store)), instance_(std::move(instance)) {}

  // Export names, in module order.
  std::vector<std::string> ExportNames() const;
  // The export, holding it alive (memories, tables, globals, functions
  // outlive this Instance while it is kept).
  std::optional<wasm::ExternRef> GetExport(std::string_view name) const;
  // Calls an exported function: TypeError if missing or wrong arguments (or
  // when another thread is running a call in the same Store), RuntimeError on
  // a trap (kInterrupted / kDeadlineExceeded when stopped: wasm::Store),
  // RangeError when the call stack is exhausted. Any thread, one at a time.
  Settled<std::vector<wasm::Value>> Call(std::string_view name,
                                         std::span<const wasm::Value> args) const;

  // Valid while this Instance (or a copy) is kept.
  wasm::Instance* raw() const { return instance_.get(); }
  const std::shared_ptr<wasm::Store>& store() const { return store_; }

 private:
  std::shared_ptr<wasm::Store> store_;   // declared first: the handle goes first
  wasm::Handle<wasm::Instance> instance_;
};

struct InstantiatedSource {  // {module, instance}
  Module module;
  Instance instance;
};

// The JS error for a runtime error.
Error FromRuntimeError(const wasm::Error& e);

// "read the imports": the runtime imports for {module}, or the TypeError /
// LinkError. Host functions are created in {store}. {imports} null means the
// importObject argument was omitted (undefined).
Settled<std::shared_ptr<wasm::Imports>> ReadImports(const wasm::Module& module,
                                                    const ImportObject* imports,
                                                    wasm::Store& store);

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_INSTANCE_OBJECT_H_
