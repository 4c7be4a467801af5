// Reference instructions (reference types, typed function references), GC
// (0xFB) and exception handling (legacy try/catch and try_table/exnref).
#include "wasm/function_body_decoder_impl.h"

namespace wasmstream::wasm::body {

namespace {

// Operands of one array.new_fixed, at most: V8's limit (it keeps the operand
// walk bounded, also in unreachable code where each pop is free).
constexpr uint32_t kMaxArrayNewFixedLength = 10'000;

ValueType AbstractRef(AbstractHeap h, bool nullable) {
  return ValueType::Ref(HeapType::Abstract(h), nullable);
}

bool Defaultable(ValueType t) { return !t.is_ref() || t.nullable; }

}  // namespace

bool BodyDecoder::DecodeReference(uint8_t opcode) {
  switch (opcode) {
    case 0xD0: {  // ref.null ht
      HeapType h;
      if (!ReadHeapType(&h)) return false;
      cur_.imm.type = ValueType::Ref(h, true);
      Push(cur_.imm.type);
      return true;
    }
    case 0xD1: {  // ref.is_null
      ValueType t;
      if (!PopRef(&t)) return false;
      Push(ValueType::I32());
      return true;
    }
    case 0xD2: {  // ref.func x
      const uint8_t* at = pc_;
      uint32_t index = ReadU32();
      if (!ok_) return false;
      if (index >= module_.functions.size()) {
        Error(at, "unknown function " + std::to_string(index));
        return false;
      }
      if (!const_expr_ && !module_.functions[index].declared) {
        Error(at, "undeclared function reference");
        return false;
      }
      cur_.imm.index = index;
      Push(ValueType::Ref(HeapType::Index(module_.functions[index].type_index), false));
      return true;
    }
    case 0xD3: {  // ref.eq
      ValueType eq = AbstractRef(AbstractHeap::kEq, true);
      if (!Pop(eq) || !Pop(eq)) return false;
      Push(ValueType::I32());
      return true;
    }
    case 0xD4: {  // ref.as_non_null
      ValueType t;
      if (!PopRef(&t)) return false;
      Push(t.is_ref() ? ValueType::Ref(t.heap, false) : t);
      return true;
    }
    case 0xD5:    // br_on_null l
    case 0xD6: {  // br_on_non_null l
      const uint8_t* at = pc_;
      uint32_t depth = ReadU32();
      if (!ok_ || !CheckLabel(depth, at)) return false;
      cur_.imm.index = depth;
      ValueType t;
      if (!PopRef(&t)) return false;
      std::span<const ValueType> types = LabelTypes(depth);
      // The operands below become the label's types (pop then push, as br_if),
      // not whatever subtypes they were: the GC proposal settled that br_on_*
      // retypes the values it leaves, so later code sees the label's types.
      if (opcode == 0xD5) {
        if (!PopTypes(types)) return false;
        PushTypes(types);
        Push(t.is_ref() ? ValueType::Ref(t.heap, false) : t);
        return true;
      }
      if (types.empty() || !(types.back().is_ref() || types.back().kind == ValueKind::kBottom)) {
        Error(instr_, "type mismatch: br_on_non_null target has no reference result");
        return false;
      }
      ValueType non_null = t.is_ref() ? ValueType::Ref(t.heap, false) : t;
      if (!IsSubtype(module_, non_null, types.back())) {
        Error(instr_, "type mismatch: instruction requires [" + ToString(types.back()) +
                          "] but stack has [" + ToString(non_null) + "]");
        return false;
      }
      if (!PopTypes(types.first(types.size() - 1))) return false;
      PushTypes(types.first(types.size() - 1));
      return true;
    }
  }
  return false;
}

bool BodyDecoder::CheckStructType(uint32_t index, const uint8_t* at, const TypeDef** out) {
  if (!CheckType(index, at, out)) return false;
  if ((*out)->kind == CompositeKind::kStruct) return true;
  Error(at, "type mismatch: type " + std::to_string(index) + " is not a struct type");
  return false;
}

bool BodyDecoder::CheckArrayType(uint32_t index, const uint8_t* at, const TypeDef** out) {
  if (!CheckType(index, at, out)) return false;
  if ((*out)->kind == CompositeKind::kArray) return true;
  Error(at, "type mismatch: type " + std::to_string(index) + " is not an array type");
  return false;
}

bool BodyDecoder::DecodeGc(uint32_t code) {
  const uint8_t* at = pc_;
  const TypeDef* t = nullptr;
  auto ref_to = [](uint32_t index, bool nullable) {
    return ValueType::Ref(HeapType::Index(index), nullable);
  };
  // struct.* / array.* start with a type index.
  uint32_t type_index = 0;
  if (code <= 19 && code != 15) {  // array.len has no type index
    type_index = ReadU32();
    if (!ok_) return false;
    cur_.imm.index = type_index;
    if (code <= 5 ? !CheckStructType(type_index, at, &t) : !CheckArrayType(type_index, at, &t)) {
      return false;
    }
  }
  switch (code) {
    case 0: {  // struct.new
      for (size_t i = t->fields.size(); i-- > 0;) {
        if (!Pop(t->fields[i].Unpacked())) return false;
      }
      Push(ref_to(type_index, false));
      return true;
    }
    case 1:  // struct.new_default
      for (const FieldType& f : t->fields) {
        if (!Defaultable(f.type)) {
          Error(instr_, "type mismatch: field type " + ToString(f.type) + " is not defaultable");
          return false;
        }
      }
      Push(ref_to(type_index, false));
      return true;
    case 2: case 3: case 4: case 5: {  // struct.get(_s/_u), struct.set
      const uint8_t* field_at = pc_;
      uint32_t field = ReadU32();
      if (!ok_) return false;
      cur_.imm.index2 = field;
      if (field >= t->fields.size()) {
        Error(field_at, "unknown field " + std::to_string(field));
        return false;
      }
      const FieldType& f = t->fields[field];
      if (code == 5) {
        if (!f.mutable_) {
          Error(field_at, "immutable field");
          return false;
        }
        return Pop(f.Unpacked()) && Pop(ref_to(type_index, true));
      }
      if ((code == 2) != (f.packed == Packed::kNone)) {
        Error(instr_, code == 2 ? "type mismatch: field is packed"
                                : "type mismatch: field is not packed");
        return false;
      }
      if (!Pop(ref_to(type_index, true))) return false;
      Push(f.Unpacked());
      return true;
    }
    case 6:  // array.new
      if (!Pop(ValueType::I32()) || !Pop(t->fields[0].Unpacked())) return false;
      Push(ref_to(type_index, false));
      return true;
    case 7:  // array.new_default
      if (!Defaultable(t->fields[0].type)) {
        Error(instr_, "type mismatch: array element type is not defaultable");
        return false;
      }
      if (!Pop(ValueType::I32())) return false;
      Push(ref_to(type_index, false));
      return true;
    case 8: {  // array.new_fixed x n
      const uint8_t* n_at = pc_;
      uint32_t n = ReadU32();
      if (!ok_) return false;
      if (n > kMaxArrayNewFixedLength) {
        Error(n_at, "array.new_fixed length " + std::to_string(n) +
                        " exceeds internal limit of " + std::to_string(kMaxArrayNewFixedLength));
        return false;
      }
      cur_.imm.index2 = n;
      ValueType elem = t->fields[0].Unpacked();
      for (uint32_t i = 0; i < n; ++i) {
        if (!Pop(elem)) return false;
      }
      Push(ref_to(type_index, false));
      return true;
    }
    case 9: case 18: {  // array.new_data x d, array.init_data x d
      const uint8_t* data_at = pc_;
      uint32_t data = ReadU32();
      if (!ok_) return false;
      cur_.imm.index2 = data;
      const FieldType& f = t->fields[0];
      if (code == 18 && !f.mutable_) {
        Error(instr_, "immutable array");
        return false;
      }
      if (f.type.is_ref()) {
        Error(instr_, "array type is not numeric or vector");
        return false;
      }
      if (!CheckDataSegment(data, data_at)) return false;
      if (code == 9) {
        if (!Pop(ValueType::I32()) || !Pop(ValueType::I32())) return false;
        Push(ref_to(type_index, false));
        return true;
      }
      return Pop(ValueType::I32()) && Pop(ValueType::I32()) && Pop(ValueType::I32()) &&
             Pop(ref_to(type_index, true));
    }
    case 10: case 19: {  // array.new_elem x e, array.init_elem x e
      const uint8_t* elem_at = pc_;
      uint32_t elem = ReadU32();
      if (!ok_) return false;
      cur_.imm.index2 = elem;
      const FieldType& f = t->fields[0];
      if (code == 19 && !f.mutable_) {
        Error(instr_, "immutable array");
        return false;
      }
      if (!CheckElemSegment(elem, elem_at)) return false;
      if (!IsSubtype(module_, module_.elems[elem].elem_type, f.type)) {
        Error(instr_, "type mismatch: elem segment does not match the array element type");
        return false;
      }
      if (code == 10) {
        if (!Pop(ValueType::I32()) || !Pop(ValueType::I32())) return false;
        Push(ref_to(type_index, false));
        return true;
      }
      return Pop(ValueType::I32()) && Pop(ValueType::I32()) && Pop(ValueType::I32()) &&
             Pop(ref_to(type_index, true));
    }
    case 11: case 12: case 13: {  // array.get(_s/_u)
      const FieldType& f = t->fields[0];
      if ((code == 11) != (f.packed == Packed::kNone)) {
        Error(instr_, code == 11 ? "type mismatch: array is packed"
                                 : "type mismatch: array is not packed");
        return false;
      }
      if (!Pop(ValueType::I32()) || !Pop(ref_to(type_index, true))) return false;
      Push(f.Unpacked());
      return true;
    }
    case 14:  // array.set
      if (!t->fields[0].mutable_) {
        Error(instr_, "immutable array");
        return false;
      }
      return Pop(t->fields[0].Unpacked()) && Pop(ValueType::I32()) &&
             Pop(ref_to(type_index, true));
    case 15:  // array.len
      if (!Pop(AbstractRef(AbstractHeap::kArray, true))) return false;
      Push(ValueType::I32());
      return true;
    case 16:  // array.fill
      if (!t->fields[0].mutable_) {
        Error(instr_, "immutable array");
        return false;
      }
      return Pop(ValueType::I32()) && Pop(t->fields[0].Unpacked()) && Pop(ValueType::I32()) &&
             Pop(ref_to(type_index, true));
    case 17: {  // array.copy x y
      const uint8_t* src_at = pc_;
      uint32_t src = ReadU32();
      if (!ok_) return false;
      cur_.imm.index2 = src;
      const TypeDef* s;
      if (!CheckArrayType(src, src_at, &s)) return false;
      if (!t->fields[0].mutable_) {
        Error(instr_, "immutable array");
        return false;
      }
      const FieldType& sf = s->fields[0];
      const FieldType& df = t->fields[0];
      if (sf.packed != df.packed || !IsSubtype(module_, sf.type, df.type)) {
        Error(instr_, "array types do not match");
        return false;
      }
      return Pop(ValueType::I32()) && Pop(ValueType::I32()) && Pop(ref_to(src, true)) &&
             Pop(ValueType::I32()) && Pop(ref_to(type_index, true));
    }
    case 20: case 21: case 22: case 23: {  // ref.test, ref.cast (null)
      HeapType h;
      if (!ReadHeapType(&h)) return false;
      ValueType target = ValueType::Ref(h, code == 21 || code == 23);
      cur_.imm.type = target;
      ValueType in;
      if (!PopRef(&in)) return false;
      if (in.is_ref() && TopOf(module_, in.heap) != TopOf(module_, h)) {
        Error(instr_, "type mismatch: cannot cast " + ToString(in) + " to " + ToString(target));
        return false;
      }
      Push(code <= 21 ? ValueType::I32() : target);
      return true;
    }
    case 24: case 25: {  // br_on_cast(_fail) flags l ht1 ht2
      const uint8_t* flags_at = pc_;
      uint8_t flags = ReadU8();
      if (!ok_) return false;
      if (flags > 3) {
        Error(flags_at, "malformed br_on_cast flags");
        return false;
      }
      const uint8_t* label_at = pc_;
      uint32_t depth = ReadU32();
      if (!ok_ || !CheckLabel(depth, label_at)) return false;
      HeapType h1, h2;
      if (!ReadHeapType(&h1) || !ReadHeapType(&h2)) return false;
      ValueType rt1 = ValueType::Ref(h1, flags & 1);
      ValueType rt2 = ValueType::Ref(h2, flags & 2);
      cur_.imm.index2 = depth;
      cur_.imm.type = rt2;
      cur_.imm.type2 = rt1;
      if (!IsSubtype(module_, rt2, rt1)) {
        Error(instr_, "type mismatch: " + ToString(rt2) + " is not a sub type of " + ToString(rt1));
        return false;
      }
      if (!Pop(rt1)) return false;
      // rt1 \ rt2: what remains when the cast fails.
      ValueType diff = ValueType::Ref(h1, rt1.nullable && !rt2.nullable);
      ValueType to_label = code == 24 ? rt2 : diff;
      ValueType fallthrough = code == 24 ? diff : rt2;
      std::span<const ValueType> types = LabelTypes(depth);
      if (types.empty() || !IsSubtype(module_, to_label, types.back())) {
        Error(instr_, "type mismatch: branch target does not accept " + ToString(to_label));
        return false;
      }
      if (!PopTypes(types.first(types.size() - 1))) return false;
      PushTypes(types.first(types.size() - 1));
      Push(fallthrough);
      return true;
    }
    case 26: case 27: {  // any.convert_extern, extern.convert_any
      bool to_any = code == 26;
      ValueType want = AbstractRef(to_any ? AbstractHeap::kExtern : AbstractHeap::kAny, true);
      ValueType in;
      if (!PopAny(&in)) return false;
      if (!IsSubtype(module_, in, want)) {
        Error(instr_, "type mismatch: instruction requires [" + ToString(want) +
                          "] but stack has [" + ToString(in) + "]");
        return false;
      }
      bool nullable = !in.is_ref() || in.nullable;
      Push(AbstractRef(to_any ? AbstractHeap::kAny : AbstractHeap::kExtern, nullable));
      return true;
    }
    case 28:  // ref.i31
      if (!Pop(ValueType::I32())) return false;
      Push(AbstractRef(AbstractHeap::kI31, false));
      return true;
    case 29: case 30:  // i31.get_s/u
      if (!Pop(AbstractRef(AbstractHeap::kI31, true))) return false;
      Push(ValueType::I32());
      return true;
  }
  Error(instr_, "illegal opcode fb " + std::to_string(code));
  return false;
}

// ---------------------------------------------------------------- exceptions

bool BodyDecoder::DecodeException(uint8_t opcode) {
  auto tag_params = [&](uint32_t tag, const uint8_t* at) -> const std::vector<ValueType>* {
    if (tag >= module_.tags.size()) {
      Error(at, "unknown tag " + std::to_string(tag));
      return nullptr;
    }
    return &module_.types[module_.tags[tag].type_index].func.params;
  };
  const uint8_t* at = pc_;
  switch (opcode) {
    case 0x06:  // try bt
      if (!ReadBlockType(&cur_.imm.block) || !PopTypes(cur_.imm.block.params)) return false;
      PushControl(FrameKind::kTry, cur_.imm.block);
      return true;
    case 0x07:    // catch x
    case 0x19: {  // catch_all
      const std::vector<ValueType>* params = nullptr;
      if (opcode == 0x07) {
        uint32_t tag = ReadU32();
        if (!ok_ || !(params = tag_params(tag, at))) return false;
        cur_.imm.index = tag;
      }
      ControlFrame& f = control_.back();
      if (f.kind != FrameKind::kTry && f.kind != FrameKind::kCatch) {
        Error(instr_, f.kind == FrameKind::kCatchAll ? "catch after catch_all"
                                                     : "catch found outside a try block");
        return false;
      }
      if (!CheckFrameEnd(f)) return false;
      ReopenFrame(f);
      f.kind = opcode == 0x07 ? FrameKind::kCatch : FrameKind::kCatchAll;
      f.unreachable = false;
      f.offset = OffsetOf(instr_);
      if (params) PushTypes(*params);
      return true;
    }
    case 0x08: {  // throw x
      uint32_t tag = ReadU32();
      const std::vector<ValueType>* params;
      if (!ok_ || !(params = tag_params(tag, at))) return false;
      cur_.imm.index = tag;
      if (!PopTypes(*params)) return false;
      return Unreachable();
    }
    case 0x09: {  // rethrow l
      uint32_t depth = ReadU32();
      if (!ok_ || !CheckLabel(depth, at)) return false;
      cur_.imm.index = depth;
      FrameKind k = control_[control_.size() - 1 - depth].kind;
      if (k != FrameKind::kCatch && k != FrameKind::kCatchAll) {
        Error(at, "invalid rethrow label");
        return false;
      }
      return Unreachable();
    }
    case 0x0A:  // throw_ref
      if (!Pop(AbstractRef(AbstractHeap::kExn, true))) return false;
      return Unreachable();
    case 0x18: {  // delegate l: ends a try without catches
      uint32_t depth = ReadU32();
      if (!ok_) return false;
      ControlFrame& f = control_.back();
      if (f.kind != FrameKind::kTry) {
        Error(instr_, "delegate found outside a try block");
        return false;
      }
      if (depth >= control_.size() - 1) {
        Error(at, "unknown label");
        return false;
      }
      cur_.imm.index = depth;
      if (!CheckFrameEnd(f)) return false;
      CloseFrame(f);
      return true;
    }
  }
  return false;
}

bool BodyDecoder::DecodeTryTable() {
  if (!ReadBlockType(&cur_.imm.block)) return false;
  const uint8_t* count_at = pc_;
  uint32_t count = ReadU32();
  if (!ok_) return false;
  if (count > static_cast<size_t>(end_ - pc_)) {
    Error(count_at, "unexpected end of section or function");
    return false;
  }
  std::vector<CatchClause>& catches = buffers_.catches;
  catches.clear();
  ValueType exnref = AbstractRef(AbstractHeap::kExn, false);
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* at = pc_;
    uint8_t kind = ReadU8();
    if (!ok_) return false;
    if (kind > 3) {
      Error(at, "malformed catch clause");
      return false;
    }
    CatchClause c;
    c.kind = static_cast<CatchKind>(kind);
    std::span<const ValueType> params;
    if (c.kind == CatchKind::kCatch || c.kind == CatchKind::kCatchRef) {
      const uint8_t* tag_at = pc_;
      c.tag = ReadU32();
      if (!ok_) return false;
      if (c.tag >= module_.tags.size()) {
        Error(tag_at, "unknown tag " + std::to_string(c.tag));
        return false;
      }
      params = module_.types[module_.tags[c.tag].type_index].func.params;
    }
    const uint8_t* label_at = pc_;
    c.label = ReadU32();
    if (!ok_ || !CheckLabel(c.label, label_at)) return false;
    bool with_ref = c.kind == CatchKind::kCatchRef || c.kind == CatchKind::kCatchAllRef;
    std::span<const ValueType> label = LabelTypes(c.label);
    bool match = label.size() == params.size() + (with_ref ? 1 : 0);
    for (size_t k = 0; match && k < params.size(); ++k) {
      match = IsSubtype(module_, params[k], label[k]);
    }
    if (match && with_ref) match = IsSubtype(module_, exnref, label.back());
    if (!match) {
      Error(at, "type mismatch: catch clause does not match its label's types");
      return false;
    }
    catches.push_back(c);
  }
  cur_.imm.catches = catches;
  if (!PopTypes(cur_.imm.block.params)) return false;
  PushControl(FrameKind::kTryTable, cur_.imm.block);
  return true;
}

}  // namespace wasmstream::wasm::body
