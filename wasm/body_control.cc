// Control instructions, calls, parametric and variable instructions, constants.
#include <cstring>

#include "wasm/function_body_decoder_impl.h"

namespace wasmstream::wasm::body {

namespace {
std::string TypeList(std::span<const ValueType> types) {
  std::string s = "[";
  for (size_t i = 0; i < types.size(); ++i) s += (i ? " " : "") + ToString(types[i]);
  return s + "]";
}
}  // namespace

bool BodyDecoder::DecodeControl(uint8_t opcode) {
  switch (opcode) {
    case 0x02:    // block
    case 0x03: {  // loop
      if (!ReadBlockType(&cur_.imm.block)) return false;
      if (!PopTypes(cur_.imm.block.params)) return false;
      PushControl(opcode == 0x02 ? FrameKind::kBlock : FrameKind::kLoop, cur_.imm.block);
      return true;
    }
    case 0x04: {  // if
      if (!ReadBlockType(&cur_.imm.block)) return false;
      if (!Pop(ValueType::I32())) return false;
      if (!PopTypes(cur_.imm.block.params)) return false;
      PushControl(FrameKind::kIf, cur_.imm.block);
      return true;
    }
    case 0x0C:    // br
    case 0x0D: {  // br_if
      const uint8_t* at = pc_;
      uint32_t depth = ReadU32();
      if (!ok_ || !CheckLabel(depth, at)) return false;
      cur_.imm.index = depth;
      if (opcode == 0x0D && !Pop(ValueType::I32())) return false;
      std::span<const ValueType> types = LabelTypes(depth);
      if (!PopTypes(types)) return false;
      if (opcode == 0x0C) return Unreachable();
      PushTypes(types);
      return true;
    }
    case 0x0F:  // return
      if (!PopTypes(func_type_->results)) return false;
      return Unreachable();
  }
  return false;
}

bool BodyDecoder::DecodeEnd() {
  ControlFrame& f = control_.back();
  if (!CheckFrameEnd(f)) return false;
  if (f.kind == FrameKind::kIf) {
    // An `if` without `else` has an empty else branch: [t1*] must give [t2*].
    ControlFrame implicit_else = f;
    implicit_else.unreachable = false;
    PushTypes(f.sig.params);
    if (!CheckFrameEnd(implicit_else)) return false;
  }
  CloseFrame(f);
  return true;
}

void BodyDecoder::ReopenFrame(const ControlFrame& f) {
  ForgetLocalInits(f.init_height);
  if (sink_) {
    PushTypes(f.sig.results);
    Emit();
    emitted_ = true;
    sp_ = f.height;
  }
}

bool BodyDecoder::DecodeElse() {
  ControlFrame& f = control_.back();
  if (f.kind != FrameKind::kIf) {
    Error(instr_, "else without matching if");
    return false;
  }
  if (!CheckFrameEnd(f)) return false;
  ReopenFrame(f);
  f.kind = FrameKind::kElse;
  f.unreachable = false;
  f.offset = OffsetOf(instr_);
  PushTypes(f.sig.params);
  return true;
}

bool BodyDecoder::DecodeBrTable() {
  const uint8_t* at = pc_;
  uint32_t count = ReadU32();
  if (!ok_) return false;
  if (count > static_cast<size_t>(end_ - pc_)) {  // each target takes a byte at least
    Error(at, "unexpected end of section or function");
    return false;
  }
  std::vector<uint32_t>& targets = buffers_.br_targets;
  targets.clear();
  for (uint32_t i = 0; i <= count; ++i) {
    const uint8_t* label_at = pc_;
    uint32_t depth = ReadU32();
    if (!ok_ || !CheckLabel(depth, label_at)) return false;
    targets.push_back(depth);
  }
  cur_.imm.br_table = targets;
  if (!Pop(ValueType::I32())) return false;
  std::span<const ValueType> default_types = LabelTypes(targets.back());
  for (uint32_t i = 0; i < count; ++i) {
    std::span<const ValueType> types = LabelTypes(targets[i]);
    if (types.size() != default_types.size()) {
      Error(instr_, "type mismatch: br_table target " + TypeList(types) +
                        " does not have the default target's arity " + TypeList(default_types));
      return false;
    }
    if (!PeekTypes(types)) return false;
  }
  if (!PopTypes(default_types)) return false;
  return Unreachable();
}

bool BodyDecoder::ReturnTypesMatch(const FuncType& callee) {
  const std::vector<ValueType>& mine = func_type_->results;
  bool match = callee.results.size() == mine.size();
  for (size_t i = 0; match && i < mine.size(); ++i) {
    match = IsSubtype(module_, callee.results[i], mine[i]);
  }
  if (!match) {
    Error(instr_, "type mismatch: tail call returns " + TypeList(callee.results) +
                      " but the function returns " + TypeList(mine));
  }
  return match;
}

bool BodyDecoder::DecodeCall(Opcode op) {
  const uint8_t* at = pc_;
  const FuncType* callee = nullptr;
  switch (op) {
    case Opcode::kCall:
    case Opcode::kReturnCall: {
      uint32_t index = ReadU32();
      if (!ok_) return false;
      if (index >= module_.functions.size()) {
        Error(at, "unknown function " + std::to_string(index));
        return false;
      }
      cur_.imm.index = index;
      callee = &module_.func_type(index);
      break;
    }
    case Opcode::kCallIndirect:
    case Opcode::kReturnCallIndirect: {
      uint32_t type_index = ReadU32();
      const uint8_t* table_at = pc_;
      uint32_t table = 0;
      if (features_.has(Feature::kReferenceTypes)) {
        table = ReadU32();
      } else if (ReadU8() != 0 && ok_) {
        Error(table_at, "zero byte expected");
      }
      if (!ok_ || !CheckTable(table, table_at)) return false;
      if (!IsSubtype(module_, module_.tables[table].elem_type, ValueType::FuncRef())) {
        Error(table_at, "type mismatch: call_indirect on table " + std::to_string(table) +
                            " of type " + ToString(module_.tables[table].elem_type));
        return false;
      }
      if (!CheckFuncType(type_index, at, &callee)) return false;
      cur_.imm.index = type_index;
      cur_.imm.index2 = table;
      if (!PopAddress(IsTable64(table))) return false;
      break;
    }
    case Opcode::kCallRef:
    case Opcode::kReturnCallRef: {
      uint32_t type_index = ReadU32();
      if (!ok_ || !CheckFuncType(type_index, at, &callee)) return false;
      cur_.imm.index = type_index;
      if (!Pop(ValueType::Ref(HeapType::Index(type_index), true))) return false;
      break;
    }
    default:
      return false;
  }
  if (!PopTypes(callee->params)) return false;
  if (op == Opcode::kReturnCall || op == Opcode::kReturnCallIndirect ||
      op == Opcode::kReturnCallRef) {
    if (!ReturnTypesMatch(*callee)) return false;
    return Unreachable();
  }
  PushTypes(callee->results);
  return true;
}

bool BodyDecoder::DecodeSelect(bool typed) {
  if (typed) {
    const uint8_t* at = pc_;
    uint32_t n = ReadU32();
    if (!ok_) return false;
    if (n != 1) {
      Error(at, "invalid result arity");
      return false;
    }
    ValueType t;
    if (!ReadValueType(&t)) return false;
    cur_.imm.type = t;
    operand_type_ = t;
    if (!Pop(ValueType::I32()) || !Pop(t) || !Pop(t)) return false;
    Push(t);
    return true;
  }
  ValueType t1, t2;
  if (!Pop(ValueType::I32()) || !PopAny(&t1) || !PopAny(&t2)) return false;
  bool bot1 = t1.kind == ValueKind::kBottom;
  bool bot2 = t2.kind == ValueKind::kBottom;
  if (t1.is_ref() || t2.is_ref() || (!bot1 && !bot2 && t1.kind != t2.kind)) {
    Error(instr_, "type mismatch: select operands " + ToString(t2) + " and " + ToString(t1) +
                      " must be one numeric or vector type");
    return false;
  }
  ValueType t = bot1 ? t2 : t1;
  operand_type_ = t;
  Push(t);
  return true;
}

bool BodyDecoder::DecodeVariable(uint8_t opcode) {
  const uint8_t* at = pc_;
  uint32_t index = ReadU32();
  if (!ok_) return false;
  cur_.imm.index = index;
  if (opcode <= 0x22) {  // local.get / local.set / local.tee
    if (index >= locals_.size()) {
      Error(at, "unknown local " + std::to_string(index));
      return false;
    }
    ValueType t = locals_[index];
    if (opcode == 0x20) {
      if (!local_init_.empty() && !local_init_[index]) {
        Error(at, "uninitialized local " + std::to_string(index));
        return false;
      }
      Push(t);
      return true;
    }
    if (!Pop(t)) return false;
    MarkLocalSet(index);
    if (opcode == 0x22) Push(t);
    return true;
  }
  if (index >= module_.globals.size() || (const_expr_ && index >= const_num_globals_)) {
    Error(at, "unknown global " + std::to_string(index));
    return false;
  }
  const Global& g = module_.globals[index];
  if (opcode == 0x23) {  // global.get
    if (const_expr_) {
      // 2.0: only imported globals; with GC, any earlier immutable global.
      if (!features_.has(Feature::kGc) && index >= module_.num_imported_globals) {
        Error(at, "unknown global " + std::to_string(index));
        return false;
      }
      if (g.mutable_) {
        Error(instr_, "constant expression required");
        return false;
      }
    }
    Push(g.type);
    return true;
  }
  if (!g.mutable_) {
    Error(at, "global is immutable");
    return false;
  }
  return Pop(g.type);
}

bool BodyDecoder::DecodeConst(uint8_t opcode) {
  switch (opcode) {
    case 0x41:
      cur_.imm.value.i32 = ReadS32();
      Push(ValueType::I32());
      break;
    case 0x42:
      cur_.imm.value.i64 = ReadS64();
      Push(ValueType::I64());
      break;
    case 0x43: {
      const uint8_t* p = ReadBytes(4);
      if (p) std::memcpy(&cur_.imm.value.f32_bits, p, 4);
      Push(ValueType::F32());
      break;
    }
    case 0x44: {
      const uint8_t* p = ReadBytes(8);
      if (p) std::memcpy(&cur_.imm.value.f64_bits, p, 8);
      Push(ValueType::F64());
      break;
    }
  }
  return ok_;
}

// ---------------------------------------------------------------- index checks

bool BodyDecoder::CheckMemory(uint32_t index, const uint8_t* at) {
  if (index < module_.memories.size()) return true;
  Error(at, "unknown memory " + std::to_string(index));
  return false;
}

bool BodyDecoder::CheckTable(uint32_t index, const uint8_t* at) {
  if (index < module_.tables.size()) return true;
  Error(at, "unknown table " + std::to_string(index));
  return false;
}

bool BodyDecoder::CheckDataSegment(uint32_t index, const uint8_t* at) {
  if (!module_.data_count.has_value()) {
    Error(instr_, "data count section required");
    return false;
  }
  if (index < *module_.data_count) return true;
  Error(at, "unknown data segment " + std::to_string(index));
  return false;
}

bool BodyDecoder::CheckElemSegment(uint32_t index, const uint8_t* at) {
  if (index < module_.elems.size()) return true;
  Error(at, "unknown elem segment " + std::to_string(index));
  return false;
}

bool BodyDecoder::CheckType(uint32_t index, const uint8_t* at, const TypeDef** out) {
  if (index < module_.types.size()) {
    *out = &module_.types[index];
    return true;
  }
  Error(at, "unknown type " + std::to_string(index));
  return false;
}

bool BodyDecoder::CheckFuncType(uint32_t index, const uint8_t* at, const FuncType** out) {
  const TypeDef* t;
  if (!CheckType(index, at, &t)) return false;
  if (t->kind != CompositeKind::kFunc) {
    Error(at, "type mismatch: type " + std::to_string(index) + " is not a function type");
    return false;
  }
  *out = &t->func;
  return true;
}

}  // namespace wasmstream::wasm::body
