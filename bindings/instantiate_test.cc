// instantiate / instantiateStreaming: "read the imports" error kinds
// (the JS API's "read the imports"; WPT instantiateStreaming-bad-imports and
// -omitted-imports), start-function traps, host functions, CSP not gating
// instantiate(Module).
#include <gtest/gtest.h>

#include "bindings/test_modules.h"
#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"

namespace wasmstream::bindings {
namespace {

using testing::kImportsEverything;
using testing::kIncrementer;
using testing::kSimple;
using testing::kStartTraps;
using testing::SyntheticResponse;

class InstantiateTest : public ::testing::Test {
 protected:
  InstantiateTest() {
    loop_.SetUnhandledRejectionHook([this](const Error& e) { unhandled_.push_back(e); });
  }
  ~InstantiateTest() override { EXPECT_TRUE(unhandled_.empty()); }

  template <typename T>
  Promise<T> Run(Promise<T> p) {
    p.Then([](const T&) {}, [](const Error&) {});
    EXPECT_TRUE(testing::Settle(loop_, p));
    return p;
  }
  template <typename T>
  Error ExpectError(Promise<T> p, ErrorKind kind) {
    Run(p);
    EXPECT_TRUE(p.is_rejected());
    if (!p.is_rejected()) return Error{};
    EXPECT_EQ(p.reason().kind, kind) << p.reason().ToString();
    return p.reason();
  }
  Module CompileOk(const std::vector<uint8_t>& bytes) {
    auto p = Run(wasm_.Compile(bytes));
    EXPECT_TRUE(p.is_fulfilled());
    return p.value();
  }

  // env.f: i32 -> i32 (+1), env.g = 41, env.mem, env.tab.
  std::shared_ptr<ImportObject> FullImports() {
    auto imports = std::make_shared<ImportObject>();
    imports->Add("env", "f",
                 HostCallable([](std::span<const wasm::Value> args) -> Settled<std::vector<wasm::Value>> {
                   return std::vector<wasm::Value>{wasm::Value::I32(args[0].u.i32 + 1)};
                 }));
    imports->Add("env", "g", wasm::Value::I32(41));
    wasm::Limits one;
    one.min = 1;
    imports->Add("env", "mem", wasm::Extern::Memory(realm_.store()->NewMemory(one)));
    imports->Add("env", "tab", wasm::Extern::Table(realm_.store()->NewTable(
                                   wasm::ValueType::FuncRef(), one, wasm::kNullRef)));
    return imports;
  }

