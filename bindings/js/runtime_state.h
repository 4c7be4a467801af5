// The state the natives of one JsRuntime share: the context, the classes of
// native handles and exported functions, the caches that give the same JS
// object for the same wasm entity, host values (externref), the timers, and
// the JS exception a host function threw while wasm was running.
// Loop thread only, except the timer thread's queue (timers.h).
#ifndef WASMSTREAM_BINDINGS_JS_RUNTIME_STATE_H_
#define WASMSTREAM_BINDINGS_JS_RUNTIME_STATE_H_

#include <JavaScriptCore/JavaScript.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "bindings/error.h"
#include "bindings/instance_object.h"
#include "bindings/js/js_runtime.h"
#include "bindings/js/timers.h"
#include "bindings/module_object.h"
#include "bindings/realm.h"
#include "bindings/wasm_namespace.h"
#include "fetch/abort.h"
#include "fetch/response.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/store.h"

namespace wasmstream::bindings::js {

// A wasm entity of the realm's store (Memory, Table, Global, Tag, function).
struct ExternRef {
  wasm::Extern ext;
  std::shared_ptr<wasm::Store> store;  // keeps {ext} alive
};

// What a native handle object holds. The prelude keeps handles out of
// reach of scripts (a WeakMap from the API object to its handle).
using HandleValue = std::variant<Module, Instance, ExternRef, fetch::Response,
                                 std::shared_ptr<fetch::AbortController>>;

// A JS value kept alive from C++ (JSValueProtect) until this goes, unless the
// runtime is gone by then (its context is released with everything in it).
class Protected {
 public:
  Protected(std::shared_ptr<const bool> alive, JSContextRef ctx, JSValueRef value);
  ~Protected();
  Protected(const Protected&) = delete;
  Protected& operator=(const Protected&) = delete;
  JSValueRef get() const { return value_; }

 private:
  std::shared_ptr<const bool> alive_;
  JSContextRef ctx_;
  JSValueRef value_;
};

// The ArrayBuffer a Memory's `buffer` returned, and the bytes it views: when
// the memory grows (from JS or from wasm) it is detached and replaced.
struct MemoryBuffer {
  wasm::MemoryInstance* memory = nullptr;
  JSObjectRef buffer = nullptr;  // protected while here
  uint8_t* data = nullptr;
  uint64_t size = 0;
};

class RuntimeState;

// The private data of an Exported Function object.
struct ExportedFunctionData {
  wasm::FuncInstance* func;
  RuntimeState* state;
};

class RuntimeState {
 public:
  RuntimeState(JsRuntime& runtime, Realm& realm, JsRuntime::OutputSink sink);
  ~RuntimeState();

  JsRuntime& runtime;
  Realm& realm;
  WebAssembly wasm;
  JsRuntime::OutputSink sink;
  JSContextGroupRef group = nullptr;
  JSGlobalContextRef ctx = nullptr;
  JSClassRef global_class = nullptr;
  JSClassRef handle_class = nullptr;
  JSClassRef function_class = nullptr;  // exported wasm functions
  // Set false before the context is released (see Protected).
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
  int uncaught_errors = 0;
  Timers timers;

  // Prelude functions the natives call (protected for the runtime's life).
  JSObjectRef error_ctor[8] = {};  // by ErrorKind
  JSObjectRef to_array = nullptr;  // iterable -> Array (multi-value results)
  JSObjectRef detach = nullptr;    // detaches an ArrayBuffer
  JSObjectRef wrap_exception = nullptr;  // (tag handle, payload array) -> WebAssembly.Exception
  JSObjectRef handle_of_extern = nullptr;
  // callHost[n](f, args...) calls f with n arguments and an undefined this
  // (n = 4: any number, spread).
  JSObjectRef call_host[5] = {};  // Memory/Table/Global/Tag -> its handle or undefined

