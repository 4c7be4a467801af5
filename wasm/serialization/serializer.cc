#include "wasm/serialization/serializer.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "base/huge_pages.h"

#include "wasm/function_body_decoder.h"
#include "wasm/serialization/code_so_far.h"
#include "wasm/serialization/serialized_code.h"
#include "wasm/serialization/serializer_io.h"
#include "wasm/type_relations.h"
#include "wasm/runtime/code.h"

namespace wasmstream::wasm {
namespace {

using serialization::Reader;
using serialization::Writer;

constexpr uint32_t kHasWireBytes = 1u << 0;
constexpr uint32_t kHasCode = 1u << 1;
constexpr uint32_t kKnownFlags = kHasWireBytes | kHasCode;

// Smallest encodings, for Reader::Count.
constexpr size_t kValueTypeBytes = 6;
constexpr size_t kFunctionRecordBytes = 13;  // type, body offset, body length, flags
constexpr size_t kDataRecordBytes = 21;      // mode, memory, offset range, bytes range

uint32_t LoadU32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
constexpr size_t kRangeBytes = 8;
constexpr size_t kLimitsBytes = 19;

}  // namespace

std::vector<uint8_t> SerializeModule(const Module& m, SerializeOptions options) {
  Writer w;
  std::optional<serialization::CodeSoFar> so_far;
  if (options.with_code_so_far) so_far = serialization::CollectCodeSoFar(m);
  // A lazily compiled module has a code vector of nulls: no code area.
  const bool has_code =
      so_far ? so_far->functions_with_code > 0
             : std::any_of(m.code.begin(), m.code.end(), [](const auto& c) { return c != nullptr; });
  uint32_t flags = (options.omit_wire_bytes ? 0 : kHasWireBytes) | (has_code ? kHasCode : 0);
  w.U32(kSerializedMagic);
  w.U32(kSerializationFormatVersion);
  w.U32(flags);
  w.U64(m.features.Bits());
  if (flags & kHasWireBytes) w.Bytes(m.wire_bytes);

  w.Vec(m.types, [&](const TypeDef& t) {
    w.U8(static_cast<uint8_t>(t.kind));
    w.Vec(t.func.params, [&](ValueType v) { w.Type(v); });
    w.Vec(t.func.results, [&](ValueType v) { w.Type(v); });
    w.Vec(t.fields, [&](const FieldType& f) {
      w.Type(f.type);
      w.U8(static_cast<uint8_t>(f.packed));
      w.Bool(f.mutable_);
    });
    w.Bool(t.is_final);
    w.Vec(t.supertypes, [&](uint32_t s) { w.U32(s); });
    w.U32(t.rec_group_start);
    w.U32(t.rec_group_size);
  });
  w.Vec(m.imports, [&](const Import& i) {
    w.Str(i.module);
    w.Str(i.name);
    w.U8(static_cast<uint8_t>(i.kind));
    w.U32(i.index);
  });
  // Functions and data segments are the bulk of a big module's metadata
  // (pandoc.wasm: 619,906 functions, 79,418 segments): fixed-size records,
  // so the loader checks the length once and reads them in one tight loop.
  w.U32(static_cast<uint32_t>(m.functions.size()));
  for (const Function& f : m.functions) {
    w.U32(f.type_index);
    w.U32(f.body.offset);
    w.U32(f.body.length);
    w.U8(static_cast<uint8_t>((f.imported ? 1 : 0) | (f.declared ? 2 : 0)));
  }
  w.Vec(m.tables, [&](const Table& t) {
    w.Type(t.elem_type);
    w.TheLimits(t.limits);
    w.Bool(t.imported);
    w.Bool(t.init.has_value());
    w.Range(t.init ? t.init->bytes : ByteRange{});
  });
  w.Vec(m.memories, [&](const Memory& mem) {
    w.TheLimits(mem.limits);
    w.Bool(mem.imported);
    w.U32(mem.page_size_log2);
  });
  w.Vec(m.globals, [&](const Global& g) {
    w.Type(g.type);
    w.Bool(g.mutable_);
    w.Bool(g.imported);
    w.Range(g.init.bytes);
  });
  w.Vec(m.tags, [&](const Tag& t) {
    w.U32(t.type_index);
    w.Bool(t.imported);
  });
  w.Vec(m.exports, [&](const Export& e) {
    w.Str(e.name);
    w.U8(static_cast<uint8_t>(e.kind));
    w.U32(e.index);
  });
  w.OptU32(m.start);
  w.Vec(m.elems, [&](const ElemSegment& e) {
    w.U8(static_cast<uint8_t>(e.mode));
    w.U32(e.table_index);
    w.Range(e.offset.bytes);
    w.Type(e.elem_type);
    w.Vec(e.exprs, [&](const ConstExpr& c) { w.Range(c.bytes); });
    w.Array(e.func_indices);
    w.Bool(e.uses_exprs);
  });
  w.U32(static_cast<uint32_t>(m.data.size()));
  for (const DataSegment& d : m.data) {
    w.U8(static_cast<uint8_t>(d.mode));
    w.U32(d.memory_index);
    w.Range(d.offset.bytes);
    w.Range(d.bytes);
  }
  w.OptU32(m.data_count);
  w.Vec(m.custom_sections, [&](const CustomSection& c) {
    w.Str(c.name);
    w.Range(c.payload);
  });
  w.U32(m.num_imported_functions);
  w.U32(m.num_imported_tables);
  w.U32(m.num_imported_memories);
  w.U32(m.num_imported_globals);
  w.U32(m.num_imported_tags);
  if (flags & kHasCode) {
    if (so_far) {
      serialization::WriteCodeArea(w, m, so_far->code);
    } else {
      serialization::WriteCodeArea(w, m);
    }
  }
  return w.Take();
}

namespace {

// The loaded Module must be as consistent as one the decoder built: every
// index and range that later code follows without checking is checked here.
// Every constant expression decodes and validates, with the type its place
// expects, by the decoder that checked it when the module was compiled: the
// loader must not trust the entry's ranges to hold what they claim (an
// `i64.const` range as a funcref global's initializer would forge a pointer).
std::optional<std::string> CheckConstExprs(const Module& m) {
  const bool gc = m.features.has(Feature::kGc);
  const uint32_t all_globals = gc ? static_cast<uint32_t>(m.globals.size()) : m.num_imported_globals;
  auto ok = [&](const ConstExpr& e, ValueType type, uint32_t num_globals) {
    auto len = DecodeConstExpr(m, std::span(m.wire_bytes.data() + e.bytes.offset, e.bytes.length),
                               e.bytes.offset, type, num_globals);
    return len.ok() && len.value() == e.bytes.length;
  };
  auto addr = [](bool is64) { return is64 ? ValueType::I64() : ValueType::I32(); };
  for (const Table& t : m.tables) {
    if (t.init && !ok(*t.init, t.elem_type, m.num_imported_globals)) return "bad table initializer";
  }
  for (size_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    const Global& g = m.globals[i];
    if (!ok(g.init, g.type, gc ? static_cast<uint32_t>(i) : m.num_imported_globals)) {
      return "bad global initializer";
    }
  }
  for (const ElemSegment& e : m.elems) {
    if (e.mode == SegmentMode::kActive &&
        (!ok(e.offset, addr(m.tables[e.table_index].limits.is64), all_globals) ||
         !IsSubtype(m, e.elem_type, m.tables[e.table_index].elem_type))) {
      return "bad elem segment offset";
    }
    for (const ConstExpr& c : e.exprs) {
      if (!ok(c, e.elem_type, all_globals)) return "bad elem expression";
    }
    // Every function fits funcref (function type indices are checked above);
    // a typed segment checks each one.
    if (e.elem_type.heap != HeapType::Abstract(AbstractHeap::kFunc)) {
      for (uint32_t f : e.func_indices) {
        if (!IsSubtype(m, ValueType::Ref(HeapType::Index(m.functions[f].type_index), false), e.elem_type)) {
          return "bad elem segment type";
        }
      }
    }
  }
  for (const DataSegment& d : m.data) {
    if (d.mode == SegmentMode::kActive && !ok(d.offset, addr(m.memories[d.memory_index].limits.is64),
                                              all_globals)) {
      return "bad data segment offset";
    }
  }
  return std::nullopt;
}

// Everything but what lies in the wire bytes themselves (CheckConstExprs):
// ranges are checked against {wire}, the size the wire bytes have or will have.
std::optional<std::string> CheckConsistency(const Module& m, uint64_t wire) {
  auto range_ok = [&](ByteRange r) { return uint64_t{r.offset} + r.length <= wire; };
  const size_t ntypes = m.types.size();
  auto type_ok = [&](ValueType t) {
    if (t.kind != ValueKind::kRef) return t.kind <= ValueKind::kV128;
    if (t.heap.is_index()) return t.heap.index() < ntypes;
    return t.heap.code <= static_cast<uint32_t>(AbstractHeap::kNoExn);
  };
  auto func_type_ok = [&](uint32_t ti) { return ti < ntypes && m.types[ti].kind == CompositeKind::kFunc; };

  for (size_t i = 0; i < ntypes; ++i) {
    const TypeDef& t = m.types[i];
    for (ValueType v : t.func.params) if (!type_ok(v)) return "type " + std::to_string(i) + ": bad param";
    for (ValueType v : t.func.results) if (!type_ok(v)) return "type " + std::to_string(i) + ": bad result";
    for (const FieldType& f : t.fields) if (!type_ok(f.type)) return "type " + std::to_string(i) + ": bad field";
    if (t.kind == CompositeKind::kArray && t.fields.size() != 1) return "array type without one field";
    if (t.supertypes.size() > 1) return "more than one supertype";
    for (uint32_t s : t.supertypes) if (s >= ntypes) return "supertype out of range";
    if (t.rec_group_size == 0 || uint64_t{t.rec_group_start} + t.rec_group_size > ntypes ||
        t.rec_group_start > i || i >= uint64_t{t.rec_group_start} + t.rec_group_size) {
      return "bad recursion group of type " + std::to_string(i);
    }
  }
  // Imports come first in each index space, and the counts agree.
  auto check_space = [&](auto& items, uint32_t nimported, const char* what) -> std::optional<std::string> {
    if (nimported > items.size()) return std::string("more imported ") + what + " than " + what;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].imported != (i < nimported)) return std::string("imported ") + what + " out of order";
    }
    return std::nullopt;
  };
  if (auto e = check_space(m.functions, m.num_imported_functions, "functions")) return e;
  if (auto e = check_space(m.tables, m.num_imported_tables, "tables")) return e;
  if (auto e = check_space(m.memories, m.num_imported_memories, "memories")) return e;
  if (auto e = check_space(m.globals, m.num_imported_globals, "globals")) return e;
  if (auto e = check_space(m.tags, m.num_imported_tags, "tags")) return e;
  auto space_size = [&](ExternalKind k) -> size_t {
    switch (k) {
      case ExternalKind::kFunction: return m.functions.size();
      case ExternalKind::kTable: return m.tables.size();
      case ExternalKind::kMemory: return m.memories.size();
      case ExternalKind::kGlobal: return m.globals.size();
      case ExternalKind::kTag: return m.tags.size();
    }
    return 0;
  };
  uint64_t imported_total = uint64_t{m.num_imported_functions} + m.num_imported_tables +
                            m.num_imported_memories + m.num_imported_globals + m.num_imported_tags;
  if (imported_total != m.imports.size()) return "import counts do not match the imports";
  for (const Import& i : m.imports) {
    if (i.index >= space_size(i.kind)) return "import index out of range";
  }
  for (const Export& e : m.exports) {
    if (e.index >= space_size(e.kind)) return "export index out of range";
  }
  for (const Function& f : m.functions) {
    if (!func_type_ok(f.type_index)) return "function type index out of range";
    if (!range_ok(f.body)) return "function body outside the wire bytes";
  }
  for (const Table& t : m.tables) {
    if (!type_ok(t.elem_type) || !t.elem_type.is_ref()) return "bad table element type";
    if (t.init && !range_ok(t.init->bytes)) return "table initializer outside the wire bytes";
  }
  for (const Memory& mem : m.memories) {
    if (mem.page_size_log2 > 16) return "bad memory page size";
  }
  for (const Global& g : m.globals) {
    if (!type_ok(g.type)) return "bad global type";
    if (!range_ok(g.init.bytes)) return "global initializer outside the wire bytes";
  }
  for (const Tag& t : m.tags) {
    if (!func_type_ok(t.type_index)) return "tag type index out of range";
  }
  if (m.start && *m.start >= m.functions.size()) return "start function out of range";
  for (const ElemSegment& e : m.elems) {
    if (e.mode == SegmentMode::kActive && e.table_index >= m.tables.size()) return "elem table out of range";
    if (!range_ok(e.offset.bytes) || !type_ok(e.elem_type) || !e.elem_type.is_ref()) return "bad elem segment";
    for (const ConstExpr& c : e.exprs) if (!range_ok(c.bytes)) return "elem expression outside the wire bytes";
    for (uint32_t f : e.func_indices) if (f >= m.functions.size()) return "elem function out of range";
  }
  for (const DataSegment& d : m.data) {
    if (d.mode == SegmentMode::kDeclarative) return "declarative data segment";
    if (d.mode == SegmentMode::kActive && d.memory_index >= m.memories.size()) return "data memory out of range";
    if (!range_ok(d.offset.bytes) || !range_ok(d.bytes)) return "data segment outside the wire bytes";
  }
  if (m.data_count && *m.data_count != m.data.size()) return "data count does not match";
  for (const CustomSection& c : m.custom_sections) {
    if (!range_ok(c.payload)) return "custom section outside the wire bytes";
  }
  if (!m.code.empty() && m.code.size() != m.functions.size()) return "code count does not match";
  // The frame layout, exception tables and instructions of compiled code.
  for (size_t i = 0; i < m.code.size(); ++i) {
    const FunctionCode* c = m.code[i].get();
    if (m.functions[i].imported) {
      if (c) return "code for an imported function";
      continue;
    }
    if (!c) continue;  // compiled (and validated) on its first call
    if (auto e = serialization::CheckFunctionCode(m, i, *c)) return e;
  }
  return std::nullopt;
}

}  // namespace

