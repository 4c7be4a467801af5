// The plug point between the compileStreaming controller and whatever turns
// body bytes into a Module: the default consumer compiles them with
// wasm::StreamingCompiler (compiling_consumer.h); a code cache
// (bindings/cached_*.{h,cc}, the cache helper's) wraps or replaces it.
//
// The Realm holds a ModuleStreamConsumerFactory (null: the default). For every
// compile request — compileStreaming() after its response checks passed, and
// compile(bytes) / instantiate(bytes) too — the controller creates one
// consumer and drives it, always on the loop thread:
//
//   OnBytes(chunk)*  then exactly one of  Finish(done)  or  Abort()
//
// (Finish comes before the body's end when failed() says the bytes so far
// are already invalid.)
//
// - OnBytes: the next body bytes, in order, as they arrive. The span is owned
//   by the caller and valid only during the call. Must not block (hand heavy
//   work to other threads). No OnBytes after Finish or Abort.
// - Finish: the body ended normally. The consumer calls {done} exactly once,
//   from any thread, with the Module or a CompileError and its report. The
//   controller posts the result back to the loop itself.
// - Abort: the body failed (network error, abort) or the request is dropped.
//   Idempotent; may come after Finish while {done} is outstanding. After
//   Abort, {done} may still be called (it is ignored), but the consumer
//   should stop work soon and must not touch the loop or the controller.
//
// A consumer reports what it did in ConsumerReport, never in shared state, so
// worker threads and the loop never race on a record.
#ifndef WASMSTREAM_BINDINGS_MODULE_STREAM_CONSUMER_H_
#define WASMSTREAM_BINDINGS_MODULE_STREAM_CONSUMER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/result.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::bindings {

using ModuleResult = wasm::Result<std::shared_ptr<const wasm::Module>>;

// What the controller knows about a stream when it creates its consumer.
struct StreamInfo {
  std::string url;  // the response's URL; "" for compile(bytes)
  wasm::Features features = wasm::Features::Default();
  // From the response headers, for caches keyed on URL + validator (may be absent).
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<uint64_t> content_length;
  // The module's size when the response announces it: the Content-Length of
  // a body sent without a Content-Encoding (a coded length is not it).
  std::optional<uint64_t> body_size;
  // The realm's compiler of function bodies (wasm/runtime/), or null to only
  // validate; a consumer that compiles passes it to wasm::StreamingOptions.
  std::shared_ptr<wasm::CodeSinkFactory> sink_factory;
  // The stream's one copy of its bytes, when a consumer above this one (the
  // code cache) keeps it: each OnBytes span then lies in this buffer, already
  // appended, and a compiling consumer reads it in place
  // (wasm::StreamingOptions::wire_buffer). Null: the consumer keeps its own.
  std::shared_ptr<wasm::WireBuffer> wire_buffer;
};

// Filled by a consumer, handed back with the result.
struct ConsumerReport {
  // "off" (no cache), "miss", "hit"; the CLI's --json "cache" field.
  std::string cache = "off";
  std::string cache_detail;  // free text: why a miss, which tier hit…
  // Time spent producing the Module (compiling, or loading a cached one), in
  // milliseconds, as the consumer measures it; nullopt if unknown.
  std::optional<double> compile_ms;
};

class ModuleStreamConsumer {
 public:
  using FinishCallback = std::function<void(ModuleResult, ConsumerReport)>;

  virtual ~ModuleStreamConsumer() = default;
  virtual void OnBytes(std::span<const uint8_t> bytes) = 0;
  // Whether the bytes so far already make an invalid module: no later byte
  // can change the outcome, so the controller stops the download and calls
  // Finish at once (the promise rejects with the CompileError as early as the
  // decoder found it, as V8's streaming decoder does). Loop thread.
  virtual bool failed() const { return false; }
  virtual void Finish(FinishCallback done) = 0;
  virtual void Abort() = 0;
};

class ModuleStreamConsumerFactory {
 public:
  virtual ~ModuleStreamConsumerFactory() = default;
  // Called on the loop thread, once per compile request.
  virtual std::unique_ptr<ModuleStreamConsumer> Create(const StreamInfo& info) = 0;
  // A short name for records and the CLI ("compile", "sqlite", …).
  virtual std::string_view name() const = 0;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_MODULE_STREAM_CONSUMER_H_
