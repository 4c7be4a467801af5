// MakeHostFunction: typed C++ host functions, with the Caller's exported
// memory, through instantiate in a realm.
#include "bindings/host_function.h"

#include <gtest/gtest.h>

#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"
#include "wasm/runtime/runtime_test_util.h"

namespace wasmstream::bindings {
namespace {

constexpr char kModule[] = R"((module
  (import "env" "print" (func $print (param i32 i32) (result i32)))
  (import "env" "scale" (func $scale (param i64 f64) (result f64)))
  (import "env" "wrong" (func $wrong (param i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, host")
  (func (export "greet") (result i32) (call $print (i32.const 16) (i32.const 11)))
  (func (export "out_of_bounds") (result i32) (call $print (i32.const 65530) (i32.const 11)))
  (func (export "scale") (result f64) (call $scale (i64.const 3) (f64.const 0.5)))
  (func (export "wrong") (call $wrong (i64.const 1)))))";

class HostFunctionTest : public ::testing::Test {
 protected:
  Settled<std::vector<wasm::Value>> Run(const char* name) {
    std::vector<uint8_t> bytes = wasm::testing::Assemble(kModule);
    EXPECT_FALSE(bytes.empty());
    auto p = wasm_.Instantiate(bytes, imports_);
    p.Then([](const InstantiatedSource&) {}, [](const Error&) {});
    EXPECT_TRUE(testing::Settle(loop_, p));
    if (!p.is_fulfilled()) return p.reason();
    return p.value().instance.Call(name, {});
  }

  EventLoop loop_;
  Realm realm_{loop_};
  WebAssembly wasm_{realm_};
  std::shared_ptr<ImportObject> imports_ = std::make_shared<ImportObject>();
  std::string printed_;
};

TEST_F(HostFunctionTest, TypedArgumentsAndTheCallersMemory) {
  imports_->Add("env", "print",
                MakeHostFunction(realm_, [this](Caller& caller, int32_t ptr, int32_t len) -> Settled<int32_t> {
                  EXPECT_NE(caller.instance(), nullptr);
                  auto text = caller.ReadString(ptr, len);
                  if (!text) return Error::Range("print: out of bounds");
                  printed_ = *text;
                  return len;
                }));
  imports_->Add("env", "scale",
                MakeHostFunction(realm_, [](int64_t n, double f) { return static_cast<double>(n) * f; }));
  imports_->Add("env", "wrong", MakeHostFunction(realm_, [](int32_t) {}));

  auto greet = Run("greet");
  ASSERT_TRUE(greet.ok()) << greet.error().ToString();
  EXPECT_EQ(greet.value()[0].u.i32, 11u);
  EXPECT_EQ(printed_, "hello, host");

  auto oob = Run("out_of_bounds");
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().kind, ErrorKind::kRuntimeError);
  EXPECT_NE(oob.error().ToString().find("print: out of bounds"), std::string::npos);

  auto scaled = Run("scale");
  ASSERT_TRUE(scaled.ok()) << scaled.error().ToString();
  EXPECT_EQ(scaled.value()[0].f64(), 1.5);

  auto wrong = Run("wrong");  // declared i64, wrapped as int32_t
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().ToString().find("parameter types differ"), std::string::npos);
}

}  // namespace
}  // namespace wasmstream::bindings
