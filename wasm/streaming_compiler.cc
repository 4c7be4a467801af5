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

  // Validates (and compiles) body {func_index}, whose bytes are {bytes} at
  // module offset {offset}.
  void ValidateBody(uint32_t func_index, std::span<const uint8_t> bytes, uint32_t offset) {
    if (aborted.load(std::memory_order_relaxed)) return;
    if (first_error_func.load(std::memory_order_relaxed) < func_index) return;
    CodeSink* sink = nullptr;
    const Module& m = decoder.module();
    if (options.sink_factory) sink = options.sink_factory->SinkFor(m, func_index);
    Status s = DecodeFunctionBody(m, func_index, bytes, offset, sink);
    if (s.ok()) return;
    std::lock_guard<std::mutex> lock(mutex);
    if (func_index < first_error_func.load()) {
      first_error_func.store(func_index);
      body_error = s.error();
    }
  }

  // A batch is a run of consecutive functions: each one's bytes are found
  // through the body range the decoder recorded (module.functions[i].body,
  // written before the batch was posted and never again) in {buffer}, which
  // keeps them alive. So the delivering thread records nothing per body for
  // the workers but that range.
  void ValidateBodies(uint32_t first_func, uint32_t count) {
    if (aborted.load(std::memory_order_relaxed)) return;
    const Module& m = decoder.module();
    const uint8_t* data = buffer->data();
    for (uint32_t f = first_func; f < first_func + count; ++f) {
      const ByteRange& r = m.functions[f].body;
      std::span<const uint8_t> bytes;
      if (r.length > 0) bytes = std::span<const uint8_t>(data + r.offset, r.length);
      ValidateBody(f, bytes, r.offset);
    }
  }

  // Bytes received so far, for the prefaulting worker.
  std::atomic<size_t> received{0};

  // One step (one huge page) of faulting in the wire buffer ahead of the
  // bytes, then the next as a new task, for as long as no body batch is
  // queued or running: it only uses a worker that would wait anyway, and a
  // first body waits for at most one step.
  static void PrefaultStep(const std::shared_ptr<State>& self, size_t from, size_t end) {
    {
      std::lock_guard<std::mutex> lock(self->mutex);
      if (self->pending > 0 || self->stream_done) return;
    }
    if (self->aborted.load(std::memory_order_relaxed)) return;
    size_t limit = std::min(end, self->received.load(std::memory_order_relaxed) + kMaxPrefaultAhead);
    if (from >= limit) return;
    constexpr size_t kStep = size_t{2} << 20;
    size_t to = std::min(limit, (from / kStep + 1) * kStep);
    if (!self->buffer->Prefault(from, to)) return;
    self->pool->Post([self, to, end] { PrefaultStep(self, to, end); });
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
        decoder_(this, state_->options.max_module_size, state_->options.wire_buffer) {}

  StreamingDecoder& decoder() { return decoder_; }

  bool ProcessModuleHeader(std::span<const uint8_t> bytes) override {
    if (!Check(state_->decoder.DecodePreamble(bytes))) return false;
    StartPrefault();
    return true;
  }
  bool ProcessSectionId(uint8_t id, uint32_t offset) override {
    return Check(state_->decoder.CheckSectionId(id, offset));
  }
  bool ProcessSection(uint8_t id, Piece payload, uint32_t payload_offset,
                      uint32_t id_offset) override {
    if (!Check(state_->decoder.DecodeSection(id, payload.bytes, payload_offset, id_offset))) {
      return false;
    }
    if (id == static_cast<uint8_t>(SectionId::kFunction)) PrepareSinks();
    return true;
  }
  bool ProcessCodeSectionHeader(uint32_t count, uint32_t count_offset, uint32_t,
                                uint32_t) override {
    num_imported_ = state_->decoder.module().num_imported_functions;
    return Check(state_->decoder.StartCodeSection(count, count_offset));
  }
  bool ProcessFunctionBody(uint32_t index, std::span<const uint8_t> body,
                           uint32_t offset) override {
    State& s = *state_;
    uint32_t length = static_cast<uint32_t>(body.size());
    if (!Check(s.decoder.AddFunctionBody(index, ByteRange{offset, length}))) return false;
    uint32_t func_index = num_imported_ + index;
    if (s.options.validate_inline) {
      s.ValidateBody(func_index, body, offset);
      return true;
    }
    if (batch_count_ == 0) batch_first_ = func_index;
    ++batch_count_;
    batch_bytes_ += length;
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

  // The sink factory's per-function tables are made on a worker, which is
  // idle until the first body: the element section that usually comes
  // between (pandoc.wasm: 2 MB) decodes meanwhile on this thread.
  void PrepareSinks() {
    const std::shared_ptr<CodeSinkFactory>& factory = state_->options.sink_factory;
    if (!factory || state_->options.validate_inline) return;
    uint32_t n = static_cast<uint32_t>(state_->decoder.module().functions.size());
    state_->pool->Post([factory, n] { factory->Prepare(n); });
  }

  // Once the preamble is in: with the module's size known, an idle worker
  // starts faulting in the buffer's pages ahead of the bytes.
  void StartPrefault() {
    State& s = *state_;
    if (!decoder_.buffer()) return;
    if (!s.buffer) s.buffer = decoder_.buffer();
    uint64_t end = std::min<uint64_t>(s.options.expected_size, s.buffer->capacity());
    size_t from = decoder_.total_received();
    if (end <= from || s.options.validate_inline) return;
    std::shared_ptr<State> state = state_;
    s.pool->Post([state, from, end] { State::PrefaultStep(state, from, end); });
  }

  // Hands the collected bodies to a worker.
  void Flush() {
    if (batch_count_ == 0) return;
    if (!state_->buffer) state_->buffer = decoder_.buffer();
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      ++state_->pending;
    }
    std::shared_ptr<State> state = state_;
    state_->pool->Post([state, first = batch_first_, count = batch_count_] {
      state->ValidateBodies(first, count);
      {
        std::lock_guard<std::mutex> lock(state->mutex);
        --state->pending;
      }
      State::MaybeComplete(state);
    });
    batch_count_ = 0;
    batch_bytes_ = 0;
  }

 private:
  bool Check(Status s) {
    if (s.ok()) return true;
    if (!state_->decode_error) state_->decode_error = s.error();
    return false;
  }

  std::shared_ptr<State> state_;
  StreamingDecoder decoder_;
  uint32_t num_imported_ = 0;
  // The batch being collected: functions batch_first_ .. + batch_count_.
  uint32_t batch_first_ = 0;
  uint32_t batch_count_ = 0;
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
  s.received.store(processor_->decoder().total_received(), std::memory_order_relaxed);
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
