// The typed code verifier: compiled code edited the way a crafted cache entry
// would edit it (an integer slot used as a function, a struct read as
// another struct type, a branch out of the function, a slot past the frame)
// is refused, and the module loaded from that entry still runs right: the
// refused function is compiled from its wire bytes instead. One edit per
// family of operations; the entries are real serialized modules.
#include <gtest/gtest.h>

#include <functional>

#include "wasm/runtime/code_verifier.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/serialization/serializer.h"

namespace wasmstream::wasm {
namespace {

#include "wasm/runtime/code_type_checker_test_module.inc"

std::shared_ptr<const Module> TypedModule() {
  return testing::CompileBytes(std::span(kTypedCodeWasm, sizeof(kTypedCodeWasm)));
}

uint32_t ExportedFunction(const Module& m, const std::string& name) {
  for (const Export& e : m.exports) {
    if (e.name == name && e.kind == ExternalKind::kFunction) return e.index;
  }
  ADD_FAILURE() << "no export " << name;
  return 0;
}

// The code index of the first operation {op} (for IOp::kGc and IOp::kSimd,
// of wasm opcode {gc}), or -1.
int Find(const FunctionCode& c, IOp op, Opcode gc = Opcode::kUnreachable) {
  std::vector<OperandKind> kinds;
  for (size_t at = 0; at < c.code.size();) {
    uint32_t len = DescribeOperation(c.code, at, &kinds);
    if (len == 0) return -1;
    if (c.code[at] == static_cast<uint32_t>(op) &&
        (gc == Opcode::kUnreachable || c.code[at + 1] == static_cast<uint32_t>(gc))) {
      return static_cast<int>(at);
    }
    at += len;
  }
  return -1;
}

// The i32 a function of the typed module returns for (5, 0.0).
std::string CallFive(std::shared_ptr<const Module> m, const std::string& name) {
  Store store;
  auto inst = Instance::Instantiate(store, std::move(m), Imports());
  if (!inst.ok()) return "instantiate: " + inst.error().message;
  auto r = inst.value()->CallExport(name, std::vector<Value>{Value::I32(5), Value::F64(0)});
  if (!r.ok()) return r.error().Format();
  return ToString(r.value()[0]);
}

struct Edit {
  const char* function;  // the export whose code is edited
  IOp op;
  Opcode gc;
  std::function<void(FunctionCode&, uint32_t at)> edit;
  const char* refusal;  // part of the verifier's message
};

// Slot 0 is the i32 parameter, slot 1 the f64 one.
const Edit kEdits[] = {
    {"call_ref", IOp::kCallRef, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 1] = 0; },
     "slot 0 is not a typed function reference"},
    {"struct_get", IOp::kGc, Opcode::kStructGet,
     [](FunctionCode& c, uint32_t at) { c.code[at + 3] = 0; }, "slot 0 is not (ref null 1)"},
    // The struct read as another struct type (a field of another kind).
    {"struct_get", IOp::kGc, Opcode::kStructGet,
     [](FunctionCode& c, uint32_t at) { c.code[at + 4] = 2; }, "is not (ref null 2)"},
    {"ref_cast", IOp::kGc, Opcode::kRefCast, [](FunctionCode& c, uint32_t at) { c.code[at + 3] = 0; },
     "slot 0 is not a reference of"},
    {"array", IOp::kGc, Opcode::kArrayGet, [](FunctionCode& c, uint32_t at) { c.code[at + 3] = 1; },
     "slot 1 is not (ref null 3)"},
    {"loop", IOp::kBr, {},
     [](FunctionCode& c, uint32_t at) { c.code[at + 1] = static_cast<uint32_t>(c.code.size()) + 3; },
     "branch target"},
    {"loop", IOp::kBrIfI32GeU, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 1] = 1; },
     "slot 1 is not i32"},
    {"memory", IOp::kI32Load, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 1] = c.frame_slots; },
     "slot"},
    {"memory", IOp::kI32Store, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 2] = 1; },
     "slot 1 is not i32"},
    {"global", IOp::kGlobalSet, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 2] = 1; },
     "slot 1 is not i32"},
    {"global", IOp::kGlobalSet, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 1] = 1; },
     "immutable global"},
    {"table", IOp::kTableSet, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 3] = 0; },
     "slot 0 is not funcref"},
    {"table", IOp::kCallIndirect, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 3] = 1; },
     "slot 1 is not i32"},
    {"simd", IOp::kSimd, Opcode::kI32x4Add, [](FunctionCode& c, uint32_t at) { c.code[at + 3] = 0; },
     "slot 0 is not v128"},
    // A lane past the vector (the interpreter indexes the vector with it).
    {"simd", IOp::kSimd, Opcode::kI32x4ExtractLane,
     [](FunctionCode& c, uint32_t at) { c.code[at + 6] = 0x10000; }, "lane index"},
    {"throw", IOp::kThrow, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 2] = 1; },
     "slot 1 is not i32"},
    {"select", IOp::kSelect, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) { c.code[at + 4] = 1; },
     "slot 1 is not i32"},
    // The result: the f64 parameter returned as the i32 result.
    {"select", IOp::kReturn, Opcode::kUnreachable, [](FunctionCode& c, uint32_t at) {
       c.code.insert(c.code.begin() + at, {static_cast<uint32_t>(IOp::kCopy), 0, 1});
     }, "slot 0 is not i32"},
};

