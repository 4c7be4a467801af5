// Robustness: random and mutated bodies must give a result (valid or an error
// inside the body), never a crash, a hang or an out-of-bounds read (run under
// --config=asan). Deterministic: a fixed seed.
#include <gtest/gtest.h>

#include <random>

#include "wasm/body_test_util.h"
#include "wasm/code_sink.h"
#include "wasm/function_body_decoder.h"

namespace wasmstream::wasm::testing {
namespace {

// Touches everything a compiler would read, to catch dangling spans.
class TouchingSink : public CodeSink {
 public:
  void OnFunctionStart(const FunctionStart& start) override { sum += start.locals.size(); }
  void OnInstruction(const Instruction& in, const ValidatorState& state) override {
    sum += static_cast<uint32_t>(in.opcode) + in.stack_after + state.operands.size();
    for (const ControlFrame& f : state.control) sum += f.height + f.label_types().size();
    for (uint32_t t : in.imm.br_table) sum += t;
    for (const CatchClause& c : in.imm.catches) sum += c.label;
    sum += in.imm.block.params.size() + in.imm.block.results.size();
  }
  Status OnFunctionEnd(uint32_t) override { return Ok{}; }
  uint64_t sum = 0;
};

class BodyStressTest : public BodyTest {
 protected:
  BodyStressTest() {
    module_.features = Features::All();
    AddType({}, {});
    AddType({ValueType::I32()}, {ValueType::I32()});
    AddStruct({FieldType{ValueType::I32(), Packed::kI8, true}});
    AddArray(FieldType{ValueType::I64(), Packed::kNone, true});
    AddFunction(1, true);
    AddMemory();
    AddMemory(/*is64=*/true);
    AddTable();
    AddGlobal(ValueType::I32(), true);
    AddElem();
    AddTag(0);
    module_.data_count = 1;
  }
};

TEST_F(BodyStressTest, RandomBytesNeverCrash) {
  std::mt19937 rng(12345);
  // Seeds: valid bodies; each round mutates one and truncates or extends it.
  std::vector<Bytes> seeds = {
      {0x00, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, 0x1A, 0x0B},
      {0x01, 0x01, 0x7F, 0x02, 0x40, 0x20, 0x00, 0x0E, 0x01, 0x00, 0x00, 0x0B, 0x0B},
      {0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0xFD, 0x0F, 0xFD, 0x15, 0x00, 0x1A, 0x0B},
      {0x00, 0x1F, 0x40, 0x01, 0x02, 0x00, 0x0B, 0xFB, 0x01, 0x02, 0x1A, 0x0B},
      {0x00, 0x06, 0x40, 0x07, 0x00, 0x19, 0x0B, 0xD2, 0x00, 0xD4, 0x1A, 0x0B},
  };
  int valid = 0, invalid = 0;
  TouchingSink sink;
  for (int round = 0; round < 20000; ++round) {
    Bytes body = seeds[round % seeds.size()];
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits; ++e) {
      switch (rng() % 3) {
        case 0: body[rng() % body.size()] = static_cast<uint8_t>(rng()); break;
        case 1: body.insert(body.begin() + rng() % body.size(), static_cast<uint8_t>(rng())); break;
        case 2: if (body.size() > 1) body.erase(body.begin() + rng() % body.size()); break;
      }
    }
    Status s = Validate(body, 0, round % 2 ? &sink : nullptr);
    if (s.ok()) {
      ++valid;
    } else {
      ++invalid;
      EXPECT_GE(s.error().offset, kBodyOffset);
      EXPECT_LE(s.error().offset, kBodyOffset + body.size());
      EXPECT_FALSE(s.error().message.empty());
    }
  }
  EXPECT_GT(invalid, 0);
  EXPECT_GT(valid, 0);  // some mutations stay valid: the test reaches deep code
}

}  // namespace
}  // namespace wasmstream::wasm::testing
