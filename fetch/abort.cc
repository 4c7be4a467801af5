#include "fetch/abort.h"

#include <algorithm>

namespace wasmstream::fetch {

bool AbortSignal::aborted() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return aborted_;
}

FetchError AbortSignal::reason() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reason_;
}

uint64_t AbortSignal::AddAlgorithm(Algorithm algorithm) {
  FetchError reason;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!aborted_) {
      uint64_t id = next_id_++;
      algorithms_.emplace_back(id, std::move(algorithm));
      return id;
    }
    reason = reason_;
  }
  algorithm(reason);  // already aborted: run now, outside the lock
  return 0;
}

void AbortSignal::RemoveAlgorithm(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(algorithms_, [id](const auto& a) { return a.first == id; });
}

void AbortSignal::SignalAbort(FetchError reason) {
  std::vector<std::pair<uint64_t, Algorithm>> run;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (aborted_) return;
    aborted_ = true;
    reason_ = reason;
    run.swap(algorithms_);
  }
  for (auto& [id, algorithm] : run) algorithm(reason);
}

void AbortController::Abort(std::string message) {
  signal_->SignalAbort(FetchError::Abort(std::move(message)));
}

}  // namespace wasmstream::fetch
