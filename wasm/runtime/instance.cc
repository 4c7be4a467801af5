#include "wasm/runtime/instance.h"

#include <cstring>

#include "wasm/runtime/interpreter.h"

namespace wasmstream::wasm {
namespace {

// Readers for validated constant expressions (the bytes were checked by the
// module decoder; these only need to not run past the end).
struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  uint8_t u8() { return p < end ? *p++ : 0; }
  uint64_t uleb() {
    uint64_t r = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
      uint8_t b = *p++;
      r |= uint64_t{b & 0x7Fu} << shift;
      if (!(b & 0x80)) break;
    }
    return r;
  }
  int64_t sleb() {
    int64_t r = 0;
    int shift = 0;
    uint8_t b = 0;
    do {
      if (p >= end) break;
      b = *p++;
      r |= int64_t{b & 0x7F} << shift;
      shift += 7;
    } while ((b & 0x80) && shift < 70);
    if (shift < 64 && (b & 0x40)) r |= -(int64_t{1} << shift);
    return r;
  }
};

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

}  // namespace

void Imports::Add(std::string module, std::string name, Extern e) {
  modules_[std::move(module)][std::move(name)].ext = e;
}

void Imports::AddValue(std::string module, std::string name, Value v) {
  modules_[std::move(module)][std::move(name)].value = v;
}

