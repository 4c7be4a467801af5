// Sections that declare entities: import, function, table, memory, tag, global.
#include <string>

#include "base/huge_pages.h"
#include "wasm/function_body_decoder.h"
#include "wasm/limits.h"
#include "wasm/module_decoder.h"
#include "wasm/section_reader.h"

namespace wasmstream::wasm {

uint32_t ModuleDecoder::ReadFuncTypeIndex(Decoder& d) {
  uint32_t at = d.offset();
  uint32_t idx = d.u32v();
  if (!d.ok()) return 0;
  return CheckFuncTypeIndex(d, idx, at) ? idx : 0;
}

bool ModuleDecoder::CheckFuncTypeIndex(Decoder& d, uint32_t idx, uint32_t at) {
  if (idx >= module_->types.size()) {
    d.Fail(at, "unknown type " + std::to_string(idx));
    return false;
  }
  if (module_->types[idx].kind != CompositeKind::kFunc) {
    d.Fail(at, "type " + std::to_string(idx) + " is not a function type");
    return false;
  }
  return true;
}

uint32_t ModuleDecoder::ReadTagType(Decoder& d) {
  uint32_t at = d.offset();
  uint8_t attribute = d.u8();
  if (d.ok() && attribute != 0) {
    d.Fail(at, "malformed tag attribute");
    return 0;
  }
  uint32_t type_at = d.offset();
  uint32_t idx = ReadFuncTypeIndex(d);
  if (d.ok() && !module_->types[idx].func.results.empty()) {
    d.Fail(type_at, "non-empty tag result type");
  }
  return idx;
}

Table ModuleDecoder::ReadTableType(Decoder& d) {
  Table t;
  uint32_t at = d.offset();
  t.elem_type = ReadRefType(d, features_, static_cast<uint32_t>(module_->types.size()));
  t.limits = ReadLimits(d, features_, LimitsKind::kTable);
  if (d.ok()) CheckTableType(d, t, at);
  return t;
}

void ModuleDecoder::CheckTableType(Decoder& d, const Table& t, uint32_t at) {
  // The core spec bounds a table32 by 2^32-1 (any u32); the JS API limits the
  // initial size. Like V8, a larger maximum is accepted (it is only a cap).
  if (t.limits.has_max && t.limits.max < t.limits.min) {
    d.Fail(at, "size minimum must not be greater than maximum");
    return;
  }
  if (t.limits.min > kSpecMaxTableSize) {
    d.Fail(at, "initial table size (" + std::to_string(t.limits.min) +
                   " elements) is larger than implementation limit (" +
                   std::to_string(kSpecMaxTableSize) + " elements)");
  }
}

Memory ModuleDecoder::ReadMemoryType(Decoder& d) {
  Memory m;
  uint32_t at = d.offset();
  m.limits = ReadLimits(d, features_, LimitsKind::kMemory);
  if (d.ok()) CheckMemoryType(d, m, at);
  return m;
}

void ModuleDecoder::CheckMemoryType(Decoder& d, const Memory& m, uint32_t at) {
  const Limits& l = m.limits;
  uint64_t core_max = l.is64 ? kCoreMaxMemory64Pages : kCoreMaxMemory32Pages;
  const char* core_msg = l.is64 ? "memory size must be at most 2^48 pages"
                                : "memory size must be at most 65536 pages (4GiB)";
  if (l.min > core_max || (l.has_max && l.max > core_max)) {
    d.Fail(at, core_msg);
    return;
  }
  if (l.has_max && l.max < l.min) {
    d.Fail(at, "size minimum must not be greater than maximum");
    return;
  }
  if (l.shared && !l.has_max) {
    d.Fail(at, "shared memory must have maximum");
    return;
  }
  // The JS API limit on the initial size (memory32's equals the core bound).
  uint64_t js_max = l.is64 ? kSpecMaxMemory64Pages : kSpecMaxMemory32Pages;
  if (l.min > js_max) {
    d.Fail(at, "initial memory size (" + std::to_string(l.min) +
                   " pages) is larger than implementation limit (" + std::to_string(js_max) +
                   " pages)");
  }
}

void ModuleDecoder::CheckMemoryCount(Decoder& d, uint32_t at) {
  if (module_->memories.size() > 1 && !features_.has(Feature::kMultiMemory)) {
    d.Fail(at, "multiple memories");
  }
}

// Imports count towards each kind's limit, but no kind's limit is below the
// import limit, so an import can never pass one: the defining sections'
// ConsumeCount(…, already) is where those limits bite.
static_assert(kSpecMaxImports <= kSpecMaxFunctions && kSpecMaxImports <= kSpecMaxTables &&
              kSpecMaxImports <= kSpecMaxMemories && kSpecMaxImports <= kSpecMaxGlobals &&
              kSpecMaxImports <= kSpecMaxTags);

void ModuleDecoder::DecodeImportSection(Decoder& d) {
  Module& m = *module_;
  uint32_t n = ConsumeCount(d, "imports", kSpecMaxImports);
  m.imports.reserve(n);
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    Import imp;
    imp.module = d.Name();
    imp.name = d.Name();
    uint32_t kind_at = d.offset();
    uint8_t kind = d.u8();
    if (!d.ok()) break;
    switch (kind) {
      case 0: {  // function
        Function fn;
        fn.type_index = ReadFuncTypeIndex(d);
        fn.imported = true;
        imp.kind = ExternalKind::kFunction;
        imp.index = static_cast<uint32_t>(m.functions.size());
        m.functions.push_back(fn);
        ++m.num_imported_functions;
        break;
      }
      case 1: {  // table
        if (m.tables.size() >= 1 && !features_.has(Feature::kReferenceTypes)) {
          d.Fail(kind_at, "multiple tables");
          break;
        }
        Table t = ReadTableType(d);
        t.imported = true;
        imp.kind = ExternalKind::kTable;
        imp.index = static_cast<uint32_t>(m.tables.size());
        m.tables.push_back(t);
        ++m.num_imported_tables;
        break;
      }
      case 2: {  // memory
        Memory mem = ReadMemoryType(d);
        mem.imported = true;
        imp.kind = ExternalKind::kMemory;
        imp.index = static_cast<uint32_t>(m.memories.size());
        m.memories.push_back(mem);
        ++m.num_imported_memories;
        if (d.ok()) CheckMemoryCount(d, kind_at);
        break;
      }
      case 3: {  // global
        Global g;
        g.type = ReadValueType(d, features_, static_cast<uint32_t>(m.types.size()));
        uint32_t mut_at = d.offset();
        uint8_t mut = d.u8();
        if (d.ok() && mut > 1) d.Fail(mut_at, "malformed mutability");
        g.mutable_ = mut == 1;
        g.imported = true;
        imp.kind = ExternalKind::kGlobal;
        imp.index = static_cast<uint32_t>(m.globals.size());
        m.globals.push_back(g);
        ++m.num_imported_globals;
        break;
      }
      case 4: {  // tag
        if (!features_.has(Feature::kExceptions)) {
          d.Fail(kind_at, "malformed import kind");
          break;
        }
        Tag t;
        t.type_index = ReadTagType(d);
        t.imported = true;
        imp.kind = ExternalKind::kTag;
        imp.index = static_cast<uint32_t>(m.tags.size());
        m.tags.push_back(t);
        ++m.num_imported_tags;
        break;
      }
      default:
        d.Fail(kind_at, "malformed import kind");
        break;
    }
    if (d.ok()) m.imports.push_back(std::move(imp));
  }
}

