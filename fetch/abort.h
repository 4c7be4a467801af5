// AbortController / AbortSignal, reduced to what fetch needs. Abort() may be
// called from any thread; algorithms run on the aborting thread, once, in the
// order they were added. The Fetcher adds an algorithm that hands the abort to
// its network thread: before the response, the fetch answers with an
// AbortError network error; after it, the body stream errors with AbortError.
#ifndef WASMSTREAM_FETCH_ABORT_H_
#define WASMSTREAM_FETCH_ABORT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fetch/fetch_error.h"

namespace wasmstream::fetch {

class AbortSignal {
 public:
  using Algorithm = std::function<void(const FetchError& reason)>;

  bool aborted() const;
  // The abort reason (kind AbortError); only meaningful once aborted().
  FetchError reason() const;

  // Runs {algorithm} when the signal aborts; if it already has, runs it now,
  // inline, and returns 0. Otherwise returns an id for RemoveAlgorithm().
  uint64_t AddAlgorithm(Algorithm algorithm);
  void RemoveAlgorithm(uint64_t id);

 private:
  friend class AbortController;
  void SignalAbort(FetchError reason);

  mutable std::mutex mutex_;
  // Protected by {mutex_}:
  bool aborted_ = false;
  FetchError reason_;
  uint64_t next_id_ = 1;
  std::vector<std::pair<uint64_t, Algorithm>> algorithms_;
};

class AbortController {
 public:
  AbortController() : signal_(std::make_shared<AbortSignal>()) {}
  const std::shared_ptr<AbortSignal>& signal() const { return signal_; }
  // Idempotent: only the first call has an effect.
  void Abort(std::string message = "The operation was aborted.");

 private:
  std::shared_ptr<AbortSignal> signal_;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_ABORT_H_
