// The interpreter compiler: a CodeSink (wasm/code_sink.h) that turns each
// validated instruction into slot-addressed interpreter code (code.h) during
// the one validation walk. See interpreter.h for the design.
//
// One Compiler compiles one function at a time; it may be reused for the
// next function after Take(), also of another module (set_module): its
// buffers keep their capacity, so a reused Compiler allocates little more
// than the code it hands out. Not thread-safe: use one per worker.
#ifndef WASMSTREAM_WASM_RUNTIME_COMPILER_H_
#define WASMSTREAM_WASM_RUNTIME_COMPILER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "wasm/code_sink.h"
#include "wasm/module.h"
#include "wasm/runtime/code.h"
#include "wasm/runtime/const_index.h"

namespace wasmstream::wasm {

class Compiler : public CodeSink {
 public:
  explicit Compiler(const Module& module) : module_(&module) {}
  // The module of the next function (before OnFunctionStart).
  void set_module(const Module& module) { module_ = &module; }

  void OnFunctionStart(const FunctionStart& start) final;
  void OnInstruction(const Instruction& instr, const ValidatorState& state) final;
  // A subclass may add what happens to the code (sink_factory.cc hands it on).
  Status OnFunctionEnd(uint32_t end_offset) override;

  // The code of the function just finished (after OnFunctionEnd returned ok).
  std::unique_ptr<FunctionCode> Take() {
    return std::make_unique<FunctionCode>(std::move(out_));
  }
  // The same in one allocation with its shared_ptr control block, as a
  // Module keeps it.
  std::shared_ptr<const FunctionCode> TakeShared() {
    return std::make_shared<const FunctionCode>(std::move(out_));
  }

 private:
  // Slot operands are emitted before the frame layout is known (constants and
  // temporaries are counted as the body goes), so they carry a tag that
  // OnFunctionEnd() replaces with the final slot index.
  static constexpr uint32_t kTempTag = 0x8000'0000;
  static constexpr uint32_t kConstTag = 0x4000'0000;
  static constexpr uint32_t kTagMask = kTempTag | kConstTag;

  struct Entry {
    uint32_t src;   // where the value is now: a local slot, a const or its home
    uint32_t home;  // the temporary slot of its stack position
    uint8_t width;  // slots (2 for v128)
  };
  struct Ctrl {
    FrameKind kind = FrameKind::kBlock;
    bool dead = false;     // opened in unreachable code: nothing is emitted for it
    uint32_t height = 0;   // entries below the block's params
    uint32_t base_home = 0;
    std::vector<uint8_t> param_widths;
    std::vector<uint8_t> result_widths;
    std::vector<uint32_t> fixups;           // code words to patch with the end
    std::vector<uint32_t> handler_fixups;   // handlers landing at the end
    uint32_t loop_pc = 0;
    uint32_t else_fixup = UINT32_MAX;
    uint32_t try_region = UINT32_MAX;
    std::vector<Entry> saved_params;  // if: restored at else
    // Legacy try: in a catch body (the exnref sits at base_home, below the
    // payload), the height of the try's own results, its pending handlers.
    bool in_catch = false;
    uint32_t try_height = 0;
    std::vector<CatchHandler> legacy_handlers;
    const std::vector<uint8_t>& label_widths() const {
      return kind == FrameKind::kLoop ? param_widths : result_widths;
    }
    // As a new frame of {kind}, keeping the vectors' capacity.
    void Reset(FrameKind k);
  };
  // The control stack. Popped frames stay allocated and are reused by the
  // next push, so a block costs no allocation once a function of the same
  // depth was compiled.
  class CtrlStack {
   public:
    Ctrl& Push(FrameKind kind) {
      if (size_ == frames_.size()) frames_.emplace_back();
      Ctrl& c = frames_[size_++];
      c.Reset(kind);
      return c;
    }
    void pop_back() { --size_; }
    void clear() { size_ = 0; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Ctrl& back() { return frames_[size_ - 1]; }
    Ctrl& operator[](size_t i) { return frames_[i]; }
    const Ctrl& operator[](size_t i) const { return frames_[i]; }

   private:
    std::vector<Ctrl> frames_;
    size_t size_ = 0;
  };

  void OnLegacyCatch(const Instruction& in);
  void OnDelegate(uint32_t label);
  void FinishLegacyTry(Ctrl& f);

