// StreamingCompiler: bytes in any chunking -> a validated (and, with a
// CodeSinkFactory, compiled) Module, or the CompileError a sequential
// validator would report first.
//
// Sections are decoded on the thread that delivers the bytes, as soon as each
// is complete; function bodies go to a WorkerPool the moment their last byte
// arrives (in batches of at most kBodyBatchBytes per chunk), so they validate
// while later bytes are still on the wire. The result never depends on timing
// or on the chunking: when several bodies are invalid the lowest function
// index wins, and a body error wins over any later decoding error (the body
// comes first in the byte stream).
//
// Threads: OnBytesReceived / Finish / FinishAsync / Abort are called from one
// thread at a time (any thread). The FinishAsync callback runs on a worker
// thread or, when nothing is pending, on the thread calling FinishAsync.
#ifndef WASMSTREAM_WASM_STREAMING_COMPILER_H_
#define WASMSTREAM_WASM_STREAMING_COMPILER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "wasm/features.h"
#include "wasm/limits.h"
#include "wasm/module.h"
#include "wasm/result.h"
#include "wasm/wire_bytes.h"

namespace wasmstream::wasm {

class CodeSink;  // wasm/code_sink.h
class WorkerPool;

// Lets a compiler (wasm/runtime/) compile each body in the same walk that
// validates it.
class CodeSinkFactory {
 public:
  virtual ~CodeSinkFactory() = default;
  // On a worker thread, once per defined function about to be decoded: the
  // sink for that body, used until its DecodeFunctionBody() returns, or null.
  // The sink stays the factory's: it may hand each thread one sink to reuse
  // body after body (one allocation per body was measurable on modules of
  // 600,000 small functions).
  virtual CodeSink* SinkFor(const Module& module, uint32_t func_index) = 0;
  // Once the function section is decoded, on a worker thread, while the
  // thread delivering the bytes goes on with the sections between it and the
  // code section: {num_functions} (imports included) is final, so per-function
  // tables can be sized here rather than by the first SinkFor, which the
  // first bodies would wait for. May run concurrently with SinkFor.
  virtual void Prepare(uint32_t num_functions) { (void)num_functions; }
  // Once, after every body validated and before the Module is frozen (any
  // thread; never concurrently with SinkFor). An error fails the compile.
  virtual Status Finish(Module& module) { (void)module; return Ok{}; }
};

struct StreamingOptions {
  Features features = Features::Default();
  // Bodies validate on this pool (WorkerPool::Shared() when null)...
  WorkerPool* pool = nullptr;
  // ...or, when true, synchronously on the thread delivering the bytes.
  bool validate_inline = false;
  std::shared_ptr<CodeSinkFactory> sink_factory;
  uint64_t max_module_size = kSpecMaxModuleSize;
  // Where the bytes live: when the caller appends each chunk to this buffer
  // itself before passing it in place to OnBytesReceived(), the compiler
  // copies nothing (the cache hashes and keeps the same bytes). Null: the
  // compiler makes its own and copies each chunk into it once.
  std::shared_ptr<WireBuffer> wire_buffer;
  // The module's size when known before its bytes (Content-Length), or 0.
  // Until the first body reaches the pool its workers are idle (the sections
  // before the code decode on the delivering thread): meanwhile one of them
  // faults in the pages the next bytes will be copied to (up to this size and
  // kMaxPrefaultAhead past the bytes received), page zeroing the delivering
  // thread then skips. Only a hint: a wrong size costs at most those pages.
  uint64_t expected_size = 0;
};

// How far past the bytes received the idle workers fault in the wire buffer.
constexpr size_t kMaxPrefaultAhead = 32u << 20;

using CompileResult = Result<std::shared_ptr<const Module>>;

// Bodies handed to a worker at once, at most (bytes).
constexpr size_t kBodyBatchBytes = 64 * 1024;

class StreamingCompiler {
 public:
  explicit StreamingCompiler(StreamingOptions options = {});
  // Aborts if unfinished; pending worker tasks finish on their own.
  ~StreamingCompiler();
  StreamingCompiler(const StreamingCompiler&) = delete;
  StreamingCompiler& operator=(const StreamingCompiler&) = delete;

  // The next chunk; the caller keeps ownership of {bytes} (see
  // StreamingOptions::wire_buffer for passing them without a copy).
  void OnBytesReceived(std::span<const uint8_t> bytes);
  // End of stream. Blocks until every body is validated.
  CompileResult Finish();
  // End of stream; {done} gets the result exactly once (unless aborted).
  void FinishAsync(std::function<void(CompileResult)> done);
  // Stops decoding, drops queued bodies, never calls {done}. Idempotent.
  void Abort();

  // Whether an error is already known (later bytes are ignored).
  bool failed() const;

 private:
  struct State;
  class Processor;
  std::shared_ptr<State> state_;
  std::unique_ptr<Processor> processor_;
};

// The whole module at once (a convenience over StreamingCompiler).
CompileResult CompileModule(std::span<const uint8_t> bytes,
                            Features features = Features::Default());
CompileResult CompileModule(std::span<const uint8_t> bytes, StreamingOptions options);

// "Compiling function #3 "add" failed: <message>" (without a name when the
// name section gives none).
std::string FunctionErrorPrefix(uint32_t func_index, const std::optional<std::string>& name);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_STREAMING_COMPILER_H_
