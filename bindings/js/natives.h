// What every natives file uses: the signature of a native, its arguments,
// registration, and settling a JS promise from a bindings::Promise.
#ifndef WASMSTREAM_BINDINGS_JS_NATIVES_H_
#define WASMSTREAM_BINDINGS_JS_NATIVES_H_

#include <JavaScriptCore/JavaScript.h>

#include <memory>
#include <string_view>

#include "bindings/js/jsc_util.h"
#include "bindings/js/runtime_state.h"
#include "bindings/promise.h"

namespace wasmstream::bindings::js {

#define WASMSTREAM_NATIVE(name)                                                     \
  JSValueRef name(JSContextRef ctx, JSObjectRef, JSObjectRef, size_t argc,          \
                  const JSValueRef argv[], JSValueRef* exception)

// Argument {i}, undefined when missing.
inline JSValueRef Arg(JSContextRef ctx, size_t argc, const JSValueRef argv[], size_t i) {
  return i < argc ? argv[i] : JSValueMakeUndefined(ctx);
}

inline void AddNative(JSContextRef ctx, JSObjectRef natives, std::string_view name,
                      JSObjectCallAsFunctionCallback fn) {
  JsString n(name);
  Set(ctx, natives, name, JSObjectMakeFunctionWithCallback(ctx, n.get(), fn));
}

// A JS promise that settles as {p} does: fulfilled with map(value) (or
// rejected with what map throws), rejected with the JS form of the Error.
// Nothing happens if the runtime is gone by then.
template <typename T, typename Map>
JSObjectRef ToJsPromise(RuntimeState& s, const Promise<T>& p, Map map) {
  JSObjectRef resolve = nullptr, reject = nullptr;
  JSObjectRef promise = JSObjectMakeDeferredPromise(s.ctx, &resolve, &reject, nullptr);
  auto res = std::make_shared<Protected>(s.alive, s.ctx, resolve);
  auto rej = std::make_shared<Protected>(s.alive, s.ctx, reject);
  std::shared_ptr<const bool> alive = s.alive;
  RuntimeState* state = &s;
  auto settle = [state](const std::shared_ptr<Protected>& fn, JSValueRef value) {
    JSObjectCallAsFunction(state->ctx, JSValueToObject(state->ctx, fn->get(), nullptr), nullptr, 1,
                           &value, nullptr);
  };
  p.Then(
      [=](const T& value) {
        if (!*alive) return;
        JSValueRef exc = nullptr;
        JSValueRef v = map(value, &exc);
        if (exc) {
          settle(rej, exc);
        } else {
          settle(res, v);
        }
      },
      [=](const Error& e) {
        if (!*alive) return;
        // A JS exception from an import (in a start function run by a task)
        // is what the promise rejects with, not the trap it caused.
        if (state->pending_exception) {
          JSValueRef js = state->pending_exception->get();
          settle(rej, js);
          state->pending_exception.reset();
          return;
        }
        settle(rej, state->MakeError(e));
      });
  return promise;
}

}  // namespace wasmstream::bindings::js

#endif  // WASMSTREAM_BINDINGS_JS_NATIVES_H_
