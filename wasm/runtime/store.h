// The Store owns every runtime object (functions, memories, tables, globals,
// tags, instances), as the spec's store does; objects refer to each other by
// plain pointers. Collect() frees the runtime objects nothing reaches from
// what the host holds (store_object.h: handles and creation references,
// host roots, pins); it runs at the start of an instantiation once enough
// objects were made since the last one, and never while wasm code runs. An
// object whose creation reference the host keeps (raw Store::New* or
// Instance::Instantiate without a Handle) lives as long as the Store.
// GC objects (gc_heap.h) and thrown exceptions are also freed by
// CollectGarbage, which may run during a call and frees only those.
// A Store and what it holds are used from one thread at a time, except for
// Interrupt(), which any thread may call.
//
// Interruption. Running code polls the Store's interrupt word at every loop
// back-edge and every call into a wasm function (one relaxed atomic load,
// as Wasmtime's epoch check and V8's stack-guard interrupt are). Interrupt()
// makes the running call, or the next one when none runs, trap with
// kInterrupted (a RuntimeError); SetDeadline makes calls that are still
// running at the deadline trap with kDeadlineExceeded, and calls begun after
// it trap at once. A request ends when the outermost call returns: the Store
// stays usable (globals, memories and tables keep what the stopped code
// wrote, as after any trap).
//
// What the host holds. A reference to a GC object or an exception that
// reaches the host stays valid as long as it is rooted:
//  - results (and the exception of an uncaught throw) of Invoke/CallExport
//    are rooted in the innermost open HostRootScope, or for the Store's
//    whole life when none is open: an embedder that calls in a loop opens a
//    scope per call to let them go;
//  - arguments of a host function are valid during that call (the caller's
//    frame holds them); to keep one longer, Pin it (and Unpin it later);
//  - values in globals, tables and element segments are kept as long as
//    those are (while wasm runs, every one of them).
// Funcrefs handed to the host follow the same rules (results are rooted,
// arguments valid during the call, Pin to keep one).
#ifndef WASMSTREAM_WASM_RUNTIME_STORE_H_
#define WASMSTREAM_WASM_RUNTIME_STORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wasm/runtime/function.h"
#include "wasm/runtime/gc_heap.h"
#include "wasm/runtime/gc_types.h"
#include "wasm/runtime/global.h"
#include "wasm/runtime/limits.h"
#include "wasm/runtime/memory.h"
#include "wasm/runtime/resource_limiter.h"
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
  // Null when the limits pass the engine's, the limiter refuses or the bytes
  // cannot be mapped.
  MemoryInstance* NewMemory(const Limits& limits, uint32_t page_size_log2 = 16);
  // Null when the limits pass the engine's, the limiter refuses, the table
  // budget has no room or the allocation fails.
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

  // Drops a creation reference (or one taken with AddHostRef).
  static void Release(StoreObject* object) { object->ReleaseHostRef(); }
  // A full collection (see the top of this file): false, doing nothing,
  // while wasm code runs (a host function calling back) or collection is
  // held off. The host must hold a Handle (or its creation reference) on
  // every object it will use again.
  bool Collect();
  // Collects when enough objects or memory bytes were made since the last
  // collection (twice what survived it, at least kMinCollectionObjects).
  void MaybeCollect();
  // Runtime objects the Store holds now (instances, functions, memories,
  // tables, globals, tags).
  size_t object_count() const;
  size_t instance_count() const { return instances_.size(); }
  static constexpr size_t kMinCollectionObjects = 4096;
  // Memory bytes made (initial sizes) that start a collection.
  static constexpr uint64_t kCollectionMemoryBytes = uint64_t{256} << 20;

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

  // During a host function's call: the instance whose wasm code called it
  // (null when the host called the function itself). Host functions reach
  // their caller's exports through it (bindings::Caller).
  Instance* caller_instance() const { return caller_instance_; }
  class CallerScope {
   public:
    CallerScope(Store& store, Instance* caller)
        : store_(store), saved_(std::exchange(store.caller_instance_, caller)) {}
    ~CallerScope() { store_.caller_instance_ = saved_; }
    CallerScope(const CallerScope&) = delete;
    CallerScope& operator=(const CallerScope&) = delete;

   private:
    Store& store_;
    Instance* saved_;
  };

  // Growth limits (resource_limiter.h); null: only the engine's limits.
  void SetLimiter(std::shared_ptr<ResourceLimiter> limiter) { limiter_ = std::move(limiter); }
  ResourceLimiter* limiter() const { return limiter_.get(); }
  // memory.grow / table.grow: the old size, or -1 when refused or impossible.
  int64_t GrowMemory(MemoryInstance* memory, uint64_t delta_pages);
  int64_t GrowTable(TableInstance* table, uint64_t delta, RefBits init);

  // Interruption (see the top of this file). Interrupt: any thread.
  void Interrupt() { interrupt_.fetch_or(kInterruptRequested, std::memory_order_relaxed); }
  // nullopt: no deadline. The Store's thread.
  void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline);
  std::optional<std::chrono::steady_clock::time_point> deadline() const { return deadline_; }
  // For the interpreter and the watchdog.
  const std::atomic<uint32_t>& interrupt_word() const { return interrupt_; }
  void InterruptForDeadline() { interrupt_.fetch_or(kDeadlineReached, std::memory_order_relaxed); }
  TrapKind InterruptTrap() const;
  bool DeadlinePassed() const;
  void ClearInterrupt() { interrupt_.store(0, std::memory_order_relaxed); }

  // Held by Invoke for a call: the first (outermost) claim records the
  // calling thread; a claim from another thread while it runs fails (the
  // Store is used by one thread at a time, checked on every call).
  class CallerClaim {
   public:
    explicit CallerClaim(Store& store);
    ~CallerClaim();
    CallerClaim(const CallerClaim&) = delete;
    CallerClaim& operator=(const CallerClaim&) = delete;
    bool ok() const { return ok_; }

   private:
    Store& store_;
    bool ok_ = false;
    bool outermost_ = false;
  };

 private:
  static constexpr uint32_t kInterruptRequested = 1;
  static constexpr uint32_t kDeadlineReached = 2;
  std::atomic<uint32_t> interrupt_{0};
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::atomic<std::thread::id> calling_thread_{};  // CallerClaim's
  std::shared_ptr<ResourceLimiter> limiter_;
  Instance* caller_instance_ = nullptr;

  std::vector<std::unique_ptr<FuncInstance>> funcs_;
  std::vector<std::unique_ptr<MemoryInstance>> memories_;
  TableBudget table_budget_{kMaxStoreTableElements};  // outlives {tables_}
  std::vector<std::unique_ptr<TableInstance>> tables_;
  std::vector<std::unique_ptr<GlobalInstance>> globals_;
  std::vector<std::unique_ptr<TagInstance>> tags_;
  std::vector<std::unique_ptr<Exception>> exceptions_;
  std::vector<std::unique_ptr<Instance>> instances_;
  size_t next_collection_objects_ = kMinCollectionObjects;
  uint64_t memory_bytes_since_collection_ = 0;
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
