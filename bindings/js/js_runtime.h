// JsRuntime: a JavaScriptCore global (one JSGlobalContext) on top of a
// bindings::Realm, with this project's WebAssembly namespace in place of
// JSC's own and a small Web host: fetch() with Response and Headers,
// AbortController, console, setTimeout/clearTimeout, queueMicrotask, self,
// location.
//
// How it is put together. The WebAssembly and Web classes are defined by a
// prelude script (prelude.js) that runs first, in the shape WebIDL gives
// them (constructors, prototypes, property attributes, toString tags,
// errors as Error subclasses). The prelude keeps each object's native
// handle in a private WeakMap and calls natives (wasm_natives.cc,
// host_natives.cc) that do the work through bindings/ — WebAssembly,
// Realm::Fetch, ReadImports, Module, Instance — which stay the one
// implementation of the rules (spec order, CSP, MIME, CORS, cache). The JS
// layer maps objects and values, nothing more.
//
// The agent. Everything runs on the Realm's loop thread. One EventLoop
// drives both queues: this project's tasks and promise reactions, and
// JSC's promise jobs, which JSC runs when control returns from JavaScript
// to this C++ code (every evaluation, call and settlement made here leaves
// no job behind). Timers are tasks posted by a timer thread.
//
// Lifetimes. The global and every JS wrapper belong to JSC's collector. A
// wrapper holds its native object (a Module, the Store behind an Instance)
// by shared_ptr; a host function imported by an instance protects its JS
// function for as long as the Store lives. The Realm must outlive the
// JsRuntime; the runtime may be destroyed with promises still pending.
#ifndef WASMSTREAM_BINDINGS_JS_JS_RUNTIME_H_
#define WASMSTREAM_BINDINGS_JS_JS_RUNTIME_H_

#include <JavaScriptCore/JavaScript.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bindings/realm.h"

namespace wasmstream::bindings::js {

class RuntimeState;  // natives' shared state (runtime_state.h)

class JsRuntime {
 public:
  // What console.* and uncaught errors print: a stream (1 stdout, 2 stderr)
  // and the line without its newline.
  using OutputSink = std::function<void(int stream, std::string_view line)>;

  // Switches JSC's own WebAssembly off for the process (its option must be set
  // before the first JSC VM exists) and makes the global. {realm} gives the
  // loop, fetcher, origin/base URL (location), CSP and module consumer.
  explicit JsRuntime(Realm& realm, OutputSink sink = nullptr);
  ~JsRuntime();
  JsRuntime(const JsRuntime&) = delete;
  JsRuntime& operator=(const JsRuntime&) = delete;

  // Runs {source} as a classic script named {url}. An exception is reported
  // (printed with its stack) and counted; returns false then.
  bool Evaluate(std::string_view source, std::string_view url);
  // Runs the loop until no task, timer, fetch or compile is pending. False
  // if it gave up waiting {max_wait} for a task.
  bool RunUntilIdle(std::chrono::milliseconds max_wait = std::chrono::hours(24));
  // Uncaught exceptions and unhandled rejections reported so far.
  int uncaught_errors() const;

  JSGlobalContextRef context() const;
  Realm& realm() const { return realm_; }

 private:
  Realm& realm_;
  std::unique_ptr<RuntimeState> state_;
};

// Native objects (Module, Instance, Memory…, Response) that JS wrappers
// hold, in the whole process: goes down as JSC collects wrappers. For tests
// of the lifetime rules.
int64_t LiveHandleCount();

// Turns JSC's built-in WebAssembly off (JSC option useWasm=false). Must run
// before the process creates its first JSC context; JsRuntime calls it.
void DisableBuiltinWebAssembly();

}  // namespace wasmstream::bindings::js

#endif  // WASMSTREAM_BINDINGS_JS_JS_RUNTIME_H_
