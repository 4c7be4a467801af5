// The Store owns every runtime object (functions, memories, tables, globals,
// tags, instances) for its whole life, as the spec's store does; objects
// refer to each other by plain pointers that stay valid as long as the Store
// lives. GC objects (gc_heap.h) and thrown exceptions are the exception:
// CollectGarbage frees those no wasm code or host can reach any more.
// A Store and what it holds are used from one thread at a time.
//
// What the host holds. A reference to a GC object or an exception that
// reaches the host stays valid as long as it is rooted:
//  - results (and the exception of an uncaught throw) of Invoke/CallExport
//    are rooted in the innermost open HostRootScope, or for the Store's
//    whole life when none is open: an embedder that calls in a loop opens a
//    scope per call to let them go;
//  - arguments of a host function are valid during that call (the caller's
//    frame holds them); to keep one longer, Pin it (and Unpin it later);
//  - values in globals, tables and element segments are roots themselves.
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
#include "wasm/runtime/limits.h"
#include "wasm/runtime/memory.h"
#include "wasm/runtime/table.h"

namespace wasmstream::wasm {

class Instance;

// A thrown wasm exception: its tag and payload (in slots).
struct Exception {
  const TagInstance* tag = nullptr;
  std::vector<uint64_t> payload;
  bool marked = false;  // the collector's
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
  // Null when the limits pass the engine's, the table budget has no room or
  // the allocation fails.
  TableInstance* NewTable(ValueType elem, const Limits& limits, RefBits init);
  // Elements of all this Store's tables together (kMaxStoreTableElements).
  TableBudget& table_budget() { return table_budget_; }
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
  // A new object in the heap, collecting first when the heap asks for it or
  // the limit is reached; null when the live objects leave no room.
  GcObject* AllocateGc(uint32_t type, bool is_array, uint32_t length, uint64_t payload_bytes);
  // Frees every GC object and exception that no root reaches (gc_collector.cc).
  // Safe wherever the interpreter's value stack top (ExecStack::top) covers
  // the live frames: at a host call, between calls, or at an allocation.
  void CollectGarbage();
  size_t live_exceptions() const { return exceptions_.size(); }

  // Host roots (see the top of this file).
  void RootForHost(RefBits ref);
  void Pin(RefBits ref) { pinned_.push_back(ref); }
  // Undoes one Pin of {ref}.
  void Unpin(RefBits ref);

  ExecStack& stack();

 private:
  std::vector<std::unique_ptr<FuncInstance>> funcs_;
  std::vector<std::unique_ptr<MemoryInstance>> memories_;
  TableBudget table_budget_{kMaxStoreTableElements};  // outlives {tables_}
  std::vector<std::unique_ptr<TableInstance>> tables_;
  std::vector<std::unique_ptr<GlobalInstance>> globals_;
  std::vector<std::unique_ptr<TagInstance>> tags_;
  std::vector<std::unique_ptr<Exception>> exceptions_;
  std::vector<std::unique_ptr<Instance>> instances_;
  TypeRegistry types_;
  GcHeap heap_;
  std::vector<RefBits> host_roots_;  // HostRootScope truncates it
  std::vector<RefBits> pinned_;
  friend class HostRootScope;
  friend class GcMarker;
  std::unique_ptr<ExecStack> stack_;
};

// References handed to the host while one is open are released when it
// closes (the innermost open scope owns them).
class HostRootScope {
 public:
  explicit HostRootScope(Store& store) : store_(store), mark_(store.host_roots_.size()) {}
  ~HostRootScope() { store_.host_roots_.resize(mark_); }
  HostRootScope(const HostRootScope&) = delete;
  HostRootScope& operator=(const HostRootScope&) = delete;

 private:
  Store& store_;
  size_t mark_;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_STORE_H_
