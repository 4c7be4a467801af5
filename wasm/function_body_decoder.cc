// The function-body decoder: entry points, the byte reader, the operand and
// control stacks. The dispatch loop is in body_dispatch.cc; instruction
// families live in body_*.cc (control, variables, memory, SIMD,
// references/GC, exceptions).
#include "wasm/function_body_decoder.h"

#include <memory>

#include "wasm/decoder.h"
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
  memory64_ = module.features.has(Feature::kMemory64);
  if (!module.memories.empty()) {
    has_memory0_ = true;
    memory0_address_ = module.memories[0].limits.is64 ? ValueKind::kI64 : ValueKind::kI32;
  }
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

int32_t BodyDecoder::ReadS32Slow() {
  // As ReadU32Slow: 2 to 4 bytes are always well formed; then sign-extend
  // from the last byte's bit 6.
  if (end_ - pc_ >= 5) {
    uint32_t result = 0;
    for (int i = 0; i < 4; ++i) {
      uint8_t b = pc_[i];
      result |= static_cast<uint32_t>(b & 0x7F) << (7 * i);
      if (!(b & 0x80)) {
        pc_ += i + 1;
        int unused = 32 - 7 * (i + 1);
        return static_cast<int32_t>(result << unused) >> unused;
      }
    }
  }
  return static_cast<int32_t>(ReadLeb(32, true));
}

int64_t BodyDecoder::ReadS64Slow() {
  // Up to 9 bytes (63 bits) are always well formed; the 10th takes ReadLeb.
  if (end_ - pc_ >= 10) {
    uint64_t result = 0;
    for (int i = 0; i < 9; ++i) {
      uint8_t b = pc_[i];
      result |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
      if (!(b & 0x80)) {
        pc_ += i + 1;
        int unused = 64 - 7 * (i + 1);
        return static_cast<int64_t>(result << unused) >> unused;
      }
    }
  }
  return static_cast<int64_t>(ReadLeb(64, true));
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
  if (t.kind <= ValueKind::kV128) return {&kSingleTypes[static_cast<size_t>(t.kind)], 1};
  buffers_.block_types.push_back(t);
  return {&buffers_.block_types.back(), 1};
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
  uint32_t n = static_cast<uint32_t>(expected.size());
  uint32_t avail = sp_ - height_;
  if (avail >= n) {  // fast path: every operand present with exactly the type
    bool exact = true;
    for (uint32_t i = 0; exact && i < n; ++i) exact = stack_[sp_ - n + i] == expected[i];
    if (exact) [[likely]] {
      sp_ -= n;
      return true;
    }
  }
  uint32_t check = avail < n ? avail : n;  // values present to compare
  bool match = avail >= n || control_.back().unreachable;
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
  if (sp_ > height_) {
    *out = stack_[--sp_];
    return true;
  }
  if (control_.back().unreachable) {
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

bool BodyDecoder::UnknownLabel(const uint8_t* at) {
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
  local_types_ = locals_.data();
  num_locals_ = static_cast<uint32_t>(locals_.size());
  track_inits_ = !local_init_.empty();
  return true;
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
                                 uint32_t offset, ValueType expected, uint32_t num_globals,
                                 CodeSink* sink) {
  // The common shapes, `i32.const n end` and `i64.const n end` where that
  // type is expected: a whole BodyDecoder for each costs more than the rest
  // of a data segment (esbuild.wasm has 98,450 of them, and a cache load
  // checks every one again). Anything else, malformed ones included, goes
  // through the decoder below, which reports the error.
  if (!sink && bytes.size() >= 3) {
    const bool i32 = bytes[0] == 0x41 && expected.kind == ValueKind::kI32;
    const bool i64 = bytes[0] == 0x42 && expected.kind == ValueKind::kI64;
    if (i32 || i64) {
      Decoder d(bytes.subspan(1), offset + 1);
      if (i32) {
        d.s32v();
      } else {
        d.s64v();
      }
      if (d.ok() && !d.at_end() && *d.pc() == 0x0b) {
        return static_cast<uint32_t>(d.pc() + 1 - bytes.data());
      }
    }
  }
  body::BodyDecoder decoder(module, bytes, offset, sink);
  return decoder.DecodeConstExpr(expected, num_globals);
}

}  // namespace wasmstream::wasm