void Imports::AddInstance(std::string module, const Instance& instance) {
  auto& m = modules_[std::move(module)];
  for (const auto& [name, ext] : instance.exports()) m[name].ext = ext;
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

Outcome<Value> EvalConstExpr(const Module& module, const Instance& instance, const ConstExpr& expr,
                             ValueType type) {
  Reader r{module.wire_bytes.data() + expr.bytes.offset,
           module.wire_bytes.data() + expr.bytes.end()};
  std::vector<Value> stack;
  auto bad = [] { return Error::Link("unsupported constant expression"); };
  while (r.p < r.end) {
    uint8_t op = r.u8();
    switch (op) {
      case 0x0B:  // end
        if (stack.size() != 1) return bad();
        stack.back().type = type;
        return stack.back();
      case 0x41:
        stack.push_back(Value::I32(static_cast<uint32_t>(r.sleb())));
        break;
      case 0x42:
        stack.push_back(Value::I64(static_cast<uint64_t>(r.sleb())));
        break;
      case 0x43: {
        uint32_t b = 0;
        for (int i = 0; i < 4; ++i) b |= uint32_t{r.u8()} << (8 * i);
        stack.push_back(Value::F32Bits(b));
        break;
      }
      case 0x44: {
        uint64_t b = 0;
        for (int i = 0; i < 8; ++i) b |= uint64_t{r.u8()} << (8 * i);
        stack.push_back(Value::F64Bits(b));
        break;
      }
      case 0xD0:  // ref.null ht
        r.sleb();
        stack.push_back(Value::Ref(type, kNullRef));
        break;
      case 0xD2: {  // ref.func
        uint64_t f = r.uleb();
        if (f >= instance.funcs.size()) return bad();
        stack.push_back(Value::Func(instance.funcs[f]));
        break;
      }
      case 0x23: {  // global.get
        uint64_t g = r.uleb();
        if (g >= instance.globals.size() || !instance.globals[g]) return bad();
        stack.push_back(instance.globals[g]->Get());
        break;
      }
      case 0x6A: case 0x6B: case 0x6C: case 0x7C: case 0x7D: case 0x7E: {  // extended-const
        if (stack.size() < 2) return bad();
        Value b = stack.back();
        stack.pop_back();
        Value& a = stack.back();
        if (op < 0x70) {
          uint32_t x = a.u.i32, y = b.u.i32;
          a.u.i32 = op == 0x6A ? x + y : op == 0x6B ? x - y : x * y;
        } else {
          uint64_t x = a.u.i64, y = b.u.i64;
          a.u.i64 = op == 0x7C ? x + y : op == 0x7D ? x - y : x * y;
        }
        break;
      }
      case 0xFD: {  // v128.const
        if (r.uleb() != 0x0C || r.end - r.p < 16) return bad();
        V128 v;
        std::memcpy(v.bytes, r.p, 16);
        r.p += 16;
        stack.push_back(Value::Vec(v));
        break;
      }
      default:
        return bad();
    }
  }
  return bad();
}

Outcome<Instance*> Instance::Instantiate(Store& store, std::shared_ptr<const Module> module_ptr,
                                         const Imports& imports) {
  const Module& m = *module_ptr;
  auto owned = std::unique_ptr<Instance>(new Instance(&store, module_ptr));
  Instance& inst = *owned;

  inst.sig_ids.resize(m.types.size());
  for (size_t i = 0; i < m.types.size(); ++i) {
    if (m.types[i].kind == CompositeKind::kFunc) inst.sig_ids[i] = store.InternSig(m.types[i].func);
  }
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
      if (!(field->value->type == g.type) && !(g.type.is_num() && field->value->type.is_num())) {
        return incompatible("global type");
      }
      Value v = *field->value;
      if (v.type.kind != g.type.kind) return incompatible("global type");
      inst.globals[imp.index] = store.NewGlobal(g.type, false, v);
      continue;
    }
    const Extern& e = *field->ext;
    if (e.kind != imp.kind) return incompatible("kind");
    switch (imp.kind) {
      case ExternalKind::kFunction:
        if (!(e.func->type == m.func_type(imp.index))) return incompatible("function type");
        inst.funcs[imp.index] = e.func;
        break;
      case ExternalKind::kTable: {
        const Table& t = m.tables[imp.index];
        if (!(e.table->elem_type() == t.elem_type) || !LimitsMatch(e.table->type(), t.limits)) {
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
        if (!(e.global->type() == g.type) || e.global->is_mutable() != g.mutable_) {
          return incompatible("global type");
        }
        inst.globals[imp.index] = e.global;
        break;
      }
      case ExternalKind::kTag: {
        const FuncType& want = m.types[m.tags[imp.index].type_index].func;
        if (!(e.tag->type() == want)) return incompatible("tag type");
        inst.tags[imp.index] = e.tag;
        break;
      }
    }
  }

  // Definitions.
  if (m.code.size() < m.functions.size()) {
    return Error::Link("module has no compiled code (compile it with a runtime CodeSink)");
  }
  for (uint32_t i = m.num_imported_functions; i < m.functions.size(); ++i) {
    if (!m.code[i]) return Error::Link("function #" + std::to_string(i) + " is not compiled");
    FuncInstance* f = store.NewFunction();
    f->type = m.func_type(i);
    f->sig_id = inst.sig_ids[m.functions[i].type_index];
    f->instance = &inst;
    f->func_index = i;
    f->code = m.code[i].get();
    inst.funcs[i] = f;
  }
  for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    const Global& g = m.globals[i];
    auto v = EvalConstExpr(m, inst, g.init, g.type);
    if (!v.ok()) return v.error();
    inst.globals[i] = store.NewGlobal(g.type, g.mutable_, v.value());
  }
  for (uint32_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    const Table& t = m.tables[i];
    RefBits init = kNullRef;
    if (t.init) {
      auto v = EvalConstExpr(m, inst, *t.init, t.elem_type);
      if (!v.ok()) return v.error();
      init = v.value().u.ref;
    }
    inst.tables[i] = store.NewTable(t.elem_type, t.limits, init);
    if (!inst.tables[i]) return Error::Range("WebAssembly.Table(): could not allocate the table");
  }
  for (uint32_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    inst.memories[i] = store.NewMemory(m.memories[i].limits, m.memories[i].page_size_log2);
    if (!inst.memories[i]) return Error::Range("WebAssembly.Memory(): could not allocate memory");
  }
  for (uint32_t i = m.num_imported_tags; i < m.tags.size(); ++i) {
    inst.tags[i] = store.NewTag(m.types[m.tags[i].type_index].func);
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
  // Store keeps it even when a segment or the start function traps.
  Instance* result = store.AddInstance(std::move(owned));
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
  if (m.start) {
    auto r = Invoke(store, result->funcs[*m.start], {});
    if (!r.ok()) return r.error();
  }
  return result;
}

}  // namespace wasmstream::wasm
