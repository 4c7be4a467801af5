// Internals of the function-body decoder, shared by its .cc files (one per
// instruction family). Include only to implement the decoder.
//
// The validator follows the core spec's appendix "Validation Algorithm" and
// uses its names: an operand stack of value types (kBottom for the unknown
// types of unreachable code), a control stack of frames (ControlFrame from
// code_sink.h), push_ctrl / pop_ctrl, label_types, unreachable.
//
// Performance (wasm/body_dispatch.cc): no allocation per instruction (buffers
// are per thread and reused), a flat operand stack of types with the current
// frame's height cached, one jump per instruction through a 256-way switch
// whose cases are specialized at compile time from the opcode table, inline
// fast paths that only accept what is certainly valid and otherwise fall back
// to the general (spec-algorithm) code, and sink calls only with a sink.
#ifndef WASMSTREAM_WASM_FUNCTION_BODY_DECODER_IMPL_H_
#define WASMSTREAM_WASM_FUNCTION_BODY_DECODER_IMPL_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wasm/code_sink.h"
#include "wasm/leb128.h"
#include "wasm/module.h"
#include "wasm/opcodes.h"
#include "wasm/opcodes_impl.h"
#include "wasm/result.h"
#include "wasm/type_relations.h"

namespace wasmstream::wasm::body {

// Static one-value type lists, indexed by ValueKind (i32 i64 f32 f64 v128),
// for block types and OneType().
inline constexpr ValueType kSingleTypes[5] = {ValueType::I32(), ValueType::I64(),
                                              ValueType::F32(), ValueType::F64(),
                                              ValueType::V128()};

inline const SigRow& SigRowOf(Sig sig) {
  return opcode_tables::kSigRows[static_cast<size_t>(sig)];
}

// Reusable per-thread storage, so decoding a body allocates nothing once the
// buffers have grown to the largest function seen.
struct Buffers {
  std::vector<ValueType> stack;
  std::vector<ValueType> locals;
  std::vector<ControlFrame> control;
  std::vector<uint32_t> br_targets;
  std::vector<CatchClause> catches;
  std::deque<ValueType> block_types;  // stable storage for one-value block types
  std::vector<uint8_t> local_init;    // function references: is local i set?
  std::vector<uint32_t> init_log;     // locals set in the current blocks (to reset at end)
};

class BodyDecoder {
 public:
  BodyDecoder(const Module& module, std::span<const uint8_t> bytes, uint32_t offset,
              CodeSink* sink);
  ~BodyDecoder();
  BodyDecoder(const BodyDecoder&) = delete;
  BodyDecoder& operator=(const BodyDecoder&) = delete;

  Status DecodeFunction(uint32_t func_index);
  Result<uint32_t> DecodeConstExpr(ValueType expected, uint32_t num_globals);

 private:
  // ---- Errors. The first one sticks; afterwards reads return 0.
  [[gnu::noinline, gnu::cold]] void Error(const uint8_t* at, std::string message);
  [[gnu::noinline, gnu::cold]] void ErrorEnd();
  uint32_t OffsetOf(const uint8_t* p) const {
    return base_ + static_cast<uint32_t>(p - start_);
  }

  // ---- Reader.
  uint8_t ReadU8() {
    if (pc_ < end_) [[likely]] return *pc_++;
    ErrorEnd();
    return 0;
  }
  // LEB128: the one-byte case inline, the rest leb128::ReadMultiByte.
  uint32_t ReadU32() { return ReadLeb<uint32_t>(); }
  int32_t ReadS32() { return ReadLeb<int32_t>(); }
  int64_t ReadS33() { return ReadLeb<int64_t, 33>(); }
  int64_t ReadS64() { return ReadLeb<int64_t>(); }
  uint64_t ReadU64() { return ReadLeb<uint64_t>(); }
  template <typename T, int kBits = static_cast<int>(sizeof(T)) * 8>
  T ReadLeb() {
    if (pc_ < end_ && *pc_ < 0x80) [[likely]] return leb128::OneByte<T>(*pc_++);
    return ReadLebSlow<T, kBits>();
  }
  template <typename T, int kBits>
  [[gnu::noinline]] T ReadLebSlow() {
    leb128::Decoded<T> r = leb128::ReadMultiByte<T, kBits>(pc_, end_);
    if (r.ok()) [[likely]] {
      pc_ += r.length;
      return r.value;
    }
    LebError(r.error, r.length);
    return 0;
  }
  [[gnu::noinline, gnu::cold]] void LebError(leb128::Error error, uint32_t at);
  const uint8_t* ReadBytes(uint32_t n);

