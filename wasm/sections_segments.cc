// Element, data count and data sections.
#include <string>

#include "wasm/limits.h"
#include "wasm/module_decoder.h"
#include "wasm/section_reader.h"
#include "wasm/type_relations.h"

namespace wasmstream::wasm {


void ModuleDecoder::DecodeElementSection(Decoder& d) {
  Module& m = *module_;
  uint32_t n = ConsumeCount(d, "elem segments", kSpecMaxElemSegments);
  m.elems.reserve(n);
  const uint32_t num_types = static_cast<uint32_t>(m.types.size());
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    uint32_t seg_at = d.offset();
    uint32_t flags = d.u32v();
    if (!d.ok()) break;
    if (flags > 7) {
      d.Fail(seg_at, "malformed elements segment kind");
      break;
    }
    ElemSegment s;
    bool passive_or_decl = flags & 1;
    bool explicit_table = flags & 2;
    s.uses_exprs = flags & 4;
    s.mode = !passive_or_decl ? SegmentMode::kActive
             : explicit_table ? SegmentMode::kDeclarative
                              : SegmentMode::kPassive;
    uint32_t table_at = d.offset();
    if (s.mode == SegmentMode::kActive) {
      if (explicit_table) s.table_index = d.u32v();
      if (!d.ok()) break;
      if (s.table_index >= m.tables.size()) {
        d.Fail(table_at, "unknown table " + std::to_string(s.table_index));
        break;
      }
      ValueType addr = m.tables[s.table_index].limits.is64 ? ValueType::I64() : ValueType::I32();
      s.offset = ReadConstExpr(d, addr, ConstExprGlobals(UINT32_MAX));
    }
    uint32_t type_at = d.offset();
    // Function-index segments hold non-null references: with typed function
    // references their type is (ref func), so they fit a (ref func) table.
    if (!s.uses_exprs && features_.has(Feature::kFunctionReferences)) {
      s.elem_type = ValueType::Ref(HeapType::Abstract(AbstractHeap::kFunc), false);
    }
    if (passive_or_decl || explicit_table) {
      if (s.uses_exprs) {
        s.elem_type = ReadRefType(d, features_, num_types);
      } else {
        uint8_t kind = d.u8();
        if (d.ok() && kind != 0) {
          d.Fail(type_at, "malformed element kind");
          break;
        }
      }
    }
    if (!d.ok()) break;
    uint32_t count = ConsumeCount(d, "table init entries", kSpecMaxTableInitEntries);
    if (s.uses_exprs) {
      s.exprs.reserve(count);
      for (uint32_t k = 0; k < count && d.ok(); ++k) {
        s.exprs.push_back(ReadConstExpr(d, s.elem_type, ConstExprGlobals(UINT32_MAX)));
      }
    } else {
      s.func_indices.reserve(count);
      for (uint32_t k = 0; k < count && d.ok(); ++k) {
        uint32_t f_at = d.offset();
        uint32_t f = d.u32v_short();
        if (!d.ok()) break;
        if (f >= m.functions.size()) {
          d.Fail(f_at, "unknown function " + std::to_string(f));
          break;
        }
        m.functions[f].declared = true;
        s.func_indices.push_back(f);
      }
      // With typed references a function index is a (ref $t); funcref without.
    }
    if (!d.ok()) break;
    if (s.mode == SegmentMode::kActive) {
      const Table& t = m.tables[s.table_index];
      if (!IsSubtype(m, s.elem_type, t.elem_type)) {
        d.Fail(type_at, "type mismatch: element segment of type " + ToString(s.elem_type) +
                            " does not fit table of type " + ToString(t.elem_type));
        break;
      }
    }
    m.elems.push_back(std::move(s));
  }
}

void ModuleDecoder::DecodeDataCountSection(Decoder& d) {
  uint32_t at = d.offset();
  uint32_t n = d.u32v();
  if (!d.ok()) return;
  if (n > kSpecMaxDataSegments) {
    d.Fail(at, "data segments count of " + std::to_string(n) + " exceeds internal limit of " +
                   std::to_string(kSpecMaxDataSegments));
    return;
  }
  module_->data_count = n;
}

void ModuleDecoder::DecodeDataSection(Decoder& d) {
  const Module& m = *module_;
  saw_data_section_ = true;
  uint32_t at = d.offset();
  uint32_t n = ConsumeCount(d, "data segments", kSpecMaxDataSegments);
  if (!d.ok()) return;
  if (m.data_count && *m.data_count != n) {
    d.Fail(at, "data count and data section have inconsistent lengths (" +
                   std::to_string(*m.data_count) + " in data count, " + std::to_string(n) +
                   " segments)");
    return;
  }
  late_data_.reserve(n);
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    uint32_t seg_at = d.offset();
    uint32_t flags = d.u32v();
    if (!d.ok()) break;
    if (flags > 2) {
      d.Fail(seg_at, "malformed data segment kind");
      break;
    }
    DataSegment s;
    s.mode = flags == 1 ? SegmentMode::kPassive : SegmentMode::kActive;
    if (s.mode == SegmentMode::kActive) {
      uint32_t mem_at = d.offset();
      if (flags == 2) s.memory_index = d.u32v();
      if (!d.ok()) break;
      if (s.memory_index >= m.memories.size()) {
        d.Fail(mem_at, "unknown memory " + std::to_string(s.memory_index));
        break;
      }
      ValueType addr = m.memories[s.memory_index].limits.is64 ? ValueType::I64() : ValueType::I32();
      s.offset = ReadConstExpr(d, addr, ConstExprGlobals(UINT32_MAX));
    }
    uint32_t len = d.u32v();
    uint32_t bytes_at = d.offset();
    d.Bytes(len, "unexpected end of section or function");
    s.bytes = ByteRange{bytes_at, len};
    if (d.ok()) late_data_.push_back(s);
  }
}

}  // namespace wasmstream::wasm
