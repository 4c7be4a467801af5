// Time to Module, cold vs cached (issue 6's benchmark):
//   cold         CompileRunnable: decode, validate, compile to interpreter code
//   sqlite hit   in a NEW process (empty in-process map, warm OS page cache):
//                open the store, Lookup (checksum + wire-bytes compare), load
//                (DeserializeModuleDeferred: code verified per function later)
//   map hit      in-process map: claim the key + compare the wire bytes
//   blob read    the payload blob alone from SQLite in a new process: the floor
// plus the XXH3-128 over the bytes (done while streaming, shown for scale).
// Then a size sweep over generated modules to see where caching stops paying
// (the kDefaultMinModuleBytes default).
//
//   bazel build -c opt //bench:cache_bench
//   bazel-bin/bench/cache_bench [--runs N] FILE.wasm...     (bench/cache.sh)
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cache/cache_key.h"
#include "cache/module_map.h"
#include "cache/sqlite_store.h"
#include "wasm/runtime/sink_factory.h"
#include "wasm/serialization/serializer.h"

namespace {

using namespace wasmstream;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

cache::EngineFingerprint Fp() { return {wasm::kSerializationFormatVersion, wasm::Features::Default().Bits(), "bench"}; }

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void Leb(std::vector<uint8_t>& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}

// A valid module with {n} functions () -> i32, each a small arithmetic loop
// body, so compile work grows with size like a real module's.
std::vector<uint8_t> Generate(uint32_t n) {
  std::vector<uint8_t> m = {0, 'a', 's', 'm', 1, 0, 0, 0};
  auto section = [&](uint8_t id, const std::vector<uint8_t>& body) {
    m.push_back(id);
    Leb(m, static_cast<uint32_t>(body.size()));
    m.insert(m.end(), body.begin(), body.end());
  };
  section(1, {1, 0x60, 0, 1, 0x7f});  // type 0: [] -> [i32]
  std::vector<uint8_t> funcs;
  Leb(funcs, n);
  for (uint32_t i = 0; i < n; ++i) funcs.push_back(0);
  section(3, funcs);
  std::vector<uint8_t> code;
  Leb(code, n);
  for (uint32_t i = 0; i < n; ++i) {
    std::vector<uint8_t> body = {1, 2, 0x7f};  // two i32 locals
    for (int k = 0; k < 6; ++k) {
      // local0 = local0 * (i + k) + local1; local1 = local1 ^ local0
      body.insert(body.end(), {0x20, 0, 0x41});
      Leb(body, (i + k) & 0x3f);
      body.insert(body.end(), {0x6c, 0x20, 1, 0x6a, 0x21, 0, 0x20, 1, 0x20, 0, 0x73, 0x21, 1});
    }
    body.insert(body.end(), {0x20, 0, 0x0b});
    Leb(code, static_cast<uint32_t>(body.size()));
    code.insert(code.end(), body.begin(), body.end());
  }
  section(10, code);
  return m;
}

// Child mode: one timed load from a fresh process. Prints
// "lookup_ms load_ms blob_ms open_ms".
int Child(const std::string& db, const std::string& file) {
  wasm::WireBytes bytes(ReadFile(file));
  cache::CacheKey key = cache::KeyFor(bytes, Fp());
  auto topen = Clock::now();
  auto store = cache::SqliteStore::Open({.path = db, .min_module_bytes = 0});
  auto t0 = Clock::now();
  cache::LookupResult r = store->Lookup(key, cache::DigestOf(bytes));
  if (!r.hit()) return 3;
  auto tl = Clock::now();
  // As the cache loads: code stays in the payload until each function's first call.
  auto loaded = wasm::DeserializeModuleDeferred(
      std::make_shared<const std::vector<uint8_t>>(std::move(r.payload)), bytes);
  auto t1 = Clock::now();
  if (!loaded.ok() || !loaded.value()->deferred_code) return 4;
  auto t2 = Clock::now();
  auto blob = store->ReadPayloadUnchecked(key);
  auto t3 = Clock::now();
  if (!blob) return 5;
  std::printf("%f %f %f %f\n", Ms(t0, tl), Ms(tl, t1), Ms(t2, t3), Ms(topen, t0));
  return 0;
}

struct Figures {
  double cold, sqlite, lookup, load, blob, map, hash, open;
  size_t payload;
};

Figures Measure(const std::string& self, const std::string& db, const std::string& file,
                const std::vector<uint8_t>& bytes, int runs) {
  Figures f{};
  std::vector<double> cold;
  std::shared_ptr<const wasm::Module> module;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    auto r = wasm::CompileRunnable(bytes);
    cold.push_back(Ms(t0, Clock::now()));
    if (!r.ok()) {
      std::fprintf(stderr, "%s: %s\n", file.c_str(), r.error().Format().c_str());
      std::exit(1);
    }
    module = r.value();
  }
  f.cold = Median(cold);

