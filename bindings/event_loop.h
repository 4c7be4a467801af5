// A JS-like agent: one loop thread runs tasks, and after
// each task drains the microtask queue (a microtask checkpoint). Promise
// reactions are microtasks; work done on other threads (network, compile
// workers) comes back with PostTask.
//
// The loop thread is the thread that constructs the EventLoop; Run*() must be
// called on it. PostTask() may be called from any thread; everything else only
// on the loop thread.
//
// Shutdown order: the EventLoop is made first and destroyed last. Every thread
// that posts to it (the fetcher's network thread, compile workers, a code
// cache's I/O thread) must be stopped, or have nothing left to post, before the
// loop goes; bindings/cached_consumer.h (CodeCache) states the whole order. A
// PostTask() whose task lets the loop thread finish may still be returning
// when the loop is destroyed: it touches only state the call itself keeps alive.
#ifndef WASMSTREAM_BINDINGS_EVENT_LOOP_H_
#define WASMSTREAM_BINDINGS_EVENT_LOOP_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "bindings/error.h"

namespace wasmstream::bindings {

class EventLoop {
  struct Sync;

 public:
  using Task = std::function<void()>;
  // Called after a microtask checkpoint for each promise that was rejected
  // with no reaction attached by then (HTML "notify about rejected promises").
  using UnhandledRejectionHook = std::function<void(const Error&)>;

  // Safety net for Run*(): never wait longer than this for one more task.
  // Not a test assertion; a hung test ends instead of blocking the suite.
  static constexpr std::chrono::seconds kDefaultMaxWait{60};

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Any thread. Tasks run in the order posted.
  void PostTask(Task task);

  // Posts to this loop from any thread, and may outlive it: once the loop is
  // destroyed, Post() drops the task (destroying it on the calling thread)
  // and returns false. For work that can end after its owner stopped
  // waiting: a compile worker finishing after a RunUntil gave up and the
  // loop was destroyed must not touch the loop's memory. Copyable.
  class Poster {
   public:
    bool Post(Task task) const;

   private:
    friend class EventLoop;
    explicit Poster(std::shared_ptr<Sync> sync) : sync_(std::move(sync)) {}
    std::shared_ptr<Sync> sync_;
  };
  Poster poster() const { return Poster(sync_); }
  // Loop thread. Runs at the next microtask checkpoint.
  void QueueMicrotask(Task task);
  bool IsLoopThread() const { return std::this_thread::get_id() == owner_; }
  // Aborts with a message naming {what} unless on the loop thread: the
  // loop-thread-only entry points check this always (release builds too).
  void CheckLoopThread(const char* what) const;

  // Outstanding asynchronous work (a fetch, a compile) that will post a task
  // later. While any is held, RunUntilIdle() waits instead of returning.
  // Any thread. Copyable; the work counts as done when the last copy goes.
  class KeepAlive {
   public:
    KeepAlive() = default;
    bool valid() const { return token_ != nullptr; }
    void Reset() { token_.reset(); }

   private:
    friend class EventLoop;
    explicit KeepAlive(std::shared_ptr<void> token) : token_(std::move(token)) {}
    std::shared_ptr<void> token_;
  };
  KeepAlive Hold();

  // Runs tasks (each followed by a microtask checkpoint) until there is no
  // task, no microtask and no KeepAlive outstanding. Returns false if it gave
  // up after waiting |max_wait| for a task.
  bool RunUntilIdle(std::chrono::milliseconds max_wait = kDefaultMaxWait);
  // Runs until |done()| is true (checked after every task and checkpoint).
  // Returns false if the loop went idle or waited |max_wait| without it.
  bool RunUntil(const std::function<bool()>& done,
                std::chrono::milliseconds max_wait = kDefaultMaxWait);
  // Runs only what is queued now (and the microtasks it creates).
  void RunPending();

  // Drains the microtask queue now. Called after every task; a caller that
  // settles promises outside a task (e.g. a test body) may call it too.
  void PerformMicrotaskCheckpoint();

  void SetUnhandledRejectionHook(UnhandledRejectionHook hook) { unhandled_hook_ = std::move(hook); }

  // Used by Promise<T>: a rejected promise with no handler yet, and the
  // handler attached later. |key| identifies the promise's state.
  void NoteRejectedWithoutHandler(const void* key, Error reason);
  void NoteHandlerAdded(const void* key);

  uint64_t tasks_run() const { return tasks_run_; }

 private:
  // Waits for a task; false on timeout or when idle (no task, no keep-alive).
  bool WaitForTask(std::chrono::milliseconds max_wait, Task* out);
  void RunTask(Task& task);
  void ReportUnhandledRejections();

  const std::thread::id owner_;

  // Shared with KeepAlive tokens and Posters, which may be used on another
  // thread after the loop is gone (e.g. inside a compile callback a worker
  // holds).
  struct Sync {
    std::mutex mutex;
    std::condition_variable cv;
    // Protected by {mutex}:
    std::deque<Task> tasks;
    int64_t keep_alives = 0;
    bool closed = false;  // the loop is destroyed: tasks are dropped
  };
  static bool Post(const std::shared_ptr<Sync>& sync, Task task);
  const std::shared_ptr<Sync> sync_ = std::make_shared<Sync>();

  // Loop thread only:
  std::deque<Task> microtasks_;
  bool in_checkpoint_ = false;
  std::deque<std::pair<const void*, Error>> pending_rejections_;
  UnhandledRejectionHook unhandled_hook_;
  uint64_t tasks_run_ = 0;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_EVENT_LOOP_H_