  // Emission.
  [[gnu::always_inline]] void Op(IOp op) {
    last_dst_pos_ = UINT32_MAX;
    code_.push_back(static_cast<uint32_t>(op));
  }
  void Word(uint32_t w) { code_.push_back(w); }
  [[gnu::always_inline]] void Slot(uint32_t s) {
    if (s & kTagMask) slot_fixups_.push_back(pc());
    code_.push_back(s);
  }
  uint32_t pc() const { return static_cast<uint32_t>(code_.size()); }
  void Bind(uint32_t at_word) { code_[at_word] = pc(); }
  void LabelHere() { last_dst_pos_ = UINT32_MAX; }

  // The compile-time operand stack.
  uint32_t NextHome() const {
    if (stack_.empty()) return kTempTag;
    return stack_.back().home + stack_.back().width;
  }
  [[gnu::always_inline]] uint32_t Push(uint8_t width) {
    uint32_t home = NextHome();
    stack_.push_back({home, home, width});
    uint32_t end = (home & ~kTempTag) + width;
    if (end > max_temp_) max_temp_ = end;
    return home;
  }
  void PushLazy(uint32_t src, uint8_t width) {
    Push(width);
    stack_.back().src = src;
  }
  [[gnu::always_inline]] Entry Pop() {
    Entry e = stack_.back();
    stack_.pop_back();
    return e;
  }
  void Materialize(Entry& e);
  void MaterializeAll();
  void MaterializeTop(uint32_t n);
  uint32_t Const(uint64_t lo, uint64_t hi, uint8_t width);

  // Control.
  void PushCtrl(FrameKind kind, const BlockSig& sig);
  void EmitBranchTo(Ctrl& target);  // copies + jump, unconditional
  bool NeedsCopies(const Ctrl& target) const;
  void EmitCopiesTo(const Ctrl& target);
  void EmitReturn();
  void OnEnd();
  void OnElse();
  void MakeUnreachable() { reachable_ = false; }

  void EmitCall(IOp op, const FuncType& type, uint32_t word1, uint32_t word2, bool has_word2,
                bool has_ref);
  void EmitReturnCall(IOp op, const FuncType& type, uint32_t word1, uint32_t word2,
                      bool has_word2, bool has_ref);
  void EmitUnary(IOp op, uint8_t width);
  void EmitBinary(IOp op, uint8_t width);
  void EmitSimd(const Instruction& in, uint32_t nparams, uint8_t result_width, uint32_t imm);
  void EmitMemory(const Instruction& in, const ValidatorState& st);
  void EmitMisc(const Instruction& in, const ValidatorState& st);
  // GC instructions (compiler_gc.cc); false for other opcodes.
  bool EmitGc(const Instruction& in);
  void EmitLocalSet(uint32_t local, bool tee);
  uint8_t TopResultWidth(const ValidatorState& st) const;
  bool IsMemory64(uint32_t memory) const;
  // Emits a conditional branch on {cond} (taken when true, or when false if
  // {negate}) to a target word filled by the caller; fuses an i32 compare that
  // produced {cond} just before. Returns the position of the target word.
  uint32_t EmitCondBranch(const Entry& cond, bool negate);

  const Module* module_;
  FunctionCode out_;  // the code's header, then its code (OnFunctionEnd)
  std::vector<uint32_t> code_;
  std::vector<uint32_t> slot_fixups_;  // words holding tagged slots
  std::vector<uint64_t> consts_;
  ConstIndex const_index_;  // 1-slot constants -> index in consts_
  std::vector<uint32_t> local_slot_;
  std::vector<uint8_t> local_width_;
  std::vector<uint8_t> result_widths_;
  uint32_t result_slots_ = 0;
  uint32_t num_local_slots_ = 0;
  uint32_t max_temp_ = 0;
  std::vector<Entry> stack_;
  std::vector<Entry> return_scratch_;  // EmitReturn's copy of the results
  CtrlStack ctrl_;
  std::vector<TryRegion> regions_;
  std::vector<CatchHandler> handlers_;
  std::vector<uint32_t> return_handler_fixups_;  // handlers whose label is the function
  bool reachable_ = true;
  uint32_t last_dst_pos_ = UINT32_MAX;
  uint32_t last_op_pos_ = UINT32_MAX;  // the opcode word of that instruction
  uint32_t func_index_ = 0;
  bool too_big_ = false;
};

// Compiles one function of {module} from its wire bytes, validating it again
// on the way (so a module from anywhere gives safe code or an error). How a
// module that was only validated gets its code: lazily, on the first call of
// each function (Instance::CompileLazily).
Result<std::unique_ptr<FunctionCode>> CompileFunction(const Module& module, uint32_t func_index);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_COMPILER_H_