  cache::CacheKey key = cache::KeyFor(bytes, Fp());
  {
    auto store = cache::SqliteStore::Open({.path = db, .max_entry_bytes = cache::kDefaultMaxTotalBytes, .min_module_bytes = 0});
    auto payload = wasm::SerializeModule(*module, {.omit_wire_bytes = true});
    f.payload = payload.size();
    store->StoreAsync(key, Fp().ToString(), cache::DigestOf(module->wire_bytes), std::move(payload));
    store->Flush();
  }
  std::vector<double> sqlite, lookup, load, blob, open;
  for (int i = 0; i < runs; ++i) {
    int fds[2];
    if (pipe(fds) != 0) std::exit(1);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 1);
      execl(self.c_str(), self.c_str(), "--child", db.c_str(), file.c_str(), nullptr);
      _exit(127);
    }
    close(fds[1]);
    char buf[128] = {};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    double a = 0, l = 0, b = 0, c = 0;
    if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        std::sscanf(buf, "%lf %lf %lf %lf", &a, &l, &b, &c) != 4) {
      std::fprintf(stderr, "child failed for %s (status %d)\n", file.c_str(), status);
      std::exit(1);
    }
    sqlite.push_back(a + l);
    lookup.push_back(a);
    load.push_back(l);
    blob.push_back(b);
    open.push_back(c);
  }
  f.sqlite = Median(sqlite);
  f.lookup = Median(lookup);
  f.load = Median(load);
  f.blob = Median(blob);
  f.open = Median(open);

  cache::ModuleMap<wasm::Module> map;
  map.Insert(key, module);
  std::vector<double> mapt, hash;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    auto claim = map.ClaimKey(key, nullptr);
    bool same = claim.value && claim.value->wire_bytes.size() == bytes.size() &&
                std::memcmp(claim.value->wire_bytes.data(), bytes.data(), bytes.size()) == 0;
    mapt.push_back(Ms(t0, Clock::now()));
    if (!same) std::exit(1);
    auto t1 = Clock::now();
    cache::KeyHasher h;
    h.Update(bytes);
    volatile auto k = h.Finish(Fp()).bytes[0];
    (void)k;
    hash.push_back(Ms(t1, Clock::now()));
  }
  f.map = Median(mapt);
  f.hash = Median(hash);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--child") return Child(argv[2], argv[3]);
  int runs = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else {
      files.push_back(argv[i]);
    }
  }
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 1;
  self[n] = 0;
  std::string dir = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                    "/cache_bench_" + std::to_string(getpid());
  std::string db = dir + ".db";

  std::printf("median of %d runs; times in ms; sqlite = in a new process, lookup (read, checksum,"
              " wire-bytes compare) + load (DeserializeModuleDeferred: metadata now, code at first call);"
              " open = opening the store in that process (once per process)\n", runs);
  std::printf("%-28s %10s %10s %9s %10s %9s %9s %9s %9s %9s %7s %8s %8s\n", "module", "bytes",
              "payload", "cold", "sqlite", "lookup", "load", "blob", "map", "hash", "open",
              "cold/sq", "sq/blob");
  auto row = [&](const std::string& name, const std::string& file, const std::vector<uint8_t>& bytes) {
    cache::SqliteStore::DestroyFile(db, nullptr);
    Figures f = Measure(self, db, file, bytes, runs);
    std::printf("%-28s %10zu %10zu %9.3f %10.3f %9.3f %9.3f %9.3f %9.4f %9.3f %7.2f %7.1fx %7.1fx\n",
                name.c_str(), bytes.size(), f.payload, f.cold, f.sqlite, f.lookup, f.load, f.blob,
                f.map, f.hash, f.open, f.cold / f.sqlite, f.sqlite / f.blob);
    std::fflush(stdout);
  };
  for (const std::string& file : files) {
    std::vector<uint8_t> bytes = ReadFile(file);
    std::string name = file.substr(file.find_last_of('/') + 1);
    row(name, file, bytes);
  }
  // Size sweep: where does a SQLite hit stop beating a compile?
  for (uint32_t fns : {4u, 16u, 64u, 256u, 1024u, 4096u, 16384u, 65536u}) {
    std::vector<uint8_t> bytes = Generate(fns);
    std::string file = dir + "_gen.wasm";
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    row("generated/" + std::to_string(fns) + "fn", file, bytes);
    std::remove(file.c_str());
  }
  cache::SqliteStore::DestroyFile(db, nullptr);
  return 0;
}
