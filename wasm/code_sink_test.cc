// The CodeSink seam: what a compiler sees of each validated instruction.
#include "wasm/code_sink.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasm/body_test_util.h"
#include "wasm/function_body_decoder.h"

namespace wasmstream::wasm::testing {
namespace {

// Records one line per event: "name before->after depth[u]".
class RecordingSink : public CodeSink {
 public:
  void OnFunctionStart(const FunctionStart& start) override {
    log.push_back("start f" + std::to_string(start.func_index) + " locals " +
                  std::to_string(start.locals.size()));
  }
  void OnInstruction(const Instruction& in, const ValidatorState& state) override {
    std::string line = std::string(NameOf(in.opcode)) + " " + std::to_string(in.stack_before) +
                       "->" + std::to_string(in.stack_after) + " depth " +
                       std::to_string(state.control.size()) + (state.unreachable() ? " u" : "");
    if (in.opcode == Opcode::kBrTable) {
      line += " targets";
      for (uint32_t t : in.imm.br_table) line += " " + std::to_string(t);
    }
    if (in.opcode == Opcode::kI32Const) line += " value " + std::to_string(in.imm.value.i32);
    if (in.opcode == Opcode::kI32Load) {
      line += " align " + std::to_string(in.imm.mem.align_log2) + " offset " +
              std::to_string(in.imm.mem.offset);
    }
    if (in.opcode == Opcode::kBr) {
      const ControlFrame& target = state.label(in.imm.index);
      line += " target height " + std::to_string(target.height) + " arity " +
              std::to_string(target.label_types().size());
    }
    if (in.opcode == Opcode::kDrop) line += " type " + ToString(in.operand_type);
    log.push_back(line);
  }
  Status OnFunctionEnd(uint32_t end_offset) override {
    log.push_back("end @" + std::to_string(end_offset));
    return Ok{};
  }
  std::vector<std::string> log;
};

class CodeSinkTest : public BodyTest {};

TEST_F(CodeSinkTest, SeesEveryInstructionWithStackHeights) {
  AddMemory();
  uint32_t i_i = AddType({ValueType::I32()}, {ValueType::I32()});
  RecordingSink sink;
  Bytes body = {0x01, 0x01, 0x7E,        // 1 x i64
                0x02, 0x7F,              // block (result i32)
                0x41, 0x2A,              //   i32.const 42
                0x20, 0x00,              //   local.get 0
                0x0E, 0x01, 0x00, 0x00,  //   br_table [0] default 0
                0x0B,                    // end
                0x28, 0x02, 0x08,        // i32.load align=4 offset=8
                0x0B};                   // end
  Status s = Validate(body, i_i, &sink);
  ASSERT_TRUE(s.ok()) << s.error().Format();
  std::vector<std::string> want = {
      "start f0 locals 2",
      "block 0->0 depth 2",
      "i32.const 0->1 depth 2 value 42",
      "local.get 1->2 depth 2",
      "br_table 2->0 depth 2 u targets 0 0",
      "end 0->1 depth 2 u",
      "i32.load 1->1 depth 1 align 2 offset 8",
      "end 1->1 depth 1",
      "end @" + std::to_string(kBodyOffset + body.size()),
  };
  EXPECT_EQ(sink.log, want);
}

TEST_F(CodeSinkTest, BranchTargetFrame) {
  uint32_t v_v = AddType({}, {});
  RecordingSink sink;
  Bytes body = {0x00,                    // no locals
                0x41, 0x01,              // i32.const 1
                0x02, 0x40,              // block
                0x0C, 0x00,              //   br 0
                0x0B,                    // end
                0x1A,                    // drop
                0x0B};                   // end
  ASSERT_TRUE(Validate(body, v_v, &sink).ok());
  EXPECT_EQ(sink.log[3], "br 1->1 depth 2 u target height 1 arity 0");
  EXPECT_EQ(sink.log[5], "drop 1->0 depth 1 type i32");
}

TEST_F(CodeSinkTest, NothingAfterAnError) {
  uint32_t v_v = AddType({}, {});
  RecordingSink sink;
  Bytes body = {0x00,          // no locals
                0x01,          // nop
                0x6A,          // i32.add: invalid
                0x01,          // nop
                0x0B};         // end
  ASSERT_FALSE(Validate(body, v_v, &sink).ok());
  EXPECT_EQ(sink.log, (std::vector<std::string>{"start f0 locals 0", "nop 0->0 depth 1"}));
}

// A sink that decodes while being called (as a compiler evaluating a constant
// expression might) must not disturb the walk that calls it.
class NestingSink : public RecordingSink {
 public:
  explicit NestingSink(const Module& m) : module_(m) {}
  void OnInstruction(const Instruction& in, const ValidatorState& state) override {
    Bytes expr = {0x41, 0x07, 0x0B};  // i32.const 7, end
    nested_ok = nested_ok && DecodeConstExpr(module_, expr, 0, ValueType::I32(), 0).ok();
    RecordingSink::OnInstruction(in, state);
  }
  const Module& module_;
  bool nested_ok = true;
};

TEST_F(CodeSinkTest, NestedDecodingKeepsTheOuterWalk) {
  uint32_t i_v = AddType({}, {ValueType::I32()});
  NestingSink sink(module_);
  Bytes body = {0x00,                  // no locals
                0x02, 0x7F,            // block (result i32)
                0x41, 0x01,            //   i32.const 1
                0x0B,                  // end
                0x0B};                 // end
  Status s = Validate(body, i_v, &sink);
  ASSERT_TRUE(s.ok()) << s.error().Format();
  EXPECT_TRUE(sink.nested_ok);
  EXPECT_EQ(sink.log.size(), 6u);  // start, block, i32.const, end, end, function end
}

}  // namespace
}  // namespace wasmstream::wasm::testing
