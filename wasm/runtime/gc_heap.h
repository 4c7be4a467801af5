// The GC heap: where struct and array objects live.
//
// Objects never move. Small ones (kMaxSmallCellBytes with the header) live in
// 64 KiB pages of equal cells, one page per cell size, handed out from a free
// list per size; larger ones get a block each. Store::CollectGarbage
// (gc_collector.cc) frees the unreachable ones: mark-sweep, precise in
// objects, globals, tables and element segments, conservative on the
// interpreter's value stack. The heap is bounded by an explicit byte limit
// (kMaxGcHeapBytes, adjustable per Store) and arrays by kMaxArrayLength: past
// either, allocation fails and the instruction traps with a clear error
// instead of growing without bound.
#ifndef WASMSTREAM_WASM_RUNTIME_GC_HEAP_H_
#define WASMSTREAM_WASM_RUNTIME_GC_HEAP_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "wasm/runtime/error.h"
#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/gc_types.h"
#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {

class GcHeap {
 public:
  GcHeap() = default;
  GcHeap(const GcHeap&) = delete;
  GcHeap& operator=(const GcHeap&) = delete;

  // Zeroed object with {payload_bytes} after the header, or null when it
  // would take the heap past its limit. Never collects (Store::AllocateGc does).
  GcObject* Allocate(uint32_t type, bool is_array, uint32_t length, uint64_t payload_bytes);

  // Counts {bytes} of other garbage-collected allocations (exceptions)
  // towards the next collection.
  void NoteAllocation(uint64_t bytes) { since_collection_ += bytes; }
  // True when enough was allocated since the last collection that the next
  // allocation should collect first, and nothing forbids collecting now.
  bool WantsCollection() const { return no_collect_ == 0 && since_collection_ >= trigger_; }
  bool CanCollect() const { return no_collect_ == 0; }
  uint64_t allocated_since_collection() const { return since_collection_; }

  // Frees the unmarked objects and clears the marks of the others.
  void Sweep();
  // The object at exactly {addr}, or null: for words that may or may not be
  // references (the collector's stack scan). Sorts the page and block lists
  // by address first, so call it in batches between allocations.
  GcObject* FindObject(uintptr_t addr);

  uint64_t bytes() const { return bytes_; }
  size_t objects() const { return objects_; }
  uint64_t limit() const { return limit_; }
  void set_limit(uint64_t bytes) { limit_ = bytes; }
  uint64_t collections() const { return collections_; }

  // While one is alive the heap never collects (instantiation's constant
  // expressions hold references where the collector cannot see them).
  class NoCollectScope {
   public:
    explicit NoCollectScope(GcHeap& heap) : heap_(heap) { ++heap_.no_collect_; }
    ~NoCollectScope() { --heap_.no_collect_; }
    NoCollectScope(const NoCollectScope&) = delete;
    NoCollectScope& operator=(const NoCollectScope&) = delete;

   private:
    GcHeap& heap_;
  };

 private:
  static constexpr uint32_t kPageBytes = 64 * 1024;
  static constexpr uint32_t kMaxSmallCellBytes = 256;
  static constexpr uint32_t kSizeClasses = kMaxSmallCellBytes / 8 + 1;  // by cell bytes / 8
  // A free cell's type; its next free cell is stored after the header's
  // first 8 bytes.
  static constexpr uint32_t kFreeCell = UINT32_MAX;

  struct Page {
    std::unique_ptr<uint64_t[]> words;
    uint32_t cell_bytes;
    uint32_t cells;
  };
  struct Block {
    std::unique_ptr<uint64_t[]> words;
    uint64_t bytes;
  };
  void AddPage(uint32_t cell_bytes);
  void FreeCell(uint8_t* cell, uint32_t cell_bytes);

  std::vector<Page> pages_;
  uint8_t* free_[kSizeClasses] = {};
  std::vector<Block> large_;
  bool sorted_ = false;  // pages_ and large_ in address order (FindObject)
  uint64_t bytes_ = 0;  // of live objects: cells and blocks
  size_t objects_ = 0;
  uint64_t limit_ = kMaxGcHeapBytes;
  uint64_t since_collection_ = 0;
  uint64_t trigger_ = kGcMinTriggerBytes;
  uint64_t collections_ = 0;
  uint32_t no_collect_ = 0;
};

class Store;

// Object construction shared by the interpreter and constant expressions.
// Operand values are in slots (v128 takes two); {*out} gets the reference.
// struct.new ({fields} null: struct.new_default).
TrapKind NewStruct(Store& store, uint32_t type, const uint64_t* fields, RefBits* out);
// array.new / array.new_default ({value} null): {length} copies of one value.
TrapKind NewArray(Store& store, uint32_t type, uint64_t length, const uint64_t* value,
                  RefBits* out);
// array.new_fixed: {length} values, consecutive in slots.
TrapKind NewArrayFixed(Store& store, uint32_t type, uint32_t length, const uint64_t* values,
                       RefBits* out);

// Field/element access at {p} of {size} bytes (1, 2, 4, 8 or 16) to/from
// slots (little-endian). A switch, so each copy is one move: a memcpy of a
// variable size compiles to `rep movs`, which costs more than the rest of a
// struct.get.
inline void StoreFieldBytes(uint8_t* p, uint8_t size, const uint64_t* src) {
  switch (size) {
    case 8: std::memcpy(p, src, 8); return;
    case 4: std::memcpy(p, src, 4); return;
    case 2: std::memcpy(p, src, 2); return;
    case 1: std::memcpy(p, src, 1); return;
    default: std::memcpy(p, src, 16); return;
  }
}
inline void LoadFieldBytes(const uint8_t* p, uint8_t size, uint64_t* dst) {
  switch (size) {
    case 8: std::memcpy(dst, p, 8); return;
    case 4: { uint32_t v; std::memcpy(&v, p, 4); dst[0] = v; return; }
    case 2: { uint16_t v; std::memcpy(&v, p, 2); dst[0] = v; return; }
    case 1: dst[0] = p[0]; return;
    default: std::memcpy(dst, p, 16); return;
  }
}

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_GC_HEAP_H_
