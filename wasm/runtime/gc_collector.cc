// The collector: mark-sweep over the Store's GC objects and thrown exceptions.
//
// Roots: the interpreter's value stack up to its top, globals of reference
// type, table elements, element segments, and what the host holds (the
// Store's host roots and pins). Everything but the stack is typed, so those
// words are references for sure and are followed directly (objects by their
// canonical type, exception payloads by their tag's parameters). Stack slots
// are untyped: a slot keeps an object only if it holds exactly that object's
// reference bits (conservative; GcHeap::FindObject tells whether a word is an
// object's address). Nothing moves: a slot that only looks like a reference
// costs some retention, never correctness.
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
  explicit GcMarker(Store& store) : store_(store) {}

  void MarkRoots() {
    Store& s = store_;
    MarkStack();
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
        if (!e->tag) continue;
        size_t s = 0;
        for (ValueType t : e->tag->type().params) {
          if (t.is_ref() && s < e->payload.size()) Visit(e->payload[s]);
          s += SlotCount(t);
        }
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
  // The stack's slots that name a GC object or an exception exactly.
  void MarkStack() {
    const ExecStack* stack = store_.stack_.get();
    if (!stack || !stack->slots) return;
    std::vector<uintptr_t> exceptions;
    for (const uint64_t* p = stack->slots; p < stack->top; ++p) {
      if (IsGcRef(*p)) {
        if (GcObject* o = store_.heap_.FindObject(*p & ~kRefTagMask)) Visit(GcRef(o));
      } else if (IsExnRef(*p)) {
        exceptions.push_back(*p & ~kRefTagMask);
      }
    }
    if (exceptions.empty()) return;
    std::sort(exceptions.begin(), exceptions.end());
    for (const auto& e : store_.exceptions_) {
      auto addr = reinterpret_cast<uintptr_t>(e.get());
      if (std::binary_search(exceptions.begin(), exceptions.end(), addr)) {
        Visit(addr | kRefTagExn);
      }
    }
  }

  void VisitAt(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    Visit(w);
  }

  // {r} is a reference (of any kind): marks and queues the object or
  // exception it names.
  void Visit(RefBits r) {
    if (IsGcRef(r)) {
      GcObject* o = GcObjectOf(r);
      if (o->marked) return;
      o->marked = 1;
      gray_objects_.push_back(o);
    } else if (IsExnRef(r)) {
      auto* e = reinterpret_cast<Exception*>(r & ~kRefTagMask);
      if (e->marked) return;
      e->marked = true;
      gray_exceptions_.push_back(e);
    }
  }

  Store& store_;
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
