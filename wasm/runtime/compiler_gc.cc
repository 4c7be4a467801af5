// The compiler's GC instructions (see gc_ops.cc for their execution).
//
// ref.eq is a 64-bit compare (the encoding is canonical: equal references
// have equal bits, i31 included); any.convert_extern and extern.convert_any
// emit nothing (one encoding for both hierarchies, value.h). br_on_cast and
// br_on_cast_fail are one IOp::kBrOnCast; everything else is IOp::kGc with
// its operands materialized in consecutive slots.
#include "wasm/opcodes.h"
#include "wasm/runtime/compiler.h"

namespace wasmstream::wasm {

bool Compiler::EmitGc(const Instruction& in) {
  const Immediates& imm = in.imm;
  uint32_t imm1 = imm.index, imm2 = imm.index2;
  bool has_result = true;
  uint8_t width = 1;
  auto elem_width = [&](uint32_t type, uint32_t field) -> uint8_t {
    return module_->types[type].fields[field].type.kind == ValueKind::kV128 ? 2 : 1;
  };
  switch (in.opcode) {
    case Opcode::kRefEq:
      EmitBinary(IOp::kI64Eq, 1);
      return true;
    case Opcode::kAnyConvertExtern:
    case Opcode::kExternConvertAny:
      return true;
    case Opcode::kBrOnCast:
    case Opcode::kBrOnCastFail: {
      bool branch_on_match = in.opcode == Opcode::kBrOnCast;
      uint32_t ref = stack_.back().src;
      Ctrl& t = ctrl_[ctrl_.size() - 1 - imm.index2];
      bool direct = t.kind != FrameKind::kFunction && !NeedsCopies(t);
      Op(IOp::kBrOnCast);
      Slot(ref);
      Word(imm.type.heap.code);
      Word(imm.type.nullable ? 1 : 0);
      Word(direct == branch_on_match ? 1 : 0);  // branch when the cast's outcome is this
      uint32_t at = pc();
      Word(0);
      if (direct) {
        if (t.kind == FrameKind::kLoop) {
          code_[at] = t.loop_pc;
        } else {
          t.fixups.push_back(at);
        }
      } else {
        EmitBranchTo(t);
        Bind(at);
        LabelHere();
      }
      return true;
    }
    case Opcode::kStructGet: case Opcode::kStructGetS: case Opcode::kStructGetU:
      width = elem_width(imm1, imm2);
      break;
    case Opcode::kArrayGet: case Opcode::kArrayGetS: case Opcode::kArrayGetU:
      width = elem_width(imm1, 0);
      break;
    case Opcode::kStructSet: case Opcode::kArraySet: case Opcode::kArrayFill:
    case Opcode::kArrayCopy: case Opcode::kArrayInitData: case Opcode::kArrayInitElem:
      has_result = false;
      break;
    case Opcode::kRefTest: case Opcode::kRefTestNull: case Opcode::kRefCast:
    case Opcode::kRefCastNull:
      imm1 = imm.type.heap.code;
      imm2 = imm.type.nullable ? 1 : 0;
      break;
    case Opcode::kStructNew: case Opcode::kStructNewDefault: case Opcode::kArrayNew:
    case Opcode::kArrayNewDefault: case Opcode::kArrayNewFixed: case Opcode::kArrayNewData:
    case Opcode::kArrayNewElem: case Opcode::kArrayLen: case Opcode::kRefI31:
    case Opcode::kI31GetS: case Opcode::kI31GetU:
      break;
    default:
      return false;
  }
  uint32_t n = in.stack_before + (has_result ? 1 : 0) - in.stack_after;
  MaterializeTop(n);
  uint32_t base = n ? stack_[stack_.size() - n].home : NextHome();
  for (uint32_t i = 0; i < n; ++i) Pop();
  uint32_t dst = has_result ? Push(width) : 0;
  Op(IOp::kGc);
  Word(static_cast<uint32_t>(in.opcode));
  if (has_result) Slot(dst); else Word(0);
  Slot(base);
  Word(imm1);
  Word(imm2);
  return true;
}

}  // namespace wasmstream::wasm
