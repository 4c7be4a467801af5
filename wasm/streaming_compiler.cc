#include "wasm/streaming_compiler.h"

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wasm/code_sink.h"
#include "wasm/function_body_decoder.h"
#include "wasm/module_decoder.h"
#include "wasm/name_section.h"
#include "wasm/streaming_decoder.h"
#include "wasm/worker_pool.h"

namespace wasmstream::wasm {

std::string FunctionErrorPrefix(uint32_t func_index, const std::optional<std::string>& name) {
  std::string s = "Compiling function #" + std::to_string(func_index);
  if (name) s += " \"" + *name + "\"";
  return s + " failed: ";
}

struct StreamingCompiler::State {
  explicit State(StreamingOptions o)
      : options(std::move(o)),
        pool(options.pool ? options.pool : &WorkerPool::Shared()),
        decoder(options.features) {}

  StreamingOptions options;
  WorkerPool* pool;
  // Used on the delivering thread; read-only for workers once the code
  // section started (ModuleDecoder's contract).
  ModuleDecoder decoder;
  // The bytes as received (the decoder's buffer); the module keeps them.
  // Set before the first batch is posted: it keeps the bodies' bytes alive
  // for the workers, so a body needs no reference of its own.
  std::shared_ptr<const WireBuffer> buffer;
  std::optional<CompileError> decode_error;
  uint32_t total_length = 0;

  std::atomic<bool> aborted{false};
  // Lowest failing function index so far: later bodies need no validation.
  std::atomic<uint32_t> first_error_func{UINT32_MAX};

  std::mutex mutex;
  // Protected by {mutex}:
  uint32_t pending = 0;  // body batches queued or running
  std::optional<CompileError> body_error;  // for function {first_error_func}
  bool stream_done = false;
  bool completed = false;
  std::function<void(CompileResult)> done;

  // A body's bytes point into {buffer}. Not a Piece: a reference count per
  // body, raised on the delivering thread and dropped on a worker, bounced
  // its cache line between the cores for each of pandoc's 620,000 bodies.
  struct Body {
    uint32_t func_index;
    std::span<const uint8_t> bytes;
    uint32_t offset;
  };

  void ValidateBody(const Body& b) {
    if (aborted.load(std::memory_order_relaxed)) return;
    if (first_error_func.load(std::memory_order_relaxed) < b.func_index) return;
    CodeSink* sink = nullptr;
    const Module& m = decoder.module();
    if (options.sink_factory) sink = options.sink_factory->SinkFor(m, b.func_index);
    Status s = DecodeFunctionBody(m, b.func_index, b.bytes, b.offset, sink);
    if (s.ok()) return;
    std::lock_guard<std::mutex> lock(mutex);
    if (b.func_index < first_error_func.load()) {
      first_error_func.store(b.func_index);
      body_error = s.error();
    }
  }

  // Completes once the stream ended and no batch is pending.
  static void MaybeComplete(const std::shared_ptr<State>& self) {
    std::function<void(CompileResult)> done;
    {
      std::lock_guard<std::mutex> lock(self->mutex);
      if (!self->stream_done || self->pending > 0 || self->completed) return;
      self->completed = true;
      done = std::move(self->done);
    }
    if (self->aborted.load()) return;
    CompileResult r = self->BuildResult();
    if (done) done(std::move(r));
  }

  CompileResult BuildResult() {
    if (body_error) {
      uint32_t f = first_error_func.load();
      std::optional<std::string> name;
      if (buffer) name = FindFunctionName(buffer->span(), decoder.custom_sections(), f);
      return CompileError{body_error->offset, FunctionErrorPrefix(f, name) + body_error->message};
    }
    if (decode_error) return *decode_error;
    Status s = decoder.Finish(total_length);
    if (!s.ok()) return s.error();
    std::shared_ptr<Module> m = decoder.TakeModule();
    if (buffer) m->wire_bytes = WireBytes(buffer, total_length);
    if (options.sink_factory) {
      Status fs = options.sink_factory->Finish(*m);
      if (!fs.ok()) return fs.error();
    }
    return std::shared_ptr<const Module>(std::move(m));
  }
};

// The StreamingProcessor: hands sections to the ModuleDecoder and bodies to
// the workers.
class StreamingCompiler::Processor : public StreamingProcessor {
 public:
  explicit Processor(std::shared_ptr<State> state)
      : state_(std::move(state)),
        decoder_(this, state_->options.max_module_size, state_->options.wire_buffer) {
    batch_.reserve(kBatchReserve);
  }

  StreamingDecoder& decoder() { return decoder_; }

