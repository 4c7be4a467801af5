// BodyStream: a response body as a stream of byte chunks, in the shape of the
// Streams standard's ReadableStream as fetch uses it.
//
// Producer side (the Fetcher's network thread, FromBytes, a tee): Push()
// chunks as they arrive, then Close() or Error(). The buffer is bounded:
// Push() returns false once buffered bytes reach the limit, and the producer
// must stop (the Fetcher pauses libcurl) until the resume hook runs, which
// happens when the reader has drained the buffer to half its limit.
//
// Consumer side: GetReader() takes the lock (a second reader is a TypeError).
// Reader::Read() is asynchronous: the callback gets exactly one ReadResult, a
// chunk, done, or an error. It runs inline (on the calling thread) if data or
// the end is already buffered, else later on the producer's thread (the
// network thread). Reader::ReadBlocking() waits; never call it on the network
// thread. A stream errored by a reset connection gives a TypeError; by an
// abort, an AbortError. Cancel() discards the buffer and tells the producer to
// stop (the Fetcher ends the transfer).
//
// "disturbed" becomes true on the first read or cancel. All methods are
// thread-safe; callbacks are never invoked while an internal lock is held.
#ifndef WASMSTREAM_FETCH_BODY_STREAM_H_
#define WASMSTREAM_FETCH_BODY_STREAM_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "fetch/body_chunk.h"
#include "fetch/fetch_error.h"
#include "fetch/limits.h"

namespace wasmstream::fetch {

struct ReadResult {
  enum class State { kChunk, kDone, kError };
  State state = State::kDone;
  BodyChunk chunk;    // kChunk: never empty
  FetchError error;   // kError

  static ReadResult Chunk(BodyChunk b) { return {State::kChunk, std::move(b), {}}; }
  static ReadResult Done() { return {State::kDone, {}, {}}; }
  static ReadResult Fail(FetchError e) { return {State::kError, {}, std::move(e)}; }
  bool is_chunk() const { return state == State::kChunk; }
  bool is_done() const { return state == State::kDone; }
  bool is_error() const { return state == State::kError; }
};

class BodyStream : public std::enable_shared_from_this<BodyStream> {
 public:
  using ReadCallback = std::function<void(ReadResult)>;

  class Reader {
   public:
    ~Reader();  // releases the lock; pending data stays for the next reader
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    // One read at a time: a Read() while another is pending gets a TypeError.
    void Read(ReadCallback callback);
    ReadResult ReadBlocking();
    // Cancels the stream (see BodyStream::Cancel) and releases nothing else.
    void Cancel();
    const std::shared_ptr<BodyStream>& stream() const { return stream_; }

   private:
    friend class BodyStream;
    explicit Reader(std::shared_ptr<BodyStream> stream) : stream_(std::move(stream)) {}
    std::shared_ptr<BodyStream> stream_;
  };

  // An open, empty stream whose buffer holds at most {buffer_limit} bytes
  // before Push() asks the producer to pause.
  static std::shared_ptr<BodyStream> Create(size_t buffer_limit = kDefaultBodyBufferBytes);
  // A closed stream holding {bytes} (one chunk, or none when empty).
  static std::shared_ptr<BodyStream> FromBytes(Bytes bytes);

  // ---- consumer side
  bool locked() const;
  bool disturbed() const;
  // TypeError "ReadableStream is locked" if a reader exists.
  FetchResult<std::unique_ptr<Reader>> GetReader();
  // Cancel without a reader (ReadableStream.cancel()); TypeError if locked.
  FetchStatus Cancel();
  // Splits this stream into two that each see every chunk (Response.clone()).
  // Locks this stream. The branches share this stream's backpressure: the
  // source is read only while both branches have room.
  FetchResult<std::pair<std::shared_ptr<BodyStream>, std::shared_ptr<BodyStream>>> Tee();

  // ---- producer side
  // Appends a chunk (ignored if empty, or after close/error/cancel). Returns
  // true while the producer may continue, false once it should pause. The
  // chunk's bytes are not copied: the reader gets the same storage.
  bool Push(BodyChunk chunk);
  void Close();
  void Error(FetchError error);
  // Hooks, set once by the producer before data flows. {on_resume} runs (on
  // the reader's thread) after Push() returned false and the reader drained
  // the buffer to half its limit; {on_cancel} runs once when the consumer
  // cancels. Both must be cheap and non-blocking.
  void SetProducerHooks(std::function<void()> on_resume, std::function<void()> on_cancel);
  bool WantsMore() const;  // buffered < limit and still open
  bool cancelled() const;

  // ---- observation (tests, diagnostics)
  size_t buffered_bytes() const;
  size_t peak_buffered_bytes() const;
  size_t buffer_limit() const { return limit_; }
  uint64_t total_pushed_bytes() const;

  explicit BodyStream(size_t buffer_limit);  // use Create()

 private:
  enum class State { kOpen, kClosed, kErrored, kCancelled };
  void ReleaseReader();
  void ReadFromReader(ReadCallback callback);
  ReadResult ReadBlockingFromReader();
  // Under {mutex_}: takes the next result if one is ready (chunk, end, error).
  std::optional<ReadResult> TakeReadyLocked(std::function<void()>* resume);
  void CancelFromReader();
  // Under {mutex_}: returns the resume hook to run (outside the lock) if the
  // producer is paused and the buffer drained enough.
  std::function<void()> TakeResumeLocked();

  const size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  // Protected by {mutex_}:
  State state_ = State::kOpen;
  FetchError error_;
  std::deque<BodyChunk> chunks_;
  size_t buffered_ = 0;
  size_t peak_buffered_ = 0;
  uint64_t total_pushed_ = 0;
  bool locked_ = false;
  bool disturbed_ = false;
  bool producer_paused_ = false;  // Push() returned false; resume owed
  int blocking_readers_ = 0;      // threads waiting in ReadBlocking() on {cv_}
  ReadCallback pending_read_;
  std::function<void()> on_resume_;
  std::function<void()> on_cancel_;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_BODY_STREAM_H_
