// The code cache's verifier on real modules: compiles every function of each
// module (eagerly), then times VerifyFunctionCode (structure and slot types,
// what a cache hit runs per function on first call; thread CPU time, median
// of the runs) over all of them against the compile time (wall, all workers), and lists any function whose fresh code it refuses
// (there should be none: a refusal costs a recompile on every cache hit).
//
//   bazel build -c opt //bench:verify_bench
//   bazel-bin/bench/verify_bench [--runs N] [--dump] FILE.wasm...
// (--dump prints the code words of each refused function.)
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wasm/function_body_decoder.h"
#include "wasm/runtime/code_verifier.h"
#include "wasm/runtime/sink_factory.h"

namespace {

using namespace wasmstream;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// This thread's CPU time in ms: the verifier runs on one thread, and on a
// shared machine wall time mostly measures the other processes.
double ThreadCpuMs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  bool dump = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--dump") == 0) {
      dump = true;
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: verify_bench [--runs N] [--dump] FILE.wasm...\n");
    return 2;
  }
  std::printf("%-28s %9s %9s %11s %14s %8s\n", "module", "functions", "words", "compile ms",
              "verify cpu ms", "refused");
  int refused_total = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto t0 = Clock::now();
    auto r = wasm::CompileRunnable(bytes, wasm::Features::All());
    double compile = Ms(t0, Clock::now());
    if (!r.ok()) {
      std::fprintf(stderr, "%s: %s\n", file.c_str(), r.error().Format().c_str());
      return 1;
    }
    const wasm::Module& m = *r.value();
    size_t functions = 0, words = 0;
    int refused = 0;
    for (const auto& c : m.code) {
      if (!c) continue;
      ++functions;
      words += c->code.size();
      wasm::Status s = wasm::VerifyFunctionCode(m, *c);
      if (s.ok() || ++refused > 10) continue;
      std::fprintf(stderr, "%s: %s\n", file.c_str(), s.error().message.c_str());
      if (dump) {
        std::fprintf(stderr, "  locals %u frame %u consts", c->num_local_slots, c->frame_slots);
        for (uint64_t k : c->consts) std::fprintf(stderr, " %llu", static_cast<unsigned long long>(k));
        std::fprintf(stderr, "\n  code");
        for (size_t i = 0; i < c->code.size(); ++i) std::fprintf(stderr, " %zu:%u", i, c->code[i]);
        std::fprintf(stderr, "\n");
      }
    }
    std::vector<double> times;
    for (int run = 0; run < runs; ++run) {
      double v0 = ThreadCpuMs();
      for (const auto& c : m.code) {
        if (c) (void)wasm::VerifyFunctionCode(m, *c);
      }
      times.push_back(ThreadCpuMs() - v0);
    }
    std::sort(times.begin(), times.end());
    // The constant expressions a cache load decodes (DecodeConstExpr each).
    size_t exprs = 0;
    double e0 = ThreadCpuMs();
    auto decode = [&](const wasm::ConstExpr& e, wasm::ValueType t) {
      ++exprs;
      (void)wasm::DecodeConstExpr(m, std::span(m.wire_bytes.data() + e.bytes.offset, e.bytes.length),
                                  e.bytes.offset, t, static_cast<uint32_t>(m.globals.size()));
    };
    for (size_t g = m.num_imported_globals; g < m.globals.size(); ++g) decode(m.globals[g].init, m.globals[g].type);
    for (const wasm::DataSegment& d : m.data) {
      if (d.mode == wasm::SegmentMode::kActive) decode(d.offset, wasm::ValueType::I32());
    }
    for (const wasm::ElemSegment& e : m.elems) {
      if (e.mode == wasm::SegmentMode::kActive) decode(e.offset, wasm::ValueType::I32());
      for (const wasm::ConstExpr& x : e.exprs) decode(x, e.elem_type);
    }
    double const_ms = ThreadCpuMs() - e0;
    std::string name = file.substr(file.find_last_of('/') + 1);
    std::printf("%-28s %9zu %9zu %11.1f %14.1f %8d\n", name.c_str(), functions, words, compile,
                times[times.size() / 2], refused);
    std::printf("%-28s %zu constant expressions decoded in %.1f ms\n", "", exprs, const_ms);
    refused_total += refused;
  }
  return refused_total ? 1 : 0;
}
