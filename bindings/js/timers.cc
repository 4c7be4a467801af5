#include "bindings/js/timers.h"

#include <utility>
#include <vector>

namespace wasmstream::bindings::js {

Timers::~Timers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t Timers::Start(std::chrono::milliseconds delay, std::function<void()> fire) {
  uint64_t id = next_id_++;
  live_->insert(id);
  if (delay.count() < 0) delay = std::chrono::milliseconds(0);
  Clock::time_point due = Clock::now() + delay;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_[id] = Entry{due, std::move(fire), loop_.Hold()};
    queue_.emplace(due, id);
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  cv_.notify_all();
  return id;
}

void Timers::Cancel(uint64_t id) {
  if (live_->erase(id) == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(id);  // its queue_ entry is skipped when it comes up
}

void Timers::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = queue_.begin();
    if (Clock::now() < first->first) {
      cv_.wait_until(lock, first->first);
      continue;
    }
    uint64_t id = first->second;
    queue_.erase(first);
    auto it = entries_.find(id);
    if (it == entries_.end()) continue;  // cancelled
    Entry entry = std::move(it->second);
    entries_.erase(it);
    lock.unlock();
    // The keep-alive goes with the task: the loop stays open until it ran.
    std::weak_ptr<std::set<uint64_t>> live = live_;
    loop_.PostTask([live, id, fire = std::move(entry.fire), hold = std::move(entry.hold)]() mutable {
      auto set = live.lock();
      if (set && set->erase(id) == 1) fire();
      hold.Reset();
    });
    lock.lock();
  }
}

}  // namespace wasmstream::bindings::js
