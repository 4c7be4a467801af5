// The function-body decoder: entry points, the byte reader, the operand and
// control stacks, and the dispatch loop. Instruction families live in
// body_*.cc (control, variables, memory, SIMD, references/GC, exceptions).
#include "wasm/function_body_decoder.h"

#include <cstdio>
#include <cstring>
#include <memory>

#include "wasm/function_body_decoder_impl.h"
#include "wasm/limits.h"

namespace wasmstream::wasm {

namespace body {
namespace {

thread_local Buffers t_buffers;
thread_local int t_depth = 0;  // decoders alive on this thread

// GateMask() for {features}, remembered per thread (it is asked once per body).
uint32_t CachedGateMask(const Features& features) {
  thread_local uint64_t bits = ~uint64_t{0};
  thread_local uint32_t mask = 0;
  if (features.Bits() != bits) {
    mask = GateMask(features);
    bits = features.Bits();
  }
  return mask;
}

// The thread's buffers, or fresh ones for a nested decoder (a sink that
// decodes while being called), so the outer walk's state stays intact.
Buffers& AcquireBuffers(std::unique_ptr<Buffers>* own) {
  if (t_depth++ == 0) return t_buffers;
  *own = std::make_unique<Buffers>();
  return **own;
}

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

constexpr ValueType kI32Type[1] = {ValueType::I32()};
constexpr ValueType kI64Type[1] = {ValueType::I64()};
constexpr ValueType kF32Type[1] = {ValueType::F32()};
constexpr ValueType kF64Type[1] = {ValueType::F64()};
constexpr ValueType kV128Type[1] = {ValueType::V128()};

}  // namespace

BodyDecoder::BodyDecoder(const Module& module, std::span<const uint8_t> bytes, uint32_t offset,
                         CodeSink* sink)
    : module_(module),
      features_(module.features),
      sink_(sink),
      start_(bytes.data()),
      pc_(bytes.data()),
      end_(bytes.data() + bytes.size()),
      base_(offset),
      gate_mask_(CachedGateMask(module.features)),
      buffers_(AcquireBuffers(&own_buffers_)),
      control_(buffers_.control),
      locals_(buffers_.locals),
      local_init_(buffers_.local_init),
      init_log_(buffers_.init_log) {
  if (buffers_.stack.size() < 64) buffers_.stack.resize(64);
  stack_ = buffers_.stack.data();
  cap_ = static_cast<uint32_t>(buffers_.stack.size());
  control_.clear();
  locals_.clear();
  local_init_.clear();
  init_log_.clear();
  buffers_.block_types.clear();
}

BodyDecoder::~BodyDecoder() { --t_depth; }

// ---------------------------------------------------------------- errors

void BodyDecoder::Error(const uint8_t* at, std::string message) {
  if (!ok_) return;
  ok_ = false;
  error_ = CompileError{OffsetOf(at), std::move(message)};
  pc_ = end_;  // every later read fails quietly
}

void BodyDecoder::ErrorEnd() { Error(pc_, "unexpected end of section or function"); }

// ---------------------------------------------------------------- reader

uint64_t BodyDecoder::ReadLeb(int bits, bool is_signed) {
  const int max_bytes = (bits + 6) / 7;
  const uint8_t* p = pc_;
  uint64_t result = 0;
  int shift = 0;
  uint8_t b = 0;
  for (int i = 0;; ++i) {
    if (p >= end_) {
      pc_ = p;
      ErrorEnd();
      return 0;
    }
    b = *p++;
    if (i == max_bytes - 1) {
      if (b & 0x80) {
        Error(p - 1, "integer representation too long");
        return 0;
      }
      int used = bits - 7 * i;  // value bits left for this last byte
      if (!is_signed) {
        if (b >> used) {
          Error(p - 1, "integer too large");
          return 0;
        }
      } else {
        uint8_t mask = static_cast<uint8_t>((0xFF << (used - 1)) & 0x7F);
        if ((b & mask) != 0 && (b & mask) != mask) {
          Error(p - 1, "integer too large");
          return 0;
        }
      }
      result |= static_cast<uint64_t>(b & 0x7F) << shift;
      shift += 7;
      break;
    }
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (is_signed && shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
  if (is_signed && bits < 64) {
    // Keep the value within its width (sign-extended from bit {bits}-1).
    int unused = 64 - bits;
    result = static_cast<uint64_t>(static_cast<int64_t>(result << unused) >> unused);
  }
  pc_ = p;
  return result;
}

uint32_t BodyDecoder::ReadU32Slow() {
  // Up to 4 bytes with the continuation bit can only be well formed; the
  // 5th byte and the edge cases take the checked path.
  if (end_ - pc_ >= 5) {
    uint32_t result = 0;
    for (int i = 0; i < 4; ++i) {
      uint8_t b = pc_[i];
      result |= static_cast<uint32_t>(b & 0x7F) << (7 * i);
      if (!(b & 0x80)) {
        pc_ += i + 1;
        return result;
      }
    }
  }
  return static_cast<uint32_t>(ReadLeb(32, false));
}

const uint8_t* BodyDecoder::ReadBytes(uint32_t n) {
  if (static_cast<size_t>(end_ - pc_) < n) {
    pc_ = end_;
    ErrorEnd();
    return nullptr;
  }
  const uint8_t* p = pc_;
  pc_ += n;
  return p;
}

bool BodyDecoder::CheckFeature(bool enabled, const uint8_t* at, const char* what) {
  if (!enabled) Error(at, what);
  return enabled;
}

bool BodyDecoder::ReadHeapType(HeapType* out) {
  const uint8_t* at = pc_;
  int64_t v = ReadS33();
  if (!ok_) return false;
  if (v >= 0) {
    if (!CheckFeature(features_.has(Feature::kFunctionReferences) || features_.has(Feature::kGc),
                      at, "malformed heap type")) {
      return false;
    }
    if (static_cast<uint64_t>(v) >= module_.types.size()) {
      Error(at, "unknown type " + std::to_string(v));
      return false;
    }
    *out = HeapType::Index(static_cast<uint32_t>(v));
    return true;
  }
  bool gc = features_.has(Feature::kGc);
  bool exn = features_.has(Feature::kExceptions);
  AbstractHeap h;
  bool enabled = gc;
  switch (static_cast<uint8_t>(v & 0x7F)) {
    case 0x70: h = AbstractHeap::kFunc; enabled = true; break;
    case 0x6F: h = AbstractHeap::kExtern; enabled = true; break;
    case 0x6E: h = AbstractHeap::kAny; break;
    case 0x6D: h = AbstractHeap::kEq; break;
    case 0x6C: h = AbstractHeap::kI31; break;
    case 0x6B: h = AbstractHeap::kStruct; break;
    case 0x6A: h = AbstractHeap::kArray; break;
    case 0x71: h = AbstractHeap::kNone; break;
    case 0x73: h = AbstractHeap::kNoFunc; break;
    case 0x72: h = AbstractHeap::kNoExtern; break;
    case 0x69: h = AbstractHeap::kExn; enabled = exn; break;
    case 0x74: h = AbstractHeap::kNoExn; enabled = exn; break;
    default: enabled = false; h = AbstractHeap::kFunc; break;
  }
  if (v < -64 || !enabled) {
    Error(at, "malformed heap type");
    return false;
  }
  *out = HeapType::Abstract(h);
  return true;
}

bool BodyDecoder::ReadValueType(ValueType* out) {
  const uint8_t* at = pc_;
  uint8_t b = ReadU8();
  if (!ok_) return false;
  bool refs = features_.has(Feature::kReferenceTypes);
  bool gc = features_.has(Feature::kGc);
  bool exn = features_.has(Feature::kExceptions);
  auto ref = [&](AbstractHeap h, bool enabled) {
    *out = ValueType::Ref(HeapType::Abstract(h), true);
    if (!enabled) Error(at, "malformed value type");
    return enabled;
  };
  switch (b) {
    case 0x7F: *out = ValueType::I32(); return true;
    case 0x7E: *out = ValueType::I64(); return true;
    case 0x7D: *out = ValueType::F32(); return true;
    case 0x7C: *out = ValueType::F64(); return true;
    case 0x7B:
      *out = ValueType::V128();
      return CheckFeature(features_.has(Feature::kSimd), at, "malformed value type");
    case 0x70: return ref(AbstractHeap::kFunc, refs);
    case 0x6F: return ref(AbstractHeap::kExtern, refs);
    case 0x6E: return ref(AbstractHeap::kAny, gc);
    case 0x6D: return ref(AbstractHeap::kEq, gc);
    case 0x6C: return ref(AbstractHeap::kI31, gc);
    case 0x6B: return ref(AbstractHeap::kStruct, gc);
    case 0x6A: return ref(AbstractHeap::kArray, gc);
    case 0x71: return ref(AbstractHeap::kNone, gc);
    case 0x73: return ref(AbstractHeap::kNoFunc, gc);
    case 0x72: return ref(AbstractHeap::kNoExtern, gc);
    case 0x69: return ref(AbstractHeap::kExn, exn);
    case 0x74: return ref(AbstractHeap::kNoExn, exn);
    case 0x63:
    case 0x64: {
      if (!CheckFeature(features_.has(Feature::kFunctionReferences) || gc, at,
                        "malformed value type")) {
        return false;
      }
      HeapType h;
      if (!ReadHeapType(&h)) return false;
      *out = ValueType::Ref(h, b == 0x63);
      return true;
    }
    default:
      Error(at, "malformed value type");
      return false;
  }
}

std::span<const ValueType> BodyDecoder::OneType(ValueType t) {
  switch (t.kind) {
    case ValueKind::kI32: return kI32Type;
    case ValueKind::kI64: return kI64Type;
    case ValueKind::kF32: return kF32Type;
    case ValueKind::kF64: return kF64Type;
    case ValueKind::kV128: return kV128Type;
    default:
      buffers_.block_types.push_back(t);
      return {&buffers_.block_types.back(), 1};
  }
}

bool BodyDecoder::ReadBlockType(BlockSig* out) {
  const uint8_t* at = pc_;
  if (pc_ >= end_) {
    ErrorEnd();
    return false;
  }
  uint8_t b = *pc_;
  if (b == 0x40) {
    ++pc_;
    *out = {};
    return true;
  }
  if ((b & 0xC0) == 0x40) {  // a one-byte negative s33: a value type
    ValueType t;
    if (!ReadValueType(&t)) return false;
    *out = {{}, OneType(t)};
    return true;
  }
  int64_t index = ReadS33();
  if (!ok_) return false;
  if (index < 0) {
    Error(at, "malformed block type");
    return false;
  }
  if (!CheckFeature(features_.has(Feature::kMultiValue), at, "malformed block type")) return false;
  const FuncType* f;
  if (!CheckFuncType(static_cast<uint32_t>(index), at, &f)) return false;
  *out = {f->params, f->results};
  return true;
}

// ---------------------------------------------------------------- operand stack

void BodyDecoder::Grow() {
  buffers_.stack.resize(buffers_.stack.size() * 2);
  stack_ = buffers_.stack.data();
  cap_ = static_cast<uint32_t>(buffers_.stack.size());
}

void BodyDecoder::TypeMismatch(const char* who, std::span<const ValueType> expected,
                               uint32_t have) {
  std::string msg = std::string("type mismatch: ") + who + " requires [";
  for (size_t i = 0; i < expected.size(); ++i) {
    if (i) msg += ' ';
    msg += ToString(expected[i]);
  }
  msg += "] but stack has [";
  for (uint32_t i = sp_ - have; i < sp_; ++i) {
    if (i != sp_ - have) msg += ' ';
    msg += ToString(stack_[i]);
  }
  msg += "]";
  Error(instr_, std::move(msg));
}

bool BodyDecoder::PopTypes(std::span<const ValueType> expected) {
  const ControlFrame& c = control_.back();
  uint32_t n = static_cast<uint32_t>(expected.size());
  uint32_t avail = sp_ - c.height;
  if (avail >= n) {  // fast path: every operand present with exactly the type
    bool exact = true;
    for (uint32_t i = 0; exact && i < n; ++i) exact = stack_[sp_ - n + i] == expected[i];
    if (exact) [[likely]] {
      sp_ -= n;
      return true;
    }
  }
  uint32_t check = avail < n ? avail : n;  // values present to compare
  bool match = avail >= n || c.unreachable;
  for (uint32_t i = 0; match && i < check; ++i) {
    match = Matches(stack_[sp_ - check + i], expected[n - check + i]);
  }
  if (!match) {
    TypeMismatch("instruction", expected, check);
    return false;
  }
  sp_ -= check;
  return true;
}

bool BodyDecoder::PeekTypes(std::span<const ValueType> expected) {
  uint32_t saved = sp_;
  bool ok = PopTypes(expected);
  sp_ = saved;
  return ok;
}

bool BodyDecoder::PopAny(ValueType* out) {
  const ControlFrame& c = control_.back();
  if (sp_ > c.height) {
    *out = stack_[--sp_];
    return true;
  }
  if (c.unreachable) {
    *out = ValueType::Bottom();
    return true;
  }
  Error(instr_, "type mismatch: instruction requires [any] but stack has []");
  return false;
}

bool BodyDecoder::PopRef(ValueType* out) {
  if (!PopAny(out)) return false;
  if (out->kind == ValueKind::kRef || out->kind == ValueKind::kBottom) return true;
  Error(instr_, "type mismatch: instruction requires [ref] but stack has [" + ToString(*out) + "]");
  return false;
}

bool BodyDecoder::PopSig(Sig sig) {
  if (!PopTypes(SigParams(sig))) return false;
  PushTypes(SigResults(sig));
  return true;
}

// ---------------------------------------------------------------- control stack

void BodyDecoder::PushControl(FrameKind kind, BlockSig sig) {
  ControlFrame f;
  f.kind = kind;
  f.sig = sig;
  f.height = sp_;
  f.offset = OffsetOf(instr_);
  f.init_height = static_cast<uint32_t>(init_log_.size());
  control_.push_back(f);
  PushTypes(sig.params);
}

bool BodyDecoder::CheckFrameEnd(const ControlFrame& frame) {
  std::span<const ValueType> results = frame.sig.results;
  uint32_t n = static_cast<uint32_t>(results.size());
  uint32_t avail = sp_ - frame.height;
  // As the reference interpreter: first pop_vals(results) ("instruction
  // requires"), then the height check ("block requires").
  bool match = avail >= n || frame.unreachable;
  uint32_t check = avail < n ? avail : n;
  for (uint32_t i = 0; match && i < check; ++i) {
    match = Matches(stack_[sp_ - check + i], results[n - check + i]);
  }
  if (!match) {
    TypeMismatch("instruction", results, check);
    return false;
  }
  if (avail > n) {
    TypeMismatch("block", results, avail);
    return false;
  }
  sp_ = frame.height;
  return true;
}

bool BodyDecoder::CheckLabel(uint32_t depth, const uint8_t* at) {
  if (depth < control_.size()) return true;
  Error(at, "unknown label");
  return false;
}

// ---------------------------------------------------------------- locals

bool BodyDecoder::ReadLocals(const FuncType& type) {
  locals_.assign(type.params.begin(), type.params.end());
  bool nullable_only = true;
  const uint8_t* count_at = pc_;
  uint32_t entries = ReadU32();
  if (!ok_) return false;
  if (entries > kSpecMaxFunctionLocals) {
    Error(count_at, "too many locals");
    return false;
  }
  for (uint32_t i = 0; i < entries; ++i) {
    const uint8_t* at = pc_;
    uint32_t n = ReadU32();
    if (!ok_) return false;
    if (n > kSpecMaxFunctionLocals - locals_.size()) {
      Error(at, "too many locals");
      return false;
    }
    ValueType t;
    if (!ReadValueType(&t)) return false;
    if (t.is_ref() && !t.nullable) nullable_only = false;
    locals_.insert(locals_.end(), n, t);
  }
  if (!nullable_only) {
    // Non-defaultable locals start unset (function references).
    local_init_.assign(locals_.size(), 1);
    for (size_t i = type.params.size(); i < locals_.size(); ++i) {
      if (locals_[i].is_ref() && !locals_[i].nullable) local_init_[i] = 0;
    }
  }
  return true;
}

// ---------------------------------------------------------------- the walk

bool BodyDecoder::Emit() {
  Instruction in;
  in.opcode = op_;
  in.offset = OffsetOf(instr_);
  in.imm = imm_;
  in.stack_before = sp_before_;
  in.stack_after = sp_;
  in.operand_type = operand_type_;
  sink_->OnInstruction(in, ValidatorState{{stack_, sp_}, {control_.data(), control_.size()}});
  imm_ = Immediates{};
  return true;
}

// DecodeOne() is inlined here: one call less per instruction.
bool BodyDecoder::DecodeInstructions() {
  while (!control_.empty()) {
    if (pc_ >= end_) {
      ErrorEnd();
      return false;
    }
    if (!DecodeOne()) return false;
    if (sink_ && !emitted_) Emit();
  }
  return ok_;
}

[[gnu::always_inline]] inline bool BodyDecoder::DecodeOne() {
  instr_ = pc_;
  sp_before_ = sp_;
  emitted_ = false;
  uint8_t b = *pc_++;
  // The most frequent instructions, when simple, skip the table.
  switch (b) {
    case 0x20:  // local.get with a one-byte index
      if (pc_ < end_ && *pc_ < 0x80 && *pc_ < locals_.size() && local_init_.empty()) {
        op_ = Opcode::kLocalGet;
        imm_.index = *pc_++;
        Push(locals_[imm_.index]);
        return true;
      }
      break;
    case 0x21:    // local.set
    case 0x22: {  // local.tee
      if (pc_ < end_ && *pc_ < 0x80 && *pc_ < locals_.size()) {
        ValueType t = locals_[*pc_];
        if (sp_ > control_.back().height && stack_[sp_ - 1] == t && !t.is_ref()) {
          op_ = b == 0x21 ? Opcode::kLocalSet : Opcode::kLocalTee;
          imm_.index = *pc_++;
          if (b == 0x21) --sp_;
          return true;
        }
      }
      break;
    }
    default:
      break;
  }
  const OpcodeInfo* info;
  uint32_t code = b;
  if (b >= kGcPrefix && b <= kAtomicPrefix) {
    code = ReadU32();
    if (!ok_) return false;
    info = LookupOpcode(b, code);
  } else {
    info = LookupOneByteOpcode(b);
  }
  if (info == nullptr || !(gate_mask_ >> static_cast<uint32_t>(info->gate) & 1)) [[unlikely]] {
    std::string name = Hex(b);
    if (b >= kGcPrefix && b <= kAtomicPrefix) name += " " + Hex(code);
    Error(instr_, "illegal opcode " + name);
    return false;
  }
  op_ = info->opcode;
  if (const_expr_ && !CheckConstOpcode(op_)) return false;

  switch (info->imm) {
    case ImmKind::kNone:
      if (info->sig != Sig::kSpecial) {
        // Fast path: the operands are present with exactly the (numeric or
        // vector) param types; anything else (errors, unreachable code)
        // takes the general path.
        const SigRow& row = SigRowOf(info->sig);
        uint32_t n = row.num_params;
        if (sp_ - control_.back().height >= n) [[likely]] {
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
      imm_.lane = ReadU8();
      if (!ok_) return false;
      if (imm_.lane >= (1u << info->mem)) {
        Error(at, "invalid lane index");
        return false;
      }
      return PopSig(info->sig);
    }
    case ImmKind::kShuffle: {
      const uint8_t* at = pc_;
      const uint8_t* lanes = ReadBytes(16);
      if (!lanes) return false;
      std::memcpy(imm_.value.v128, lanes, 16);
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
  Error(instr_, "illegal opcode " + Hex(b));
  return false;
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

// ---------------------------------------------------------------- entry points

Status BodyDecoder::DecodeFunction(uint32_t func_index) {
  func_index_ = func_index;
  func_type_ = &module_.func_type(func_index);
  if (!ReadLocals(*func_type_)) return error_;
  if (sink_) {
    sink_->OnFunctionStart(FunctionStart{func_index, func_type_, locals_,
                                         base_});
  }
  instr_ = pc_;
  PushControl(FrameKind::kFunction, {{}, func_type_->results});
  if (!DecodeInstructions()) return error_;
  if (pc_ != end_) {
    Error(pc_, "section size mismatch");
    return error_;
  }
  if (sink_) {
    Status s = sink_->OnFunctionEnd(OffsetOf(pc_));
    if (!s.ok()) return s;
  }
  return Ok{};
}

Result<uint32_t> BodyDecoder::DecodeConstExpr(ValueType expected, uint32_t num_globals) {
  const_expr_ = true;
  const_num_globals_ = num_globals;
  instr_ = pc_;
  PushControl(FrameKind::kFunction, {{}, OneType(expected)});
  if (!DecodeInstructions()) return error_;
  return static_cast<uint32_t>(pc_ - start_);
}

}  // namespace body

Status DecodeFunctionBody(const Module& module, uint32_t func_index,
                          std::span<const uint8_t> bytes, uint32_t body_offset, CodeSink* sink) {
  body::BodyDecoder decoder(module, bytes, body_offset, sink);
  return decoder.DecodeFunction(func_index);
}

Result<uint32_t> DecodeConstExpr(const Module& module, std::span<const uint8_t> bytes,
                                 uint32_t offset, ValueType expected, uint32_t num_globals) {
  body::BodyDecoder decoder(module, bytes, offset, nullptr);
  return decoder.DecodeConstExpr(expected, num_globals);
}

}  // namespace wasmstream::wasm