namespace {

// Reads and checks everything but what lies in the wire bytes. The wire
// bytes come from {wire_bytes}, or from the payload when it holds them, or
// (a payload without them and no {wire_bytes}) will come later and have
// {*wire_size} bytes; the Module then has none yet. {payload}: set when the
// code is to stay in the payload (DeferredCode); {bytes} are then its
// contents. {*end} is the offset after the serialized module, for errors.
Result<std::shared_ptr<Module>> Load(std::span<const uint8_t> bytes,
                                     std::optional<WireBytes> wire_bytes,
                                     std::optional<uint64_t> wire_size,
                                     std::shared_ptr<const std::vector<uint8_t>> payload,
                                     uint32_t* end) {
  if (bytes.size() > kMaxSerializedBytes) {
    return CompileError{0, "serialized module too large"};
  }
  Reader r(bytes);
  if (r.U32("magic") != kSerializedMagic) r.Fail("not a serialized wasmstream module");
  uint32_t version = r.U32("format version");
  if (r.ok() && version != kSerializationFormatVersion) {
    r.Fail("serialized format version " + std::to_string(version) + ", expected " +
           std::to_string(kSerializationFormatVersion));
  }
  uint32_t flags = r.U32("flags");
  if (r.ok() && (flags & ~kKnownFlags)) r.Fail("unknown flags");
  auto m = std::make_shared<Module>();
  uint64_t feature_bits = r.U64("features");
  m->features = Features::None();
  for (unsigned bit = 0; bit < 64; ++bit) {
    if (feature_bits >> bit & 1) m->features.enable(static_cast<Feature>(bit));
  }
  if (r.ok() && m->features.Bits() != feature_bits) r.Fail("unknown feature bits");
  if (flags & kHasWireBytes) {
    auto wire = r.Bytes("wire bytes");
    if (r.ok() && wire_bytes &&
        (wire.size() != wire_bytes->size() ||
         (!wire.empty() && std::memcmp(wire.data(), wire_bytes->data(), wire.size()) != 0))) {
      r.Fail("wire bytes differ from the streamed bytes");
    }
    m->wire_bytes.assign(wire.begin(), wire.end());
  } else if (wire_bytes) {
    m->wire_bytes = std::move(*wire_bytes);  // shared with the caller, not copied
  } else if (!wire_size) {
    r.Fail("the payload has no wire bytes and none were given");
  }
  if (!r.ok()) return *r.error();

  auto vec = [&](auto& v, const char* what, size_t min_bytes, auto&& each) {
    uint32_t n = r.Count(what, min_bytes);
    v.reserve(n);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      v.emplace_back();
      each(v.back());
    }
  };
  vec(m->types, "types", 18, [&](TypeDef& t) {
    t.kind = r.Enum<CompositeKind>("composite kind", static_cast<uint8_t>(CompositeKind::kArray));
    vec(t.func.params, "params", kValueTypeBytes, [&](ValueType& v) { v = r.Type("param"); });
    vec(t.func.results, "results", kValueTypeBytes, [&](ValueType& v) { v = r.Type("result"); });
    vec(t.fields, "fields", kValueTypeBytes + 2, [&](FieldType& f) {
      f.type = r.Type("field");
      f.packed = r.Enum<Packed>("packed type", static_cast<uint8_t>(Packed::kI16));
      f.mutable_ = r.Bool("field mutability");
    });
    t.is_final = r.Bool("final");
    vec(t.supertypes, "supertypes", 4, [&](uint32_t& s) { s = r.U32("supertype"); });
    t.rec_group_start = r.U32("rec group start");
    t.rec_group_size = r.U32("rec group size");
  });
  vec(m->imports, "imports", 13, [&](Import& i) {
    i.module = r.Str("import module");
    i.name = r.Str("import name");
    i.kind = r.Enum<ExternalKind>("import kind", static_cast<uint8_t>(ExternalKind::kTag));
    i.index = r.U32("import index");
  });
  {
    uint32_t n = 0;
    std::span<const uint8_t> rec = r.Records("functions", kFunctionRecordBytes, &n);
    base::ResizeForFill(m->functions, n);
    bool flags_ok = true;
    for (uint32_t i = 0; i < n; ++i, rec = rec.subspan(kFunctionRecordBytes)) {
      Function& f = m->functions[i];
      f.type_index = LoadU32(rec.data());
      f.body.offset = LoadU32(rec.data() + 4);
      f.body.length = LoadU32(rec.data() + 8);
      uint8_t flags = rec[12];
      flags_ok &= flags <= 3;
      f.imported = flags & 1;
      f.declared = flags & 2;
    }
    if (!flags_ok) r.Fail("bad function flags");
  }
  vec(m->tables, "tables", kValueTypeBytes + kLimitsBytes + 2 + kRangeBytes, [&](Table& t) {
    t.elem_type = r.Type("table type");
    t.limits = r.TheLimits("table limits");
    t.imported = r.Bool("table imported");
    bool has_init = r.Bool("table init");
    ByteRange init = r.Range("table init");
    if (has_init) t.init = ConstExpr{init};
  });
  vec(m->memories, "memories", kLimitsBytes + 5, [&](Memory& mem) {
    mem.limits = r.TheLimits("memory limits");
    mem.imported = r.Bool("memory imported");
    mem.page_size_log2 = r.U32("memory page size");
  });
  vec(m->globals, "globals", kValueTypeBytes + 2 + kRangeBytes, [&](Global& g) {
    g.type = r.Type("global type");
    g.mutable_ = r.Bool("global mutability");
    g.imported = r.Bool("global imported");
    g.init.bytes = r.Range("global init");
  });
  vec(m->tags, "tags", 5, [&](Tag& t) {
    t.type_index = r.U32("tag type");
    t.imported = r.Bool("tag imported");
  });
  vec(m->exports, "exports", 9, [&](Export& e) {
    e.name = r.Str("export name");
    e.kind = r.Enum<ExternalKind>("export kind", static_cast<uint8_t>(ExternalKind::kTag));
    e.index = r.U32("export index");
  });
  m->start = r.OptU32("start");
  vec(m->elems, "elems", 1 + 4 + kRangeBytes + kValueTypeBytes + 9, [&](ElemSegment& e) {
    e.mode = r.Enum<SegmentMode>("elem mode", static_cast<uint8_t>(SegmentMode::kDeclarative));
    e.table_index = r.U32("elem table");
    e.offset.bytes = r.Range("elem offset");
    e.elem_type = r.Type("elem type");
    vec(e.exprs, "elem exprs", kRangeBytes, [&](ConstExpr& c) { c.bytes = r.Range("elem expr"); });
    r.Array(e.func_indices, "elem functions");
    e.uses_exprs = r.Bool("elem uses exprs");
  });
  {
    uint32_t n = 0;
    std::span<const uint8_t> rec = r.Records("data", kDataRecordBytes, &n);
    m->data.resize(n);
    bool modes_ok = true;
    for (uint32_t i = 0; i < n; ++i, rec = rec.subspan(kDataRecordBytes)) {
      DataSegment& d = m->data[i];
      modes_ok &= rec[0] <= static_cast<uint8_t>(SegmentMode::kDeclarative);
      d.mode = static_cast<SegmentMode>(modes_ok ? rec[0] : 0);
      d.memory_index = LoadU32(rec.data() + 1);
      d.offset.bytes = {LoadU32(rec.data() + 5), LoadU32(rec.data() + 9)};
      d.bytes = {LoadU32(rec.data() + 13), LoadU32(rec.data() + 17)};
    }
    if (!modes_ok) r.Fail("bad data mode");
  }
  m->data_count = r.OptU32("data count");
  vec(m->custom_sections, "custom sections", 4 + kRangeBytes, [&](CustomSection& c) {
    c.name = r.Str("custom section name");
    c.payload = r.Range("custom section payload");
  });
  m->num_imported_functions = r.U32("imported functions");
  m->num_imported_tables = r.U32("imported tables");
  m->num_imported_memories = r.U32("imported memories");
  m->num_imported_globals = r.U32("imported globals");
  m->num_imported_tags = r.U32("imported tags");
  if (!r.ok()) return *r.error();

