#include "wasm/runtime/gc_heap.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "wasm/runtime/store.h"

namespace wasmstream::wasm {

static_assert(std::endian::native == std::endian::little,
              "GC object fields are copied to and from slots as little-endian bytes");

GcObject* GcHeap::Allocate(uint32_t type, bool is_array, uint32_t length, uint64_t payload_bytes) {
  uint64_t total = sizeof(GcObject) + (payload_bytes + 7) / 8 * 8;
  if (payload_bytes > limit_ || bytes_ > limit_ || total > limit_ - bytes_) return nullptr;
  auto words = std::make_unique<uint64_t[]>(total / 8);  // zeroed
  auto* o = new (words.get()) GcObject;
  o->type = type;
  o->length = length;
  o->is_array = is_array ? 1 : 0;
  blocks_.push_back(Block{std::move(words), total});
  bytes_ += total;
  since_collection_ += total;
  return o;
}

void GcHeap::Sweep() {
  size_t kept = 0;
  for (size_t i = 0; i < blocks_.size(); ++i) {
    auto* o = reinterpret_cast<GcObject*>(blocks_[i].words.get());
    if (o->marked) {
      o->marked = 0;
      if (kept != i) blocks_[kept] = std::move(blocks_[i]);
      ++kept;
    } else {
      bytes_ -= blocks_[i].bytes;
    }
  }
  blocks_.resize(kept);
  ++collections_;
  since_collection_ = 0;
  trigger_ = std::max(kGcMinTriggerBytes, bytes_);
}

void StoreFieldBytes(uint8_t* p, uint8_t size, const uint64_t* src) { std::memcpy(p, src, size); }

void LoadFieldBytes(const uint8_t* p, uint8_t size, uint64_t* dst) {
  dst[0] = 0;
  std::memcpy(dst, p, size);
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
