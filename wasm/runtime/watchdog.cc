#include "wasm/runtime/watchdog.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "wasm/runtime/store.h"

namespace wasmstream::wasm {

struct Watchdog::State {
  std::mutex mutex;
  std::condition_variable wake;
  // Protected by {mutex}:
  std::multimap<Clock::time_point, Store*> due;

  void Loop() {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      if (due.empty()) {
        wake.wait(lock);
        continue;
      }
      auto first = due.begin();
      Clock::time_point when = first->first;  // a copy: Disarm may erase the entry
      if (Clock::now() < when) {
        wake.wait_until(lock, when);
        continue;
      }
      // Under {mutex}: Disarm (from the Store's destructor) waits for this.
      first->second->InterruptForDeadline();
      due.erase(first);
    }
  }

  void Remove(Store* store) {
    for (auto it = due.begin(); it != due.end(); ++it) {
      if (it->second == store) {
        due.erase(it);
        return;
      }
    }
  }
};

// Never destroyed: a Store destroyed during static destruction may still
// disarm, and the thread only ever waits when nothing is due.
Watchdog& Watchdog::Get() {
  static Watchdog* watchdog = new Watchdog;
  return *watchdog;
}

Watchdog::Watchdog() : state_(new State) {
  std::thread([s = state_] { s->Loop(); }).detach();
}

void Watchdog::Arm(Store* store, Clock::time_point deadline) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->Remove(store);
    state_->due.emplace(deadline, store);
  }
  state_->wake.notify_all();
}

void Watchdog::Disarm(Store* store) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->Remove(store);
}

}  // namespace wasmstream::wasm
