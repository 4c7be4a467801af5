// The collector: mark-sweep over the Store's GC objects and thrown exceptions.
//
// Roots: the interpreter's value stack up to its top (scanned conservatively:
// slots are untyped, so any word that has a reference tag and names an
// object of the heap keeps it), globals of reference type, table elements,
// element segments, and what the host holds (Store's host roots and pins).
// Objects are traced precisely by their canonical type; exception payloads
// word by word, conservatively like the stack. Nothing moves, so a word that
// only looks like a reference costs some retention, never correctness.
#include <algorithm>
#include <cstring>
#include <vector>

#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/store.h"

namespace wasmstream::wasm {

class GcMarker {
 public:
  explicit GcMarker(Store& store) : store_(store) {
    store.heap_.ForEachObject(
        [&](GcObject* o) { objects_.push_back(reinterpret_cast<uintptr_t>(o)); });
    std::sort(objects_.begin(), objects_.end());
    for (const auto& e : store.exceptions_) exceptions_.push_back(reinterpret_cast<uintptr_t>(e.get()));
    std::sort(exceptions_.begin(), exceptions_.end());
  }

  void MarkRoots() {
    Store& s = store_;
    if (s.stack_ && s.stack_->slots) {
      for (const uint64_t* p = s.stack_->slots; p < s.stack_->top; ++p) Visit(*p);
    }
    for (const auto& g : s.globals_) {
      if (g->type().is_ref()) Visit(g->slots()[0]);
    }
    for (const auto& t : s.tables_) {
      const RefBits* elems = t->data();
      for (uint64_t i = 0; i < t->size(); ++i) Visit(elems[i]);
    }
    for (const auto& inst : s.instances_) {
      for (const auto& seg : inst->elems) {
        for (RefBits r : seg) Visit(r);
      }
    }
    for (RefBits r : s.host_roots_) Visit(r);
    for (RefBits r : s.pinned_) Visit(r);
  }

  void Trace() {
    const TypeRegistry& types = store_.types();
    while (!gray_objects_.empty() || !gray_exceptions_.empty()) {
      if (!gray_exceptions_.empty()) {
        const Exception* e = gray_exceptions_.back();
        gray_exceptions_.pop_back();
        for (uint64_t w : e->payload) Visit(w);
        continue;
      }
      const GcObject* o = gray_objects_.back();
      gray_objects_.pop_back();
      const CanonType& t = types.type(o->type);
      if (o->is_array) {
        if (!t.fields[0].type.type.is_ref()) continue;
        for (uint32_t i = 0; i < o->length; ++i) VisitAt(o->data() + uint64_t{i} * 8);
      } else {
        for (const CanonField& f : t.fields) {
          if (f.type.type.is_ref()) VisitAt(o->data() + f.offset);
        }
      }
    }
  }

  void Sweep() {
    store_.heap_.Sweep();
    auto& exns = store_.exceptions_;
    size_t kept = 0;
    for (size_t i = 0; i < exns.size(); ++i) {
      if (!exns[i]->marked) continue;
      exns[i]->marked = false;
      if (kept != i) exns[kept] = std::move(exns[i]);
      ++kept;
    }
    exns.resize(kept);
  }

 private:
  void VisitAt(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    Visit(w);
  }

  // {w} may be a reference: marks and queues the object or exception it names.
  void Visit(uint64_t w) {
    if (IsGcRef(w)) {
      uintptr_t p = static_cast<uintptr_t>(w & ~kRefTagMask);
      if (!std::binary_search(objects_.begin(), objects_.end(), p)) return;
      auto* o = reinterpret_cast<GcObject*>(p);
      if (o->marked) return;
      o->marked = 1;
      gray_objects_.push_back(o);
    } else if (IsExnRef(w)) {
      uintptr_t p = static_cast<uintptr_t>(w & ~kRefTagMask);
      if (!std::binary_search(exceptions_.begin(), exceptions_.end(), p)) return;
      auto* e = reinterpret_cast<Exception*>(p);
      if (e->marked) return;
      e->marked = true;
      gray_exceptions_.push_back(e);
    }
  }

  Store& store_;
  std::vector<uintptr_t> objects_;     // addresses of every object, sorted
  std::vector<uintptr_t> exceptions_;  // addresses of every exception, sorted
  std::vector<const GcObject*> gray_objects_;
  std::vector<const Exception*> gray_exceptions_;
};

void Store::CollectGarbage() {
  GcMarker marker(*this);
  marker.MarkRoots();
  marker.Trace();
  marker.Sweep();
}

}  // namespace wasmstream::wasm
