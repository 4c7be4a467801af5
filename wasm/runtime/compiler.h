// The interpreter compiler: a CodeSink (wasm/code_sink.h) that turns each
// validated instruction into slot-addressed interpreter code (code.h) during
// the one validation walk. See interpreter.h for the design.
//
// One Compiler compiles one function at a time; it may be reused for the
// next function after Take(). Not thread-safe: use one per worker.
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

class Compiler final : public CodeSink {
 public:
  explicit Compiler(const Module& module) : module_(module) {}

  void OnFunctionStart(const FunctionStart& start) override;
  void OnInstruction(const Instruction& instr, const ValidatorState& state) override;
  Status OnFunctionEnd(uint32_t end_offset) override;

  // The code of the function just finished (after OnFunctionEnd returned ok).
  std::unique_ptr<FunctionCode> Take() { return std::move(out_); }

 private:
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
  };

  void OnLegacyCatch(const Instruction& in);
  void OnDelegate(uint32_t label);
  void FinishLegacyTry(Ctrl& f);

  // Emission.
  void Op(IOp op);
  void Word(uint32_t w) { code_.push_back(w); }
  void Slot(uint32_t s);
  uint32_t pc() const { return static_cast<uint32_t>(code_.size()); }
  void Bind(uint32_t at_word) { code_[at_word] = pc(); }
  void LabelHere() { last_dst_pos_ = UINT32_MAX; }

  // The compile-time operand stack.
  uint32_t NextHome() const;
  uint32_t Push(uint8_t width);
  void PushLazy(uint32_t src, uint8_t width);
  Entry Pop();
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

  const Module& module_;
  std::unique_ptr<FunctionCode> out_;
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
  std::vector<Ctrl> ctrl_;
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
