// compileStreaming vs download-then-compile, same module, same server, same
// run (bench/stream.sh serves the module with nginx at a limited rate).
//
//   stream_bench --url=URL [--runs=N] [--label=TEXT] [--lazy] [--repeat]
//
// For each run, in alternation:
//   streaming:  WebAssembly.compileStreaming(fetch(url)); from the record,
//               the download time (call -> last byte) and last byte -> Module.
//   download-then-compile: fetch(url), read the whole body, then
//               WebAssembly.compile(bytes); last byte -> Module.
// Both compile to interpreter code (the realm default) with no code cache.
// Prints one line per run and the medians; the goal is last byte -> Module
// at most 5% of the download time for streaming.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"

namespace wasmstream::bench {
namespace {

using bindings::Error;
using bindings::Module;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of this process so far, all threads: user and system.
struct Cpu {
  double user_ms = 0, sys_ms = 0;
  static Cpu Now() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
    return {ms(u.ru_utime), ms(u.ru_stime)};
  }
  Cpu operator-(const Cpu& o) const { return {user_ms - o.user_ms, sys_ms - o.sys_ms}; }
  double total() const { return user_ms + sys_ms; }
  double sys_per_user() const { return user_ms > 0 ? sys_ms / user_ms : 0; }
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

struct Sample {
  bool ok = false;
  std::string error;
  uint64_t bytes = 0;
  double download_ms = 0;            // call -> last byte
  double last_byte_to_module_ms = 0;
  Cpu cpu;                           // process CPU for the whole sample
};

Sample Streaming(bindings::Realm& realm, const std::string& url) {
  bindings::WebAssembly wasm(realm);
  Sample s;
  Cpu cpu0 = Cpu::Now();
  auto p = wasm.CompileStreaming(realm.Fetch(url));
  p.Then([](const Module&) {}, [](const Error&) {});
  realm.loop().RunUntil([&] { return !p.is_pending(); });
  if (!p.is_fulfilled()) {
    s.error = p.is_rejected() ? p.reason().ToString() : "timed out";
    return s;
  }
  const bindings::StreamRecord& r = *p.value().record();
  s.ok = true;
  s.bytes = r.bytes;
  s.download_ms = r.time_to_last_byte_ms.value_or(0);
  s.last_byte_to_module_ms = r.last_byte_to_module_ms().value_or(0);
  s.cpu = Cpu::Now() - cpu0;
  return s;
}

Sample DownloadThenCompile(bindings::Realm& realm, const std::string& url) {
  bindings::WebAssembly wasm(realm);
  bindings::EventLoop& loop = realm.loop();
  Sample s;
  Cpu cpu0 = Cpu::Now();
  Clock::time_point start = Clock::now();
  auto response = realm.Fetch(url);
  response.Then([](const fetch::Response&) {}, [](const Error&) {});
  loop.RunUntil([&] { return !response.is_pending(); });
  if (!response.is_fulfilled()) {
    s.error = response.is_rejected() ? response.reason().ToString() : "timed out";
    return s;
  }
  // Read the whole body (arrayBuffer()); the callback runs on the network thread.
  struct Body {
    bool done = false;
    std::optional<fetch::FetchResult<fetch::Bytes>> bytes;
    Clock::time_point last_byte;
  };
  auto body = std::make_shared<Body>();
  bindings::EventLoop::KeepAlive hold = loop.Hold();
  response.value().ReadAllBytes([&loop, body, hold](fetch::FetchResult<fetch::Bytes> r) mutable {
    Clock::time_point t = Clock::now();
    loop.PostTask([body, t, r = std::move(r)]() mutable {
      body->last_byte = t;
      body->bytes.emplace(std::move(r));
      body->done = true;
    });
    hold.Reset();
  });
  hold.Reset();
  loop.RunUntil([&] { return body->done; });
  if (!body->done || !body->bytes->ok()) {
    s.error = body->done ? body->bytes->error().Format() : "timed out";
    return s;
  }
  s.bytes = body->bytes->value().size();
  s.download_ms = Ms(body->last_byte - start);
  auto p = wasm.Compile(body->bytes->value());
  p.Then([](const Module&) {}, [](const Error&) {});
  loop.RunUntil([&] { return !p.is_pending(); });
  if (!p.is_fulfilled()) {
    s.error = p.is_rejected() ? p.reason().ToString() : "timed out";
    return s;
  }
  s.ok = true;
  s.last_byte_to_module_ms = Ms(Clock::now() - body->last_byte);
  s.cpu = Cpu::Now() - cpu0;
  return s;
}

// --repeat: only compileStreaming, {runs} times in this one process, as an
// embedder that compiles again and again does. The first run pays for fresh
// memory (the kernel zeroes every page the wire bytes land in); later runs
// reuse the recycled wire buffer, so their sys/user shows the path's own cost.
int RepeatStreaming(bindings::Realm& realm, const std::string& url, const std::string& label,
                    int runs) {
  for (int run = 0; run < runs; ++run) {
    Sample a = Streaming(realm, url);
    if (!a.ok) {
      std::fprintf(stderr, "stream_bench: %s\n", a.error.c_str());
      return 1;
    }
    std::printf("%s compile %d in this process: %.1f MB, call -> Module %.0f ms, cpu %.0f ms "
                "(user %.0f, sys %.0f, sys/user %.2f)\n",
                label.c_str(), run + 1, a.bytes / 1e6, a.download_ms + a.last_byte_to_module_ms,
                a.cpu.total(), a.cpu.user_ms, a.cpu.sys_ms, a.cpu.sys_per_user());
    std::fflush(stdout);
  }
  return 0;
}

int Main(int argc, char** argv) {
  std::string url, label = "unthrottled";
  int runs = 3;
  bool lazy = false, repeat = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--url=", 0) == 0) url = a.substr(6);
    else if (a.rfind("--runs=", 0) == 0) runs = std::max(1, std::atoi(a.c_str() + 7));
    else if (a.rfind("--label=", 0) == 0) label = a.substr(8);
    else if (a == "--lazy") lazy = true;
    else if (a == "--repeat") repeat = true;
    else {
      std::fprintf(stderr,
                   "usage: stream_bench --url=URL [--runs=N] [--label=TEXT] [--lazy] [--repeat]\n");
      return 2;
    }
  }
  if (url.empty()) {
    std::fprintf(stderr, "stream_bench: --url is required\n");
    return 2;
  }
  bindings::EventLoop loop;
  fetch::Fetcher fetcher;
  bindings::Realm realm(loop);
  realm.fetcher = &fetcher;
  realm.SetPageUrl(url);
  realm.compile_code = !lazy;  // lazy: validate while streaming, compile on first call

  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) > 0) {
    std::printf("%s: load average %.1f on %u hardware threads\n", label.c_str(), load[0],
                std::thread::hardware_concurrency());
  }
  if (repeat) return RepeatStreaming(realm, url, label, runs);
  std::vector<double> s_dl, s_tail, d_dl, d_tail;
  uint64_t bytes = 0;
  for (int run = 0; run < runs; ++run) {
    Sample a = Streaming(realm, url);
    Sample b = DownloadThenCompile(realm, url);
    if (!a.ok || !b.ok) {
      std::fprintf(stderr, "stream_bench: %s\n", (!a.ok ? a.error : b.error).c_str());
      return 1;
    }
    bytes = a.bytes;
    std::printf("%s run %d: streaming download %.0f ms, last byte->Module %.1f ms (%.1f%%), "
                "cpu %.0f ms (sys/user %.2f) | download-then-compile download %.0f ms, "
                "last byte->Module %.1f ms (%.1f%%), cpu %.0f ms (sys/user %.2f)\n",
                label.c_str(), run + 1, a.download_ms, a.last_byte_to_module_ms,
                100 * a.last_byte_to_module_ms / a.download_ms, a.cpu.total(), a.cpu.sys_per_user(),
                b.download_ms, b.last_byte_to_module_ms,
                100 * b.last_byte_to_module_ms / b.download_ms, b.cpu.total(), b.cpu.sys_per_user());
    std::fflush(stdout);
    s_dl.push_back(a.download_ms);
    s_tail.push_back(a.last_byte_to_module_ms);
    d_dl.push_back(b.download_ms);
    d_tail.push_back(b.last_byte_to_module_ms);
  }
  double sd = Median(s_dl), st = Median(s_tail), dd = Median(d_dl), dt = Median(d_tail);
  std::printf("%s median (%d runs, %.1f MB): streaming last byte->Module %.1f ms = %.1f%% of its "
              "%.0f ms download (goal <= 5%%); download-then-compile %.1f ms = %.1f%% of %.0f ms\n",
              label.c_str(), runs, bytes / 1e6, st, 100 * st / sd, sd, dt, 100 * dt / dd, dd);
  return 0;
}

}  // namespace
}  // namespace wasmstream::bench

int main(int argc, char** argv) { return wasmstream::bench::Main(argc, argv); }
