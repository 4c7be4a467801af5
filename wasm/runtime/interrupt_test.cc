// Interruption: Store::Interrupt from another thread stops a running call at
// a loop back-edge or a call; a deadline does the same from the watchdog
// thread; the Store stays usable afterwards. No timing assertions: the other
// thread interrupts only once the wasm code has signalled that it runs.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/runtime_test_util.h"

namespace wasmstream::wasm {
namespace {

// Every spinning export first calls env.started, then counts in $n forever.
constexpr char kSpinners[] = R"((module
  (import "env" "started" (func $started))
  (global $n (export "n") (mut i32) (i32.const 0))
  (func (export "loop") (call $started) (loop (global.set $n (i32.add (global.get $n) (i32.const 1))) (br 0)))
  (func (export "loop_br_if") (call $started)
    (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br_if $l (i32.const 1))))
  (func (export "loop_br_table") (call $started)
    (loop $l (block $b (br_table $l $b (i32.const 0)))))
  (func $tail (global.set $n (i32.add (global.get $n) (i32.const 1))) (return_call $tail))
  (func (export "tail_calls") (call $started) (return_call $tail))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))))";

class InterruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = testing::Compile(kSpinners);
    ASSERT_NE(m, nullptr);
    FuncInstance* started = store_.NewHostFunction(FuncType{}, [this](std::span<const Value>) {
      if (on_start_) on_start_();
      return Outcome<std::vector<Value>>(std::vector<Value>{});
    });
    Imports imports;
    imports.Add("env", "started", Extern::Func(started));
    auto inst = Instance::Instantiate(store_, m, imports);
    ASSERT_TRUE(inst.ok()) << inst.error().Format();
    instance_ = inst.value();
  }

  // Calls {name} while another thread interrupts it once it has started.
  Outcome<std::vector<Value>> CallInterrupted(const char* name) {
    std::promise<void> running;
    on_start_ = [&] { running.set_value(); };
    std::thread other([&] {
      running.get_future().wait();
      store_.Interrupt();
    });
    auto r = instance_->CallExport(name, {});
    other.join();
    on_start_ = nullptr;
    return r;
  }

  int32_t Add(int32_t a, int32_t b) {
    auto r = instance_->CallExport("add", std::vector<Value>{Value::I32(a), Value::I32(b)});
    EXPECT_TRUE(r.ok()) << r.error().Format();
    return r.ok() ? static_cast<int32_t>(r.value()[0].u.i32) : -1;
  }

  uint32_t Count() { return instance_->GetExport("n")->global->Get().u.i32; }

  Store store_;
  Instance* instance_ = nullptr;
  std::function<void()> on_start_;
};

TEST_F(InterruptTest, LoopStoppedFromAnotherThread) {
  auto r = CallInterrupted("loop");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kRuntimeError);
  EXPECT_EQ(r.error().trap, TrapKind::kInterrupted);
  EXPECT_EQ(r.error().message, "interrupted");
  // The Store is usable afterwards and keeps what the stopped code wrote.
  EXPECT_EQ(Add(2, 40), 42);
  EXPECT_GT(Count(), 0u);
}

TEST_F(InterruptTest, EveryBackEdgeKindPolls) {
  for (const char* name : {"loop_br_if", "loop_br_table", "tail_calls"}) {
    SCOPED_TRACE(name);
    auto r = CallInterrupted(name);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::kInterrupted);
    EXPECT_EQ(Add(1, 1), 2);
  }
}

TEST_F(InterruptTest, InterruptWhileIdleStopsTheNextCallOnly) {
  store_.Interrupt();
  auto r = instance_->CallExport("add", std::vector<Value>{Value::I32(1), Value::I32(2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::kInterrupted);
  EXPECT_EQ(Add(1, 2), 3);
}

TEST_F(InterruptTest, NestedCallsAllStop) {
  // A host function that calls back into the spinning export: the inner
  // call traps, the host passes the error on, the outer call fails with it.
  auto m = testing::Compile(R"((module
    (import "env" "reenter" (func $reenter))
    (func (export "outer") (call $reenter) (loop (br 0)))))");
  ASSERT_NE(m, nullptr);
  FuncInstance* reenter = store_.NewHostFunction(FuncType{}, [this](std::span<const Value>) {
    return instance_->CallExport("loop", {});
  });
  Imports imports;
  imports.Add("env", "reenter", Extern::Func(reenter));
  auto outer = Instance::Instantiate(store_, m, imports);
  ASSERT_TRUE(outer.ok()) << outer.error().Format();
  std::promise<void> running;
  on_start_ = [&] { running.set_value(); };
  std::thread other([&] {
    running.get_future().wait();
    store_.Interrupt();
  });
  auto r = outer.value()->CallExport("outer", {});
  other.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::kInterrupted);
  EXPECT_EQ(Add(20, 22), 42);
}

TEST_F(InterruptTest, SecondThreadIsRefusedWhileACallRuns) {
  // The Store is used by one thread at a time, checked on every call: a call
  // (or an instantiation) from another thread fails instead of racing.
  std::promise<void> running;
  on_start_ = [&] { running.set_value(); };
  Outcome<std::vector<Value>> spin = Error::Type("not run");
  std::thread spinner([&] { spin = instance_->CallExport("loop", {}); });
  running.get_future().wait();
  auto r = instance_->CallExport("add", std::vector<Value>{Value::I32(1), Value::I32(2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
  EXPECT_EQ(r.error().message, "the Store is running a call on another thread");
  auto again = Instance::Instantiate(store_, std::shared_ptr<const Module>(&instance_->module(),
                                                                          [](const Module*) {}),
                                     Imports());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kTypeError);
  store_.Interrupt();
  spinner.join();
  on_start_ = nullptr;
  ASSERT_FALSE(spin.ok());
  EXPECT_EQ(spin.error().trap, TrapKind::kInterrupted);
  EXPECT_EQ(Add(1, 2), 3);  // released: this thread may call now
}

TEST_F(InterruptTest, DeadlineStopsARunningCall) {
  store_.SetDeadline(std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
  auto r = instance_->CallExport("loop", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kRuntimeError);
  EXPECT_EQ(r.error().trap, TrapKind::kDeadlineExceeded);
  EXPECT_EQ(r.error().message, "deadline exceeded");
  // Past the deadline every call traps at once, even one without loops.
  auto late = instance_->CallExport("add", std::vector<Value>{Value::I32(1), Value::I32(2)});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().trap, TrapKind::kDeadlineExceeded);
  // Cleared, the Store runs calls again; a far deadline does not disturb them.
  store_.SetDeadline(std::nullopt);
  EXPECT_EQ(Add(1, 2), 3);
  store_.SetDeadline(std::chrono::steady_clock::now() + std::chrono::hours(1));
  EXPECT_EQ(Add(3, 4), 7);
}

TEST_F(InterruptTest, StoreWithArmedDeadlineCanBeDestroyed) {
  // The watchdog must not touch a destroyed Store.
  for (int i = 0; i < 100; ++i) {
    Store s;
    s.SetDeadline(std::chrono::steady_clock::now() + std::chrono::microseconds(i % 7));
  }
  SUCCEED();
}

}  // namespace
}  // namespace wasmstream::wasm
