// The Store owns every runtime object (functions, memories, tables, globals,
// tags, instances, exceptions) for its whole life, as the spec's store does;
// objects refer to each other by plain pointers that stay valid as long as the
// Store lives (GC objects too: gc_heap.h). A Store and what it holds are used from one thread at a time.
#ifndef WASMSTREAM_WASM_RUNTIME_STORE_H_
#define WASMSTREAM_WASM_RUNTIME_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "wasm/runtime/function.h"
#include "wasm/runtime/gc_heap.h"
#include "wasm/runtime/gc_types.h"
#include "wasm/runtime/global.h"
#include "wasm/runtime/memory.h"
#include "wasm/runtime/table.h"

namespace wasmstream::wasm {

class Instance;

// A thrown wasm exception: its tag and payload (in slots).
struct Exception {
  const TagInstance* tag = nullptr;
  std::vector<uint64_t> payload;
};

// The interpreter's per-thread stacks (interpreter.cc); created on first call.
struct ExecStack;

class Store {
 public:
  Store();
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // A host function of type {type} (a final function type alone in its rec
  // group; its value types should be abstract).
  FuncInstance* NewHostFunction(FuncType type, HostFunction fn);
  // A host function given {module}'s type {type_index} (as a JS function
  // imported by that module gets the import's type): it matches the import
  // whatever concrete types the signature names.
  FuncInstance* NewHostFunction(const Module& module, uint32_t type_index, HostFunction fn);
  FuncInstance* NewFunction();  // filled in by Instance
  // Null when the limits pass the engine's or the bytes cannot be mapped.
  MemoryInstance* NewMemory(const Limits& limits, uint32_t page_size_log2 = 16);
  TableInstance* NewTable(ValueType elem, const Limits& limits, RefBits init);
  GlobalInstance* NewGlobal(ValueType type, bool mutable_, const Value& init);
  // A host tag: its type is a final function type alone in its rec group.
  TagInstance* NewTag(FuncType type);
  // A tag of canonical type {type_id} (a module's tag).
  TagInstance* NewTag(FuncType type, uint32_t type_id);
  Exception* NewException(const TagInstance* tag, std::vector<uint64_t> payload);
  Instance* AddInstance(std::unique_ptr<Instance> instance);

  // Canonical types (iso-recursive, shared by every instance of the Store):
  // a FuncInstance's sig_id is its type's canonical id.
  TypeRegistry& types() { return types_; }
  // Struct and array objects.
  GcHeap& heap() { return heap_; }

  ExecStack& stack();

 private:
  std::vector<std::unique_ptr<FuncInstance>> funcs_;
  std::vector<std::unique_ptr<MemoryInstance>> memories_;
  std::vector<std::unique_ptr<TableInstance>> tables_;
  std::vector<std::unique_ptr<GlobalInstance>> globals_;
  std::vector<std::unique_ptr<TagInstance>> tags_;
  std::vector<std::unique_ptr<Exception>> exceptions_;
  std::vector<std::unique_ptr<Instance>> instances_;
  TypeRegistry types_;
  GcHeap heap_;
  std::unique_ptr<ExecStack> stack_;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_STORE_H_