TEST(CodeTypeCheckerTest, FreshCodeVerifies) {
  auto m = TypedModule();
  ASSERT_NE(m, nullptr);
  for (const auto& c : m->code) {
    if (!c) continue;
    Status s = VerifyFunctionCode(*m, *c);
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
}

TEST(CodeTypeCheckerTest, EditedCodeIsRefusedAndTheModuleStillRunsRight) {
  auto fresh = TypedModule();
  ASSERT_NE(fresh, nullptr);
  for (const Edit& e : kEdits) {
    SCOPED_TRACE(std::string(e.function) + " " + NameOf(e.op) + ": " + e.refusal);
    uint32_t f = ExportedFunction(*fresh, e.function);
    FunctionCode c = *fresh->code[f];
    int at = Find(c, e.op, e.gc);
    ASSERT_GE(at, 0);
    e.edit(c, static_cast<uint32_t>(at));
    Status s = VerifyFunctionCode(*fresh, c);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find(e.refusal), std::string::npos) << s.error().message;

    // The entry, as the code cache stores and loads it.
    Module crafted = *fresh;
    crafted.code[f] = std::make_shared<FunctionCode>(c);
    auto payload = std::make_shared<const std::vector<uint8_t>>(SerializeModule(crafted));
    EXPECT_FALSE(DeserializeModule(*payload).ok());  // an eager load: a miss
    auto loaded = DeserializeModuleDeferred(payload);
    ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
    EXPECT_EQ(loaded.value()->deferred_code->Load(*loaded.value(), f), nullptr);
    EXPECT_EQ(CallFive(loaded.value(), e.function), CallFive(fresh, e.function));
  }
}

TEST(CodeTypeCheckerTest, TheFunctionsComputeWhatTheyShould) {
  auto m = TypedModule();
  ASSERT_NE(m, nullptr);
  const std::pair<const char*, const char*> kExpected[] = {
      {"call_ref", "i32:6"}, {"struct_get", "i32:5"}, {"ref_cast", "i32:5"}, {"loop", "i32:10"},
      {"memory", "i32:5"},   {"global", "i32:10"},    {"table", "i32:10"},   {"simd", "i32:7"},
      {"throw", "i32:5"},    {"array", "i32:5"},      {"select", "i32:5"}};
  for (const auto& [name, result] : kExpected) EXPECT_EQ(CallFive(m, name), result) << name;
}

// A constant expression is decoded as the type its place expects: the bytes
// of an i64.const named as a funcref global's initializer are refused by the
// loader (a miss) and, were they to reach instantiation, by the evaluator,
// instead of becoming a function pointer.
TEST(CodeTypeCheckerTest, AnI64ConstRangeIsNotAFuncrefGlobal) {
  auto fresh = TypedModule();
  ASSERT_NE(fresh, nullptr);
  ASSERT_EQ(fresh->globals.size(), 4u);
  ASSERT_TRUE(fresh->globals[2].type.is_ref());
  ASSERT_EQ(fresh->globals[3].type.kind, ValueKind::kI64);
  Module crafted = *fresh;
  crafted.globals[2].init = crafted.globals[3].init;
  auto r = DeserializeModule(SerializeModule(crafted));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad global initializer"), std::string::npos) << r.error().message;

  Store store;
  auto inst = Instance::Instantiate(store, std::make_shared<const Module>(crafted), Imports());
  ASSERT_FALSE(inst.ok());
  EXPECT_NE(inst.error().message.find("invalid constant expression"), std::string::npos)
      << inst.error().message;

  // A miss compiles the wire bytes: the module runs right.
  auto recompiled = testing::CompileBytes(crafted.wire_bytes);
  ASSERT_NE(recompiled, nullptr);
  EXPECT_EQ(CallFive(recompiled, "call_ref"), "i32:6");
}