  if (flags & kHasCode) {
    serialization::ReadCodeArea(r, *m, std::move(payload));
    if (r.ok() && !m->deferred_code && m->code.empty() && !m->functions.empty()) {
      r.Fail("code flag without code");
    }
  }
  if (!r.ok()) return *r.error();
  size_t pos = r.pos();
  if (pos != bytes.size()) {
    return CompileError{static_cast<uint32_t>(pos), "trailing bytes after the serialized module"};
  }
  *end = static_cast<uint32_t>(pos);
  const uint64_t wire = (flags & kHasWireBytes) || !wire_size ? m->wire_bytes.size() : *wire_size;
  if (auto e = CheckConsistency(*m, wire)) {
    return CompileError{*end, "inconsistent serialized module: " + *e};
  }
  return m;
}

// The step Load leaves for when the wire bytes are in.
Result<std::shared_ptr<const Module>> CheckWireContents(std::shared_ptr<Module> m, uint32_t end) {
  if (auto e = CheckConstExprs(*m)) {
    return CompileError{end, "inconsistent serialized module: " + *e};
  }
  return std::shared_ptr<const Module>(std::move(m));
}

Result<std::shared_ptr<const Module>> Deserialize(
    std::span<const uint8_t> bytes, std::optional<WireBytes> wire_bytes,
    std::shared_ptr<const std::vector<uint8_t>> payload) {
  uint32_t end = 0;
  auto loaded = Load(bytes, std::move(wire_bytes), std::nullopt, std::move(payload), &end);
  if (!loaded.ok()) return loaded.error();
  return CheckWireContents(std::move(loaded).value(), end);
}

}  // namespace

