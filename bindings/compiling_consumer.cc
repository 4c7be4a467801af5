#include "bindings/compiling_consumer.h"

#include <chrono>

namespace wasmstream::bindings {
namespace {

using Clock = std::chrono::steady_clock;

class CompilingConsumer final : public ModuleStreamConsumer {
 public:
  CompilingConsumer(const StreamInfo& info, wasm::WorkerPool* pool) {
    wasm::StreamingOptions options;
    options.features = info.features;
    options.pool = pool;
    options.sink_factory = info.sink_factory;
    options.wire_buffer = info.wire_buffer;
    options.expected_size = info.body_size.value_or(0);
    compiler_ = std::make_unique<wasm::StreamingCompiler>(std::move(options));
  }

  void OnBytes(std::span<const uint8_t> bytes) override {
    if (!started_) {
      started_ = true;
      start_ = Clock::now();
    }
    compiler_->OnBytesReceived(bytes);
  }

  bool failed() const override { return compiler_->failed(); }

  void Finish(FinishCallback done) override {
    Clock::time_point start = started_ ? start_ : Clock::now();
    // compile_ms: wall time from the first byte given to the compiler to the
    // Module (so it overlaps the download when streaming).
    compiler_->FinishAsync([start, done = std::move(done)](wasm::CompileResult result) {
      ConsumerReport report;
      report.compile_ms =
          std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      done(std::move(result), std::move(report));
    });
  }

  void Abort() override { compiler_->Abort(); }

 private:
  std::unique_ptr<wasm::StreamingCompiler> compiler_;
  bool started_ = false;
  Clock::time_point start_;
};

class DefaultFactory final : public ModuleStreamConsumerFactory {
 public:
  std::unique_ptr<ModuleStreamConsumer> Create(const StreamInfo& info) override {
    return MakeCompilingConsumer(info);
  }
  std::string_view name() const override { return "compile"; }
};

}  // namespace

std::unique_ptr<ModuleStreamConsumer> MakeCompilingConsumer(const StreamInfo& info,
                                                            wasm::WorkerPool* pool) {
  return std::make_unique<CompilingConsumer>(info, pool);
}

ModuleStreamConsumerFactory& DefaultConsumerFactory() {
  static DefaultFactory* factory = new DefaultFactory();  // never destroyed
  return *factory;
}

}  // namespace wasmstream::bindings
