#include "bindings/streaming_job.h"

#include <charconv>

#include "bindings/mime_check.h"

namespace wasmstream::bindings {

StreamingJob::StreamingJob(Realm& realm, Promise<Module> result, StreamingOptions options)
    : realm_(realm),
      loop_(realm.loop().poster()),
      result_(std::move(result)),
      options_(std::move(options)),
      record_(std::make_shared<StreamRecord>()) {
  record_->consumer = std::string(realm_.consumer_factory_or_default().name());
}

void StreamingJob::OnSourceRejected(const Error& reason) {
  Fail(reason);  // the source's own rejection, the same object, unwrapped
}

void StreamingJob::OnSourceFulfilled(const SourceValue& value) {
  if (const auto* other = std::get_if<NotAResponse>(&value)) {
    (void)other;
    Fail(Error::Type(kNotAResponseMessage));  // not a Response: TypeError
    return;
  }
  CheckResponse(std::get<fetch::Response>(value));
}

void StreamingJob::CheckResponse(const fetch::Response& response) {
  response_ = response;  // the filtered response the object holds
  record_->url = response.url();
  // MIME: the combined Content-Type value, trimmed of tab/space only, must be
  // exactly application/wasm.
  if (!IsWasmContentType(response.headers().Get("Content-Type"))) {
    Fail(Error::Type(kMimeMessage));
    return;
  }
  if (!response.cors_same_origin()) {  // basic or cors responses only, not opaque
    Fail(Error::Type(kCorsMessage));
    return;
  }
  if (!response.ok()) {  // status 200-299
    Fail(Error::Type(std::string(kStatusMessage) + " (" + std::to_string(response.status()) + ")"));
    return;
  }
  const std::shared_ptr<fetch::BodyStream>& body = response.body();
  if (body && body->disturbed()) {  // unusable = disturbed or locked
    Fail(Error::Type(kUsedMessage));
    return;
  }
  if (body && body->locked()) {
    Fail(Error::Type(kLockedMessage));
    return;
  }
  // CSP: once per compile request, before any byte is decoded. Like
  // V8 we check before reading the body (not after the full read, as the
  // proposal's text would), so a blocked compile downloads nothing; the
  // price is that CSP wins over a body error that would come later.
  if (auto blocked = realm_.csp.EnsureCanCompileWasmBytes(
          realm_.csp_observer, realm_.base_url ? realm_.base_url->href() : "")) {
    Fail(*blocked);
    return;
  }

  StreamInfo info;
  info.url = record_->url;
  info.features = realm_.features;
  info.sink_factory = realm_.NewSinkFactory();
  info.etag = response.headers().Get("ETag");
  info.last_modified = response.headers().Get("Last-Modified");
  if (auto cl = response.headers().Get("Content-Length")) {
    uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), n);
    if (ec == std::errc() && ptr == cl->data() + cl->size()) info.content_length = n;
  }
  if (!response.headers().Get("Content-Encoding")) info.body_size = info.content_length;
  content_length_ = info.content_length;
  consumer_ = realm_.consumer_factory_or_default().Create(info);
  hold_ = realm_.loop().Hold();
  state_ = State::kReading;

  if (!body) {  // a null body reads as empty bytes
    OnEndOfBody();
    return;
  }
  auto reader = body->GetReader();  // locks the stream
  if (!reader.ok()) {  // cannot happen after the checks above; kept defensive
    Fail(FromFetchError(reader.error()));
    return;
  }
  reader_ = std::move(reader).value();
  ReadNext();
}

void StreamingJob::ReadNext() {
  // The callback may run inline or on the network thread; either way the
  // result is handled in a loop task, so the loop thread never blocks.
  auto self = shared_from_this();
  reader_->Read([self](fetch::ReadResult r) {
    self->loop_.Post([self, r = std::move(r)]() mutable { self->OnRead(std::move(r)); });
  });
}

void StreamingJob::OnRead(fetch::ReadResult r) {
  if (state_ != State::kReading) return;
  if (r.is_error()) {
    Fail(FromFetchError(r.error));  // the stream's own error (AbortError, TypeError)
    return;
  }
  if (r.is_done()) {
    OnEndOfBody();
    return;
  }
  double now = record_->MsSinceStart();
  if (!record_->time_to_first_byte_ms) record_->time_to_first_byte_ms = now;
  if (!record_->time_to_compile_start_ms) record_->time_to_compile_start_ms = now;
  record_->bytes_compiled_before_last_chunk = record_->bytes;
  record_->bytes += r.chunk.size();
  consumer_->OnBytes(r.chunk);  // compile as the bytes arrive
  if (options_.on_progress) options_.on_progress(record_->bytes, content_length_);
  if (consumer_->failed()) {
    // The module is already invalid: reject now and stop the download
    // instead of reading (maybe gigabytes) to the end for the same error.
    record_->stopped_early = true;
    if (reader_) reader_->Cancel();
    FinishConsumer();
    return;
  }
  ReadNext();
}

void StreamingJob::OnEndOfBody() {
  record_->time_to_last_byte_ms = record_->MsSinceStart();
  if (record_->bytes == 0) {  // a null or empty body is not a module
    reader_.reset();
    Fail(Error::Compile(kEmptyMessage));
    return;
  }
  FinishConsumer();
}

void StreamingJob::FinishConsumer() {
  reader_.reset();
  state_ = State::kCompiling;
  auto self = shared_from_this();
  consumer_->Finish([self](ModuleResult result, ConsumerReport report) {
    // Any thread: hand the (move-only) result to the loop.
    auto boxed = std::make_shared<ModuleResult>(std::move(result));
    self->loop_.Post([self, boxed, report = std::move(report)]() mutable {
      self->OnCompiled(std::move(*boxed), std::move(report));
    });
  });
}

void StreamingJob::OnCompiled(ModuleResult result, ConsumerReport report) {
  if (state_ != State::kCompiling) return;
  record_->cache = report.cache;
  record_->cache_detail = report.cache_detail;
  record_->compile_ms = report.compile_ms;
  if (!result.ok()) {
    Fail(Error::Compile(result.error().Format()));
    return;
  }
  record_->time_to_module_ms = record_->MsSinceStart();
  state_ = State::kSettled;
  result_.Resolve(Module(std::move(result).value(), record_));
  Settle();
}

void StreamingJob::Fail(Error error) {
  if (state_ == State::kSettled) return;
  state_ = State::kSettled;
  if (consumer_) consumer_->Abort();
  if (reader_) reader_->Cancel();  // stop the download; nobody will read it
  record_->error = error;
  result_.Reject(std::move(error));
  Settle();
}

void StreamingJob::Settle() {
  reader_.reset();
  if (realm_.record_observer) realm_.record_observer(*record_);
  // The consumer may still be finishing on a worker; it keeps its own state.
  consumer_.reset();
  hold_.Reset();
}

}  // namespace wasmstream::bindings
