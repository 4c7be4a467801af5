#include "wasm/runtime/gc_heap.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "wasm/runtime/store.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// A free cell's payload is poisoned, so a collector bug that frees a live
// object shows up as a use after free under --config=asan.
#define WASMSTREAM_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define WASMSTREAM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define WASMSTREAM_POISON(p, n) ((void)(p), (void)(n))
#define WASMSTREAM_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace wasmstream::wasm {

static_assert(std::endian::native == std::endian::little,
              "GC object fields are copied to and from slots as little-endian bytes");

namespace {

uint8_t* NextFree(const uint8_t* cell) {
  uint8_t* next;
  std::memcpy(&next, cell + 8, sizeof next);
  return next;
}

}  // namespace

void GcHeap::FreeCell(uint8_t* cell, uint32_t cell_bytes) {
  auto* o = reinterpret_cast<GcObject*>(cell);
  o->type = kFreeCell;
  uint8_t* head = free_[cell_bytes / 8];
  std::memcpy(cell + 8, &head, sizeof head);
  free_[cell_bytes / 8] = cell;
  WASMSTREAM_POISON(cell + sizeof(GcObject), cell_bytes - sizeof(GcObject));
}

void GcHeap::AddPage(uint32_t cell_bytes) {
  Page page{std::make_unique_for_overwrite<uint64_t[]>(kPageBytes / 8), cell_bytes,
            kPageBytes / cell_bytes};
  auto* base = reinterpret_cast<uint8_t*>(page.words.get());
  for (uint32_t i = page.cells; i-- > 0;) FreeCell(base + uint64_t{i} * cell_bytes, cell_bytes);
  pages_.push_back(std::move(page));
  sorted_ = false;
}

GcObject* GcHeap::FindObject(uintptr_t addr) {
  auto address = [](const auto& x) { return reinterpret_cast<uintptr_t>(x.words.get()); };
  if (!sorted_) {
    auto by_address = [&](const auto& a, const auto& b) { return address(a) < address(b); };
    std::sort(pages_.begin(), pages_.end(), by_address);
    std::sort(large_.begin(), large_.end(), by_address);
    sorted_ = true;
  }
  // The last page starting at or below {addr}.
  auto page = std::upper_bound(pages_.begin(), pages_.end(), addr,
                               [&](uintptr_t a, const Page& p) { return a < address(p); });
  if (page != pages_.begin()) {
    --page;
    uintptr_t offset = addr - address(*page);
    if (offset < kPageBytes && offset % page->cell_bytes == 0 &&
        offset / page->cell_bytes < page->cells) {
      auto* o = reinterpret_cast<GcObject*>(addr);
      return o->type == kFreeCell ? nullptr : o;
    }
  }
  auto block = std::lower_bound(large_.begin(), large_.end(), addr,
                                [&](const Block& b, uintptr_t a) { return address(b) < a; });
  if (block != large_.end() && address(*block) == addr) return reinterpret_cast<GcObject*>(addr);
  return nullptr;
}

GcObject* GcHeap::Allocate(uint32_t type, bool is_array, uint32_t length, uint64_t payload_bytes) {
  uint64_t total = sizeof(GcObject) + (payload_bytes + 7) / 8 * 8;
  if (payload_bytes > limit_ || bytes_ > limit_ || total > limit_ - bytes_) return nullptr;
  uint8_t* cell;
  if (total <= kMaxSmallCellBytes) {
    uint8_t*& head = free_[total / 8];
    if (!head) AddPage(static_cast<uint32_t>(total));
    cell = head;
    head = NextFree(cell);
    WASMSTREAM_UNPOISON(cell + sizeof(GcObject), total - sizeof(GcObject));
    std::memset(cell, 0, total);
  } else {
    auto words = std::make_unique<uint64_t[]>(total / 8);  // zeroed
    cell = reinterpret_cast<uint8_t*>(words.get());
    large_.push_back(Block{std::move(words), total});
    sorted_ = false;
  }
  auto* o = new (cell) GcObject;
  o->type = type;
  o->length = length;
  o->is_array = is_array ? 1 : 0;
  bytes_ += total;
  since_collection_ += total;
  ++objects_;
  return o;
}

