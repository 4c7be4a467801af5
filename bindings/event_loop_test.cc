#include "bindings/event_loop.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace wasmstream::bindings {
namespace {

TEST(EventLoopTest, TasksRunInPostOrderWithMicrotasksAfterEach) {
  EventLoop loop;
  std::string log;
  loop.PostTask([&] {
    log += "t1 ";
    loop.QueueMicrotask([&] {
      log += "m1 ";
      loop.QueueMicrotask([&] { log += "m2 "; });  // queued during the checkpoint: same one
    });
  });
  loop.PostTask([&] { log += "t2 "; });
  EXPECT_TRUE(loop.RunUntilIdle());
  EXPECT_EQ(log, "t1 m1 m2 t2 ");
}

TEST(EventLoopTest, PostTaskFromOtherThreads) {
  EventLoop loop;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  int count = 0;  // loop thread only
  std::vector<std::thread> threads;
  {
    EventLoop::KeepAlive hold = loop.Hold();
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&loop, &count, hold] {
        for (int i = 0; i < kPerThread; ++i) loop.PostTask([&count] { ++count; });
      });
    }
  }
  // The threads hold the loop alive until they finish posting.
  EXPECT_TRUE(loop.RunUntilIdle());
  for (auto& t : threads) t.join();
  EXPECT_EQ(count, kThreads * kPerThread);
}

TEST(EventLoopTest, RunUntilIdleWaitsForKeepAlive) {
  EventLoop loop;
  bool ran = false;
  EventLoop::KeepAlive hold = loop.Hold();
  std::thread worker([&loop, &ran, h = std::move(hold)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.PostTask([&ran] { ran = true; });
    h.Reset();
  });
  EXPECT_TRUE(loop.RunUntilIdle());
  worker.join();
  EXPECT_TRUE(ran);
}

TEST(EventLoopTest, RunUntilStopsAtCondition) {
  EventLoop loop;
  int n = 0;
  for (int i = 0; i < 10; ++i) loop.PostTask([&n] { ++n; });
  EXPECT_TRUE(loop.RunUntil([&] { return n == 3; }));
  EXPECT_EQ(n, 3);
  EXPECT_TRUE(loop.RunUntilIdle());
  EXPECT_EQ(n, 10);
}

TEST(EventLoopTest, RunUntilReturnsFalseWhenIdleBeforeCondition) {
  EventLoop loop;
  loop.PostTask([] {});
  EXPECT_FALSE(loop.RunUntil([] { return false; }));
}

TEST(EventLoopTest, RunUntilIdleGivesUpAfterMaxWait) {
  EventLoop loop;
  EventLoop::KeepAlive hold = loop.Hold();  // never posts
  EXPECT_FALSE(loop.RunUntilIdle(std::chrono::milliseconds(10)));
}

TEST(EventLoopTest, RunPendingLeavesLaterTasks) {
  EventLoop loop;
  int n = 0;
  loop.PostTask([&] {
    ++n;
    loop.PostTask([&] { ++n; });
  });
  loop.RunPending();
  EXPECT_EQ(n, 1);
  loop.RunPending();
  EXPECT_EQ(n, 2);
}

TEST(EventLoopTest, IsLoopThread) {
  EventLoop loop;
  EXPECT_TRUE(loop.IsLoopThread());
  bool other = true;
  std::thread([&] { other = loop.IsLoopThread(); }).join();
  EXPECT_FALSE(other);
}

// The loop-thread-only entry points check their thread in every build (no
// assert()): misuse stops with a message instead of racing.
TEST(EventLoopDeathTest, LoopThreadOnlyCallsAbortOffTheLoopThread) {
  EXPECT_DEATH(
      {
        EventLoop loop;
        std::thread other([&] { loop.QueueMicrotask([] {}); });
        other.join();
      },
      "EventLoop::QueueMicrotask called off the loop thread");
  EXPECT_DEATH(
      {
        EventLoop loop;
        std::thread other([&] { loop.RunUntilIdle(); });
        other.join();
      },
      "EventLoop::RunUntilIdle called off the loop thread");
}

}  // namespace
}  // namespace wasmstream::bindings
