// The deadline watchdog: one process-wide thread, started on first use, that
// interrupts a Store when its deadline passes (Store::SetDeadline). The
// interpreter never reads a clock: it only polls the Store's interrupt word
// at loop back-edges and calls, which this thread sets, as V8's
// TerminateExecution is called from a watchdog thread.
#ifndef WASMSTREAM_WASM_RUNTIME_WATCHDOG_H_
#define WASMSTREAM_WASM_RUNTIME_WATCHDOG_H_

#include <chrono>

namespace wasmstream::wasm {

class Store;

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  static Watchdog& Get();

  // Calls {store}.InterruptForDeadline() at {deadline}, replacing an earlier
  // arming of {store}. Any thread.
  void Arm(Store* store, Clock::time_point deadline);
  // Cancels {store}'s arming. When it returns, the watchdog no longer
  // touches {store} (the Store's destructor relies on it). Any thread.
  void Disarm(Store* store);

 private:
  Watchdog();
  struct State;
  State* state_;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_WATCHDOG_H_
