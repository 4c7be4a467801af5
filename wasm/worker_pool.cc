#include "wasm/worker_pool.h"

#include <algorithm>
#include <cstdlib>

namespace wasmstream::wasm {

WorkerPool::WorkerPool(size_t threads) {
  if (threads == 0) threads = std::max<unsigned>(1, std::thread::hardware_concurrency());
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void WorkerPool::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

WorkerPool& WorkerPool::Shared() {
  // Never destroyed: compiles may still be running when static destructors do.
  // WASMSTREAM_WORKERS=N sizes it (benchmarks of scaling); default: one per core.
  static WorkerPool* pool = [] {
    const char* env = std::getenv("WASMSTREAM_WORKERS");
    long n = env ? std::strtol(env, nullptr, 10) : 0;
    return new WorkerPool(n > 0 && n <= 256 ? static_cast<size_t>(n) : 0);
  }();
  return *pool;
}

}  // namespace wasmstream::wasm
