// The seam through which the one function-body walk (wasm/function_body_decoder.h)
// also compiles: the decoder validates each instruction and then hands it,
// with its decoded immediates and the validator's view of the operand and
// control stacks, to a CodeSink (the interpreter compiler in wasm/runtime/).
//
// Call order for one function, all on the calling (worker) thread:
//   OnFunctionStart(start)          once, after the local declarations
//   OnInstruction(instr, state)     once per instruction, in byte order,
//                                   including the final `end`
//   OnFunctionEnd(end_offset)       once, after the final `end` validated
// Nothing is called after a validation error; the sink is simply dropped.
// Every pointer/span passed in is valid only during the call.
#ifndef WASMSTREAM_WASM_CODE_SINK_H_
#define WASMSTREAM_WASM_CODE_SINK_H_

#include <cstdint>
#include <span>

#include "wasm/opcodes.h"
#include "wasm/result.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

// Memory access immediate. {align_log2} is the alignment hint (log2 bytes).
struct MemArg {
  uint32_t align_log2 = 0;
  uint32_t memory = 0;   // multi-memory: memory index (0 without the flag)
  uint64_t offset = 0;   // 64-bit for memory64; < 2^32 for 32-bit memories
};

// A block's type: [params] -> [results] (from an empty, value or index block type).
struct BlockSig {
  std::span<const ValueType> params;
  std::span<const ValueType> results;
};

// One handler of try_table.
enum class CatchKind : uint8_t { kCatch = 0, kCatchRef = 1, kCatchAll = 2, kCatchAllRef = 3 };
struct CatchClause {
  CatchKind kind = CatchKind::kCatch;
  uint32_t tag = 0;    // kCatch, kCatchRef
  uint32_t label = 0;  // branch depth, relative to the try_table's enclosing block
};

// The decoded immediates of one instruction. Which fields are meaningful is
// given by the opcode's ImmKind (wasm/opcodes.h); the others are zero/empty.
struct Immediates {
  // The first index immediate: local, global, function, table, memory, type,
  // tag, label depth, data or elem segment (by ImmKind).
  uint32_t index = 0;
  // The second index: call_indirect's table, table.copy's source, table.init's
  // table (index = elem), memory.init's memory (index = data), memory.copy's
  // source memory, struct.get's field, array.copy's source type,
  // array.new_data's data segment, array.new_fixed's length, br_on_cast's label.
  uint32_t index2 = 0;
  MemArg mem;
  uint8_t lane = 0;  // SIMD lane (extract/replace, load/store lane)
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    uint8_t v128[16];  // v128.const bytes, or i8x16.shuffle lane indices
  } value = {.v128 = {}};
  BlockSig block;                        // block, loop, if, try, try_table
  std::span<const uint32_t> br_table;    // br_table: the targets, then the default (last)
  std::span<const CatchClause> catches;  // try_table
  // select t: the result type; ref.null: (ref null heap); ref.test/ref.cast:
  // the target type; br_on_cast(_fail): the target type (source in {type2}).
  ValueType type;
  ValueType type2;
};

// One entry of the control stack, as in the spec appendix's ctl_frame.
enum class FrameKind : uint8_t {
  kFunction, kBlock, kLoop, kIf, kElse, kTry, kCatch, kCatchAll, kTryTable
};

struct ControlFrame {
  FrameKind kind = FrameKind::kBlock;
  BlockSig sig;              // start_types = sig.params, end_types = sig.results
  uint32_t height = 0;       // operand stack height at entry (params not included)
  bool unreachable = false;  // an unconditional branch/unreachable/throw was seen
  uint32_t offset = 0;       // module offset of the opcode that opened the frame
  uint32_t init_height = 0;  // function references: local-initialization depth at entry

  // The types a branch to this frame carries: a loop's params, else its results.
  std::span<const ValueType> label_types() const {
    return kind == FrameKind::kLoop ? sig.params : sig.results;
  }
};

// The validator's state as seen by a sink, after the instruction is validated.
struct ValidatorState {
  // Operand stack types, bottom first (above the locals). In unreachable code
  // the stack may hold fewer values than an instruction popped (it is
  // polymorphic); kBottom marks a value of unknown type.
  std::span<const ValueType> operands;
  // Control stack, outermost (the function) first. For `else` and `end`, the
  // frame being closed is still the last one; `end`'s frame has been checked
  // and the operand stack holds exactly its results above its height.
  std::span<const ControlFrame> control;

  // The frame a branch with relative {depth} targets (depth < control.size()).
  const ControlFrame& label(uint32_t depth) const { return control[control.size() - 1 - depth]; }
  bool unreachable() const { return control.back().unreachable; }
};

struct Instruction {
  Opcode opcode;
  uint32_t offset = 0;  // module offset of the opcode's first byte (a prefix byte)
  Immediates imm;
  // Operand stack height (in values) before and after the instruction. In
  // unreachable code the "before" height counts only values actually present.
  uint32_t stack_before = 0;
  uint32_t stack_after = 0;
  // For drop and untyped select: the type of the value operand (kBottom when
  // unknown in unreachable code). For other opcodes, unspecified.
  ValueType operand_type;
};

struct FunctionStart {
  uint32_t func_index = 0;
  const FuncType* type = nullptr;
  // All locals: the parameters first, then the declared locals.
  std::span<const ValueType> locals;
  uint32_t body_offset = 0;  // module offset of the body (its local declarations)
};

class CodeSink {
 public:
  virtual ~CodeSink() = default;

  virtual void OnFunctionStart(const FunctionStart& start) = 0;
  // Called for every validated instruction, including those in unreachable
  // code (state.unreachable()): a sink may skip emitting them but sees the
  // block structure.
  virtual void OnInstruction(const Instruction& instr, const ValidatorState& state) = 0;
  // After the final `end`. An error returned here (e.g. the compiled code is
  // too big) becomes the function's CompileError at {end_offset}.
  virtual Status OnFunctionEnd(uint32_t end_offset) = 0;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_CODE_SINK_H_
