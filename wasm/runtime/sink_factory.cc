#include "wasm/runtime/sink_factory.h"

#include "wasm/runtime/compiler.h"

namespace wasmstream::wasm {
namespace {

// This thread's Compiler, reused from body to body so its buffers keep their
// capacity (compiler.h). A sink made while another one lives on the same
// thread gets a Compiler of its own.
thread_local std::unique_ptr<Compiler> t_compiler;
thread_local bool t_compiler_busy = false;

class CompilingSink final : public CodeSink {
 public:
  CompilingSink(const Module& module, InterpreterSinkFactory* factory, uint32_t func_index)
      : factory_(factory), func_index_(func_index) {
    if (t_compiler_busy) {
      own_ = std::make_unique<Compiler>(module);
      compiler_ = own_.get();
      return;
    }
    if (!t_compiler) t_compiler = std::make_unique<Compiler>(module);
    t_compiler_busy = true;
    compiler_ = t_compiler.get();
    compiler_->set_module(module);
  }
  ~CompilingSink() override {
    if (!own_) t_compiler_busy = false;
  }
  CompilingSink(const CompilingSink&) = delete;
  CompilingSink& operator=(const CompilingSink&) = delete;

  void OnFunctionStart(const FunctionStart& start) override { compiler_->OnFunctionStart(start); }
  void OnInstruction(const Instruction& instr, const ValidatorState& state) override {
    compiler_->OnInstruction(instr, state);
  }
  Status OnFunctionEnd(uint32_t end_offset) override {
    Status s = compiler_->OnFunctionEnd(end_offset);
    if (s.ok()) factory_->Deliver(func_index_, compiler_->TakeShared());
    return s;
  }

 private:
  Compiler* compiler_;
  std::unique_ptr<Compiler> own_;  // only when this thread's Compiler was busy
  InterpreterSinkFactory* factory_;
  uint32_t func_index_;
};

}  // namespace

std::unique_ptr<CodeSink> InterpreterSinkFactory::NewSink(const Module& module,
                                                          uint32_t func_index) {
  // The function section is complete before the first body, so its size is final.
  std::call_once(sized_, [&] { code_.resize(module.functions.size()); });
  return std::make_unique<CompilingSink>(module, this, func_index);
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
