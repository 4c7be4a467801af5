// The WebAssembly namespace for C++ embedders: validate, compile,
// compileStreaming, with the JS API's and Web API's checks, order and error
// kinds (docs/compile-streaming.md). Every method runs on the realm's loop
// thread and never throws or blocks; failures are rejected promises.
#ifndef WASMSTREAM_BINDINGS_WASM_NAMESPACE_H_
#define WASMSTREAM_BINDINGS_WASM_NAMESPACE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "bindings/instance_object.h"
#include "bindings/messages.h"
#include "bindings/module_object.h"
#include "bindings/promise.h"
#include "bindings/realm.h"
#include "fetch/response.h"

namespace wasmstream::bindings {

// A JS value that is not a Response (undefined, null, a number, a plain
// object…): compileStreaming rejects it with a TypeError (WPT
// invalid-args.any.js). {description} names it
// in the TypeError's message.
struct NotAResponse {
  std::string description = "undefined";
};

// What a Promise<Response>-typed argument can be fulfilled with.
using SourceValue = std::variant<fetch::Response, NotAResponse>;

// compileStreaming's source argument: a Response, a promise of one, a
// promise of anything, or anything else.
using StreamingSource =
    std::variant<fetch::Response, Promise<fetch::Response>, Promise<SourceValue>, NotAResponse>;

struct StreamingOptions {
  // Progress, on the loop thread, after each body chunk: bytes so far and the
  // Content-Length if the response had one. For the CLI's progress bar.
  std::function<void(uint64_t received, std::optional<uint64_t> total)> on_progress;
};

class WebAssembly {
 public:
  explicit WebAssembly(Realm& realm) : realm_(realm) {}

  // J-5: true if the bytes decode and validate. Synchronous; not CSP-gated.
  bool Validate(std::span<const uint8_t> bytes) const;

  // J-7: copies the bytes; rejects with CompileError if CSP blocks (checked
  // before any byte is decoded) or the bytes do not compile.
  Promise<Module> Compile(std::span<const uint8_t> bytes);

  // "compile a potential WebAssembly response", its checks in the Web API's
  // order (docs/compile-streaming.md). The response is
  // looked at only in a promise reaction, never inside this call.
  Promise<Module> CompileStreaming(StreamingSource source, StreamingOptions options = {});

  // instantiate(moduleObject, importObject) (the JS API's "asynchronously
  // instantiate"): the imports are read inside this call (TypeError /
  // LinkError reject the promise), instantiation runs in a task (LinkError;
  // RuntimeError if the start function traps). Not CSP-gated: CSP gates
  // compiling bytes only.
  // {imports} null: the importObject argument was omitted.
  Promise<Instance> Instantiate(const Module& module, std::shared_ptr<const ImportObject> imports);
  // instantiate(bytes, importObject): Compile(), then instantiate.
  Promise<InstantiatedSource> Instantiate(std::span<const uint8_t> bytes,
                                          std::shared_ptr<const ImportObject> imports);
  // CompileStreaming(), then "instantiate a promise of a module"; the
  // imports are not looked at before the module is compiled.
  Promise<InstantiatedSource> InstantiateStreaming(StreamingSource source,
                                                   std::shared_ptr<const ImportObject> imports,
                                                   StreamingOptions options = {});

  Realm& realm() const { return realm_; }

 private:
  void AsyncInstantiate(const Module& module, std::shared_ptr<const ImportObject> imports,
                        Promise<Instance> result);
  Promise<InstantiatedSource> InstantiatePromiseOfModule(
      Promise<Module> module, std::shared_ptr<const ImportObject> imports);

  Realm& realm_;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_WASM_NAMESPACE_H_
