// Downloads a large body over loopback through the fetch layer and through
// the curl command-line program, in the same run, and prints MB/s of each and
// the ratio. Not a test; see bench/fetch.sh.
//
//   fetch_bench [--mb=256] [--runs=3] [--curl=curl] [--only=blocking|async|curl]
//   fetch_bench --file=PATH [--runs=10]
//
// --file reads PATH as a file: URL through the fetch layer, copying each
// chunk into one buffer as the wasm compiler's wire buffer does, and, for
// comparison, with plain read(2) calls straight into that buffer (the least
// a copy of the file can cost); it prints user and system CPU time and
// page faults of each.
//
// Wall time is noisy on a shared machine, so each line also gives the CPU time
// (user + system) the download cost this process (fetch layer and the in-process
// server) or, for curl, the curl process plus the server; and the number of
// chunks the reader saw.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

namespace {

using wasmstream::fetch::BodyStream;
using wasmstream::fetch::Fetcher;
using wasmstream::fetch::ReadResult;
using wasmstream::fetch::Request;
using wasmstream::fetch::Response;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// CPU seconds (user + system) of this process, or of its waited-for children.
double CpuSeconds(int who) {
  rusage u{};
  getrusage(who, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// One download's figures.
struct Run {
  double seconds = 1e9;
  double cpu_seconds = 0;
  uint64_t chunks = 0;
};

// Reader on this thread, one blocking read per chunk (a consumer thread).
Run FetchBlockingReader(Fetcher& fetcher, const std::string& url, uint64_t expected) {
  auto start = Clock::now();
  double cpu_start = CpuSeconds(RUSAGE_SELF);
  Response r = fetcher.FetchBlocking(std::move(Request::Create(url).value()));
  if (r.is_network_error()) {
    std::fprintf(stderr, "fetch failed: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  auto reader = std::move(r.body()->GetReader().value());
  uint64_t got = 0, chunks = 0;
  for (;;) {
    ReadResult chunk = reader->ReadBlocking();
    if (chunk.is_done()) break;
    if (chunk.is_error()) {
      std::fprintf(stderr, "body failed: %s\n", chunk.error.message.c_str());
      std::exit(1);
    }
    got += chunk.chunk.size();
    ++chunks;
  }
  Run run{Seconds(Clock::now() - start), CpuSeconds(RUSAGE_SELF) - cpu_start, chunks};
  if (got != expected) {
    std::fprintf(stderr, "fetch read %llu bytes, expected %llu\n",
                 static_cast<unsigned long long>(got), static_cast<unsigned long long>(expected));
    std::exit(1);
  }
  return run;
}

// Reader on the network thread: each read's callback issues the next one.
// Reads answered inline (data already buffered) continue the loop in Next()
// instead of recursing; the flags live here, not on a stack frame.
struct AsyncCounter : std::enable_shared_from_this<AsyncCounter> {
  std::unique_ptr<BodyStream::Reader> reader;
  uint64_t got = 0, chunks = 0;
  std::promise<bool> done;
  std::mutex mutex;
  bool in_next = false, again = false;

  void Next() {
    std::unique_lock<std::mutex> lock(mutex);
    if (in_next) {
      again = true;
      return;
    }
    in_next = true;
    do {
      again = false;
      lock.unlock();
      auto self = shared_from_this();
      reader->Read([self](ReadResult r) {
        if (r.is_chunk()) {
          self->got += r.chunk.size();
          ++self->chunks;
          self->Next();
        } else {
          self->done.set_value(r.is_done());
        }
      });
      lock.lock();
    } while (again);
    in_next = false;
  }
};

Run FetchAsyncReader(Fetcher& fetcher, const std::string& url, uint64_t expected) {
  auto start = Clock::now();
  double cpu_start = CpuSeconds(RUSAGE_SELF);
  Response r = fetcher.FetchBlocking(std::move(Request::Create(url).value()));
  auto counter = std::make_shared<AsyncCounter>();
  counter->reader = std::move(r.body()->GetReader().value());
  auto future = counter->done.get_future();
  counter->Next();
  bool ok = future.get();
  Run run{Seconds(Clock::now() - start), CpuSeconds(RUSAGE_SELF) - cpu_start, counter->chunks};
  if (!ok || counter->got != expected) {
    std::fprintf(stderr, "async fetch failed (%llu bytes)\n",
                 static_cast<unsigned long long>(counter->got));
    std::exit(1);
  }
  return run;
}

Run CurlCli(const std::string& curl, const std::string& url, uint64_t expected) {
  std::string cmd = curl + " -s -o /dev/null -w '%{size_download} %{time_total}' '" + url + "'";
  double cpu_start = CpuSeconds(RUSAGE_SELF) + CpuSeconds(RUSAGE_CHILDREN);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {};
  unsigned long long size = 0;
  double seconds = -1;
  if (std::fscanf(p, "%llu %lf", &size, &seconds) != 2) seconds = -1;
  pclose(p);
  double cpu = CpuSeconds(RUSAGE_SELF) + CpuSeconds(RUSAGE_CHILDREN) - cpu_start;
  if (size != expected) {
    std::fprintf(stderr, "curl read %llu bytes, expected %llu\n", size,
                 static_cast<unsigned long long>(expected));
    std::exit(1);
  }
  if (seconds <= 0) return {};
  return {seconds, cpu, 0};
}

}  // namespace

// CPU time split and page faults of this process, for the --file mode.
struct Usage {
  double user = 0, sys = 0;
  long faults = 0;
  static Usage Now() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return {s(u.ru_utime), s(u.ru_stime), u.ru_minflt + u.ru_majflt};
  }
  Usage operator-(const Usage& o) const { return {user - o.user, sys - o.sys, faults - o.faults}; }
  Usage operator+(const Usage& o) const { return {user + o.user, sys + o.sys, faults + o.faults}; }
};

int FileMode(const std::string& path, int runs) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    std::perror(path.c_str());
    return 1;
  }
  const off_t size = ::lseek(fd, 0, SEEK_END);
  std::vector<uint8_t> sink(static_cast<size_t>(size) + 1, 1);  // faulted in once, up front
  Fetcher fetcher;
  const std::string url = "file://" + path;
  Usage fetch_total, read_total;
  for (int run = 0; run < runs; ++run) {
    Usage before = Usage::Now();
    Response r = fetcher.FetchBlocking(std::move(Request::Create(url).value()));
    if (r.is_network_error()) {
      std::fprintf(stderr, "fetch failed: %s\n", r.error().message.c_str());
      return 1;
    }
    auto reader = std::move(r.body()->GetReader().value());
    size_t got = 0;
    for (ReadResult chunk = reader->ReadBlocking(); chunk.is_chunk(); chunk = reader->ReadBlocking()) {
      if (got + chunk.chunk.size() > sink.size()) break;
      std::memcpy(sink.data() + got, chunk.chunk.data(), chunk.chunk.size());
      got += chunk.chunk.size();
    }
    fetch_total = fetch_total + (Usage::Now() - before);
    if (got != static_cast<size_t>(size)) {
      std::fprintf(stderr, "fetch read %zu bytes, expected %lld\n", got, static_cast<long long>(size));
      return 1;
    }
    before = Usage::Now();
    got = 0;
    ::lseek(fd, 0, SEEK_SET);
    for (ssize_t n; (n = ::read(fd, sink.data() + got, sink.size() - got)) > 0;) got += n;
    read_total = read_total + (Usage::Now() - before);
  }
  std::printf("file: %s, %.1f MB, mean of %d runs\n", path.c_str(), size / 1e6, runs);
  auto line = [&](const char* what, const Usage& u) {
    std::printf("%-36s: user %6.2f ms  sys %6.2f ms  page faults %ld\n", what, u.user * 1e3 / runs,
                u.sys * 1e3 / runs, u.faults / runs);
  };
  line("fetch layer (file: URL) + one copy", fetch_total);
  line("read(2) into the buffer", read_total);
  ::close(fd);
  return 0;
}

// The best (lowest) wall time and the lowest CPU time over the runs.
struct Best {
  Run wall, cpu;
  bool measured = false;
  void Add(const Run& r) {
    if (r.seconds >= 1e9) return;
    if (!measured || r.seconds < wall.seconds) wall = r;
    if (!measured || r.cpu_seconds < cpu.cpu_seconds) cpu = r;
    measured = true;
  }
};

int main(int argc, char** argv) {
  uint64_t mb = 256;
  int runs = 3;
  std::string curl = "curl";
  std::string only, file;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--mb=", 5) == 0) mb = std::strtoull(argv[i] + 5, nullptr, 10);
    else if (std::strncmp(argv[i], "--runs=", 7) == 0) runs = std::atoi(argv[i] + 7);
    else if (std::strncmp(argv[i], "--curl=", 7) == 0) curl = argv[i] + 7;
    else if (std::strncmp(argv[i], "--only=", 7) == 0) only = argv[i] + 7;
    else if (std::strncmp(argv[i], "--file=", 7) == 0) file = argv[i] + 7;
    else {
      std::fprintf(stderr,
                   "usage: fetch_bench [--mb=256] [--runs=3] [--curl=curl] "
                   "[--only=blocking|async|curl] [--file=PATH]\n");
      return 2;
    }
  }
  if (!file.empty()) return FileMode(file, runs);
  const uint64_t total = mb << 20;
  wasmstream::testserver::HttpServer server;
  const std::string block(1 << 20, 'w');
  server.Route("/blob", [&](const wasmstream::testserver::HttpRequest&,
                            wasmstream::testserver::Connection& c) {
    if (!c.WriteHead(200, {{"Content-Length", std::to_string(total)},
                           {"Content-Type", "application/octet-stream"}}))
      return;
    for (uint64_t sent = 0; sent < total; sent += block.size())
      if (!c.Write(std::string_view(block).substr(0, std::min<uint64_t>(block.size(), total - sent))))
        return;
  });
  const std::string url = server.Url("/blob");
  Fetcher fetcher;
  auto wanted = [&](const char* name) { return only.empty() || only == name; };
  Best blocking, async, cli;
  for (int run = 0; run < runs; ++run) {
    if (wanted("blocking")) blocking.Add(FetchBlockingReader(fetcher, url, total));
    if (wanted("async")) async.Add(FetchAsyncReader(fetcher, url, total));
    if (wanted("curl")) cli.Add(CurlCli(curl, url, total));
  }
  std::printf("body: %llu MiB over loopback, best of %d runs (wall; CPU = best CPU time)\n",
              static_cast<unsigned long long>(mb), runs);
  auto line = [&](const char* what, const Best& b) {
    if (!b.measured) return;
    std::printf("%-37s: %8.1f MB/s (%.3f s)  CPU %.3f s", what, mb / b.wall.seconds,
                b.wall.seconds, b.cpu.cpu_seconds);
    if (b.wall.chunks) {
      std::printf("  %llu chunks of %.0f KiB avg", static_cast<unsigned long long>(b.wall.chunks),
                  static_cast<double>(total) / b.wall.chunks / 1024);
    }
    std::printf("\n");
  };
  line("fetch layer, blocking reader thread", blocking);
  line("fetch layer, async reader (net thr.)", async);
  line("curl command line", cli);
  if (cli.measured && (blocking.measured || async.measured)) {
    std::printf("ratio fetch/curl (wall):");
    if (blocking.measured) std::printf(" blocking %.2f", cli.wall.seconds / blocking.wall.seconds);
    if (async.measured) std::printf(" async %.2f", cli.wall.seconds / async.wall.seconds);
    std::printf(" (goal >= 0.90)\nratio curl/fetch (CPU):");
    if (blocking.measured) std::printf(" blocking %.2f", cli.cpu.cpu_seconds / blocking.cpu.cpu_seconds);
    if (async.measured) std::printf(" async %.2f", cli.cpu.cpu_seconds / async.cpu.cpu_seconds);
    std::printf("\n");
  }
  return 0;
}
