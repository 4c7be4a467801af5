#include "wasm/runtime/sink_factory.h"

#include "wasm/runtime/compiler.h"

namespace wasmstream::wasm {
namespace {

class CompilingSink final : public CodeSink {
 public:
  CompilingSink(const Module& module, InterpreterSinkFactory* factory, uint32_t func_index)
      : compiler_(module), factory_(factory), func_index_(func_index) {}
  void OnFunctionStart(const FunctionStart& start) override { compiler_.OnFunctionStart(start); }
  void OnInstruction(const Instruction& instr, const ValidatorState& state) override {
    compiler_.OnInstruction(instr, state);
  }
  Status OnFunctionEnd(uint32_t end_offset) override {
    Status s = compiler_.OnFunctionEnd(end_offset);
    if (s.ok()) factory_->Deliver(func_index_, compiler_.Take());
    return s;
  }

 private:
  Compiler compiler_;
  InterpreterSinkFactory* factory_;
  uint32_t func_index_;
};

}  // namespace

std::unique_ptr<CodeSink> InterpreterSinkFactory::NewSink(const Module& module,
                                                          uint32_t func_index) {
  return std::make_unique<CompilingSink>(module, this, func_index);
}

void InterpreterSinkFactory::Deliver(uint32_t func_index, std::unique_ptr<FunctionCode> code) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_.emplace_back(func_index, std::move(code));
}

Status InterpreterSinkFactory::Finish(Module& module) {
  std::lock_guard<std::mutex> lock(mutex_);
  module.code.resize(module.functions.size());
  for (auto& [index, code] : done_) {
    if (index < module.code.size()) module.code[index] = std::move(code);
  }
  done_.clear();
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