void GcHeap::Sweep() {
  // One pass per page: marked cells are unmarked, the others freed, and every
  // free cell goes onto its size's rebuilt free list (in reverse, so cells
  // are handed out in address order). A page left without a live cell is
  // kept as room for the next cycle (as much as a collection's trigger) or
  // dropped, its cells taken back off the list.
  for (uint8_t*& head : free_) head = nullptr;
  size_t kept_pages = 0;
  uint64_t empty_kept = 0;
  for (size_t p = 0; p < pages_.size(); ++p) {
    Page& page = pages_[p];
    auto* base = reinterpret_cast<uint8_t*>(page.words.get());
    uint8_t* const list_before = free_[page.cell_bytes / 8];
    uint32_t live = 0;
    for (uint32_t i = page.cells; i-- > 0;) {
      uint8_t* cell = base + uint64_t{i} * page.cell_bytes;
      auto* o = reinterpret_cast<GcObject*>(cell);
      if (o->type != kFreeCell) {
        if (o->marked) {
          o->marked = 0;
          ++live;
          continue;
        }
        bytes_ -= page.cell_bytes;
        --objects_;
      }
      FreeCell(cell, page.cell_bytes);
    }
    if (live == 0) {
      if (empty_kept + kPageBytes > kGcMinTriggerBytes) {
        free_[page.cell_bytes / 8] = list_before;  // dropped by the resize below
        continue;
      }
      empty_kept += kPageBytes;
    }
    if (kept_pages != p) pages_[kept_pages] = std::move(page);
    ++kept_pages;
  }
  pages_.resize(kept_pages);

  size_t kept = 0;
  for (size_t i = 0; i < large_.size(); ++i) {
    auto* o = reinterpret_cast<GcObject*>(large_[i].words.get());
    if (o->marked) {
      o->marked = 0;
      if (kept != i) large_[kept] = std::move(large_[i]);
      ++kept;
    } else {
      bytes_ -= large_[i].bytes;
      --objects_;
    }
  }
  large_.resize(kept);
  ++collections_;
  since_collection_ = 0;
  trigger_ = std::max(kGcMinTriggerBytes, bytes_);
}

TrapKind NewStruct(Store& store, uint32_t type, const uint64_t* fields, RefBits* out) {
  const CanonType& t = store.types().type(type);
  GcObject* o = store.AllocateGc(type, false, 0, t.payload_bytes);
  if (!o) return TrapKind::kGcHeapExhausted;
  if (fields) {
    for (const CanonField& f : t.fields) {
      StoreFieldBytes(o->data() + f.offset, f.size, fields);
      fields += f.slots;
    }
  }
  *out = GcRef(o);
  return TrapKind::kNone;
}

namespace {

GcObject* AllocArray(Store& store, uint32_t type, uint64_t length, TrapKind* trap) {
  const CanonField& e = store.types().type(type).fields[0];
  if (length > kMaxArrayLength) {
    *trap = TrapKind::kArrayTooLarge;
    return nullptr;
  }
  GcObject* o = store.AllocateGc(type, true, static_cast<uint32_t>(length), length * e.size);
  *trap = o ? TrapKind::kNone : TrapKind::kGcHeapExhausted;
  return o;
}

}  // namespace

TrapKind NewArray(Store& store, uint32_t type, uint64_t length, const uint64_t* value,
                  RefBits* out) {
  TrapKind trap;
  GcObject* o = AllocArray(store, type, length, &trap);
  if (!o) return trap;
  const CanonField& e = store.types().type(type).fields[0];
  bool zero = !value || (value[0] == 0 && (e.slots == 1 || value[1] == 0));
  if (!zero) {
    for (uint64_t i = 0; i < length; ++i) StoreFieldBytes(o->data() + i * e.size, e.size, value);
  }
  *out = GcRef(o);
  return TrapKind::kNone;
}

TrapKind NewArrayFixed(Store& store, uint32_t type, uint32_t length, const uint64_t* values,
                       RefBits* out) {
  TrapKind trap;
  GcObject* o = AllocArray(store, type, length, &trap);
  if (!o) return trap;
  const CanonField& e = store.types().type(type).fields[0];
  for (uint32_t i = 0; i < length; ++i) {
    StoreFieldBytes(o->data() + uint64_t{i} * e.size, e.size, values + uint64_t{i} * e.slots);
  }
  *out = GcRef(o);
  return TrapKind::kNone;
}

}  // namespace wasmstream::wasm
