// What a cache hit costs after the last byte, phase by phase, on real
// modules, as the default lazy compile stores them (validated only) and as
// --eager stores them (with compiled code):
//   serialize   the entry's payload from the Module (the writer thread's work)
//   checksum    XXH3-64 over the payload (a store without a signing key)
//   hmac        HMAC-SHA256 over it (a store with a key)
//   load        DeserializeModuleDeferred: metadata, consistency checks
//   all code    eager only: every function's code loaded as on its first
//               call (chunk decompressed, code read and verified)
// and the payload's size against the wire size. Medians of --runs, in CPU
// time of the calling thread (every phase runs on one thread), so a busy
// machine slows the figures less than it would wall-clock ones.
//
//   bazel build -c opt //bench:entry_load_bench
//   bazel-bin/bench/entry_load_bench [--runs N] FILE.wasm...
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "cache/cache_key.h"
#include "cache/entry_signature.h"
#include "wasm/runtime/sink_factory.h"
#include "wasm/serialization/serializer.h"
#include "wasm/streaming_compiler.h"

namespace {

using namespace wasmstream;
struct Clock {
  using time_point = double;  // ms of this thread's CPU time
  static double now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
  }
};

double Ms(double a, double b) { return b - a; }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else {
      files.push_back(argv[i]);
    }
  }
  std::printf("module\tmode\twire MB\tpayload MB\tpayload/wire\tserialize ms\tchecksum ms\t"
              "hmac ms\tload ms\tall code ms\n");
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    for (bool eager : {false, true}) {
      auto compiled = eager ? wasm::CompileRunnable(bytes, wasm::Features::Default())
                            : wasm::CompileModule(bytes);
      if (!compiled.ok()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), compiled.error().Format().c_str());
        return 1;
      }
      const wasm::Module& m = *compiled.value();
      std::vector<double> ser, sum, mac, load, all;
      std::vector<uint8_t> payload;
      std::vector<uint8_t> key(32, 7);
      cache::CacheKey k;
      for (int r = 0; r < runs; ++r) {
        auto t0 = Clock::now();
        payload = wasm::SerializeModule(m, {.omit_wire_bytes = true});
        auto t1 = Clock::now();
        volatile uint64_t c = cache::PayloadChecksum(payload);
        (void)c;
        auto t2 = Clock::now();
        cache::Signature s = cache::SignEntry(key, k, "fp", {}, payload);
        (void)s;
        auto t3 = Clock::now();
        auto shared = std::make_shared<const std::vector<uint8_t>>(payload);
        auto t4 = Clock::now();
        auto loaded = wasm::DeserializeModuleDeferred(shared, m.wire_bytes);
        auto t5 = Clock::now();
        if (!loaded.ok()) {
          std::fprintf(stderr, "%s: load: %s\n", file.c_str(), loaded.error().Format().c_str());
          return 1;
        }
        const wasm::Module& l = *loaded.value();
        size_t missing = 0;
        if (eager && l.deferred_code) {
          for (uint32_t f = l.num_imported_functions; f < l.functions.size(); ++f) {
            missing += l.deferred_code->Load(l, f) == nullptr;
          }
        }
        auto t6 = Clock::now();
        if (missing) {
          std::fprintf(stderr, "%s: %zu functions' code did not load\n", file.c_str(), missing);
          return 1;
        }
        ser.push_back(Ms(t0, t1));
        sum.push_back(Ms(t1, t2));
        mac.push_back(Ms(t2, t3));
        load.push_back(Ms(t4, t5));
        all.push_back(Ms(t5, t6));
      }
      std::string name = file.substr(file.find_last_of('/') + 1);
      std::printf("%s\t%s\t%.1f\t%.1f\t%.3f\t%.1f\t%.2f\t%.2f\t%.2f\t%.1f\n", name.c_str(),
                  eager ? "eager" : "default", bytes.size() / 1e6, payload.size() / 1e6,
                  double(payload.size()) / bytes.size(), Median(ser), Median(sum), Median(mac),
                  Median(load), Median(all));
    }
  }
  return 0;
}
