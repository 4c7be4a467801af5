// The interpreter compiler: emitters for calls, SIMD, memory accesses and
// the 0xFC-prefixed (misc) instructions.
#include "wasm/runtime/compiler.h"

#include <cstring>
#include <initializer_list>

#include "wasm/opcodes.h"
#include "wasm/runtime/compiler_internal.h"

namespace wasmstream::wasm {

using namespace compiler_internal;

void Compiler::EmitCall(IOp op, const FuncType& type, uint32_t word1, uint32_t word2,
                        bool has_word2, bool has_ref) {
  Entry ref{};
  if (has_ref) ref = Pop();
  uint32_t n = static_cast<uint32_t>(type.params.size());
  MaterializeTop(n);
  uint32_t arg_base = n ? stack_[stack_.size() - n].home : NextHome();
  stack_.resize(stack_.size() - n);
  Op(op);
  if (op != IOp::kCallRef) Word(word1);
  if (has_word2) Word(word2);
  if (has_ref) Slot(ref.src);
  Slot(arg_base);
  for (ValueType t : type.results) Push(WidthOf(t));
}

void Compiler::EmitReturnCall(IOp op, const FuncType& type, uint32_t word1, uint32_t word2,
                              bool has_word2, bool has_ref) {
  Entry ref{};
  if (has_ref) ref = Pop();
  uint32_t n = static_cast<uint32_t>(type.params.size());
  uint32_t arg_slots = 0;
  for (ValueType t : type.params) arg_slots += WidthOf(t);
  auto real = [&](uint32_t src) {
    return (src & kConstTag) ? num_local_slots_ + (src & ~kConstTag) : src;
  };
  if (has_ref && ref.src != ref.home && real(ref.src) < arg_slots) Materialize(ref);
  size_t base = stack_.size() - n;
  for (size_t i = base; i < stack_.size(); ++i) {
    Entry& e = stack_[i];
    if (e.src != e.home && real(e.src) < arg_slots) Materialize(e);
  }
  // The callee reads its own operand before the arguments move.
  uint32_t dest = 0;
  std::vector<std::pair<uint32_t, Entry>> moves;
  for (size_t i = base; i < stack_.size(); ++i) {
    const Entry& e = stack_[i];
    if (e.src != dest) moves.push_back({dest, e});
    dest += e.width;
  }
  // A ref in a temporary at or above the arguments could be overwritten by the
  // moves only if it sat below a destination, which cannot happen (its home
  // is above every argument's home, and destinations are at or below those).
  for (auto& [d, e] : moves) {
    Op(e.width == 2 ? IOp::kCopy2 : IOp::kCopy);
    Slot(d);
    Slot(e.src);
  }
  stack_.resize(base);
  Op(op);
  if (op != IOp::kReturnCallRef) Word(word1);
  if (has_word2) Word(word2);
  if (has_ref) Slot(ref.src);
  Word(arg_slots);
  MakeUnreachable();
}

void Compiler::EmitSimd(const Instruction& in, uint32_t nparams, uint8_t result_width,
                        uint32_t imm) {
  uint32_t src[3] = {0, 0, 0};
  for (uint32_t i = nparams; i-- > 0;) src[i] = Pop().src;
  uint32_t dst = result_width ? Push(result_width) : 0;
  if (in.opcode == Opcode::kI8x16Shuffle) {
    uint64_t lo, hi;
    std::memcpy(&lo, in.imm.value.v128, 8);
    std::memcpy(&hi, in.imm.value.v128 + 8, 8);
    src[2] = Const(lo, hi, 2);
  }
  Op(IOp::kSimd);
  Word(static_cast<uint32_t>(in.opcode));
  uint32_t dpos = pc();
  if (result_width) {
    Slot(dst);
  } else {
    Word(0);
  }
  for (uint32_t s : src) {
    if (s) {
      Slot(s);
    } else {
      Word(0);
    }
  }
  Word(imm);
  if (result_width) last_dst_pos_ = dpos;
}

void Compiler::EmitMemory(const Instruction& in, const ValidatorState& st) {
  const OpcodeInfo& info = InfoOf(in.opcode);
  const MemArg& m = in.imm.mem;
  IOp op;
  bool fast = m.memory == 0 && !IsMemory64(0) && m.offset <= UINT32_MAX;
  uint32_t lo = static_cast<uint32_t>(m.offset), hi = static_cast<uint32_t>(m.offset >> 32);
  if (IsLoadIOp(in.opcode, &op)) {
    Entry addr = Pop();
    uint32_t dst = Push(TopResultWidth(st));
    if (fast) {
      Op(op);
      uint32_t dpos = pc();
      Slot(dst);
      Slot(addr.src);
      Word(lo);
      last_dst_pos_ = dpos;
    } else {
      Op(IOp::kLoadX);
      Word(static_cast<uint32_t>(in.opcode));
      Slot(dst);
      Slot(addr.src);
      Word(m.memory);
      Word(lo);
      Word(hi);
    }
    return;
  }
  if (IsStoreIOp(in.opcode, &op)) {
    Entry v = Pop();
    Entry addr = Pop();
    if (fast) {
      Op(op);
      Slot(addr.src);
      Slot(v.src);
      Word(lo);
    } else {
      Op(IOp::kStoreX);
      Word(static_cast<uint32_t>(in.opcode));
      Slot(addr.src);
      Slot(v.src);
      Word(m.memory);
      Word(lo);
      Word(hi);
    }
    return;
  }
  uint32_t nparams = static_cast<uint32_t>(SigParams(info.sig).size());
  uint32_t nresults = static_cast<uint32_t>(SigResults(info.sig).size());
  if (PrefixOf(in.opcode) == kSimdPrefix) {
    // v128 loads/stores and lane accesses: [addr] or [addr, v128].
    uint32_t value = 0;
    if (nparams == 2) value = Pop().src;
    Entry addr = Pop();
    uint32_t dst = nresults ? Push(2) : 0;
    Op(IOp::kSimdMem);
    Word(static_cast<uint32_t>(in.opcode));
    if (nresults) Slot(dst); else Word(0);
    Slot(addr.src);
    if (value) Slot(value); else Word(0);
    Word(m.memory);
    Word(lo);
    Word(hi);
    Word(in.imm.lane);
    return;
  }
  // Atomics: [addr, a?, b?] -> [result?].
  uint32_t src[3] = {0, 0, 0};
  for (uint32_t i = nparams; i-- > 0;) src[i] = Pop().src;
  uint32_t dst = nresults ? Push(1) : 0;
  Op(IOp::kAtomic);
  Word(static_cast<uint32_t>(in.opcode));
  if (nresults) Slot(dst); else Word(0);
  for (uint32_t i = 0; i < 3; ++i) {
    if (i < nparams) Slot(src[i]); else Word(0);
  }
  Word(m.memory);
  Word(lo);
  Word(hi);
}

void Compiler::EmitMisc(const Instruction& in, const ValidatorState& st) {
  const Immediates& imm = in.imm;
  // A bulk operation on three operands: the op, its index words, the slots.
  auto bulk = [&](IOp op, std::initializer_list<uint32_t> words) {
    uint32_t c = Pop().src;
    uint32_t b = Pop().src;
    uint32_t a = Pop().src;
    Op(op);
    for (uint32_t w : words) Word(w);
    Slot(a);
    Slot(b);
    Slot(c);
  };
  switch (in.opcode) {
    case Opcode::kTableGet: {
      uint32_t i = Pop().src;
      uint32_t dst = Push(1);
      Op(IOp::kTableGet);
      Slot(dst);
      Word(imm.index);
      Slot(i);
      return;
    }
    case Opcode::kTableSet: {
      uint32_t v = Pop().src;
      uint32_t i = Pop().src;
      Op(IOp::kTableSet);
      Word(imm.index);
      Slot(i);
      Slot(v);
      return;
    }
    case Opcode::kTableSize: {
      uint32_t dst = Push(1);
      Op(IOp::kTableSize);
      Slot(dst);
      Word(imm.index);
      return;
    }
    case Opcode::kTableGrow: {
      uint32_t n = Pop().src;
      uint32_t init = Pop().src;
      uint32_t dst = Push(1);
      Op(IOp::kTableGrow);
      Slot(dst);
      Word(imm.index);
      Slot(init);
      Slot(n);
      return;
    }
    case Opcode::kTableFill:
      bulk(IOp::kTableFill, {imm.index});
      return;
    case Opcode::kTableCopy:
      bulk(IOp::kTableCopy, {imm.index, imm.index2});
      return;
    case Opcode::kTableInit:
      bulk(IOp::kTableInit, {imm.index2, imm.index});
      return;
    case Opcode::kElemDrop:
      Op(IOp::kElemDrop);
      Word(imm.index);
      return;
    case Opcode::kMemoryInit:
      bulk(IOp::kMemoryInit, {imm.index2, imm.index});
      return;
    case Opcode::kDataDrop:
      Op(IOp::kDataDrop);
      Word(imm.index);
      return;
    case Opcode::kMemoryCopy:
      bulk(IOp::kMemoryCopy, {imm.index, imm.index2});
      return;
    case Opcode::kMemoryFill:
      bulk(IOp::kMemoryFill, {imm.index});
      return;
    default:
      break;
  }
  if (EmitGc(in)) return;
  // Anything else the validator accepts but the interpreter does not run is
  // compiled as a trap so the module still validates and runs up to it.
  (void)st;
  Op(IOp::kUnreachable);
  MakeUnreachable();
}

}  // namespace wasmstream::wasm
