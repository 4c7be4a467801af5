// The lifetime rules of bindings/js: JS wrappers are collected and free
// their native objects; a JS object keeps an Instance alive; a wasm
// instance keeps the JS functions it imported alive; the runtime can go
// with work still pending. Also: JSC's own WebAssembly is off.
#include "bindings/js/js_runtime.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/event_loop.h"
#include "bindings/realm.h"
#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

extern "C" void JSSynchronousGarbageCollectForDebugging(JSContextRef ctx);  // JSC, exported

namespace wasmstream::bindings::js {
namespace {

// (module (import "env" "f" (func (param i32) (result i32)))
//   (table (export "t") 1 externref)
//   (func (export "call") (param i32) (result i32) local.get 0 call 0))
constexpr char kModule[] =
    "new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,2,9,1,3,101,110,118,1,102,0,0,"
    "3,2,1,0,4,4,1,111,0,1,7,12,2,1,116,1,0,4,99,97,108,108,0,1,10,8,1,6,0,32,0,16,0,11])";

class JsRuntimeTest : public ::testing::Test {
 protected:
  JsRuntimeTest() : realm_(loop_) {
    realm_.fetcher = &fetcher_;
    runtime_ = std::make_unique<JsRuntime>(realm_, [this](int stream, std::string_view line) {
      (stream == 2 ? errors_ : output_).emplace_back(line);
    });
  }

  // Runs {js}; the value of its last console.log line.
  std::string Run(const std::string& js) {
    output_.clear();
    EXPECT_TRUE(runtime_->Evaluate(js, "test.js")) << (errors_.empty() ? "" : errors_.back());
    runtime_->RunUntilIdle(std::chrono::seconds(30));
    return output_.empty() ? "" : output_.back();
  }
  void CollectGarbage() { JSSynchronousGarbageCollectForDebugging(runtime_->context()); }

  EventLoop loop_;
  fetch::Fetcher fetcher_;
  Realm realm_;
  std::vector<std::string> output_, errors_;
  std::unique_ptr<JsRuntime> runtime_;
};

TEST_F(JsRuntimeTest, BuiltinWebAssemblyIsOff) {
  // A plain JSC context made after the runtime: JSC's own namespace is gone.
  JSGlobalContextRef plain = JSGlobalContextCreate(nullptr);
  JSStringRef src = JSStringCreateWithUTF8CString("typeof WebAssembly");
  JSValueRef v = JSEvaluateScript(plain, src, nullptr, nullptr, 1, nullptr);
  JSStringRef s = JSValueToStringCopy(plain, v, nullptr);
  EXPECT_TRUE(JSStringIsEqualToUTF8CString(s, "undefined"));
  JSStringRelease(s);
  JSStringRelease(src);
  JSGlobalContextRelease(plain);
  EXPECT_EQ(Run("console.log(typeof WebAssembly.validate)"), "function");
}

TEST_F(JsRuntimeTest, DroppedWrappersAreCollected) {
  Run(std::string("globalThis.bytes = ") + kModule + ";");
  int64_t before = LiveHandleCount();
  Run("for (let i = 0; i < 500; ++i) new WebAssembly.Module(bytes);");
  EXPECT_GE(LiveHandleCount(), before + 1) << "wrappers were made";
  CollectGarbage();
  // The collector is conservative (a few may stay reachable from the stack).
  EXPECT_LT(LiveHandleCount(), before + 50);
}

TEST_F(JsRuntimeTest, JsObjectKeepsInstanceAlive) {
  Run(std::string("globalThis.keep = {instance: new WebAssembly.Instance(new WebAssembly.Module(") +
      kModule + "), {env: {f: x => x + 1}})};");
  for (int i = 0; i < 3; ++i) {
    Run("for (let i = 0; i < 200; ++i) new WebAssembly.Module(" + std::string(kModule) + ");");
    CollectGarbage();
  }
  EXPECT_EQ(Run("console.log(keep.instance.exports.call(41))"), "42");
  EXPECT_EQ(Run("console.log(keep.instance.exports.call === keep.instance.exports.call)"), "true");
}

TEST_F(JsRuntimeTest, InstanceKeepsImportedJsFunctionAlive) {
  // The closure and its state are reachable only through the instance.
  Run(std::string("globalThis.call = (() => {"
                  "  let count = 0;"
                  "  const i = new WebAssembly.Instance(new WebAssembly.Module(") + kModule +
      "), {env: {f: x => x + (++count) * 100}});"
      "  return i.exports.call;"
      "})();");
  CollectGarbage();
  Run("new Array(100000).fill(0).map((_, i) => ({i}));");
  CollectGarbage();
  EXPECT_EQ(Run("console.log(call(1))"), "101");
  EXPECT_EQ(Run("console.log(call(1))"), "201");
}

TEST_F(JsRuntimeTest, ExternrefInTableSurvivesCollection) {
  Run(std::string("globalThis.table = new WebAssembly.Instance(new WebAssembly.Module(") + kModule +
      "), {env: {f: x => x}}).exports.t;"
      "table.set(0, {payload: 'kept'});");
  CollectGarbage();
  Run("new Array(100000).fill(0).map((_, i) => ({i}));");
  CollectGarbage();
  EXPECT_EQ(Run("console.log(table.get(0).payload)"), "kept");
}

TEST_F(JsRuntimeTest, UncaughtErrorsAreCountedWithTheirStack) {
  EXPECT_FALSE(runtime_->Evaluate("function f() { throw new Error('sync'); } f();", "a.js"));
  EXPECT_EQ(runtime_->uncaught_errors(), 1);
  ASSERT_FALSE(errors_.empty());
  EXPECT_NE(errors_.back().find("Error: sync"), std::string::npos) << errors_.back();
  EXPECT_NE(errors_.back().find("a.js"), std::string::npos) << "the stack names the script";
  Run("Promise.reject(new TypeError('async'));");
  EXPECT_EQ(runtime_->uncaught_errors(), 2);
  EXPECT_NE(errors_.back().find("TypeError: async"), std::string::npos) << errors_.back();
  Run("Promise.reject(1).catch(() => {});");
  EXPECT_EQ(runtime_->uncaught_errors(), 2) << "a handled rejection is not reported";
  Run("setTimeout(() => { throw new RangeError('in a task'); }, 0);");
  EXPECT_EQ(runtime_->uncaught_errors(), 3);
}

TEST_F(JsRuntimeTest, RuntimeCanGoWithWorkPending) {
  std::optional<testserver::HttpServer> server(std::in_place);
  server->Hang("/hang.wasm", {{"Content-Type", "application/wasm"}, {"Content-Length", "100"}});
  ASSERT_TRUE(runtime_->Evaluate(
      "WebAssembly.compileStreaming(fetch('" + server->Url("/hang.wasm") + "'));"
      "WebAssembly.compile(" + std::string(kModule) + ").then(m => console.log('late'));"
      "setTimeout(() => console.log('late timer'), 10);",
      "pending.js"));
  runtime_.reset();
  // The loop still holds the fetch, the compile and the timer; they finish
  // (the hanging body fails when the server goes) without touching the
  // runtime.
  server.reset();
  loop_.RunUntilIdle(std::chrono::seconds(30));
  for (const std::string& line : output_) EXPECT_NE(line, "late");
}

}  // namespace
}  // namespace wasmstream::bindings::js