  // ---- handles
  JSObjectRef NewHandle(HandleValue value);
  // The handle's value if {v} is a handle holding a T.
  template <typename T>
  T* HandleAs(JSValueRef v) {
    if (!v || !JSValueIsObjectOfClass(ctx, v, handle_class)) return nullptr;
    auto* hv = static_cast<HandleValue*>(JSObjectGetPrivate(JSValueToObject(ctx, v, nullptr)));
    return hv ? std::get_if<T>(hv) : nullptr;
  }

  // ---- errors
  JSObjectRef MakeError(const Error& e);
  JSObjectRef MakeError(ErrorKind kind, std::string_view message);
  // Reports an uncaught exception or unhandled rejection (with its stack).
  void ReportUncaught(JSValueRef exception, std::string_view what);
  void Print(int stream, std::string_view line);

  // ---- exported functions: the same object for the same function
  JSObjectRef ExportedFunction(wasm::FuncInstance* f);
  // The function a JS value is, if it is an Exported Function. (A JS
  // function an instance imported is not: read back from wasm it is a new
  // Exported Function wrapping the host function, as in the JS API.)
  wasm::FuncInstance* AsWasmFunction(JSValueRef v);
  // The JS exception for a failed wasm call: a WebAssembly.Exception for an
  // uncaught wasm exception, else RuntimeError, RangeError, ...
  JSValueRef WasmErrorToJs(const wasm::Error& e);

  // ---- host values: externref n <-> a protected JS value
  uint64_t HostValue(JSValueRef v);
  JSValueRef FromHostValue(uint64_t n);

  // ---- memories
  JSObjectRef MemoryBufferFor(wasm::MemoryInstance* m);
  // Detaches the buffers of memories whose bytes moved or grew. Called after
  // every call into wasm and when wasm calls out.
  void CheckMemoryBuffers();
  // Detaches {m}'s buffer now (Memory.prototype.grow does, whatever the delta).
  void RefreshMemoryBuffer(wasm::MemoryInstance* m);

  // A JS exception thrown by a host function during a wasm call; the
  // outermost exported-function call rethrows it.
  std::unique_ptr<Protected> pending_exception;

  std::shared_ptr<wasm::Store> store() { return realm.store(); }

 private:
  void DetachBuffer(size_t index);

  std::unordered_map<const wasm::FuncInstance*, std::unique_ptr<Protected>> functions_;
  std::vector<std::unique_ptr<ExportedFunctionData>> function_data_;
  std::vector<std::unique_ptr<Protected>> host_values_;
  std::unordered_map<const void*, uint64_t> host_value_ids_;  // JSValueRef bits -> n
  std::vector<MemoryBuffer> buffers_;
};

// The state of the runtime whose global {ctx} belongs to.
RuntimeState& StateOf(JSContextRef ctx);

// Natives: the functions the prelude gets, on {natives}.
void InstallWasmNatives(RuntimeState& state, JSObjectRef natives);
void InstallHostNatives(RuntimeState& state, JSObjectRef natives);

// Calls the JS function {function} imported as a wasm function of {type}
// (wasm_natives.cc). A JS exception becomes s.pending_exception and an Error.
Settled<std::vector<wasm::Value>> CallHostFunction(RuntimeState& s, JSValueRef function,
                                                   const wasm::FuncType& type,
                                                   std::span<const wasm::Value> args);

// Value conversions of the JS API (values.cc).
// ToWebAssemblyValue: *exception set (TypeError) when {v} cannot be a {type}.
wasm::Value ToWasmValue(RuntimeState& s, JSValueRef v, wasm::ValueType type,
                        JSValueRef* exception);
// ToJSValue: *exception set (TypeError) for v128.
JSValueRef ToJsValue(RuntimeState& s, const wasm::Value& v, JSValueRef* exception);

}  // namespace wasmstream::bindings::js

#endif  // WASMSTREAM_BINDINGS_JS_RUNTIME_STATE_H_
