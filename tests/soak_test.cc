// The soak (tags = ["manual"]; see docs/hostile-input.md): 10,000
// compileStreaming calls (WASMSTREAM_SOAK_STREAMS overrides the count, in
// thousands) through one realm, one code cache (SQLite file), one fetcher and
// a pool of 2 compile workers, 8 at a time, against a loopback server that
// mixes good modules (plain, gzip, br, trickled, stalled mid-body) with
// resets, cut-off bodies, bad encodings, invalid modules and wrong MIME types.
// Every good module must compile (a hit or a miss) to a module that runs,
// every bad one must reject with its error kind, and memory and file
// descriptors must stay flat after a warm-up.
#include <dirent.h>
#include <malloc.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/cached_consumer.h"
#include "bindings/compiling_consumer.h"
#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"
#include "wasm/worker_pool.h"

namespace wasmstream::bindings {
namespace {

using testserver::Coding;
using testserver::HttpServer;

// AddressSanitizer's quarantine keeps freed memory resident: no RSS check.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRssTellsWhatIsHeld = false;
#else
constexpr bool kRssTellsWhatIsHeld = true;
#endif

// Streams per RSS/descriptor sample.
constexpr int kBlock = 1000;
constexpr int kInFlight = 8;
constexpr int kDistinctModules = 48;

// (module (func (export "f") (result i32) i32.const N)), N < 64.
std::string ConstModule(int n) {
  std::string m("\0asm\1\0\0\0\1\5\1\x60\0\1\x7f\3\2\1\0\7\5\1\1f\0\0\x0a\6\1\4\0\x41", 32);
  m += static_cast<char>(n);
  m += '\x0b';
  return m;
}

// A field of /proc/self/status ("VmRSS", "RssAnon", "Threads", …): kB
// figures in bytes, counts as they are.
uint64_t StatusField(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(name + ":", 0) == 0) {
      uint64_t n = std::stoull(line.substr(name.size() + 1));
      return line.find("kB") != std::string::npos ? n * 1024 : n;
    }
  }
  return 0;
}

uint64_t RssBytes() { return StatusField("VmRSS"); }

int OpenFds() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  return n;
}

int StreamCount() {
  const char* k = std::getenv("WASMSTREAM_SOAK_STREAMS");
  int thousands = k ? std::atoi(k) : 10;
  return (thousands > 2 ? thousands : 3) * kBlock;  // the bound needs 2 warm-up blocks
}

// Consumers compiling on this test's own pool (2 workers, as on a small host).
class TwoWorkerFactory final : public ModuleStreamConsumerFactory {
 public:
  std::unique_ptr<ModuleStreamConsumer> Create(const StreamInfo& info) override {
    return MakeCompilingConsumer(info, &pool_);
  }
  std::string_view name() const override { return "compile"; }

 private:
  wasm::WorkerPool pool_{2};
};

enum class Kind {
  kPlain, kGzip, kBrotli, kTrickle, kStall, kReset, kCutOff, kBadGzip, kInvalid, kWrongMime
};
constexpr Kind kKinds[] = {Kind::kPlain,  Kind::kGzip,    Kind::kBrotli,  Kind::kTrickle,
                           Kind::kStall,  Kind::kReset,   Kind::kCutOff,  Kind::kBadGzip,
                           Kind::kInvalid, Kind::kWrongMime};

