#include "fetch/body_stream.h"


namespace wasmstream::fetch {
namespace {
FetchError LockedError() { return FetchError::Type("ReadableStream is locked"); }
}  // namespace

BodyStream::BodyStream(size_t buffer_limit) : limit_(buffer_limit == 0 ? 1 : buffer_limit) {}

std::shared_ptr<BodyStream> BodyStream::Create(size_t buffer_limit) {
  return std::make_shared<BodyStream>(buffer_limit);
}

std::shared_ptr<BodyStream> BodyStream::FromBytes(Bytes bytes) {
  auto stream = Create(bytes.size() + 1);
  stream->Push(std::move(bytes));
  stream->Close();
  return stream;
}

// ---------------------------------------------------------------- consumer

bool BodyStream::locked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return locked_;
}

bool BodyStream::disturbed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return disturbed_;
}

FetchResult<std::unique_ptr<BodyStream::Reader>> BodyStream::GetReader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (locked_) return LockedError();
    locked_ = true;
  }
  return std::unique_ptr<Reader>(new Reader(shared_from_this()));
}

void BodyStream::ReleaseReader() {
  ReadCallback pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    locked_ = false;
    pending = std::move(pending_read_);
    pending_read_ = nullptr;
  }
  cv_.notify_all();
  if (pending) pending(ReadResult::Fail(FetchError::Type("Reader was released")));
}

std::function<void()> BodyStream::TakeResumeLocked() {
  if (!producer_paused_ || buffered_ > limit_ / 2 || state_ != State::kOpen) return nullptr;
  producer_paused_ = false;
  return on_resume_;
}

std::optional<ReadResult> BodyStream::TakeReadyLocked(std::function<void()>* resume) {
  if (!chunks_.empty()) {
    ReadResult result = ReadResult::Chunk(std::move(chunks_.front()));
    chunks_.pop_front();
    buffered_ -= result.chunk.size();
    *resume = TakeResumeLocked();
    return result;
  }
  if (state_ == State::kErrored) return ReadResult::Fail(error_);
  if (state_ != State::kOpen) return ReadResult::Done();  // closed or cancelled
  return std::nullopt;
}

void BodyStream::ReadFromReader(ReadCallback callback) {
  std::optional<ReadResult> result;
  std::function<void()> resume;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    disturbed_ = true;
    if (pending_read_) {
      lock.unlock();
      callback(ReadResult::Fail(FetchError::Type("A read is already pending")));
      return;
    }
    result = TakeReadyLocked(&resume);
    if (!result) {
      pending_read_ = std::move(callback);
      // An empty buffer is the reader asking for more: a paused producer
      // must resume.
      resume = TakeResumeLocked();
    }
  }
  if (resume) resume();
  if (result) callback(std::move(*result));
}

// Waits on {cv_} instead of a pending callback: no allocation per read, and
// the producer only signals when a blocking reader is actually waiting.
ReadResult BodyStream::ReadBlockingFromReader() {
  std::optional<ReadResult> result;
  std::function<void()> resume;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    disturbed_ = true;
    if (pending_read_) return ReadResult::Fail(FetchError::Type("A read is already pending"));
    result = TakeReadyLocked(&resume);
    if (!result) {
      std::function<void()> wake = TakeResumeLocked();
      if (wake) {
        lock.unlock();
        wake();
        lock.lock();
      }
      ++blocking_readers_;
      cv_.wait(lock, [&] { return !chunks_.empty() || state_ != State::kOpen || !locked_; });
      --blocking_readers_;
      if (!locked_) return ReadResult::Fail(FetchError::Type("Reader was released"));
      result = TakeReadyLocked(&resume);
    }
  }
  if (resume) resume();
  return std::move(*result);
}

void BodyStream::CancelFromReader() {
  ReadCallback pending;
  std::function<void()> on_cancel;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    disturbed_ = true;
    if (state_ != State::kOpen) {
      chunks_.clear();
      buffered_ = 0;
      return;
    }
    state_ = State::kCancelled;
    chunks_.clear();
    buffered_ = 0;
    pending = std::move(pending_read_);
    pending_read_ = nullptr;
    on_cancel = std::move(on_cancel_);
    on_cancel_ = nullptr;
    on_resume_ = nullptr;
  }
  cv_.notify_all();
  if (on_cancel) on_cancel();
  if (pending) pending(ReadResult::Done());
}

FetchStatus BodyStream::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (locked_) return LockedError();
  }
  CancelFromReader();
  return Ok{};
}

BodyStream::Reader::~Reader() { stream_->ReleaseReader(); }

void BodyStream::Reader::Read(ReadCallback callback) { stream_->ReadFromReader(std::move(callback)); }

ReadResult BodyStream::Reader::ReadBlocking() { return stream_->ReadBlockingFromReader(); }

void BodyStream::Reader::Cancel() { stream_->CancelFromReader(); }

// ---------------------------------------------------------------- tee