Result<std::shared_ptr<const Module>> DeserializeModule(
    std::span<const uint8_t> bytes, std::optional<WireBytes> wire_bytes) {
  return Deserialize(bytes, std::move(wire_bytes), nullptr);
}

Result<std::shared_ptr<const Module>> DeserializeModuleDeferred(
    std::shared_ptr<const std::vector<uint8_t>> payload, std::optional<WireBytes> wire_bytes) {
  if (!payload) return CompileError{0, "no payload"};
  std::span<const uint8_t> bytes(*payload);
  return Deserialize(bytes, std::move(wire_bytes), std::move(payload));
}

Result<PreparedModule> PrepareModuleDeferred(std::shared_ptr<const std::vector<uint8_t>> payload,
                                             uint64_t wire_size) {
  if (!payload) return CompileError{0, "no payload"};
  std::span<const uint8_t> bytes(*payload);
  PreparedModule prepared;
  auto loaded = Load(bytes, std::nullopt, wire_size, std::move(payload), &prepared.end_);
  if (!loaded.ok()) return loaded.error();
  if (!loaded.value()->wire_bytes.empty() || wire_size == 0) {
    // A payload that holds its wire bytes is checked whole by
    // DeserializeModule; the two-step load is for the cache's entries.
    return CompileError{0, "the payload holds its wire bytes"};
  }
  prepared.module_ = std::move(loaded).value();
  prepared.wire_size_ = wire_size;
  return prepared;
}

Result<std::shared_ptr<const Module>> FinishPreparedModule(PreparedModule prepared,
                                                           WireBytes wire_bytes) {
  if (!prepared.module_) return CompileError{0, "no prepared module"};
  if (wire_bytes.size() != prepared.wire_size_) {
    return CompileError{0, "the wire bytes have " + std::to_string(wire_bytes.size()) +
                               " bytes, the entry was made from " +
                               std::to_string(prepared.wire_size_)};
  }
  prepared.module_->wire_bytes = std::move(wire_bytes);
  return CheckWireContents(std::move(prepared.module_), prepared.end_);
}

}  // namespace wasmstream::wasm
