// Validation throughput of wasm::StreamingCompiler on real modules: MB/s on
// one thread (bodies validated inline on the calling thread) and on all
// threads (the worker pool, one thread per core). Best of --runs.
//   validate_bench [--runs N] FILE...
// Prints one line per file: name, size, 1-thread MB/s by wall time and by
// process CPU time, N-thread MB/s by wall time. The CPU-time figure is the
// steadier one on a shared machine (other processes stretch wall time, not
// CPU time); bench/validate_node.js reports V8's the same two ways.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wasm/streaming_compiler.h"
#include "wasm/worker_pool.h"

namespace {

using Clock = std::chrono::steady_clock;

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct Best {
  double wall = 1e30;
  double cpu = 1e30;
};

Best BestSeconds(const std::vector<uint8_t>& bytes, int runs, bool inline_bodies,
                 wasmstream::wasm::WorkerPool* pool, bool* ok) {
  Best best;
  for (int i = 0; i < runs; ++i) {
    wasmstream::wasm::StreamingOptions o;
    o.validate_inline = inline_bodies;
    o.pool = pool;
    double c0 = ProcessCpuSeconds();
    auto t0 = Clock::now();
    auto r = wasmstream::wasm::CompileModule(bytes, o);
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    double c = ProcessCpuSeconds() - c0;
    *ok = r.ok();
    if (!r.ok()) std::fprintf(stderr, "invalid: %s\n", r.error().Format().c_str());
    best.wall = std::min(best.wall, s);
    best.cpu = std::min(best.cpu, c);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::atoi(argv[++i]);
    else files.push_back(argv[i]);
  }
  if (files.empty() || runs < 1) {
    std::fprintf(stderr, "usage: validate_bench [--runs N>=1] FILE...\n");
    return 2;
  }
  wasmstream::wasm::WorkerPool pool(0);
  std::printf("%-44s %9s %13s %13s %13s  (%zu worker threads)\n", "module", "bytes",
              "1 thread", "1 thread CPU", "all threads", pool.size());
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bool ok1 = false, okn = false;
    Best one = BestSeconds(bytes, runs, true, nullptr, &ok1);
    Best all = BestSeconds(bytes, runs, false, &pool, &okn);
    double mb = bytes.size() / 1e6;
    std::string name = f.substr(f.find_last_of('/') + 1);
    std::printf("%-44s %9zu %8.1f MB/s %8.1f MB/s %8.1f MB/s%s\n", name.c_str(), bytes.size(),
                mb / one.wall, mb / one.cpu, mb / all.wall, ok1 && okn ? "" : "  INVALID");
  }
  return 0;
}
