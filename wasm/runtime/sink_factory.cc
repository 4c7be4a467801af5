#include "wasm/runtime/sink_factory.h"

#include "base/huge_pages.h"
#include "wasm/runtime/compiler.h"

namespace wasmstream::wasm {
namespace {

// The Compiler itself is the decoder's sink, so each instruction costs one
// virtual call; the end of a function also hands the code to the factory.
class CompilingSink final : public Compiler {
 public:
  explicit CompilingSink(const Module& module) : Compiler(module) {}

  // Before each body.
  void Prepare(const Module& module, InterpreterSinkFactory* factory, uint32_t func_index) {
    set_module(module);
    factory_ = factory;
    func_index_ = func_index;
  }

  Status OnFunctionEnd(uint32_t end_offset) override {
    Status s = Compiler::OnFunctionEnd(end_offset);
    if (s.ok()) factory_->Deliver(func_index_, TakeShared());
    return s;
  }

 private:
  InterpreterSinkFactory* factory_ = nullptr;
  uint32_t func_index_ = 0;
};

// This thread's sink, reused from body to body (and module to module): a
// thread decodes one body at a time, and its Compiler's buffers keep their
// capacity (compiler.h).
thread_local std::unique_ptr<CompilingSink> t_sink;

}  // namespace

void InterpreterSinkFactory::Prepare(uint32_t num_functions) {
  // 16 bytes a function of fresh memory (pandoc.wasm: 10 MB, 4 ms of page
  // faults on 4 KiB pages), zeroed before the first body rather than by it.
  std::call_once(sized_, [&] { base::ResizeForFill(code_, num_functions); });
}

CodeSink* InterpreterSinkFactory::SinkFor(const Module& module, uint32_t func_index) {
  // The function section is complete before the first body, so its size is
  // final (and the same Prepare() was given).
  std::call_once(sized_, [&] { base::ResizeForFill(code_, module.functions.size()); });
  if (!t_sink) t_sink = std::make_unique<CompilingSink>(module);
  t_sink->Prepare(module, this, func_index);
  return t_sink.get();
}

void InterpreterSinkFactory::Deliver(uint32_t func_index,
                                     std::shared_ptr<const FunctionCode> code) {
  // Each index is written once, by the one worker compiling that body.
  if (func_index < code_.size()) code_[func_index] = std::move(code);
}

Status InterpreterSinkFactory::Finish(Module& module) {
  code_.resize(module.functions.size());
  module.code = std::move(code_);
  code_ = {};
  for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
    if (!module.code[i]) {
      return CompileError{module.functions[i].body.offset, "function was not compiled"};
    }
  }
  return Ok{};
}

CompileResult CompileRunnable(std::span<const uint8_t> bytes, Features features) {
  StreamingOptions options;
  options.features = features;
  options.sink_factory = std::make_shared<InterpreterSinkFactory>();
  return CompileModule(bytes, options);
}

}  // namespace wasmstream::wasm
