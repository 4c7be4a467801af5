// The function-body decoder's dispatch loop.
//
// A function body takes one jump per instruction: a 256-way switch on the
// first byte whose cases are DecodeOp<B>(), specialized at compile time from
// the opcode table's row for B (wasm/opcodes_impl.h). A case with a generic
// signature checks its operands' kinds inline; a memory access reads a
// one-byte align and offset inline; the most frequent special instructions
// (local.*, constants, block/loop/if) have an inline fast path. A fast path
// only accepts what is certainly valid and has exactly the effect of the
// general code; anything else (errors, unreachable code, references, long
// immediates) goes to the general code, which gives the spec algorithm's
// result and message. Prefixed opcodes, gaps and constant expressions take
// DecodeGeneric(), the table lookup.
#include <cstdio>
#include <cstring>
#include <string>

#include "wasm/function_body_decoder_impl.h"

namespace wasmstream::wasm::body {

namespace {

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

constexpr bool IsPrefix(uint8_t b) { return b >= kGcPrefix && b <= kAtomicPrefix; }

// imm = Immediates{}, field by field: gcc compiles the assignment of the whole
// struct (or a copy of a constant one) to a `rep stos`, whose start-up cost
// after every instruction was a tenth of an eager compile. The size check
// catches a field added to Immediates but not here.
[[gnu::always_inline]] inline void ClearImmediates(Immediates& imm) {
  static_assert(sizeof(Immediates) == 128, "clear every field of Immediates");
  imm.index = 0;
  imm.index2 = 0;
  imm.mem = {};
  imm.lane = 0;
  imm.value = {.v128 = {}};
  imm.block = {};
  imm.br_table = {};
  imm.catches = {};
  imm.type = {};
  imm.type2 = {};
}

}  // namespace

// Inlined into the dispatch loop, which emits every instruction but the
// frame-changing ones.
[[gnu::always_inline]] inline void BodyDecoder::EmitInline() {
  cur_.opcode = op_;
  cur_.offset = OffsetOf(instr_);
  cur_.stack_before = sp_before_;
  cur_.stack_after = sp_;
  cur_.operand_type = operand_type_;
  sink_->OnInstruction(cur_, ValidatorState{{stack_, sp_}, {control_.data(), control_.size()}});
  ClearImmediates(cur_.imm);
}

bool BodyDecoder::Emit() {
  EmitInline();
  return true;
}

bool BodyDecoder::IllegalOpcode(uint8_t b, uint32_t code) {
  std::string name = Hex(b);
  if (IsPrefix(b)) name += " " + Hex(code);
  Error(instr_, "illegal opcode " + name);
  return false;
}

// ---------------------------------------------------------------- general path

bool BodyDecoder::DecodeGeneric(uint8_t b) {
  const OpcodeInfo* info;
  uint32_t code = b;
  if (IsPrefix(b)) {
    code = ReadU32();
    if (!ok_) return false;
    info = LookupOpcode(b, code);
  } else {
    info = opcode_tables::kOneByteRows[b];
  }
  if (info == nullptr || !(gate_mask_ >> static_cast<uint32_t>(info->gate) & 1)) [[unlikely]] {
    return IllegalOpcode(b, code);
  }
  op_ = info->opcode;
  if (const_expr_ && !CheckConstOpcode(op_)) return false;

  switch (info->imm) {
    case ImmKind::kNone:
      if (info->sig != Sig::kSpecial) {
        // The operands present with exactly the (numeric or vector) param
        // types; anything else (errors, unreachable code) takes PopSig.
        const SigRow& row = SigRowOf(info->sig);
        uint32_t n = row.num_params;
        if (sp_ - height_ >= n) [[likely]] {
          bool match = true;
          for (uint32_t i = 0; i < n; ++i) match &= stack_[sp_ - n + i].kind == row.params[i].kind;
          if (match) [[likely]] {
            sp_ -= n;
            if (row.num_results) Push(row.results[0]);
            return true;
          }
        }
        return PopSig(info->sig);
      }
      break;
    case ImmKind::kMemArg:
    case ImmKind::kMemArgLane:
      if (info->sig != Sig::kSpecial) return DecodeMemoryAccess(*info);
      break;
    case ImmKind::kLane: {
      const uint8_t* at = pc_;
      cur_.imm.lane = ReadU8();
      if (!ok_) return false;
      if (cur_.imm.lane >= (1u << info->mem)) {
        Error(at, "invalid lane index");
        return false;
      }
      return PopSig(info->sig);
    }
    case ImmKind::kShuffle: {
      const uint8_t* at = pc_;
      const uint8_t* lanes = ReadBytes(16);
      if (!lanes) return false;
      std::memcpy(cur_.imm.value.v128, lanes, 16);
      for (int i = 0; i < 16; ++i) {
        if (lanes[i] >= 32) {
          Error(at + i, "invalid lane index");
          return false;
        }
      }
      return PopSig(info->sig);
    }
    case ImmKind::kAtomicFence: {
      const uint8_t* at = pc_;
      if (ReadU8() != 0 && ok_) Error(at, "zero byte expected");
      return ok_;
    }
    default:
      break;
  }
  return DecodeSpecial(b, code);
}

// Inlined into DecodeOp<B>, where the switch folds to one call.
[[gnu::always_inline]] inline bool BodyDecoder::DecodeSpecial(uint8_t b, uint32_t code) {
  switch (b) {
    case 0x00: return Unreachable();
    case 0x02: case 0x03: case 0x04: case 0x0C: case 0x0D: case 0x0F:
      return DecodeControl(b);
    case 0x05: return DecodeElse();
    case 0x0B: return DecodeEnd();
    case 0x0E: return DecodeBrTable();
    case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: case 0x15:
      return DecodeCall(op_);
    case 0x06: case 0x07: case 0x08: case 0x09: case 0x0A: case 0x18: case 0x19:
      return DecodeException(b);
    case 0x1F: return DecodeTryTable();
    case 0x1A: {
      ValueType t;
      if (!PopAny(&t)) return false;
      operand_type_ = t;
      return true;
    }
    case 0x1B: return DecodeSelect(false);
    case 0x1C: return DecodeSelect(true);
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
      return DecodeVariable(b);
    case 0x25: case 0x26: return DecodeTableOp(op_);
    case 0x3F: case 0x40: return DecodeMemoryOther(op_);
    case 0x41: case 0x42: case 0x43: case 0x44: return DecodeConst(b);
    case 0xD0: case 0xD1: case 0xD2: case 0xD3: case 0xD4: case 0xD5: case 0xD6:
      return DecodeReference(b);
    case kGcPrefix: return DecodeGc(code);
    case kMiscPrefix: return DecodeMisc(code);
    case kSimdPrefix: return DecodeSimd(code);
    case kAtomicPrefix: return DecodeAtomic(code);
  }
  return IllegalOpcode(b, b);
}

bool BodyDecoder::CheckConstOpcode(Opcode op) {
  switch (op) {
    case Opcode::kI32Const: case Opcode::kI64Const: case Opcode::kF32Const:
    case Opcode::kF64Const: case Opcode::kV128Const: case Opcode::kRefNull:
    case Opcode::kRefFunc: case Opcode::kGlobalGet: case Opcode::kEnd:
      return true;
    case Opcode::kI32Add: case Opcode::kI32Sub: case Opcode::kI32Mul:
    case Opcode::kI64Add: case Opcode::kI64Sub: case Opcode::kI64Mul:
      if (features_.has(Feature::kExtendedConst)) return true;
      break;
    case Opcode::kStructNew: case Opcode::kStructNewDefault: case Opcode::kArrayNew:
    case Opcode::kArrayNewDefault: case Opcode::kArrayNewFixed: case Opcode::kRefI31:
    case Opcode::kAnyConvertExtern: case Opcode::kExternConvertAny:
      return true;  // gated to GC already
    default:
      break;
  }
  Error(instr_, "constant expression required");
  return false;
}

// ---------------------------------------------------------------- fast paths

// A block type that is empty or one numeric value type; else the general reader.
[[gnu::always_inline]] inline bool BodyDecoder::ReadBlockTypeFast(BlockSig* out) {
  if (pc_ < end_) [[likely]] {
    uint8_t t = *pc_;
    if (t == 0x40) {
      ++pc_;
      *out = {};
      return true;
    }
    if (t >= 0x7C && t <= 0x7F) {  // f64 f32 i64 i32
      ++pc_;
      *out = {{}, {&kSingleTypes[0x7F - t], 1}};
      return true;
    }
  }
  return ReadBlockType(out);
}

template <Sig S>
[[gnu::always_inline]] inline bool BodyDecoder::DecodeNumeric() {
  constexpr SigRow row = opcode_tables::kSigRows[static_cast<size_t>(S)];
  constexpr uint32_t n = row.num_params;
  if (sp_ - height_ >= n) [[likely]] {
    bool match = true;
    for (uint32_t i = 0; i < n; ++i) match &= stack_[sp_ - n + i].kind == row.params[i].kind;
    if (match) [[likely]] {
      sp_ -= n;
      if constexpr (row.num_results > 0) {
        if constexpr (n > 0) {
          stack_[sp_++] = row.results[0];  // a slot was just freed
        } else {
          Push(row.results[0]);
        }
      }
      return true;
    }
  }
  return PopSig(S);
}

// A load or store with a one-byte align (at most natural, so memory 0) and an
// offset of up to 4 bytes (1 with memory64 enabled, whose offsets are u64),
// on memory 0, with operands of exactly the right kinds.
template <uint8_t B>
[[gnu::always_inline]] inline bool BodyDecoder::DecodeMemoryFast() {
  constexpr const OpcodeInfo& info = opcode_tables::kRows[opcode_tables::kOneByteIndex[B] - 1];
  constexpr SigRow row = opcode_tables::kSigRows[static_cast<size_t>(info.sig)];
  constexpr uint32_t n = row.num_params;
  static_assert(n >= 1, "a memory access takes an address");
  if (end_ - pc_ >= 2 && pc_[0] <= info.mem && has_memory0_ && sp_ - height_ >= n) [[likely]] {
    bool match = stack_[sp_ - n].kind == memory0_address_;
    for (uint32_t i = 1; i < n; ++i) match &= stack_[sp_ - n + i].kind == row.params[i].kind;
    uint32_t offset = pc_[1];
    uint32_t length = 1;
    if (match && (offset < 0x80 || (!memory64_ && end_ - pc_ >= 6 &&
                                    leb128::ReadShortU32(pc_ + 1, &offset, &length)))) [[likely]] {
      cur_.imm.mem = MemArg{pc_[0], 0, offset};
      pc_ += 1 + length;
      sp_ -= n;
      if constexpr (row.num_results > 0) stack_[sp_++] = row.results[0];
      return true;
    }
  }
  return DecodeMemoryAccess(info);
}

// The frequent special instructions; each falls back to its general case.
template <uint8_t B>
[[gnu::always_inline]] inline bool BodyDecoder::DecodeHot() {
  if constexpr (B == 0x20) {  // local.get
    if (pc_ < end_ && *pc_ < 0x80 && *pc_ < num_locals_ && !track_inits_) [[likely]] {
      cur_.imm.index = *pc_++;
      Push(local_types_[cur_.imm.index]);
      return true;
    }
    return DecodeVariable(B);
  } else if constexpr (B == 0x21 || B == 0x22) {  // local.set, local.tee
    if (pc_ < end_ && *pc_ < 0x80 && *pc_ < num_locals_ && sp_ > height_) [[likely]] {
      ValueType t = local_types_[*pc_];
      if (stack_[sp_ - 1].kind == t.kind && !t.is_ref()) [[likely]] {
        cur_.imm.index = *pc_++;
        if constexpr (B == 0x21) --sp_;
        return true;
      }
    }
    return DecodeVariable(B);
  } else if constexpr (B == 0x41) {  // i32.const
    cur_.imm.value.i32 = ReadS32();
    Push(ValueType::I32());
    return ok_;
  } else if constexpr (B == 0x02 || B == 0x03) {  // block, loop
    if (pc_ < end_ && (*pc_ == 0x40 || (*pc_ >= 0x7C && *pc_ <= 0x7F))) [[likely]] {
      ReadBlockTypeFast(&cur_.imm.block);
      PushControl(B == 0x02 ? FrameKind::kBlock : FrameKind::kLoop, cur_.imm.block);
      return true;
    }
    return DecodeControl(B);
  } else if constexpr (B == 0x04) {  // if
    if (pc_ < end_ && (*pc_ == 0x40 || (*pc_ >= 0x7C && *pc_ <= 0x7F)) && sp_ > height_ &&
        stack_[sp_ - 1].kind == ValueKind::kI32) [[likely]] {
      ReadBlockTypeFast(&cur_.imm.block);
      --sp_;
      PushControl(FrameKind::kIf, cur_.imm.block);
      return true;
    }
    return DecodeControl(B);
  } else if constexpr (B == 0x0B) {  // end, with exactly the results on the stack
    ControlFrame& f = control_.back();
    std::span<const ValueType> results = f.sig.results;
    uint32_t n = static_cast<uint32_t>(results.size());
    if (n <= 1 && sp_ - height_ == n && (n == 0 || stack_[sp_ - 1] == results[0]) &&
        (f.kind != FrameKind::kIf || (n == 0 && f.sig.params.empty()))) [[likely]] {
      sp_ = height_;
      CloseFrame(f);
      return true;
    }
    return DecodeEnd();
  } else if constexpr (B == 0x0C || B == 0x0D) {  // br, br_if
    if (pc_ < end_ && *pc_ < 0x80 && *pc_ < control_.size()) [[likely]] {
      uint32_t depth = *pc_;
      std::span<const ValueType> types = LabelTypes(depth);
      uint32_t base = B == 0x0D ? 1 : 0;  // br_if's condition is on top
      if (B == 0x0C || (sp_ > height_ && stack_[sp_ - 1].kind == ValueKind::kI32)) {
        if (types.empty() ||
            (types.size() == 1 && sp_ - height_ > base && stack_[sp_ - 1 - base] == types[0])) {
          ++pc_;
          cur_.imm.index = depth;
          if constexpr (B == 0x0C) {
            SetUnreachable();
          } else {
            --sp_;
            if (!types.empty()) stack_[sp_ - 1] = types[0];
          }
          return true;
        }
      }
    }
    return DecodeControl(B);
  } else if constexpr (B == 0x10) {  // call, with exactly the params on the stack
    const uint8_t* at = pc_;
    uint32_t index = ReadU32();
    if (!ok_) return false;
    if (index < module_.functions.size()) [[likely]] {
      const FuncType& callee = module_.func_type(index);
      uint32_t n = static_cast<uint32_t>(callee.params.size());
      if (sp_ - height_ >= n) [[likely]] {
        bool exact = true;
        for (uint32_t i = 0; i < n; ++i) exact &= stack_[sp_ - n + i] == callee.params[i];
        if (exact) [[likely]] {
          cur_.imm.index = index;
          sp_ -= n;
          PushTypes(callee.results);
          return true;
        }
      }
    }
    pc_ = at;  // the general path reads the index again and reports
    return DecodeCall(Opcode::kCall);
  } else {
    return DecodeSpecial(B, B);
  }
}

template <uint8_t B>
[[gnu::always_inline]] inline bool BodyDecoder::DecodeOp() {
  constexpr uint16_t kIndex = opcode_tables::kOneByteIndex[B];
  if constexpr (kIndex == 0) {
    return DecodeGeneric(B);  // a prefix, or no such opcode
  } else {
    constexpr const OpcodeInfo& info = opcode_tables::kRows[kIndex - 1];
    if constexpr (info.gate != Gate::kMvp) {
      if (!(gate_mask_ >> static_cast<uint32_t>(info.gate) & 1)) [[unlikely]] {
        return IllegalOpcode(B, B);
      }
    }
    op_ = info.opcode;
    if constexpr (info.imm == ImmKind::kNone && info.sig != Sig::kSpecial) {
      return DecodeNumeric<info.sig>();
    } else if constexpr (info.imm == ImmKind::kMemArg && info.sig != Sig::kSpecial) {
      return DecodeMemoryFast<B>();
    } else if constexpr (info.imm == ImmKind::kMemArgLane || info.imm == ImmKind::kLane ||
                         info.imm == ImmKind::kShuffle || info.imm == ImmKind::kAtomicFence) {
      return DecodeGeneric(B);  // prefixed only; kept for a future row
    } else {
      return DecodeHot<B>();
    }
  }
}

// ---------------------------------------------------------------- the loop

bool BodyDecoder::DecodeInstructions() {
  if (control_.empty()) return ok_;
  if (const_expr_) {
    while (!control_.empty()) {
      if (pc_ >= end_) {
        ErrorEnd();
        return false;
      }
      instr_ = pc_;
      sp_before_ = sp_;
      emitted_ = false;
      if (!DecodeGeneric(*pc_++)) return false;
      if (sink_ && !emitted_) Emit();
    }
    return ok_;
  }
  return sink_ ? DecodeLoop<true>() : DecodeLoop<false>();
}

// Only `end` (and `delegate`) pop a frame, so only they can end the body.
template <bool kSink>
bool BodyDecoder::DecodeLoop() {
  for (;;) {
    if (pc_ >= end_) [[unlikely]] {
      ErrorEnd();
      return false;
    }
    instr_ = pc_;
    if constexpr (kSink) {
      sp_before_ = sp_;
      emitted_ = false;
    }
    bool ok = false;
    switch (*pc_++) {
#define WASMSTREAM_CASE1(b)                                     \
  case (b):                                                     \
    ok = DecodeOp<(b)>();                                       \
    if constexpr ((b) == 0x0B || (b) == 0x18) {                 \
      if (ok && control_.empty()) return ok_; /* emitted */     \
    }                                                           \
    break;
#define WASMSTREAM_CASE4(b) \
  WASMSTREAM_CASE1(b) WASMSTREAM_CASE1((b) + 1) WASMSTREAM_CASE1((b) + 2) WASMSTREAM_CASE1((b) + 3)
#define WASMSTREAM_CASE16(b) \
  WASMSTREAM_CASE4(b) WASMSTREAM_CASE4((b) + 4) WASMSTREAM_CASE4((b) + 8) WASMSTREAM_CASE4((b) + 12)
#define WASMSTREAM_CASE64(b) \
  WASMSTREAM_CASE16(b) WASMSTREAM_CASE16((b) + 16) WASMSTREAM_CASE16((b) + 32) WASMSTREAM_CASE16((b) + 48)
      WASMSTREAM_CASE64(0x00)
      WASMSTREAM_CASE64(0x40)
      WASMSTREAM_CASE64(0x80)
      WASMSTREAM_CASE64(0xC0)
#undef WASMSTREAM_CASE64
#undef WASMSTREAM_CASE16
#undef WASMSTREAM_CASE4
#undef WASMSTREAM_CASE1
    }
    if (!ok) [[unlikely]] return false;
    if constexpr (kSink) {
      if (!emitted_) EmitInline();
    }
  }
}

}  // namespace wasmstream::wasm::body
