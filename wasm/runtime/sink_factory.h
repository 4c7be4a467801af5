// Plugs the interpreter compiler into the StreamingCompiler: each function
// body is compiled on the worker thread that validates it, and Finish() hands
// the code to the Module (module.code). One factory per compile. CompileRunnable()
// is the one-call form.
#ifndef WASMSTREAM_WASM_RUNTIME_SINK_FACTORY_H_
#define WASMSTREAM_WASM_RUNTIME_SINK_FACTORY_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "wasm/code_sink.h"
#include "wasm/runtime/code.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::wasm {

class InterpreterSinkFactory final : public CodeSinkFactory {
 public:
  CodeSink* SinkFor(const Module& module, uint32_t func_index) override;
  void Prepare(uint32_t num_functions) override;
  Status Finish(Module& module) override;

  // Called by the sinks (any worker thread), once per function index.
  void Deliver(uint32_t func_index, std::shared_ptr<const FunctionCode> code);

 private:
  std::once_flag sized_;
  // Code per function index (module.functions.size() entries from Prepare()
  // or the first SinkFor on, whichever comes first); workers write distinct
  // entries, so no lock is needed, and StreamingCompiler orders every write
  // before Finish().
  std::vector<std::shared_ptr<const FunctionCode>> code_;
};

// Validates and compiles {bytes} into a Module that Instance can run.
CompileResult CompileRunnable(std::span<const uint8_t> bytes,
                              Features features = Features::Default());


}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_SINK_FACTORY_H_
