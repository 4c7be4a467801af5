// setTimeout's clock: a thread that sleeps until the earliest timer is due
// and posts it to the loop as a task. A pending timer holds the loop open
// (EventLoop::KeepAlive), as a browser's timer task source does. The thread
// starts with the first timer and stops with this object.
#ifndef WASMSTREAM_BINDINGS_JS_TIMERS_H_
#define WASMSTREAM_BINDINGS_JS_TIMERS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "bindings/event_loop.h"

namespace wasmstream::bindings::js {

class Timers {
 public:
  explicit Timers(EventLoop& loop) : loop_(loop) {}
  ~Timers();
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;

  // Loop thread. {fire} runs as a task after {delay}, unless cancelled first.
  // Returns the timer's id (> 0).
  uint64_t Start(std::chrono::milliseconds delay, std::function<void()> fire);
  // Loop thread. Unknown or fired ids are ignored.
  void Cancel(uint64_t id);

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Clock::time_point due;
    std::function<void()> fire;
    EventLoop::KeepAlive hold;
  };
  void Run();

  EventLoop& loop_;
  uint64_t next_id_ = 1;   // loop thread
  // Loop thread: started, not yet fired or cancelled. Shared with the posted
  // tasks, which do nothing once this object is gone.
  std::shared_ptr<std::set<uint64_t>> live_ = std::make_shared<std::set<uint64_t>>();

  std::mutex mutex_;
  std::condition_variable cv_;
  // Protected by {mutex_}:
  std::multimap<Clock::time_point, uint64_t> queue_;
  std::map<uint64_t, Entry> entries_;
  bool stopping_ = false;
  std::thread thread_;  // started by the first Start()
};

}  // namespace wasmstream::bindings::js

#endif  // WASMSTREAM_BINDINGS_JS_TIMERS_H_