  bool ProcessModuleHeader(std::span<const uint8_t> bytes) override {
    return Check(state_->decoder.DecodePreamble(bytes));
  }
  bool ProcessSectionId(uint8_t id, uint32_t offset) override {
    return Check(state_->decoder.CheckSectionId(id, offset));
  }
  bool ProcessSection(uint8_t id, Piece payload, uint32_t payload_offset,
                      uint32_t id_offset) override {
    return Check(state_->decoder.DecodeSection(id, payload.bytes, payload_offset, id_offset));
  }
  bool ProcessCodeSectionHeader(uint32_t count, uint32_t count_offset, uint32_t,
                                uint32_t) override {
    return Check(state_->decoder.StartCodeSection(count, count_offset));
  }
  bool ProcessFunctionBody(uint32_t index, Piece body, uint32_t offset) override {
    State& s = *state_;
    uint32_t length = static_cast<uint32_t>(body.bytes.size());
    if (!Check(s.decoder.AddFunctionBody(index, ByteRange{offset, length}))) return false;
    State::Body b{s.decoder.module().num_imported_functions + index, body.bytes, offset};
    if (s.options.validate_inline) {
      s.ValidateBody(b);
      return true;
    }
    batch_bytes_ += length;
    batch_.push_back(std::move(b));
    if (batch_bytes_ >= kBodyBatchBytes) Flush();
    return true;
  }
  bool ProcessCodeSectionEnd() override {
    Flush();
    return true;
  }
  void OnFinishedStream(uint32_t total_length) override { state_->total_length = total_length; }
  void OnError(CompileError error) override {
    if (!state_->decode_error) state_->decode_error = std::move(error);
  }

  // Hands the collected bodies to a worker.
  void Flush() {
    if (batch_.empty()) return;
    if (!state_->buffer) state_->buffer = decoder_.buffer();
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      ++state_->pending;
    }
    std::shared_ptr<State> state = state_;
    state_->pool->Post([state, batch = std::move(batch_)]() mutable {
      for (const State::Body& b : batch) state->ValidateBody(b);
      {
        std::lock_guard<std::mutex> lock(state->mutex);
        --state->pending;
      }
      State::MaybeComplete(state);
    });
    batch_ = {};
    batch_.reserve(kBatchReserve);
    batch_bytes_ = 0;
  }

 private:
  bool Check(Status s) {
    if (s.ok()) return true;
    if (!state_->decode_error) state_->decode_error = s.error();
    return false;
  }

  // Bodies a batch usually holds (bodies of ~100 bytes in a 64 KiB batch).
  static constexpr size_t kBatchReserve = 512;

  std::shared_ptr<State> state_;
  StreamingDecoder decoder_;
  std::vector<State::Body> batch_;
  size_t batch_bytes_ = 0;
};

StreamingCompiler::StreamingCompiler(StreamingOptions options)
    : state_(std::make_shared<State>(std::move(options))),
      processor_(std::make_unique<Processor>(state_)) {}

StreamingCompiler::~StreamingCompiler() {
  bool finished;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    finished = state_->stream_done;
  }
  if (!finished) Abort();
}

bool StreamingCompiler::failed() const {
  return state_->decode_error.has_value() ||
         state_->first_error_func.load() != UINT32_MAX;
}

void StreamingCompiler::OnBytesReceived(std::span<const uint8_t> bytes) {
  State& s = *state_;
  if (s.aborted.load() || processor_->decoder().stopped()) return;
  if (bytes.empty()) return;
  processor_->decoder().OnBytesReceived(bytes);
  if (!s.buffer) s.buffer = processor_->decoder().buffer();
  // Bodies completed by this chunk go to the workers now, not at the next one.
  processor_->Flush();
}

void StreamingCompiler::FinishAsync(std::function<void(CompileResult)> done) {
  if (state_->aborted.load()) return;
  processor_->decoder().Finish();
  processor_->Flush();
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (!state_->stream_done) {
      state_->stream_done = true;
      state_->done = std::move(done);
      done = nullptr;
    }
  }
  if (done) {  // finished twice: the first call owns the result
    done(CompileError{0, "compilation already finished"});
    return;
  }
  State::MaybeComplete(state_);
}

CompileResult StreamingCompiler::Finish() {
  if (state_->aborted.load()) return CompileError{0, "compilation aborted"};
  std::promise<CompileResult> promise;
  std::future<CompileResult> future = promise.get_future();
  FinishAsync([&promise](CompileResult r) { promise.set_value(std::move(r)); });
  return future.get();
}

void StreamingCompiler::Abort() {
  state_->aborted.store(true);
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->stream_done = true;
  state_->done = nullptr;
}

CompileResult CompileModule(std::span<const uint8_t> bytes, StreamingOptions options) {
  StreamingCompiler compiler(std::move(options));
  compiler.OnBytesReceived(bytes);
  return compiler.Finish();
}

CompileResult CompileModule(std::span<const uint8_t> bytes, Features features) {
  StreamingOptions o;
  o.features = features;
  return CompileModule(bytes, std::move(o));
}

}  // namespace wasmstream::wasm
