// Imports of every kind, linking errors (TypeError vs LinkError, as the JS
// API reads the imports), host functions with typed values and re-entry, and
// exports called from C++.
#include <gtest/gtest.h>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/runtime_test_util.h"

namespace wasmstream::wasm {
namespace {

class ImportTest : public ::testing::Test {
 protected:
  Outcome<Instance*> Instantiate(const std::string& wat, const Imports& imports) {
    auto m = testing::Compile(wat);
    if (!m) return Error::Type("did not compile");
    return Instance::Instantiate(store_, m, imports);
  }
  Store store_;
};

TEST_F(ImportTest, HostFunctionGetsTypedArgumentsAndReturnsResults) {
  std::vector<Value> seen;
  FuncInstance* add = store_.NewHostFunction(
      FuncType{{ValueType::I32(), ValueType::F64()}, {ValueType::F64()}},
      [&](std::span<const Value> args) -> Outcome<std::vector<Value>> {
        seen.assign(args.begin(), args.end());
        return std::vector<Value>{Value::F64(args[0].u.i32 + args[1].f64())};
      });
  Imports imports;
  imports.Add("env", "add", Extern::Func(add));
  auto inst = Instantiate(R"((module
    (import "env" "add" (func $add (param i32 f64) (result f64)))
    (func (export "f") (result f64) (call $add (i32.const 2) (f64.const 0.5)))))", imports);
  ASSERT_TRUE(inst.ok()) << inst.error().Format();
  auto r = inst.value()->CallExport("f", {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].f64(), 2.5);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].u.i32, 2u);
  EXPECT_EQ(seen[1].f64(), 0.5);
}

TEST_F(ImportTest, HostErrorPropagatesAsIs) {
  FuncInstance* boom = store_.NewHostFunction(FuncType{}, [](std::span<const Value>) -> Outcome<std::vector<Value>> {
    return Error{ErrorKind::kRuntimeError, "boom", TrapKind::kHostError};
  });
  Imports imports;
  imports.Add("env", "boom", Extern::Func(boom));
  auto inst = Instantiate(R"((module (import "env" "boom" (func $b))
    (func (export "f") (call $b))))", imports);
  ASSERT_TRUE(inst.ok());
  auto r = inst.value()->CallExport("f", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "boom");
}

TEST_F(ImportTest, HostFunctionCallsBackIntoWasm) {
  Instance* self = nullptr;
  FuncInstance* back = store_.NewHostFunction(
      FuncType{{ValueType::I32()}, {ValueType::I32()}},
      [&](std::span<const Value> args) -> Outcome<std::vector<Value>> {
        return self->CallExport("double", args);
      });
  Imports imports;
  imports.Add("env", "back", Extern::Func(back));
  auto inst = Instantiate(R"((module
    (import "env" "back" (func $back (param i32) (result i32)))
    (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
    (func (export "f") (param i32) (result i32)
      (i32.add (call $back (local.get 0)) (i32.const 1)))))", imports);
  ASSERT_TRUE(inst.ok());
  self = inst.value();
  auto r = self->CallExport("f", std::vector<Value>{Value::I32(20)});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, 41u);
}