  // Types in the instruction stream.
  bool ReadValueType(ValueType* out);
  bool ReadHeapType(HeapType* out);
  bool ReadBlockType(BlockSig* out);
  bool CheckFeature(bool enabled, const uint8_t* at, const char* what);

  // ---- Operand stack.
  [[gnu::always_inline]] void Push(ValueType t) {
    if (sp_ == cap_) [[unlikely]] Grow();
    stack_[sp_++] = t;
  }
  [[gnu::always_inline]] void PushTypes(std::span<const ValueType> types) {
    while (cap_ - sp_ < types.size()) [[unlikely]] Grow();
    for (const ValueType& t : types) stack_[sp_++] = t;
  }
  [[gnu::noinline]] void Grow();
  bool Matches(ValueType actual, ValueType expected) const {
    if (actual.kind == expected.kind && actual.kind != ValueKind::kRef) return true;
    return IsSubtype(module_, actual, expected);
  }
  // pop_val(expected); returns false (with the error recorded) on mismatch.
  bool Pop(ValueType expected) {
    if (sp_ > height_ && Matches(stack_[sp_ - 1], expected)) [[likely]] {
      --sp_;
      return true;
    }
    return PopTypes({&expected, 1});
  }
  // pop_val(): any type. kBottom in unreachable code when the stack is empty.
  bool PopAny(ValueType* out);
  // pop_ref(): a reference (or kBottom).
  bool PopRef(ValueType* out);
  // pop_vals(types): the last type is on top.
  bool PopTypes(std::span<const ValueType> expected);
  // Checks that the top of the stack matches {expected} without popping.
  bool PeekTypes(std::span<const ValueType> expected);
  [[gnu::noinline, gnu::cold]] void TypeMismatch(const char* who,
                                                 std::span<const ValueType> expected,
                                                 uint32_t have);
  bool PopSig(Sig sig);
  bool PopAddress(bool is64) { return Pop(is64 ? ValueType::I64() : ValueType::I32()); }

  // ---- Control stack.
  [[gnu::always_inline]] void PushControl(FrameKind kind, BlockSig sig) {
    ControlFrame& f = control_.emplace_back();
    f.kind = kind;
    f.sig = sig;
    f.height = height_ = sp_;
    f.offset = OffsetOf(instr_);
    f.init_height = static_cast<uint32_t>(init_log_.size());
    PushTypes(sig.params);
  }
  bool CheckFrameEnd(const ControlFrame& frame);  // pop_vals(end types) + height check
  void SetUnreachable() {
    sp_ = height_;
    control_.back().unreachable = true;
  }
  bool CheckLabel(uint32_t depth, const uint8_t* at) {
    if (depth < control_.size()) [[likely]] return true;
    return UnknownLabel(at);
  }
  [[gnu::noinline, gnu::cold]] bool UnknownLabel(const uint8_t* at);
  // After CheckFrameEnd: the steps shared by every instruction that closes a
  // frame's current branch. {ReopenFrame} is for else/catch/catch_all (the frame
  // stays, with a new branch); {CloseFrame} for end/delegate (the frame goes).
  void ReopenFrame(const ControlFrame& frame);
  [[gnu::always_inline]] void CloseFrame(const ControlFrame& frame) {
    PushTypes(frame.sig.results);
    ForgetLocalInits(frame.init_height);
    if (sink_) {
      Emit();
      emitted_ = true;
    }
    control_.pop_back();
    height_ = control_.empty() ? 0 : control_.back().height;
  }
  void ForgetLocalInits(uint32_t height) {
    while (init_log_.size() > height) {
      local_init_[init_log_.back()] = 0;
      init_log_.pop_back();
    }
  }
  std::span<const ValueType> LabelTypes(uint32_t depth) const {
    return control_[control_.size() - 1 - depth].label_types();
  }

  // ---- Locals (function references: initialization of non-defaultable ones).
  bool ReadLocals(const FuncType& type);
  void MarkLocalSet(uint32_t index) {
    if (!local_init_.empty() && !local_init_[index]) {
      local_init_[index] = 1;
      init_log_.push_back(index);
    }
  }