void ModuleDecoder::DecodeFunctionSection(Decoder& d) {
  Module& m = *module_;
  uint32_t n = ConsumeCount(d, "functions", kSpecMaxFunctions, m.num_imported_functions);
  base::ReserveForFill(m.functions, m.functions.size() + n);
  // Which type indices name function types, so the common entry costs a
  // LEB and a table lookup (pandoc.wasm: 620,000 entries, decoded before any
  // body can go to a worker).
  std::vector<uint8_t> is_func(m.types.size());
  for (size_t t = 0; t < m.types.size(); ++t) is_func[t] = m.types[t].kind == CompositeKind::kFunc;
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    uint32_t at = d.offset();
    uint32_t type_index = d.u32v_short();
    if (!d.ok()) break;
    if (type_index >= is_func.size() || !is_func[type_index]) {
      CheckFuncTypeIndex(d, type_index, at);  // fails with its message
      break;
    }
    Function fn;
    fn.type_index = type_index;
    m.functions.push_back(fn);
  }
  declared_functions_ = n;
}

void ModuleDecoder::DecodeTableSection(Decoder& d) {
  Module& m = *module_;
  uint32_t at = d.offset();
  uint32_t n = ConsumeCount(d, "tables", kSpecMaxTables, m.num_imported_tables);
  if (d.ok() && m.tables.size() + n > 1 && !features_.has(Feature::kReferenceTypes)) {
    d.Fail(at, "multiple tables");
  }
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    uint32_t t_at = d.offset();
    Table t;
    // function-references: 0x40 0x00 reftype limits init-expr.
    if (d.PeekU8() == 0x40 && (features_.has(Feature::kFunctionReferences) ||
                               features_.has(Feature::kGc))) {
      d.u8();
      uint32_t z_at = d.offset();
      if (d.u8() != 0 && d.ok()) { d.Fail(z_at, "malformed table"); break; }
      t = ReadTableType(d);
      ValueType addr = t.limits.is64 ? ValueType::I64() : ValueType::I32();
      (void)addr;
      if (d.ok()) t.init = ReadConstExpr(d, t.elem_type, ConstExprGlobals(UINT32_MAX));
    } else {
      t = ReadTableType(d);
      if (d.ok() && t.elem_type.is_ref() && !t.elem_type.nullable) {
        d.Fail(t_at, "type mismatch: non-defaultable table type " + ToString(t.elem_type) +
                         " needs an initializer");
      }
    }
    m.tables.push_back(std::move(t));
  }
}

