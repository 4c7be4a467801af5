#include "wasm/runtime/instance.h"

#include <cstring>
#include <optional>

#include "wasm/runtime/gc_heap.h"
#include "wasm/runtime/interpreter.h"

namespace wasmstream::wasm {
namespace {

std::string ImportPrefix(uint32_t i, const Import& imp) {
  return "Import #" + std::to_string(i) + " \"" + imp.module + "\" \"" + imp.name + "\": ";
}

bool LimitsMatch(const Limits& actual, const Limits& expected) {
  if (actual.is64 != expected.is64 || actual.shared != expected.shared) return false;
  if (actual.min < expected.min) return false;
  if (expected.has_max) {
    if (!actual.has_max || actual.max > expected.max) return false;
  }
  return true;
}

// An object the instance being made creates: reachable through the
// instance only, so the creation reference Store::New* gives is dropped.
template <typename T>
T* OwnedByInstance(T* object) {
  if (object) object->host_refs.store(0, std::memory_order_relaxed);
  return object;
}

}  // namespace

void Imports::Add(std::string module, std::string name, Extern e) {
  roots_.emplace_back(e.object());
  modules_[std::move(module)][std::move(name)].ext = e;
}

void Imports::AddValue(std::string module, std::string name, Value v) {
  modules_[std::move(module)][std::move(name)].value = v;
}

void Imports::AddInstance(std::string module, const Instance& instance) {
  auto& m = modules_[std::move(module)];
  for (const auto& [name, ext] : instance.exports()) {
    roots_.emplace_back(ext.object());
    m[name].ext = ext;
  }
}

bool Imports::HasModule(std::string_view module) const {
  return modules_.find(module) != modules_.end();
}

const Imports::Field* Imports::Find(std::string_view module, std::string_view name) const {
  auto m = modules_.find(module);
  if (m == modules_.end()) return nullptr;
  auto f = m->second.find(name);
  return f == m->second.end() ? nullptr : &f->second;
}

StoreObject* Extern::object() const {
  switch (kind) {
    case ExternalKind::kFunction: return func;
    case ExternalKind::kTable: return table;
    case ExternalKind::kMemory: return memory;
    case ExternalKind::kGlobal: return global;
    case ExternalKind::kTag: return tag;
  }
  return nullptr;
}

std::optional<Extern> Instance::GetExport(std::string_view name) const {
  auto it = exports_.find(name);
  if (it == exports_.end()) return std::nullopt;
  return it->second;
}

std::span<const uint8_t> Instance::DataBytes(uint32_t index) const {
  if (data_dropped[index]) return {};
  const ByteRange& r = module_->data[index].bytes;
  return {module_->wire_bytes.data() + r.offset, r.length};
}

Outcome<std::vector<Value>> Instance::CallExport(std::string_view name,
                                                 std::span<const Value> args) {
  auto e = GetExport(name);
  if (!e || e->kind != ExternalKind::kFunction) {
    return Error::Type("no exported function \"" + std::string(name) + "\"");
  }
  return Invoke(*store_, e->func, args);
}

const FunctionCode* Instance::CompileLazily(uint32_t func_index, Error* error) {
  FuncInstance* f = funcs[func_index];
  if (f->code) return f->code;
  if (!code_table_) code_table_ = ModuleCodeTable::Of(*module_);
  f->code = code_table_->GetOrMake(*module_, func_index, error);
  return f->code;
}

Outcome<Instance*> Instance::Instantiate(Store& store, std::shared_ptr<const Module> module_ptr,
                                         const Imports& imports) {
  const Module& m = *module_ptr;
  Store::CallerClaim claim(store);  // one thread at a time, as for calls
  if (!claim.ok()) return Error::Type("the Store is running a call on another thread");
  // Before anything of this instance exists: everything it will use is held
  // by {imports} or {module_ptr}.
  store.MaybeCollect();
  auto owned = std::unique_ptr<Instance>(new Instance(&store, module_ptr));
  Instance& inst = *owned;
  // Constant expressions hold references where the collector does not look
  // (and the instance is not in the Store yet): no collection until start.
  std::optional<GcHeap::NoCollectScope> no_collect(std::in_place, store.heap());

  inst.canon_types = store.types().Canonicalize(m);
  const TypeRegistry& reg = store.types();
  auto canon = [&](ValueType t) { return CanonValueType(t, inst.canon_types); };
  inst.funcs.resize(m.functions.size());
  inst.tables.resize(m.tables.size());
  inst.memories.resize(m.memories.size());
  inst.globals.resize(m.globals.size());
  inst.tags.resize(m.tags.size());

  // Read the imports (JS API) and match them (core spec, extern type matching).
  for (uint32_t i = 0; i < m.imports.size(); ++i) {
    const Import& imp = m.imports[i];
    if (!imports.HasModule(imp.module)) {
      return Error::Type(ImportPrefix(i, imp) + "module is not an object or function");
    }
    const Imports::Field* field = imports.Find(imp.module, imp.name);
    if (!field) return Error::Link(ImportPrefix(i, imp) + "unknown import");
    auto incompatible = [&](const char* what) {
      return Error::Link(ImportPrefix(i, imp) + "incompatible import type (" + what + ")");
    };
    if (field->value) {  // a plain value: only an immutable global of its type
      if (imp.kind != ExternalKind::kGlobal) return incompatible("not a wasm object");
      const Global& g = m.globals[imp.index];
      if (g.mutable_) {
        return Error::Link(ImportPrefix(i, imp) +
                           "imported mutable global must be a WebAssembly.Global object");
      }
      Value v = *field->value;
      if (v.type.kind != g.type.kind ||
          (v.type.is_ref() && !reg.IsValueSubtype(v.type, canon(g.type)))) {
        return incompatible("global type");
      }
      inst.globals[imp.index] = OwnedByInstance(store.NewGlobal(canon(g.type), false, v));
      continue;
    }
    const Extern& e = *field->ext;
    if (e.kind != imp.kind) return incompatible("kind");
    switch (imp.kind) {
      case ExternalKind::kFunction:
        if (!reg.IsSubtype(e.func->sig_id,
                           inst.canon_types[m.functions[imp.index].type_index])) {
          return incompatible("function type");
        }
        inst.funcs[imp.index] = e.func;
        break;
      case ExternalKind::kTable: {
        const Table& t = m.tables[imp.index];
        if (!(e.table->elem_type() == canon(t.elem_type)) ||
            !LimitsMatch(e.table->type(), t.limits)) {
          return incompatible("table type");
        }
        inst.tables[imp.index] = e.table;
        break;
      }
      case ExternalKind::kMemory: {
        const Memory& mem = m.memories[imp.index];
        if (!LimitsMatch(e.memory->type(), mem.limits) ||
            e.memory->page_size_log2() != mem.page_size_log2) {
          return incompatible("memory type");
        }
        inst.memories[imp.index] = e.memory;
        break;
      }
      case ExternalKind::kGlobal: {
        const Global& g = m.globals[imp.index];
        ValueType want = canon(g.type);
        if (e.global->is_mutable() != g.mutable_ ||
            (g.mutable_ ? !(e.global->type() == want)
                        : !reg.IsValueSubtype(e.global->type(), want))) {
          return incompatible("global type");
        }
        inst.globals[imp.index] = e.global;
        break;
      }
      case ExternalKind::kTag: {
        if (e.tag->type_id() != inst.canon_types[m.tags[imp.index].type_index]) {
          return incompatible("tag type");
        }
        inst.tags[imp.index] = e.tag;
        break;
      }
    }
  }

  // Definitions. Code the module lacks is compiled on first call (null here)
  // unless an instance of the module made it already.
  inst.code_table_ = ModuleCodeTable::Find(m);
  for (uint32_t i = m.num_imported_functions; i < m.functions.size(); ++i) {
    FuncInstance* f = OwnedByInstance(store.NewFunction());
    f->type = m.func_type(i);
    f->sig_id = inst.canon_types[m.functions[i].type_index];
    f->instance = &inst;
    f->func_index = i;
    f->code = i < m.code.size() ? m.code[i].get() : nullptr;
    if (!f->code && inst.code_table_) f->code = inst.code_table_->Get(i);
    inst.funcs[i] = f;
  }
  for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    const Global& g = m.globals[i];
    auto v = EvalConstExpr(m, inst, g.init, g.type);
    if (!v.ok()) return v.error();
    inst.globals[i] = OwnedByInstance(store.NewGlobal(canon(g.type), g.mutable_, v.value()));
  }
  for (uint32_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    const Table& t = m.tables[i];
    RefBits init = kNullRef;
    if (t.init) {
      auto v = EvalConstExpr(m, inst, *t.init, t.elem_type);
      if (!v.ok()) return v.error();
      init = v.value().u.ref;
    }
    inst.tables[i] = OwnedByInstance(store.NewTable(canon(t.elem_type), t.limits, init));
    if (!inst.tables[i]) return Error::Range("WebAssembly.Table(): could not allocate the table");
  }
  for (uint32_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    inst.memories[i] =
        OwnedByInstance(store.NewMemory(m.memories[i].limits, m.memories[i].page_size_log2));
    if (!inst.memories[i]) return Error::Range("WebAssembly.Memory(): could not allocate memory");
  }
  for (uint32_t i = m.num_imported_tags; i < m.tags.size(); ++i) {
    uint32_t type = m.tags[i].type_index;
    inst.tags[i] = OwnedByInstance(store.NewTag(
        CanonFuncType(m.types[type].func, inst.canon_types), inst.canon_types[type]));
  }
  for (const Export& e : m.exports) {
    Extern x;
    x.kind = e.kind;
    switch (e.kind) {
      case ExternalKind::kFunction: x.func = inst.funcs[e.index]; break;
      case ExternalKind::kTable: x.table = inst.tables[e.index]; break;
      case ExternalKind::kMemory: x.memory = inst.memories[e.index]; break;
      case ExternalKind::kGlobal: x.global = inst.globals[e.index]; break;
      case ExternalKind::kTag: x.tag = inst.tags[e.index]; break;
    }
    inst.exports_[e.name] = x;
  }
  inst.elems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    auto& out = inst.elems[i];
    if (seg.uses_exprs) {
      for (const ConstExpr& e : seg.exprs) {
        auto v = EvalConstExpr(m, inst, e, seg.elem_type);
        if (!v.ok()) return v.error();
        out.push_back(v.value().u.ref);
      }
    } else {
      for (uint32_t f : seg.func_indices) out.push_back(reinterpret_cast<RefBits>(inst.funcs[f]));
    }
  }
  inst.data_dropped.assign(m.data.size(), 0);

  // From here on the instance may be referenced from imported tables, so the
  // Store keeps it even when a segment or the start function traps (as long
  // as something reaches it: a failure drops the creation reference).
  Instance* result = store.AddInstance(std::move(owned));
  struct ReleaseUnlessDone {
    Instance* instance;
    bool done = false;
    ~ReleaseUnlessDone() {
      if (!done) Store::Release(instance);
    }
  } creation_ref{result};
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == SegmentMode::kActive) {
      TableInstance* t = result->tables[seg.table_index];
      auto off = EvalConstExpr(m, *result, seg.offset, t->is64() ? ValueType::I64() : ValueType::I32());
      if (!off.ok()) return off.error();
      uint64_t o = t->is64() ? off.value().u.i64 : off.value().u.i32;
      const auto& items = result->elems[i];
      if (!t->InBounds(o, items.size())) return Error::Trap(TrapKind::kTableOutOfBounds);
      for (size_t k = 0; k < items.size(); ++k) t->Set(o + k, items[k]);
    }
    if (seg.mode != SegmentMode::kPassive) result->elems[i].clear();
  }

  for (size_t i = 0; i < m.data.size(); ++i) {
    const DataSegment& seg = m.data[i];
    if (seg.mode != SegmentMode::kActive) continue;
    MemoryInstance* mem = result->memories[seg.memory_index];
    auto off = EvalConstExpr(m, *result, seg.offset, mem->is64() ? ValueType::I64() : ValueType::I32());
    if (!off.ok()) return off.error();
    uint64_t o = mem->is64() ? off.value().u.i64 : off.value().u.i32;
    if (!mem->InBounds(o, seg.bytes.length)) return Error::Trap(TrapKind::kMemoryOutOfBounds);
    if (seg.bytes.length) std::memcpy(mem->data() + o, m.wire_bytes.data() + seg.bytes.offset, seg.bytes.length);
    result->data_dropped[i] = 1;
  }
  no_collect.reset();
  if (m.start) {
    auto r = Invoke(store, result->funcs[*m.start], {});
    if (!r.ok()) return r.error();
  }
  creation_ref.done = true;
  return result;
}

}  // namespace wasmstream::wasm
