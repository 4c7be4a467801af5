// A fixed pool of compile worker threads (docs/architecture.md, "Threads").
// Tasks run in submission order across the workers; the pool is shared by every compile
// in the process unless a caller brings its own (the benchmark does, to
// measure one thread against all).
#ifndef WASMSTREAM_WASM_WORKER_POOL_H_
#define WASMSTREAM_WASM_WORKER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wasmstream::wasm {

class WorkerPool {
 public:
  // {threads} == 0: one per hardware thread.
  explicit WorkerPool(size_t threads = 0);
  ~WorkerPool();  // runs the queued tasks, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues {task}; it runs on a worker thread. Thread-safe.
  void Post(std::function<void()> task);
  size_t size() const { return threads_.size(); }

  // The process-wide pool, sized to the cores, created on first use.
  static WorkerPool& Shared();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable cv_;
  // Protected by {mutex_}:
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;

  std::vector<std::thread> threads_;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_WORKER_POOL_H_
