// The type section: function types, and with GC recursion groups, sub types,
// structs and arrays.
#include <string>

#include "wasm/limits.h"
#include "wasm/module_decoder.h"
#include "wasm/section_reader.h"
#include "wasm/type_relations.h"

namespace wasmstream::wasm {

namespace {

constexpr uint8_t kFuncForm = 0x60;
constexpr uint8_t kStructForm = 0x5F;
constexpr uint8_t kArrayForm = 0x5E;
constexpr uint8_t kSubForm = 0x50;
constexpr uint8_t kSubFinalForm = 0x4F;
constexpr uint8_t kRecForm = 0x4E;

FieldType ReadFieldType(Decoder& d, const Features& f, uint32_t num_types) {
  FieldType ft;
  uint8_t b = d.PeekU8();
  if (b == 0x78) { d.u8(); ft.packed = Packed::kI8; ft.type = ValueType::I32(); }
  else if (b == 0x77) { d.u8(); ft.packed = Packed::kI16; ft.type = ValueType::I32(); }
  else ft.type = ReadValueType(d, f, num_types);
  uint32_t at = d.offset();
  uint8_t mut = d.u8();
  if (d.ok() && mut > 1) d.Fail(at, "malformed mutability");
  ft.mutable_ = mut == 1;
  return ft;
}

void ReadValueTypes(Decoder& d, const Features& f, uint32_t num_types, const char* what,
                    uint32_t max, std::vector<ValueType>* out) {
  uint32_t n = ConsumeCount(d, what, max);
  out->reserve(n);
  for (uint32_t i = 0; i < n && d.ok(); ++i) out->push_back(ReadValueType(d, f, num_types));
}

// One composite type (func, struct, array) after its form byte.
bool ReadComposite(Decoder& d, const Features& f, uint8_t form, uint32_t at,
                   uint32_t num_types, TypeDef* t) {
  bool gc = f.has(Feature::kGc);
  switch (form) {
    case kFuncForm: {
      t->kind = CompositeKind::kFunc;
      ReadValueTypes(d, f, num_types, "param", kSpecMaxFunctionParams, &t->func.params);
      uint32_t results_at = d.offset();
      ReadValueTypes(d, f, num_types, "return", kSpecMaxFunctionReturns, &t->func.results);
      if (d.ok() && t->func.results.size() > 1 && !f.has(Feature::kMultiValue)) {
        d.Fail(results_at, "invalid result arity");
      }
      return d.ok();
    }
    case kStructForm:
      if (!gc) break;
      {
        t->kind = CompositeKind::kStruct;
        uint32_t n = ConsumeCount(d, "struct field", kSpecMaxStructFields);
        t->fields.reserve(n);
        for (uint32_t i = 0; i < n && d.ok(); ++i) t->fields.push_back(ReadFieldType(d, f, num_types));
        return d.ok();
      }
    case kArrayForm:
      if (!gc) break;
      t->kind = CompositeKind::kArray;
      t->fields.push_back(ReadFieldType(d, f, num_types));
      return d.ok();
    default:
      break;
  }
  // A form byte with the continuation bit is a LEB128 of more than one byte.
  d.Fail(at, (form & 0x80) ? "integer representation too long" : "malformed type");
  return false;
}

}  // namespace

void ModuleDecoder::DecodeTypeSection(Decoder& d) {
  Module& m = *module_;
  const Features& f = features_;
  uint32_t groups = ConsumeCount(d, "types", kSpecMaxTypes);
  std::vector<uint32_t> type_offsets;  // of the current group's types
  std::vector<uint32_t> depth;         // subtyping depth per type
  for (uint32_t g = 0; g < groups && d.ok(); ++g) {
    uint32_t at = d.offset();
    uint8_t form = d.u8();
    uint32_t group_size = 1;
    bool is_rec = false;
    if (d.ok() && form == kRecForm && f.has(Feature::kGc)) {
      is_rec = true;
      group_size = ConsumeCount(d, "rec group size", kSpecMaxRecGroupSize);
      if (d.ok() && m.types.size() + uint64_t{group_size} > kSpecMaxTypes) {
        d.Fail(at, "types count of " + std::to_string(m.types.size() + uint64_t{group_size}) +
                       " exceeds internal limit of " + std::to_string(kSpecMaxTypes));
      }
    }
    uint32_t group_start = static_cast<uint32_t>(m.types.size());
    uint32_t bound = group_start + group_size;  // forward references within the group
    for (uint32_t k = 0; k < group_size && d.ok(); ++k) {
      uint32_t type_at = is_rec ? d.offset() : at;
      if (is_rec) form = d.u8();
      if (!d.ok()) break;
      const uint32_t start_at = type_at;  // the sub type's first byte
      TypeDef t;
      t.rec_group_start = group_start;
      t.rec_group_size = group_size;
      if ((form == kSubForm || form == kSubFinalForm) && f.has(Feature::kGc)) {
        t.is_final = form == kSubFinalForm;
        uint32_t n_at = d.offset();
        uint32_t n = d.u32v();
        if (d.ok() && n > 1) { d.Fail(n_at, "multiple supertypes"); break; }
        for (uint32_t i = 0; i < n && d.ok(); ++i) {
          uint32_t s_at = d.offset();
          uint32_t s = d.u32v();
          if (d.ok() && s >= m.types.size()) {
            d.Fail(s_at, "unknown type " + std::to_string(s));
          }
          t.supertypes.push_back(s);
        }
        type_at = d.offset();
        form = d.u8();
        if (!d.ok()) break;
      }
      if (!ReadComposite(d, f, form, type_at, bound, &t)) break;
      m.types.push_back(std::move(t));
      type_offsets.push_back(start_at);
    }
    if (!d.ok()) break;
    // Sub typing, once the whole group is there (its types may refer to each
    // other): the declared super type must be open, its composite type must
    // match, and the chain may not be deeper than the JS-API limit.
    for (uint32_t i = group_start; i < m.types.size() && d.ok(); ++i) {
      const TypeDef& t = m.types[i];
      uint32_t at_i = type_offsets[i - group_start];
      depth.push_back(0);
      for (uint32_t s : t.supertypes) {
        if (m.types[s].is_final || !CompositeMatches(m, i, s)) {
          d.Fail(at_i, "sub type " + std::to_string(i) + " does not match super type " +
                           std::to_string(s));
          break;
        }
        depth[i] = depth[s] + 1;
        if (depth[i] > kSpecMaxSubtypingDepth) {
          d.Fail(at_i, "subtyping depth of type " + std::to_string(i) +
                           " exceeds internal limit of " + std::to_string(kSpecMaxSubtypingDepth));
        }
      }
    }
    type_offsets.clear();
  }
}

}  // namespace wasmstream::wasm
