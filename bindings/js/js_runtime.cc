#include "bindings/js/js_runtime.h"

#include <mutex>

#include "bindings/js/jsc_util.h"
#include "bindings/js/natives.h"
#include "bindings/js/runtime_state.h"

namespace wasmstream::bindings::js {

extern const char kPrelude[];  // prelude.js (generated prelude_js.cc)

void DisableBuiltinWebAssembly() {
  // JSC reads its options once, when the first VM is made. "useWasm" is the
  // option's name in JSC 2.4x-2.5x (JSC_useWasm=0 in the environment does
  // the same).
  static std::once_flag once;
  std::call_once(once, [] { jsc_options_set_boolean("useWasm", 0); });
}

namespace {

WASMSTREAM_NATIVE(OnUnhandledRejection) {
  StateOf(ctx).ReportUncaught(Arg(ctx, argc, argv, 1), "Uncaught (in promise)");
  return JSValueMakeUndefined(ctx);
}

JSObjectRef ProtectedFunction(JSContextRef ctx, JSObjectRef hooks, std::string_view name) {
  JSObjectRef f = AsObject(ctx, Get(ctx, hooks, name));
  if (f) JSValueProtect(ctx, f);
  return f;
}

}  // namespace

JsRuntime::JsRuntime(Realm& realm, OutputSink sink) : realm_(realm) {
  DisableBuiltinWebAssembly();
  state_ = std::make_unique<RuntimeState>(*this, realm, std::move(sink));
  RuntimeState& s = *state_;
  JSContextRef ctx = s.ctx;
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  // JSC's own namespace is off; make sure nothing of it is left.
  JsString wasm_name("WebAssembly");
  JSObjectDeleteProperty(ctx, global, wasm_name.get(), nullptr);

  JSObjectRef natives = JSObjectMake(ctx, nullptr, nullptr);
  InstallWasmNatives(s, natives);
  InstallHostNatives(s, natives);

  JsString source(kPrelude);
  JsString url("wasmstream:prelude.js");
  JSValueRef exc = nullptr;
  JSValueRef fn = JSEvaluateScript(ctx, source.get(), nullptr, url.get(), 1, &exc);
  JSValueRef hooks_value = nullptr;
  if (!exc) {
    JSValueRef args[2] = {natives, global};
    hooks_value = JSObjectCallAsFunction(ctx, JSValueToObject(ctx, fn, nullptr), nullptr, 2, args, &exc);
  }
  if (exc) {
    // A broken prelude is a bug of this build; say so loudly, keep running.
    s.ReportUncaught(exc, "wasmstream: the prelude failed");
    return;
  }
  JSObjectRef hooks = AsObject(ctx, hooks_value);
  JSObjectRef errors = AsObject(ctx, Get(ctx, hooks, "errors"));
  for (ErrorKind kind : {ErrorKind::kError, ErrorKind::kTypeError, ErrorKind::kRangeError,
                         ErrorKind::kCompileError, ErrorKind::kLinkError, ErrorKind::kRuntimeError,
                         ErrorKind::kAbortError}) {
    s.error_ctor[static_cast<int>(kind)] = ProtectedFunction(ctx, errors, ErrorKindName(kind));
  }
  s.to_array = ProtectedFunction(ctx, hooks, "toArray");
  s.detach = ProtectedFunction(ctx, hooks, "detach");
  s.wrap_exception = ProtectedFunction(ctx, hooks, "wrapException");
  s.handle_of_extern = ProtectedFunction(ctx, hooks, "handleOfExtern");
  JSObjectRef call_host = AsObject(ctx, Get(ctx, hooks, "callHost"));
  for (unsigned i = 0; i < std::size(s.call_host); ++i) {
    s.call_host[i] = AsObject(ctx, JSObjectGetPropertyAtIndex(ctx, call_host, i, nullptr));
    JSValueProtect(ctx, s.call_host[i]);
  }

  JsString name("onUnhandledRejection");
  JSObjectRef on_rejection = JSObjectMakeFunctionWithCallback(ctx, name.get(), OnUnhandledRejection);
  JSGlobalContextSetUnhandledRejectionCallback(s.ctx, on_rejection, nullptr);
}

JsRuntime::~JsRuntime() = default;

bool JsRuntime::Evaluate(std::string_view source, std::string_view url) {
  JsString src(source);
  JsString name(url);
  JSValueRef exc = nullptr;
  JSEvaluateScript(state_->ctx, src.get(), nullptr, name.get(), 1, &exc);
  if (exc) {
    state_->ReportUncaught(exc, "Uncaught");
    return false;
  }
  return true;
}

bool JsRuntime::RunUntilIdle(std::chrono::milliseconds max_wait) {
  return realm_.loop().RunUntilIdle(max_wait);
}

int JsRuntime::uncaught_errors() const { return state_->uncaught_errors; }

JSGlobalContextRef JsRuntime::context() const { return state_->ctx; }

}  // namespace wasmstream::bindings::js