TEST_F(ImportTest, MemoryTableGlobalAndTagImports) {
  Limits ml;
  ml.min = 1;
  MemoryInstance* mem = store_.NewMemory(ml);
  mem->data()[10] = 99;
  Limits tl;
  tl.min = 4;
  TableInstance* table = store_.NewTable(ValueType::FuncRef(), tl, kNullRef);
  GlobalInstance* g = store_.NewGlobal(ValueType::I64(), true, Value::I64(5));
  TagInstance* tag = store_.NewTag(FuncType{{ValueType::I32()}, {}});
  Imports imports;
  imports.Add("env", "mem", Extern::Memory(mem));
  imports.Add("env", "table", Extern::Table(table));
  imports.Add("env", "g", Extern::Global(g));
  imports.Add("env", "tag", Extern::Tag(tag));
  imports.AddValue("env", "k", Value::I32(7));
  auto inst = Instantiate(R"((module
    (import "env" "mem" (memory 1))
    (import "env" "table" (table 2 funcref))
    (import "env" "g" (global $g (mut i64)))
    (import "env" "tag" (tag $t (param i32)))
    (import "env" "k" (global $k i32))
    (func $f (result i32) (i32.const 3))
    (elem (i32.const 1) $f)
    (func (export "run") (result i32)
      (global.set $g (i64.add (global.get $g) (i64.const 1)))
      (i32.add (i32.load8_u (i32.const 10)) (global.get $k)))
    (func (export "size") (result i32) (table.size 0))))", imports);
  ASSERT_TRUE(inst.ok()) << inst.error().Format();
  auto r = inst.value()->CallExport("run", {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, 106u);
  EXPECT_EQ(g->Get().u.i64, 6u);
  EXPECT_NE(table->Get(1), kNullRef);  // the element segment wrote into the imported table
  auto s = inst.value()->CallExport("size", {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value()[0].u.i32, 4u);
}

TEST_F(ImportTest, MissingModuleIsATypeError) {
  auto inst = Instantiate(R"((module (import "nope" "f" (func))))", Imports());
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::kTypeError);
}

TEST_F(ImportTest, MissingFieldIsALinkError) {
  Imports imports;
  imports.AddValue("env", "other", Value::I32(1));
  auto inst = Instantiate(R"((module (import "env" "f" (func))))", imports);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::kLinkError);
  EXPECT_NE(inst.error().message.find("unknown import"), std::string::npos);
}

TEST_F(ImportTest, MismatchesAreLinkErrors) {
  FuncInstance* f = store_.NewHostFunction(FuncType{{ValueType::I32()}, {}},
                                           [](std::span<const Value>) -> Outcome<std::vector<Value>> {
                                             return std::vector<Value>{};
                                           });
  Limits ml;
  ml.min = 1;
  MemoryInstance* small = store_.NewMemory(ml);
  Imports imports;
  imports.Add("env", "f", Extern::Func(f));
  imports.Add("env", "mem", Extern::Memory(small));
  imports.AddValue("env", "v", Value::I32(1));
  struct Case {
    const char* wat;
  } cases[] = {
      {R"((module (import "env" "f" (func (param i64)))))"},  // function type
      {R"((module (import "env" "f" (memory 1))))"},          // kind
      {R"((module (import "env" "mem" (memory 2))))"},        // too small
      {R"((module (import "env" "mem" (memory 1 5))))"},      // no maximum
      {R"((module (import "env" "v" (global (mut i32)))))"},  // a value for a mutable global
      {R"((module (import "env" "v" (global f64))))"},        // wrong value type
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.wat);
    auto inst = Instantiate(c.wat, imports);
    ASSERT_FALSE(inst.ok());
    EXPECT_EQ(inst.error().kind, ErrorKind::kLinkError) << inst.error().Format();
  }
}

TEST_F(ImportTest, ExportsCheckArgumentTypes) {
  auto inst = Instantiate(R"((module (func (export "f") (param i32) (result i32) (local.get 0))))",
                          Imports());
  ASSERT_TRUE(inst.ok());
  auto wrong = inst.value()->CallExport("f", std::vector<Value>{Value::I64(1)});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kTypeError);
  auto missing = inst.value()->CallExport("g", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kTypeError);
}

TEST_F(ImportTest, ExportedFunctionsLinkAcrossInstances) {
  auto a = Instantiate(R"((module (memory (export "mem") 1)
    (func (export "put") (param i32 i32) (i32.store (local.get 0) (local.get 1)))))", Imports());
  ASSERT_TRUE(a.ok());
  Imports imports;
  imports.AddInstance("a", *a.value());
  auto b = Instantiate(R"((module
    (import "a" "put" (func $put (param i32 i32)))
    (import "a" "mem" (memory 1))
    (func (export "f") (result i32) (call $put (i32.const 8) (i32.const 1234)) (i32.load (i32.const 8)))))",
                       imports);
  ASSERT_TRUE(b.ok()) << b.error().Format();
  auto r = b.value()->CallExport("f", {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, 1234u);
}

}  // namespace
}  // namespace wasmstream::wasm