namespace {

// Shared by the two branches of a tee and the source read callback.
struct TeeState : std::enable_shared_from_this<TeeState> {
  std::unique_ptr<BodyStream::Reader> reader;
  std::weak_ptr<BodyStream> branch[2];
  std::mutex mutex;
  // Protected by {mutex}:
  bool reading = false;  // a source read is outstanding
  bool in_pump = false;  // Pump() is looping on some thread
  bool finished = false;
  int cancelled = 0;

  bool BranchHasRoom(int i) {
    auto b = branch[i].lock();
    return !b || b->cancelled() || b->WantsMore();
  }

  // Reads the source while both branches have room. Trampolined: a read
  // completing inline continues this loop instead of recursing.
  void Pump() {
    std::unique_lock<std::mutex> lock(mutex);
    if (in_pump) return;
    in_pump = true;
    while (!reading && !finished) {
      lock.unlock();
      bool room = BranchHasRoom(0) && BranchHasRoom(1);
      lock.lock();
      if (!room || reading || finished) break;
      reading = true;
      lock.unlock();
      auto self = shared_from_this();
      reader->Read([self](ReadResult r) { self->OnRead(std::move(r)); });
      lock.lock();
    }
    in_pump = false;
  }

  void OnRead(ReadResult r) {
    auto a = branch[0].lock(), b = branch[1].lock();
    bool more = r.is_chunk();
    if (r.is_chunk()) {
      if (a) a->Push(r.chunk);
      if (b) b->Push(std::move(r.chunk));
    } else if (r.is_done()) {
      if (a) a->Close();
      if (b) b->Close();
    } else {
      if (a) a->Error(r.error);
      if (b) b->Error(r.error);
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      reading = false;
      if (!more) finished = true;
      if (in_pump || !more) return;
    }
    Pump();
  }

  void OnBranchCancel() {
    bool both;
    {
      std::lock_guard<std::mutex> lock(mutex);
      both = ++cancelled == 2;
    }
    if (both) reader->Cancel();
    else Pump();
  }
};

}  // namespace

FetchResult<std::pair<std::shared_ptr<BodyStream>, std::shared_ptr<BodyStream>>>
BodyStream::Tee() {
  auto reader = GetReader();
  if (!reader.ok()) return reader.error();
  auto state = std::make_shared<TeeState>();
  state->reader = std::move(reader.value());
  auto a = Create(limit_), b = Create(limit_);
  state->branch[0] = a;
  state->branch[1] = b;
  for (auto& branch : {a, b}) {
    branch->SetProducerHooks([state] { state->Pump(); }, [state] { state->OnBranchCancel(); });
  }
  state->Pump();
  return std::make_pair(a, b);
}

// ---------------------------------------------------------------- producer

bool BodyStream::Push(BodyChunk chunk) {
  ReadCallback pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kOpen) return false;
    if (chunk.empty()) return buffered_ < limit_;
    total_pushed_ += chunk.size();
    if (pending_read_) {
      // The reader waits: hand the chunk over without buffering it.
      pending = std::move(pending_read_);
      pending_read_ = nullptr;
    } else {
      buffered_ += chunk.size();
      if (buffered_ > peak_buffered_) peak_buffered_ = buffered_;
      chunks_.push_back(std::move(chunk));
      if (blocking_readers_ > 0) cv_.notify_one();
      if (buffered_ >= limit_) {
        producer_paused_ = true;
        return false;
      }
      return true;
    }
  }
  pending(ReadResult::Chunk(std::move(chunk)));
  return WantsMore();
}

void BodyStream::Close() {
  ReadCallback pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kOpen) return;
    state_ = State::kClosed;
    pending = std::move(pending_read_);
    pending_read_ = nullptr;
    on_resume_ = nullptr;
    on_cancel_ = nullptr;
  }
  cv_.notify_all();
  if (pending) pending(ReadResult::Done());
}

void BodyStream::Error(FetchError error) {
  ReadCallback pending;
  FetchError copy = error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kOpen) return;
    state_ = State::kErrored;
    error_ = std::move(error);
    chunks_.clear();  // an errored stream drops its queue
    buffered_ = 0;
    pending = std::move(pending_read_);
    pending_read_ = nullptr;
    on_resume_ = nullptr;
    on_cancel_ = nullptr;
  }
  cv_.notify_all();
  if (pending) pending(ReadResult::Fail(std::move(copy)));
}

void BodyStream::SetProducerHooks(std::function<void()> on_resume,
                                  std::function<void()> on_cancel) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ != State::kOpen) return;
  on_resume_ = std::move(on_resume);
  on_cancel_ = std::move(on_cancel);
}

bool BodyStream::WantsMore() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kOpen && buffered_ < limit_;
}

bool BodyStream::cancelled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kCancelled;
}

size_t BodyStream::buffered_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buffered_;
}

size_t BodyStream::peak_buffered_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peak_buffered_;
}

uint64_t BodyStream::total_pushed_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_pushed_;
}

}  // namespace wasmstream::fetch
