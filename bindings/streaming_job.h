// The compileStreaming controller (Web API "compile a potential WebAssembly
// response"), one job per call. Internal to bindings/: use
// WebAssembly::CompileStreaming (wasm_namespace.h).
#ifndef WASMSTREAM_BINDINGS_STREAMING_JOB_H_
#define WASMSTREAM_BINDINGS_STREAMING_JOB_H_

#include <memory>

#include "bindings/messages.h"
#include "bindings/module_object.h"
#include "bindings/module_stream_consumer.h"
#include "bindings/promise.h"
#include "bindings/realm.h"
#include "bindings/stream_record.h"
#include "bindings/wasm_namespace.h"
#include "fetch/body_stream.h"
#include "fetch/response.h"

namespace wasmstream::bindings {

class StreamingJob : public std::enable_shared_from_this<StreamingJob> {
 public:
  StreamingJob(Realm& realm, Promise<Module> result, StreamingOptions options);

  // Reactions to the (wrapped) source promise: its rejection, a value that is
  // not a Response, then the Response's checks.
  void OnSourceFulfilled(const SourceValue& value);
  void OnSourceRejected(const Error& reason);

 private:
  enum class State { kWaitingForSource, kReading, kCompiling, kSettled };

  // MIME, CORS type, status, body usability and CSP, in the specification's
  // order; on success starts reading.
  void CheckResponse(const fetch::Response& response);
  void ReadNext();
  void OnRead(fetch::ReadResult result);
  void OnEndOfBody();
  // Hands the body's end (or an early stop) to the consumer.
  void FinishConsumer();
  void OnCompiled(ModuleResult result, ConsumerReport report);
  void Fail(Error error);
  void Settle();

  Realm& realm_;
  // Reads and compiles end on other threads, possibly after the loop is gone
  // (an owner that stopped waiting): they post through this, never through
  // the loop's address.
  const EventLoop::Poster loop_;
  Promise<Module> result_;
  StreamingOptions options_;
  std::shared_ptr<StreamRecord> record_;
  State state_ = State::kWaitingForSource;
  fetch::Response response_ = fetch::Response::NetworkError("no response yet");
  std::unique_ptr<fetch::BodyStream::Reader> reader_;
  std::unique_ptr<ModuleStreamConsumer> consumer_;
  std::optional<uint64_t> content_length_;
  EventLoop::KeepAlive hold_;  // while reading or compiling
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_STREAMING_JOB_H_