TEST(SoakTest, MixedStreamsThroughOneCache) {
  const int streams = StreamCount();
  HttpServer server;
  const testserver::HeaderList wasm = {{"Content-Type", "application/wasm"}};
  for (int n = 0; n < kDistinctModules; ++n) {
    std::string m = ConstModule(n), id = std::to_string(n);
    server.Fixed("/plain/" + id, 200, wasm, m);
    server.Encoded("/gzip/" + id, m, Coding::kGzip, wasm);
    server.Encoded("/br/" + id, m, Coding::kBrotli, wasm);
    server.Trickle("/trickle/" + id, m, 7, std::chrono::milliseconds(1), wasm);
    // Half the module, a pause, the rest.
    server.Chunked("/stall/" + id, {m.substr(0, 17), m.substr(17)}, std::chrono::milliseconds(30),
                   wasm);
    server.ResetMidBody("/reset/" + id, m.substr(0, 10));
    server.CutOff("/cut/" + id, m.substr(0, 12), m.size());
    server.Fixed("/badgz/" + id, 200,
                 {{"Content-Type", "application/wasm"}, {"Content-Encoding", "gzip"}},
                 "not gzip " + id);
    server.Fixed("/invalid/" + id, 200, wasm, std::string("\0asm\2\0\0\0", 8) + id);
    server.Fixed("/mime/" + id, 200, {{"Content-Type", "text/plain"}}, m);
  }

  EventLoop loop;
  fetch::Fetcher fetcher;
  Realm realm(loop);
  realm.fetcher = &fetcher;
  ASSERT_TRUE(realm.SetPageUrl(server.Url("/index.html")));
  cache::StoreOptions o;
  o.path = ::testing::TempDir() + "/soak_cache.db";
  o.min_module_bytes = 0;
  cache::SqliteStore::DestroyFile(o.path, nullptr);
  auto cache = std::make_shared<CodeCache>(cache::SqliteStore::Open(o));
  ASSERT_TRUE(cache->store()->usable());
  TwoWorkerFactory compile_factory;
  realm.consumer_factory =
      std::make_shared<CachedConsumerFactory>(cache, CachePolicy::kContent, &compile_factory);
  WebAssembly wasm_ns(realm);

  // RSS and open descriptors after each block of streams.
  std::vector<uint64_t> rss;
  std::vector<int> fds;
  int hits = 0, misses = 0;
  for (int first = 0; first < streams; first += kInFlight) {
    struct Call {
      Kind kind;
      int n;
      Promise<Module> promise;
    };
    std::vector<Call> calls;
    for (int i = first; i < first + kInFlight && i < streams; ++i) {
      Kind kind = kKinds[(i * 7 + i / 9) % std::size(kKinds)];
      int n = (i * 13) % kDistinctModules;
      static const char* kPaths[] = {"/plain/", "/gzip/",  "/br/",      "/trickle/", "/stall/",
                                     "/reset/", "/cut/",   "/badgz/", "/invalid/", "/mime/"};
      std::string url = server.Url(kPaths[static_cast<int>(kind)] + std::to_string(n));
      calls.push_back({kind, n, wasm_ns.CompileStreaming(realm.Fetch(url))});
      calls.back().promise.Then([](const Module&) {}, [](const Error&) {});
    }
    ASSERT_TRUE(loop.RunUntil([&] {
      for (const Call& c : calls) {
        if (c.promise.is_pending()) return false;
      }
      return true;
    }));
    for (const Call& c : calls) {
      SCOPED_TRACE("stream kind " + std::to_string(static_cast<int>(c.kind)) + " module " +
                   std::to_string(c.n));
      switch (c.kind) {
        case Kind::kPlain:
        case Kind::kGzip:
        case Kind::kBrotli:
        case Kind::kTrickle:
        case Kind::kStall: {
          ASSERT_TRUE(c.promise.is_fulfilled()) << c.promise.reason().ToString();
          const Module& m = c.promise.value();
          (m.record()->cache == "hit" ? hits : misses)++;
          auto inst = wasm_ns.Instantiate(m, nullptr);
          ASSERT_TRUE(testing::Settle(loop, inst));
          ASSERT_TRUE(inst.is_fulfilled());
          auto r = inst.value().Call("f", {});
          ASSERT_TRUE(r.ok());
          EXPECT_EQ(r.value()[0].u.i32, static_cast<uint32_t>(c.n));
          break;
        }
        case Kind::kReset:
        case Kind::kCutOff:
        case Kind::kBadGzip:
        case Kind::kWrongMime:
          ASSERT_TRUE(c.promise.is_rejected());
          EXPECT_EQ(c.promise.reason().name(), "TypeError") << c.promise.reason().ToString();
          break;
        case Kind::kInvalid:
          ASSERT_TRUE(c.promise.is_rejected());
          EXPECT_EQ(c.promise.reason().name(), "CompileError") << c.promise.reason().ToString();
          break;
      }
    }
    if ((first + kInFlight) % kBlock == 0) {
      rss.push_back(RssBytes());
      fds.push_back(OpenFds());
      // Where the RSS is: anonymous (heap, stacks, wire buffers) or file
      // (SQLite's mmap), and what malloc has handed out.
      std::printf("soak: %6d streams  RSS %6.1f MB (anon %6.1f, file %5.1f)  malloc in use %6.1f MB"
                  "  threads %3lu  fds %d\n",
                  first + kInFlight, rss.back() / 1e6, StatusField("RssAnon") / 1e6,
                  StatusField("RssFile") / 1e6, mallinfo2().uordblks / 1e6,
                  static_cast<unsigned long>(StatusField("Threads")), fds.back());
      std::fflush(stdout);
    }
  }
  cache->Shutdown();
  // Every distinct module compiled at most once per encoding path before the
  // in-process map or SQLite answered.
  EXPECT_GT(hits, misses);
  cache::StoreStats st = cache->store()->Stats();
  EXPECT_EQ(st.entries, static_cast<uint64_t>(kDistinctModules));
  // Flat after the warm-up (the first 2 blocks: the pools, arenas, caches and
  // connection reuse settle): a leak of 1 KB per stream fails over 8,000
  // streams; growth that goes on (not a level reached once) fails too.
  ASSERT_EQ(rss.size(), static_cast<size_t>(streams / kBlock));
  const uint64_t warm = rss[1], last = rss.back();
  if (kRssTellsWhatIsHeld) {
    EXPECT_LT(last, warm + uint64_t{1024} * (streams - 2 * kBlock) + (uint64_t{4} << 20))
        << "RSS " << warm / 1e6 << " MB after " << 2 * kBlock << " streams, " << last / 1e6
        << " MB after " << streams;
  }
  // Descriptors: keep-alive connections come and go (both ends are in this
  // process, up to 2 per stream in flight); a leak of one per 400 streams
  // would pass this bound.
  EXPECT_LE(fds.back(), fds[1] + 2 * kInFlight);
  std::printf("soak: %d streams, %d hits, %d misses, RSS after %d %.1f MB, at end %.1f MB, "
              "fds %d -> %d\n",
              streams, hits, misses, 2 * kBlock, warm / 1e6, last / 1e6, fds[1], fds.back());
}

}  // namespace
}  // namespace wasmstream::bindings