// An element segment typed as one function type holding a function of
// another: table.get would hand out a reference call_ref trusts.
TEST(CodeTypeCheckerTest, AnElemFunctionOfAnotherTypeIsRefused) {
  auto fresh = TypedModule();
  ASSERT_NE(fresh, nullptr);
  ASSERT_EQ(fresh->elems.size(), 1u);
  ASSERT_FALSE(fresh->elems[0].func_indices.empty());
  Module crafted = *fresh;
  uint32_t other = fresh->functions[ExportedFunction(*fresh, "loop")].type_index;
  ASSERT_NE(other, fresh->functions[fresh->elems[0].func_indices[0]].type_index);
  crafted.elems[0].elem_type = ValueType::Ref(HeapType::Index(other), true);
  auto r = DeserializeModule(SerializeModule(crafted));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad elem segment type"), std::string::npos) << r.error().message;
  EXPECT_TRUE(DeserializeModule(SerializeModule(*fresh)).ok());
}

// Each slot-typed family of operations, on code the compiler made: every
// slot operand of every operation set to the f64 parameter (slot 1) is
// either refused or still type-correct (an operand that is a float).
TEST(CodeTypeCheckerTest, EverySlotOperandRetypedIsRefusedOrStillRight) {
  auto m = TypedModule();
  ASSERT_NE(m, nullptr);
  int refused = 0, kept = 0;
  for (const auto& code : m->code) {
    if (!code) continue;
    std::vector<OperandKind> kinds;
    for (size_t at = 0; at < code->code.size();) {
      kinds.clear();
      uint32_t len = DescribeOperation(code->code, at, &kinds);
      ASSERT_GT(len, 0u);
      for (size_t k = 0; k < kinds.size(); ++k) {
        if (kinds[k] != OperandKind::kSlot || code->code[at + 1 + k] == 1) continue;
        FunctionCode c = *code;
        c.code[at + 1 + k] = 1;
        if (VerifyFunctionCode(*m, c).ok()) {
          ++kept;
        } else {
          ++refused;
        }
      }
      at += len;
    }
  }
  EXPECT_GT(refused, 60);
  // Kept: destinations (a result written over the unused parameter) and
  // argument bases moved onto it.
  EXPECT_LT(kept, refused);
}

// A br_if to the function's label whose value comes from a local: the copy
// the return path makes must not be taken for done on the path that falls
// through (the compiler once marked the value as moved to a temporary that
// only the branch had written, so the fall-through read a stale slot).
TEST(CodeTypeCheckerTest, ConditionalReturnLeavesTheFallThroughValue) {
  auto m = testing::Compile(R"((module
    (func (export "f") (param i32 i32) (result i32)
      (i32.add (br_if 0 (local.get 0) (local.get 1)) (i32.const 100)))))");
  ASSERT_NE(m, nullptr);
  for (const auto& c : m->code) {
    if (!c) continue;
    Status s = VerifyFunctionCode(*m, *c);
    EXPECT_TRUE(s.ok()) << s.error().message;
  }
  Store store;
  auto inst = Instance::Instantiate(store, m, Imports());
  ASSERT_TRUE(inst.ok());
  // Write 77 into the temporary first (taken branch), then fall through.
  auto taken = inst.value()->CallExport("f", std::vector<Value>{Value::I32(77), Value::I32(1)});
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken.value()[0].u.i32, 77u);
  auto through = inst.value()->CallExport("f", std::vector<Value>{Value::I32(5), Value::I32(0)});
  ASSERT_TRUE(through.ok());
  EXPECT_EQ(through.value()[0].u.i32, 105u);
}

}  // namespace
}  // namespace wasmstream::wasm