void ModuleDecoder::DecodeMemorySection(Decoder& d) {
  Module& m = *module_;
  uint32_t at = d.offset();
  uint32_t n = ConsumeCount(d, "memories", kSpecMaxMemories, m.num_imported_memories);
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    m.memories.push_back(ReadMemoryType(d));
    if (d.ok()) CheckMemoryCount(d, at);
  }
}

void ModuleDecoder::DecodeTagSection(Decoder& d) {
  Module& m = *module_;
  uint32_t n = ConsumeCount(d, "tags", kSpecMaxTags, m.num_imported_tags);
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    Tag t;
    t.type_index = ReadTagType(d);
    m.tags.push_back(t);
  }
}

uint32_t ModuleDecoder::ConstExprGlobals(uint32_t defining_global) const {
  // WebAssembly 2.0: constant expressions may read imported globals only.
  // With GC (and extended-const's later revision) every global defined before.
  const Module& m = *module_;
  if (features_.has(Feature::kGc)) {
    return defining_global == UINT32_MAX ? static_cast<uint32_t>(m.globals.size())
                                         : defining_global;
  }
  return m.num_imported_globals;
}

ConstExpr ModuleDecoder::ReadConstExpr(Decoder& d, ValueType expected, uint32_t num_globals) {
  ConstExpr e;
  if (!d.ok()) return e;
  uint32_t at = d.offset();
  std::span<const uint8_t> rest(d.pc(), d.remaining());
  Result<uint32_t> len = DecodeConstExpr(*module_, rest, at, expected, num_globals);
  if (!len.ok()) {
    d.Fail(len.error().offset, len.error().message);
    return e;
  }
  // ref.func in a constant expression outside function bodies declares the
  // function for ref.func inside bodies (spec: C.refs).
  Decoder scan(rest, at);
  if (scan.u8() == 0xD2) {
    uint32_t f = scan.u32v();
    if (scan.ok() && f < module_->functions.size()) module_->functions[f].declared = true;
  }
  e.bytes = ByteRange{at, len.value()};
  d.Skip(len.value());
  return e;
}

void ModuleDecoder::DecodeGlobalSection(Decoder& d) {
  Module& m = *module_;
  uint32_t n = ConsumeCount(d, "globals", kSpecMaxGlobals, m.num_imported_globals);
  m.globals.reserve(m.globals.size() + n);
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    Global g;
    g.type = ReadValueType(d, features_, static_cast<uint32_t>(m.types.size()));
    uint32_t mut_at = d.offset();
    uint8_t mut = d.u8();
    if (d.ok() && mut > 1) d.Fail(mut_at, "malformed mutability");
    g.mutable_ = mut == 1;
    if (!d.ok()) break;
    g.init = ReadConstExpr(d, g.type, ConstExprGlobals(static_cast<uint32_t>(m.globals.size())));
    m.globals.push_back(g);
  }
}

}  // namespace wasmstream::wasm
