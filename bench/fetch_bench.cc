// Downloads a large body over loopback through the fetch layer and through
// the curl command-line program, in the same run, and prints MB/s of each and
// the ratio. Not a test; see bench/fetch.sh.
//
//   fetch_bench [--mb=256] [--runs=3] [--curl=curl]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <mutex>
#include <string>

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

// Reader on this thread, one blocking read per chunk (a consumer thread).
double FetchBlockingReader(Fetcher& fetcher, const std::string& url, uint64_t expected) {
  auto start = Clock::now();
  Response r = fetcher.FetchBlocking(std::move(Request::Create(url).value()));
  if (r.is_network_error()) {
    std::fprintf(stderr, "fetch failed: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  auto reader = std::move(r.body()->GetReader().value());
  uint64_t got = 0;
  for (;;) {
    ReadResult chunk = reader->ReadBlocking();
    if (chunk.is_done()) break;
    if (chunk.is_error()) {
      std::fprintf(stderr, "body failed: %s\n", chunk.error.message.c_str());
      std::exit(1);
    }
    got += chunk.chunk.size();
  }
  double s = Seconds(Clock::now() - start);
  if (got != expected) {
    std::fprintf(stderr, "fetch read %llu bytes, expected %llu\n",
                 static_cast<unsigned long long>(got), static_cast<unsigned long long>(expected));
    std::exit(1);
  }
  return s;
}

// Reader on the network thread: each read's callback issues the next one.
// Reads answered inline (data already buffered) continue the loop in Next()
// instead of recursing; the flags live here, not on a stack frame.
struct AsyncCounter : std::enable_shared_from_this<AsyncCounter> {
  std::unique_ptr<BodyStream::Reader> reader;
  uint64_t got = 0;
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

double FetchAsyncReader(Fetcher& fetcher, const std::string& url, uint64_t expected) {
  auto start = Clock::now();
  Response r = fetcher.FetchBlocking(std::move(Request::Create(url).value()));
  auto counter = std::make_shared<AsyncCounter>();
  counter->reader = std::move(r.body()->GetReader().value());
  auto future = counter->done.get_future();
  counter->Next();
  bool ok = future.get();
  double s = Seconds(Clock::now() - start);
  if (!ok || counter->got != expected) {
    std::fprintf(stderr, "async fetch failed (%llu bytes)\n",
                 static_cast<unsigned long long>(counter->got));
    std::exit(1);
  }
  return s;
}

double CurlCli(const std::string& curl, const std::string& url, uint64_t expected) {
  std::string cmd = curl + " -s -o /dev/null -w '%{size_download} %{time_total}' '" + url + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  unsigned long long size = 0;
  double seconds = -1;
  if (std::fscanf(p, "%llu %lf", &size, &seconds) != 2) seconds = -1;
  pclose(p);
  if (size != expected) {
    std::fprintf(stderr, "curl read %llu bytes, expected %llu\n", size,
                 static_cast<unsigned long long>(expected));
    std::exit(1);
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t mb = 256;
  int runs = 3;
  std::string curl = "curl";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--mb=", 5) == 0) mb = std::strtoull(argv[i] + 5, nullptr, 10);
    else if (std::strncmp(argv[i], "--runs=", 7) == 0) runs = std::atoi(argv[i] + 7);
    else if (std::strncmp(argv[i], "--curl=", 7) == 0) curl = argv[i] + 7;
    else {
      std::fprintf(stderr, "usage: fetch_bench [--mb=256] [--runs=3] [--curl=curl]\n");
      return 2;
    }
  }
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
  double best_blocking = 1e9, best_async = 1e9, best_curl = 1e9;
  for (int run = 0; run < runs; ++run) {
    best_blocking = std::min(best_blocking, FetchBlockingReader(fetcher, url, total));
    best_async = std::min(best_async, FetchAsyncReader(fetcher, url, total));
    double c = CurlCli(curl, url, total);
    if (c > 0) best_curl = std::min(best_curl, c);
  }
  auto mbps = [&](double s) { return static_cast<double>(mb) / s; };
  std::printf("body: %llu MiB over loopback, best of %d runs\n",
              static_cast<unsigned long long>(mb), runs);
  std::printf("fetch layer, blocking reader thread : %8.1f MB/s (%.3f s)\n", mbps(best_blocking), best_blocking);
  std::printf("fetch layer, async reader (net thr.): %8.1f MB/s (%.3f s)\n", mbps(best_async), best_async);
  std::printf("curl command line                   : %8.1f MB/s (%.3f s)\n", mbps(best_curl), best_curl);
  std::printf("ratio fetch/curl: blocking %.2f, async %.2f (goal >= 0.90)\n",
              best_curl / best_blocking, best_curl / best_async);
  return 0;
}
