// The interpreter compiler: the instruction dispatch (OnInstruction) and the
// emitters of plain operations, conditional branches and local.set fusion.
#include "wasm/runtime/compiler.h"

#include <cstring>
#include <unordered_map>

#include "wasm/opcodes.h"
#include "wasm/runtime/compiler_internal.h"

namespace wasmstream::wasm {

using namespace compiler_internal;

// ---- instructions ----

uint8_t Compiler::TopResultWidth(const ValidatorState& st) const {
  return st.operands.empty() ? 1 : WidthOf(st.operands.back());
}

bool Compiler::IsMemory64(uint32_t memory) const {
  return memory < module_->memories.size() && module_->memories[memory].limits.is64;
}

void Compiler::EmitUnary(IOp op, uint8_t width) {
  Entry a = Pop();
  uint32_t dst = Push(width);
  uint32_t opos = pc();
  Op(op);
  uint32_t dpos = pc();
  Slot(dst);
  Slot(a.src);
  last_dst_pos_ = dpos;
  last_op_pos_ = opos;
}

void Compiler::EmitBinary(IOp op, uint8_t width) {
  Entry b = Pop();
  Entry a = Pop();
  uint32_t dst = Push(width);
  uint32_t opos = pc();
  Op(op);
  uint32_t dpos = pc();
  Slot(dst);
  Slot(a.src);
  Slot(b.src);
  last_dst_pos_ = dpos;
  last_op_pos_ = opos;
}

uint32_t Compiler::EmitCondBranch(const Entry& cond, bool negate) {
  bool fresh = cond.src == cond.home && last_dst_pos_ != UINT32_MAX &&
               last_op_pos_ + 1 == last_dst_pos_ && code_[last_dst_pos_] == cond.home;
  if (fresh) {
    IOp op = static_cast<IOp>(code_[last_op_pos_]);
    static constexpr struct {
      IOp cmp, fused, inverse;
    } kFusable[] = {
        {IOp::kI32Eq, IOp::kBrIfI32Eq, IOp::kBrIfI32Ne},
        {IOp::kI32Ne, IOp::kBrIfI32Ne, IOp::kBrIfI32Eq},
        {IOp::kI32LtS, IOp::kBrIfI32LtS, IOp::kBrIfI32GeS},
        {IOp::kI32LtU, IOp::kBrIfI32LtU, IOp::kBrIfI32GeU},
        {IOp::kI32GtS, IOp::kBrIfI32GtS, IOp::kBrIfI32LeS},
        {IOp::kI32GtU, IOp::kBrIfI32GtU, IOp::kBrIfI32LeU},
        {IOp::kI32LeS, IOp::kBrIfI32LeS, IOp::kBrIfI32GtS},
        {IOp::kI32LeU, IOp::kBrIfI32LeU, IOp::kBrIfI32GtU},
        {IOp::kI32GeS, IOp::kBrIfI32GeS, IOp::kBrIfI32LtS},
        {IOp::kI32GeU, IOp::kBrIfI32GeU, IOp::kBrIfI32LtU},
    };
    // The compare's result only fed this branch: drop the compare and branch
    // on its operands directly.
    auto drop_compare = [&](uint32_t words, uint32_t* operands) {
      for (uint32_t i = 0; i < words; ++i) operands[i] = code_[last_op_pos_ + 2 + i];
      code_.resize(last_op_pos_);
      while (!slot_fixups_.empty() && slot_fixups_.back() >= last_op_pos_) slot_fixups_.pop_back();
    };
    if (op == IOp::kI32Eqz) {
      uint32_t a;
      drop_compare(1, &a);
      Op(negate ? IOp::kBrIf : IOp::kBrUnless);
      Slot(a);
      Word(0);
      return pc() - 1;
    }
    for (const auto& f : kFusable) {
      if (f.cmp != op) continue;
      uint32_t ab[2];
      drop_compare(2, ab);
      Op(negate ? f.inverse : f.fused);
      Slot(ab[0]);
      Slot(ab[1]);
      Word(0);
      return pc() - 1;
    }
  }
  Op(negate ? IOp::kBrUnless : IOp::kBrIf);
  Slot(cond.src);
  Word(0);
  return pc() - 1;
}

void Compiler::EmitLocalSet(uint32_t local, bool tee) {
  uint32_t ls = local_slot_[local];
  Entry& v = stack_.back();
  if (v.src == ls) {  // local.set x (local.get x): nothing changes
    if (!tee) stack_.pop_back();
    return;
  }
  // Values lazily read from this local must be taken before it changes.
  for (size_t i = 0; i + 1 < stack_.size(); ++i) {
    if (stack_[i].src == ls) Materialize(stack_[i]);
  }
  Entry& top = stack_.back();
  if (top.src == top.home && last_dst_pos_ != UINT32_MAX && code_[last_dst_pos_] == top.home) {
    // The instruction that produced the value writes the local directly.
    code_[last_dst_pos_] = ls;
    last_dst_pos_ = UINT32_MAX;
  } else {
    Op(top.width == 2 ? IOp::kCopy2 : IOp::kCopy);
    Slot(ls);
    Slot(top.src);
  }
  if (tee) {
    top.src = ls;
  } else {
    stack_.pop_back();
  }
}

void Compiler::OnInstruction(const Instruction& in, const ValidatorState& st) {
  const Opcode op = in.opcode;
  const Immediates& imm = in.imm;
  if (!reachable_) {
    switch (op) {
      case Opcode::kBlock:
      case Opcode::kLoop:
      case Opcode::kIf:
      case Opcode::kTry:
      case Opcode::kTryTable: {
        ctrl_.Push(FrameKind::kBlock).dead = true;
        return;
      }
      case Opcode::kElse:
        OnElse();
        return;
      case Opcode::kCatch:
      case Opcode::kCatchAll:
        OnLegacyCatch(in);
        return;
      case Opcode::kEnd:
        OnEnd();
        return;
      case Opcode::kDelegate:
        OnDelegate(imm.index);
        return;
      default:
        return;
    }
  }
  if (static_cast<uint32_t>(op) < 256) {
    const OneByteNumeric& n = kOneByteNumeric[static_cast<uint32_t>(op)];
    if (n.params == 1) {
      EmitUnary(n.iop, n.result_width);
      return;
    }
    if (n.params == 2) {
      EmitBinary(n.iop, n.result_width);
      return;
    }
  }
  IOp iop;
  if (IsNumericIOp(op, &iop)) {
    const OpcodeInfo& info = InfoOf(op);
    uint8_t w = WidthOf(SigResults(info.sig)[0]);
    if (SigParams(info.sig).size() == 1) {
      EmitUnary(iop, w);
    } else {
      EmitBinary(iop, w);
    }
    return;
  }
  switch (op) {
    case Opcode::kNop:
    case Opcode::kAtomicFence:
      return;
    case Opcode::kUnreachable:
      Op(IOp::kUnreachable);
      MakeUnreachable();
      return;
    case Opcode::kBlock:
      MaterializeAll();
      PushCtrl(FrameKind::kBlock, imm.block);
      return;
    case Opcode::kTry: {  // legacy exceptions: see OnLegacyCatch
      MaterializeAll();
      PushCtrl(FrameKind::kTry, imm.block);
      Ctrl& f = ctrl_.back();
      f.try_height = f.height;
      TryRegion r;
      r.begin = pc();
      f.try_region = static_cast<uint32_t>(regions_.size());
      regions_.push_back(r);
      return;
    }
    case Opcode::kCatch:
    case Opcode::kCatchAll:
      OnLegacyCatch(in);
      return;
    case Opcode::kRethrow: {
      const Ctrl& t = ctrl_[ctrl_.size() - 1 - imm.index];
      MaterializeAll();
      Op(IOp::kThrowRef);
      Slot(t.base_home);
      MakeUnreachable();
      return;
    }
    case Opcode::kLoop:
      MaterializeAll();
      PushCtrl(FrameKind::kLoop, imm.block);
      ctrl_.back().loop_pc = pc();
      LabelHere();
      return;
    case Opcode::kIf: {
      Entry c = Pop();
      MaterializeAll();
      PushCtrl(FrameKind::kIf, imm.block);
      Ctrl& f = ctrl_.back();
      f.saved_params.assign(stack_.begin() + f.height, stack_.end());
      f.else_fixup = EmitCondBranch(c, /*negate=*/true);
      return;
    }
    case Opcode::kTryTable: {
      MaterializeAll();
      uint32_t first = static_cast<uint32_t>(handlers_.size());
      for (const CatchClause& cc : imm.catches) {
        Ctrl& t = ctrl_[ctrl_.size() - 1 - cc.label];
        CatchHandler h;
        h.kind = static_cast<uint32_t>(cc.kind);
        h.tag = cc.tag;
        uint32_t hi = static_cast<uint32_t>(handlers_.size());
        if (t.kind == FrameKind::kFunction) {
          h.dst_slot = 0;
          return_handler_fixups_.push_back(hi);
        } else {
          h.dst_slot = t.base_home;
          if (t.kind == FrameKind::kLoop) {
            h.target = t.loop_pc;
          } else {
            t.handler_fixups.push_back(hi);
          }
        }
        handlers_.push_back(h);
      }
      PushCtrl(FrameKind::kTryTable, imm.block);
      TryRegion r;
      r.begin = pc();
      r.first_handler = first;
      r.num_handlers = static_cast<uint32_t>(handlers_.size()) - first;
      ctrl_.back().try_region = static_cast<uint32_t>(regions_.size());
      regions_.push_back(r);
      return;
    }
    case Opcode::kElse:
      OnElse();
      return;
    case Opcode::kEnd:
      OnEnd();
      return;
    case Opcode::kDelegate:
      OnDelegate(imm.index);
      return;
    case Opcode::kBr:
      EmitBranchTo(ctrl_[ctrl_.size() - 1 - imm.index]);
      MakeUnreachable();
      return;
    case Opcode::kBrIf: {
      Entry c = Pop();
      Ctrl& t = ctrl_[ctrl_.size() - 1 - imm.index];
      if (t.kind != FrameKind::kFunction && !NeedsCopies(t)) {
        uint32_t at = EmitCondBranch(c, /*negate=*/false);
        if (t.kind == FrameKind::kLoop) {
          code_[at] = t.loop_pc;
        } else {
          t.fixups.push_back(at);
        }
      } else {
        uint32_t skip = EmitCondBranch(c, /*negate=*/true);
        EmitBranchTo(t);
        Bind(skip);
        LabelHere();
      }
      return;
    }
    case Opcode::kBrTable: {
      Entry idx = Pop();
      Op(IOp::kBrTable);
      Slot(idx.src);
      Word(static_cast<uint32_t>(imm.br_table.size() - 1));
      uint32_t table_at = pc();
      for (size_t i = 0; i < imm.br_table.size(); ++i) Word(0);
      std::unordered_map<uint32_t, uint32_t> stubs;
      for (size_t i = 0; i < imm.br_table.size(); ++i) {
        uint32_t depth = imm.br_table[i];
        Ctrl& t = ctrl_[ctrl_.size() - 1 - depth];
        if (t.kind != FrameKind::kFunction && !NeedsCopies(t)) {
          if (t.kind == FrameKind::kLoop) {
            code_[table_at + i] = t.loop_pc;
          } else {
            t.fixups.push_back(static_cast<uint32_t>(table_at + i));
          }
          continue;
        }
        auto it = stubs.find(depth);
        if (it != stubs.end()) {
          code_[table_at + i] = it->second;
          continue;
        }
        uint32_t at = pc();
        stubs[depth] = at;
        code_[table_at + i] = at;
        EmitBranchTo(t);
      }
      MakeUnreachable();
      return;
    }
    case Opcode::kReturn:
      EmitReturn();
      MakeUnreachable();
      return;
    case Opcode::kCall:
      EmitCall(IOp::kCall, module_->func_type(imm.index), imm.index, 0, false, false);
      return;
    case Opcode::kCallIndirect:
      EmitCall(IOp::kCallIndirect, module_->types[imm.index].func, imm.index, imm.index2, true,
               true);
      return;
    case Opcode::kCallRef:
      EmitCall(IOp::kCallRef, module_->types[imm.index].func, 0, 0, false, true);
      return;
    case Opcode::kReturnCall:
      EmitReturnCall(IOp::kReturnCall, module_->func_type(imm.index), imm.index, 0, false, false);
      return;
    case Opcode::kReturnCallIndirect:
      EmitReturnCall(IOp::kReturnCallIndirect, module_->types[imm.index].func, imm.index,
                     imm.index2, true, true);
      return;
    case Opcode::kReturnCallRef:
      EmitReturnCall(IOp::kReturnCallRef, module_->types[imm.index].func, 0, 0, false, true);
      return;
    case Opcode::kDrop:
      Pop();
      return;
    case Opcode::kSelect:
    case Opcode::kSelectT: {
      Entry c = Pop();
      Entry b = Pop();
      Entry a = Pop();
      uint8_t w = TopResultWidth(st);
      uint32_t dst = Push(w);
      Op(w == 2 ? IOp::kSelect2 : IOp::kSelect);
      uint32_t dpos = pc();
      Slot(dst);
      Slot(a.src);
      Slot(b.src);
      Slot(c.src);
      last_dst_pos_ = dpos;
      return;
    }
    case Opcode::kLocalGet:
      PushLazy(local_slot_[imm.index], local_width_[imm.index]);
      return;
    case Opcode::kLocalSet:
      EmitLocalSet(imm.index, false);
      return;
    case Opcode::kLocalTee:
      EmitLocalSet(imm.index, true);
      return;
    case Opcode::kGlobalGet: {
      uint8_t w = WidthOf(module_->globals[imm.index].type);
      uint32_t dst = Push(w);
      Op(w == 2 ? IOp::kGlobalGet2 : IOp::kGlobalGet);
      uint32_t dpos = pc();
      Slot(dst);
      Word(imm.index);
      last_dst_pos_ = dpos;
      return;
    }
    case Opcode::kGlobalSet: {
      Entry v = Pop();
      Op(v.width == 2 ? IOp::kGlobalSet2 : IOp::kGlobalSet);
      Word(imm.index);
      Slot(v.src);
      return;
    }
    case Opcode::kI32Const:
      PushLazy(Const(static_cast<uint32_t>(imm.value.i32), 0, 1), 1);
      return;
    case Opcode::kI64Const:
      PushLazy(Const(static_cast<uint64_t>(imm.value.i64), 0, 1), 1);
      return;
    case Opcode::kF32Const:
      PushLazy(Const(imm.value.f32_bits, 0, 1), 1);
      return;
    case Opcode::kF64Const:
      PushLazy(Const(imm.value.f64_bits, 0, 1), 1);
      return;
    case Opcode::kV128Const: {
      uint64_t lo, hi;
      std::memcpy(&lo, imm.value.v128, 8);
      std::memcpy(&hi, imm.value.v128 + 8, 8);
      PushLazy(Const(lo, hi, 2), 2);
      return;
    }
    case Opcode::kRefNull:
      PushLazy(Const(0, 0, 1), 1);
      return;
    case Opcode::kRefIsNull:
      EmitUnary(IOp::kRefIsNull, 1);
      return;
    case Opcode::kRefAsNonNull:
      EmitUnary(IOp::kRefAsNonNull, 1);
      return;
    case Opcode::kRefFunc: {
      uint32_t dst = Push(1);
      Op(IOp::kRefFunc);
      uint32_t dpos = pc();
      Slot(dst);
      Word(imm.index);
      last_dst_pos_ = dpos;
      return;
    }
    case Opcode::kBrOnNull: {
      Entry r = Pop();
      Op(IOp::kBrOnNonNull);
      Slot(r.src);
      uint32_t skip = pc();
      Word(0);
      EmitBranchTo(ctrl_[ctrl_.size() - 1 - imm.index]);
      Bind(skip);
      LabelHere();
      stack_.push_back(r);
      return;
    }
    case Opcode::kBrOnNonNull: {
      Op(IOp::kBrOnNull);
      Slot(stack_.back().src);
      uint32_t skip = pc();
      Word(0);
      EmitBranchTo(ctrl_[ctrl_.size() - 1 - imm.index]);
      Bind(skip);
      LabelHere();
      Pop();
      return;
    }
    case Opcode::kThrow: {
      const FuncType& t = module_->types[module_->tags[imm.index].type_index].func;
      uint32_t n = static_cast<uint32_t>(t.params.size());
      MaterializeTop(n);
      uint32_t arg_base = n ? stack_[stack_.size() - n].home : NextHome();
      Op(IOp::kThrow);
      Word(imm.index);
      Slot(arg_base);
      MakeUnreachable();
      return;
    }
    case Opcode::kThrowRef: {
      Entry r = Pop();
      Op(IOp::kThrowRef);
      Slot(r.src);
      MakeUnreachable();
      return;
    }
    case Opcode::kMemorySize: {
      uint32_t dst = Push(1);
      Op(IOp::kMemorySize);
      Slot(dst);
      Word(imm.index);
      return;
    }
    case Opcode::kMemoryGrow: {
      Entry d = Pop();
      uint32_t dst = Push(1);
      Op(IOp::kMemoryGrow);
      Slot(dst);
      Word(imm.index);
      Slot(d.src);
      return;
    }
    default:
      break;
  }
  const OpcodeInfo& info = InfoOf(op);
  if (info.imm == ImmKind::kMemArg || info.imm == ImmKind::kMemArgLane) {
    EmitMemory(in, st);
    return;
  }
  if (PrefixOf(op) == kSimdPrefix) {
    uint32_t nparams = static_cast<uint32_t>(SigParams(info.sig).size());
    auto results = SigResults(info.sig);
    EmitSimd(in, nparams, results.empty() ? 0 : WidthOf(results[0]), in.imm.lane);
    return;
  }
  EmitMisc(in, st);
}

}  // namespace wasmstream::wasm