  // ---- The walk (wasm/body_dispatch.cc).
  bool DecodeInstructions();
  // Any instruction, {b} (its first byte) already read: looks up the opcode
  // table and checks the gate, the const-expression rule and the immediates.
  bool DecodeGeneric(uint8_t b);
  // The instructions with their own case, {code} the opcode after a prefix.
  bool DecodeSpecial(uint8_t b, uint32_t code);
  [[gnu::noinline, gnu::cold]] bool IllegalOpcode(uint8_t b, uint32_t code);
  // The specialized case for one-byte opcode {B} (function bodies only).
  template <bool kSink>
  bool DecodeLoop();  // function bodies: the 256-way switch
  template <uint8_t B>
  bool DecodeOp();
  template <uint8_t B>
  bool DecodeHot();
  template <Sig S>
  bool DecodeNumeric();
  template <uint8_t B>
  bool DecodeMemoryFast();
  bool ReadBlockTypeFast(BlockSig* out);
  bool DecodeControl(uint8_t opcode);
  bool DecodeEnd();
  bool DecodeElse();
  bool DecodeBrTable();
  bool DecodeCall(Opcode op);
  bool DecodeVariable(uint8_t opcode);
  bool DecodeSelect(bool typed);
  bool DecodeConst(uint8_t opcode);
  bool DecodeMemoryAccess(const OpcodeInfo& info);
  bool DecodeMemoryOther(Opcode op);
  bool DecodeTableOp(Opcode op);
  bool DecodeMisc(uint32_t code);       // 0xFC
  bool DecodeSimd(uint32_t code);       // 0xFD
  bool DecodeAtomic(uint32_t code);     // 0xFE
  bool DecodeReference(uint8_t opcode); // ref.null ... br_on_non_null
  bool DecodeGc(uint32_t code);         // 0xFB
  bool DecodeException(uint8_t opcode);
  bool DecodeTryTable();
  bool ReadMemArg(uint8_t natural_log2, bool atomic, MemArg* out);
  bool CheckMemory(uint32_t index, const uint8_t* at);
  bool CheckTable(uint32_t index, const uint8_t* at);
  bool CheckDataSegment(uint32_t index, const uint8_t* at);
  bool CheckElemSegment(uint32_t index, const uint8_t* at);
  bool CheckType(uint32_t index, const uint8_t* at, const TypeDef** out);
  bool CheckFuncType(uint32_t index, const uint8_t* at, const FuncType** out);
  bool CheckStructType(uint32_t index, const uint8_t* at, const TypeDef** out);
  bool CheckArrayType(uint32_t index, const uint8_t* at, const TypeDef** out);
  bool CheckConstOpcode(Opcode op);
  bool ReturnTypesMatch(const FuncType& callee);
  bool IsMemory64(uint32_t index) const { return module_.memories[index].limits.is64; }
  bool IsTable64(uint32_t index) const { return module_.tables[index].limits.is64; }
  bool Unreachable() { SetUnreachable(); return true; }
  std::span<const ValueType> OneType(ValueType t);
  bool Emit();  // hands the current instruction to the sink
  void EmitInline();

  const Module& module_;
  const Features& features_;
  CodeSink* sink_;
  const uint8_t* start_;
  const uint8_t* pc_;
  const uint8_t* end_;
  uint32_t base_;

  bool ok_ = true;
  CompileError error_;
  uint32_t gate_mask_;  // GateMask(features): a bit per open Gate

  std::unique_ptr<Buffers> own_buffers_;  // only when nested (see AcquireBuffers)
  Buffers& buffers_;
  ValueType* stack_ = nullptr;
  uint32_t sp_ = 0;
  uint32_t cap_ = 0;
  uint32_t height_ = 0;  // control_.back().height (0 when empty)
  std::vector<ControlFrame>& control_;
  std::vector<ValueType>& locals_;
  std::vector<uint8_t>& local_init_;
  std::vector<uint32_t>& init_log_;

  // Read-only copies for the hot paths (set by ReadLocals / the constructor).
  const ValueType* local_types_ = nullptr;
  uint32_t num_locals_ = 0;
  bool track_inits_ = false;        // !local_init_.empty()
  bool has_memory0_ = false;        // memory 0 exists
  bool memory64_ = false;           // Feature::kMemory64 (memarg offsets are u64)
  ValueKind memory0_address_ = ValueKind::kI32;

  const FuncType* func_type_ = nullptr;
  uint32_t func_index_ = 0;
  bool const_expr_ = false;
  uint32_t const_num_globals_ = 0;

  // The instruction being decoded (for errors and the sink).
  const uint8_t* instr_ = nullptr;
  Opcode op_ = Opcode::kNop;
  uint32_t sp_before_ = 0;
  bool emitted_ = false;  // `end`/`else` emit themselves before changing frames
  // The instruction as the sink gets it: the immediates are decoded into
  // cur_.imm in place, so Emit() copies nothing; it fills in the rest.
  Instruction cur_;
  ValueType operand_type_;
};

}  // namespace wasmstream::wasm::body

#endif  // WASMSTREAM_WASM_FUNCTION_BODY_DECODER_IMPL_H_
