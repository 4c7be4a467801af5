#include "bindings/event_loop.h"

#include <cstdio>
#include <cstdlib>
#include <cstdio>

namespace wasmstream::bindings {

EventLoop::EventLoop() : owner_(std::this_thread::get_id()) {}

EventLoop::~EventLoop() {
  // Tasks still queued never run. They are destroyed here, outside the lock
  // (a task may hold a KeepAlive or a Poster), and later posts are dropped:
  // a task holding a KeepAlive would otherwise keep {sync_}, and itself, alive.
  std::deque<Task> dropped;
  {
    std::lock_guard<std::mutex> lock(sync_->mutex);
    sync_->closed = true;
    dropped.swap(sync_->tasks);
  }
}

void EventLoop::CheckLoopThread(const char* what) const {
  if (IsLoopThread()) return;
  // A data race on the loop's queues otherwise: stop with the reason.
  std::fprintf(stderr, "wasmstream: EventLoop::%s called off the loop thread\n", what);
  std::abort();
}

void EventLoop::PostTask(Task task) {
  // Once the task is queued the loop thread may run it, return and destroy
  // this EventLoop before we notify: from then on touch only the Sync, which
  // Post keeps alive.
  Post(std::shared_ptr<Sync>(sync_), std::move(task));
}

bool EventLoop::Poster::Post(Task task) const { return EventLoop::Post(sync_, std::move(task)); }

bool EventLoop::Post(const std::shared_ptr<Sync>& sync, Task task) {
  {
    std::lock_guard<std::mutex> lock(sync->mutex);
    if (!sync->closed) {
      sync->tasks.push_back(std::move(task));
      task = nullptr;
    }
  }
  if (task) return false;  // the loop is gone; {task} is destroyed on return
  sync->cv.notify_one();
  return true;
}

void EventLoop::QueueMicrotask(Task task) {
  CheckLoopThread("QueueMicrotask");
  microtasks_.push_back(std::move(task));
}

EventLoop::KeepAlive EventLoop::Hold() {
  {
    std::lock_guard<std::mutex> lock(sync_->mutex);
    ++sync_->keep_alives;
  }
  // The deleter runs on whichever thread drops the last copy, possibly after
  // the loop is destroyed: it touches only the shared Sync.
  std::shared_ptr<void> token(nullptr, [sync = sync_](void*) {
    {
      std::lock_guard<std::mutex> lock(sync->mutex);
      --sync->keep_alives;
    }
    sync->cv.notify_one();
  });
  return KeepAlive(std::move(token));
}

void EventLoop::PerformMicrotaskCheckpoint() {
  CheckLoopThread("PerformMicrotaskCheckpoint");
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
  Sync& s = *sync_;
  std::unique_lock<std::mutex> lock(s.mutex);
  bool ready = s.cv.wait_for(lock, max_wait, [&] { return !s.tasks.empty() || s.keep_alives == 0; });
  if (!ready || s.tasks.empty()) return false;
  *out = std::move(s.tasks.front());
  s.tasks.pop_front();
  return true;
}

bool EventLoop::RunUntilIdle(std::chrono::milliseconds max_wait) {
  CheckLoopThread("RunUntilIdle");
  PerformMicrotaskCheckpoint();
  for (;;) {
    Task task;
    if (!WaitForTask(max_wait, &task)) {
      std::lock_guard<std::mutex> lock(sync_->mutex);
      return sync_->tasks.empty() && sync_->keep_alives == 0;
    }
    RunTask(task);
  }
}

bool EventLoop::RunUntil(const std::function<bool()>& done, std::chrono::milliseconds max_wait) {
  CheckLoopThread("RunUntil");
  PerformMicrotaskCheckpoint();
  while (!done()) {
    Task task;
    if (!WaitForTask(max_wait, &task)) return done();
    RunTask(task);
  }
  return true;
}

void EventLoop::RunPending() {
  CheckLoopThread("RunPending");
  PerformMicrotaskCheckpoint();
  std::deque<Task> batch;
  {
    std::lock_guard<std::mutex> lock(sync_->mutex);
    batch.swap(sync_->tasks);
  }
  for (Task& t : batch) RunTask(t);
}

}  // namespace wasmstream::bindings
