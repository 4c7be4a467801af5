#include "bindings/event_loop.h"

#include <cassert>
#include <cstdio>

namespace wasmstream::bindings {

EventLoop::EventLoop() : owner_(std::this_thread::get_id()) {}

EventLoop::~EventLoop() = default;

void EventLoop::PostTask(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void EventLoop::QueueMicrotask(Task task) {
  assert(IsLoopThread());
  microtasks_.push_back(std::move(task));
}

EventLoop::KeepAlive EventLoop::Hold() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++keep_alives_;
  }
  // The deleter runs on whichever thread drops the last copy.
  std::shared_ptr<void> token(nullptr, [this](void*) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --keep_alives_;
    }
    cv_.notify_one();
  });
  return KeepAlive(std::move(token));
}

void EventLoop::PerformMicrotaskCheckpoint() {
  assert(IsLoopThread());
  if (in_checkpoint_) return;  // a checkpoint inside a microtask is a no-op (HTML)
  in_checkpoint_ = true;
  while (!microtasks_.empty()) {
    Task t = std::move(microtasks_.front());
    microtasks_.pop_front();
    t();
  }
  in_checkpoint_ = false;
  ReportUnhandledRejections();
}

void EventLoop::NoteRejectedWithoutHandler(const void* key, Error reason) {
  pending_rejections_.emplace_back(key, std::move(reason));
}

void EventLoop::NoteHandlerAdded(const void* key) {
  for (auto it = pending_rejections_.begin(); it != pending_rejections_.end(); ++it) {
    if (it->first == key) {
      pending_rejections_.erase(it);
      return;
    }
  }
}

void EventLoop::ReportUnhandledRejections() {
  while (!pending_rejections_.empty()) {
    Error reason = std::move(pending_rejections_.front().second);
    pending_rejections_.pop_front();
    if (unhandled_hook_) {
      unhandled_hook_(reason);
    } else {
      std::fprintf(stderr, "Uncaught (in promise) %s\n", reason.ToString().c_str());
    }
  }
}

void EventLoop::RunTask(Task& task) {
  ++tasks_run_;
  task();
  PerformMicrotaskCheckpoint();
}

bool EventLoop::WaitForTask(std::chrono::milliseconds max_wait, Task* out) {
  std::unique_lock<std::mutex> lock(mutex_);
  bool ready = cv_.wait_for(lock, max_wait, [&] { return !tasks_.empty() || keep_alives_ == 0; });
  if (!ready || tasks_.empty()) return false;
  *out = std::move(tasks_.front());
  tasks_.pop_front();
  return true;
}

bool EventLoop::RunUntilIdle(std::chrono::milliseconds max_wait) {
  assert(IsLoopThread());
  PerformMicrotaskCheckpoint();
  for (;;) {
    Task task;
    if (!WaitForTask(max_wait, &task)) {
      std::lock_guard<std::mutex> lock(mutex_);
      return tasks_.empty() && keep_alives_ == 0;
    }
    RunTask(task);
  }
}

bool EventLoop::RunUntil(const std::function<bool()>& done, std::chrono::milliseconds max_wait) {
  assert(IsLoopThread());
  PerformMicrotaskCheckpoint();
  while (!done()) {
    Task task;
    if (!WaitForTask(max_wait, &task)) return done();
    RunTask(task);
  }
  return true;
}

void EventLoop::RunPending() {
  assert(IsLoopThread());
  PerformMicrotaskCheckpoint();
  std::deque<Task> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(tasks_);
  }
  for (Task& t : batch) RunTask(t);
}

}  // namespace wasmstream::bindings
