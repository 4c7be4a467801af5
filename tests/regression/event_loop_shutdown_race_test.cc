// Bug: a data race at shutdown between the EventLoop and the code cache's I/O
// thread: PostTask() touched the loop after queueing its task, while the loop
// thread could already run that task and destroy the loop.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "bindings/event_loop.h"

namespace wasmstream::bindings {
namespace {

// The last task a worker posts lets the loop thread finish and destroy the
// loop while PostTask() may still be returning on the worker (the shutdown of
// a compileStreaming whose result came from another thread). Under
// ThreadSanitizer or AddressSanitizer a PostTask() that touched the loop
// after queueing reports a race or a use after free here.
TEST(EventLoopShutdownRaceTest, LoopMayBeDestroyedWhilePostTaskReturns) {
  for (int i = 0; i < 300; ++i) {
    auto loop = std::make_unique<EventLoop>();
    std::atomic<bool> posting{false};
    bool done = false;
    EventLoop* raw = loop.get();
    std::thread worker([raw, &posting, &done, hold = loop->Hold()]() mutable {
      posting = true;
      raw->PostTask([&done] { done = true; });
      hold.Reset();
    });
    while (!posting) std::this_thread::yield();
    EXPECT_TRUE(loop->RunUntil([&] { return done; }));
    loop.reset();
    worker.join();
  }
}

}  // namespace
}  // namespace wasmstream::bindings