  EventLoop loop_;
  Realm realm_{loop_};
  WebAssembly wasm_{realm_};
  std::vector<Error> unhandled_;
};

TEST_F(InstantiateTest, InstantiateBytesAndCallExport) {
  auto p = Run(wasm_.Instantiate(kIncrementer, nullptr));
  ASSERT_TRUE(p.is_fulfilled());
  auto r = p.value().instance.Call("increment", std::vector<wasm::Value>{wasm::Value::I32(41)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].u.i32, 42u);
  EXPECT_EQ(p.value().instance.ExportNames(), std::vector<std::string>{"increment"});
}

TEST_F(InstantiateTest, InstantiateStreamingWithHostFunction) {  // MDN simple.wasm
  std::vector<uint32_t> seen;
  auto imports = std::make_shared<ImportObject>();
  imports->Add("my_namespace", "imported_func",
               HostCallable([&seen](std::span<const wasm::Value> args) -> Settled<std::vector<wasm::Value>> {
                 seen.push_back(args[0].u.i32);
                 return std::vector<wasm::Value>{};
               }));
  auto p = Run(wasm_.InstantiateStreaming(SyntheticResponse(kSimple), imports));
  ASSERT_TRUE(p.is_fulfilled()) << p.reason().ToString();
  EXPECT_EQ(p.value().module.Imports().size(), 1u);
  ASSERT_TRUE(p.value().instance.Call("exported_func", {}).ok());
  EXPECT_EQ(seen, std::vector<uint32_t>{42});
}

TEST_F(InstantiateTest, AllImportKinds) {
  auto p = Run(wasm_.Instantiate(kImportsEverything, FullImports()));
  ASSERT_TRUE(p.is_fulfilled()) << p.reason().ToString();
  auto r = p.value().instance.Call("run", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].u.i32, 42u);
}

TEST_F(InstantiateTest, OmittedImportsWithImportsIsTypeError) {  // -omitted-imports
  ExpectError(wasm_.InstantiateStreaming(SyntheticResponse(kSimple), nullptr), ErrorKind::kTypeError);
  auto ok = Run(wasm_.InstantiateStreaming(SyntheticResponse(kIncrementer), nullptr));
  EXPECT_TRUE(ok.is_fulfilled());
}

TEST_F(InstantiateTest, NamespaceNotAnObjectIsTypeError) {  // bad-imports.js
  auto missing = std::make_shared<ImportObject>();  // {}: "env" is undefined
  ExpectError(wasm_.Instantiate(kImportsEverything, missing), ErrorKind::kTypeError);
  auto not_object = FullImports();
  not_object->SetNotAnObject("env");
  ExpectError(wasm_.Instantiate(kImportsEverything, not_object), ErrorKind::kTypeError);
}

TEST_F(InstantiateTest, WrongKindValuesAreLinkErrors) {  // bad-imports.js
  struct Case {
    const char* field;
    ImportValue value;
  };
  std::vector<Case> cases = {
      {"f", OtherValue{"{}"}},                     // function given a non-callable
      {"f", wasm::Value::I32(1)},                  // function given a number
      {"g", OtherValue{"\"string\""}},             // global given a non-number
      {"g", wasm::Value::F64(1.5)},                // i32 global given the wrong number type
      {"mem", OtherValue{"{}"}},                   // memory given a non-Memory
      {"tab", wasm::Value::I32(0)},                // table given a non-Table
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    auto imports = FullImports();
    imports->Add("env", c.field, c.value);
    ExpectError(wasm_.Instantiate(kImportsEverything, imports), ErrorKind::kLinkError);
  }
  auto missing_field = std::make_shared<ImportObject>();  // env exists, env.f undefined
  missing_field->Add("env", "g", wasm::Value::I32(1));
  ExpectError(wasm_.Instantiate(kImportsEverything, missing_field), ErrorKind::kLinkError);
}

TEST_F(InstantiateTest, ExportedFunctionImportsAndTooSmallMemoryIsLinkError) {
  auto other = Run(wasm_.Instantiate(kIncrementer, nullptr));
  ASSERT_TRUE(other.is_fulfilled());
  auto mem_imports = FullImports();
  auto inc = other.value().instance.GetExport("increment");
  ASSERT_TRUE(inc.has_value());
  mem_imports->Add("env", "f", *inc);  // same type (i32 -> i32): accepted
  EXPECT_TRUE(Run(wasm_.Instantiate(kImportsEverything, mem_imports)).is_fulfilled());
  wasm::Limits none;  // a zero-page memory for a (memory 1) import
  mem_imports->Add("env", "mem", wasm::Extern::Memory(realm_.store()->NewMemory(none)));
  ExpectError(wasm_.Instantiate(kImportsEverything, mem_imports), ErrorKind::kLinkError);
}

TEST_F(InstantiateTest, StartFunctionTrapIsRuntimeError) {
  Error e = ExpectError(wasm_.Instantiate(kStartTraps, nullptr), ErrorKind::kRuntimeError);
  EXPECT_NE(e.message.find("unreachable"), std::string::npos) << e.message;
}

// instantiateStreaming reads the imports after the compile, never inside the call.
TEST_F(InstantiateTest, ImportsAreReadAfterCompileNotAtCall) {
  auto imports = std::make_shared<ImportObject>();
  auto p = wasm_.InstantiateStreaming(SyntheticResponse(kSimple), imports);
  // Filled in after the call, before the module is compiled: still seen.
  imports->Add("my_namespace", "imported_func",
               HostCallable([](std::span<const wasm::Value>) -> Settled<std::vector<wasm::Value>> {
                 return std::vector<wasm::Value>{};
               }));
  EXPECT_TRUE(Run(p).is_fulfilled());
}

// CSP gates compiling bytes, not instantiating a compiled Module.
TEST_F(InstantiateTest, InstantiateModuleIsNotCspGated) {
  Module m = CompileOk(kIncrementer);
  realm_.csp.AddHeader("default-src 'none'", CspDisposition::kEnforce);
  EXPECT_TRUE(Run(wasm_.Instantiate(m, nullptr)).is_fulfilled());
  ExpectError(wasm_.Instantiate(kIncrementer, nullptr), ErrorKind::kCompileError);
  ExpectError(wasm_.InstantiateStreaming(SyntheticResponse(kIncrementer), nullptr),
              ErrorKind::kCompileError);
}

TEST_F(InstantiateTest, HostErrorSurfacesFromCall) {
  auto imports = std::make_shared<ImportObject>();
  imports->Add("my_namespace", "imported_func",
               HostCallable([](std::span<const wasm::Value>) -> Settled<std::vector<wasm::Value>> {
                 return Error::Type("host says no");
               }));
  auto p = Run(wasm_.Instantiate(kSimple, imports));
  ASSERT_TRUE(p.is_fulfilled());
  auto r = p.value().instance.Call("exported_func", {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("host says no"), std::string::npos) << r.error().message;
}

TEST_F(InstantiateTest, LazyRealmCompilesEachFunctionOnItsFirstCall) {
  realm_.compile_code = false;  // validate only while compiling
  Module m = CompileOk(kIncrementer);
  ASSERT_TRUE(m.module());
  for (const auto& code : m.module()->code) EXPECT_EQ(code, nullptr);
  auto p = Run(wasm_.Instantiate(m, nullptr));
  ASSERT_TRUE(p.is_fulfilled()) << p.reason().ToString();
  auto r = p.value().Call("increment", std::vector<wasm::Value>{wasm::Value::I32(41)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r.value()[0].u.i32, 42u);
}

}  // namespace
}  // namespace wasmstream::bindings
