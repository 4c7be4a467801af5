// The collector: mark-sweep over the Store's GC objects and thrown exceptions,
// and in a full collection (Store::Collect, no wasm running) over the
// runtime objects too: instances, functions, memories, tables, globals, tags.
//
// A full collection's roots are what the host holds: objects with host
// references (store_object.h), host roots and pins. From there it follows an
// instance to everything it uses (own or imported, element segments), a
// function to its instance, a table's elements, a reference global's value,
// a GC object's reference fields and an exception's tag and payload; a
// funcref is a FuncInstance's address. A partial collection (at a GC
// allocation, wasm may be running) keeps every runtime object and takes
// every global, table and element segment as a root, as below.
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
  GcMarker(Store& store, bool full) : store_(store), full_(full) {}

  void MarkRoots() {
    Store& s = store_;
    MarkStack();
    if (full_) {
      auto held = [](const StoreObject& o) {
        return o.host_refs.load(std::memory_order_acquire) > 0;
      };
      for (const auto& i : s.instances_) {
        if (held(*i)) MarkInstance(i.get());
      }
      for (const auto& f : s.funcs_) {
        if (held(*f)) MarkFunc(f.get());
      }
      for (const auto& t : s.tables_) {
        if (held(*t)) MarkTable(t.get());
      }
      for (const auto& g : s.globals_) {
        if (held(*g)) MarkGlobal(g.get());
      }
      for (const auto& m : s.memories_) {
        if (held(*m)) m->marked = true;
      }
      for (const auto& t : s.tags_) {
        if (held(*t)) t->marked = true;
      }
      for (RefBits r : s.host_roots_) Visit(r);
      for (RefBits r : s.pinned_) Visit(r);
      return;
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
    while (!gray_objects_.empty() || !gray_exceptions_.empty() || !gray_instances_.empty() ||
           !gray_tables_.empty()) {
      if (!gray_instances_.empty()) {
        const Instance* inst = gray_instances_.back();
        gray_instances_.pop_back();
        for (FuncInstance* f : inst->funcs) MarkFunc(f);
        for (TableInstance* t : inst->tables) MarkTable(t);
        for (MemoryInstance* m : inst->memories) {
          if (m) m->marked = true;
        }
        for (GlobalInstance* g : inst->globals) MarkGlobal(g);
        for (TagInstance* t : inst->tags) {
          if (t) t->marked = true;
        }
        for (const auto& seg : inst->elems) {
          for (RefBits r : seg) Visit(r);
        }
        continue;
      }
      if (!gray_tables_.empty()) {
        TableInstance* t = gray_tables_.back();
        gray_tables_.pop_back();
        const RefBits* elems = t->data();
        for (uint64_t i = 0; i < t->size(); ++i) Visit(elems[i]);
        continue;
      }
      if (!gray_exceptions_.empty()) {
        const Exception* e = gray_exceptions_.back();
        gray_exceptions_.pop_back();
        if (!e->tag) continue;
        if (full_) const_cast<TagInstance*>(e->tag)->marked = true;
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
    if (!full_) return;
    SweepObjects(store_.instances_);
    SweepObjects(store_.funcs_);
    SweepObjects(store_.tables_);
    SweepObjects(store_.memories_);
    SweepObjects(store_.globals_);
    SweepObjects(store_.tags_);
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

  // Frees the unmarked objects of {objects} and clears the others' marks.
  template <typename T>
  static void SweepObjects(std::vector<std::unique_ptr<T>>& objects) {
    size_t kept = 0;
    for (size_t i = 0; i < objects.size(); ++i) {
      if (!objects[i]->marked) continue;
      objects[i]->marked = false;
      if (kept != i) objects[kept] = std::move(objects[i]);
      ++kept;
    }
    objects.resize(kept);
  }

  void MarkInstance(Instance* inst) {
    if (inst->marked) return;
    inst->marked = true;
    gray_instances_.push_back(inst);
  }

  void MarkFunc(FuncInstance* f) {
    if (!f || f->marked) return;
    f->marked = true;
    if (f->instance) MarkInstance(f->instance);
  }

  void MarkTable(TableInstance* t) {
    if (!t || t->marked) return;
    t->marked = true;
    gray_tables_.push_back(t);
  }

  void MarkGlobal(GlobalInstance* g) {
    if (!g || g->marked) return;
    g->marked = true;
    if (g->type().is_ref()) Visit(g->slots()[0]);
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
    } else if (full_ && r != kNullRef && (r & kRefTagMask) == 0) {  // a funcref
      MarkFunc(reinterpret_cast<FuncInstance*>(r));
    }
  }

  Store& store_;
  const bool full_;
  std::vector<const Instance*> gray_instances_;
  std::vector<TableInstance*> gray_tables_;
  std::vector<const GcObject*> gray_objects_;
  std::vector<const Exception*> gray_exceptions_;
};

void Store::CollectGarbage() {
  GcMarker marker(*this, /*full=*/false);
  marker.MarkRoots();
  marker.Trace();
  marker.Sweep();
}

bool Store::Collect() {
  if ((stack_ && stack_->host_depth > 0) || !heap_.CanCollect()) return false;
  GcMarker marker(*this, /*full=*/true);
  marker.MarkRoots();
  marker.Trace();
  marker.Sweep();
  size_t live = object_count();
  next_collection_objects_ = std::max(kMinCollectionObjects, 2 * live);
  memory_bytes_since_collection_ = 0;
  return true;
}

}  // namespace wasmstream::wasm
