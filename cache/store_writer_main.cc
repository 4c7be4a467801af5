// A helper process for multiprocess_test and crash_safety_test: opens the
// cache at argv[1] and, for modules seeded argv[2] .. argv[2]+argv[3]-1 of
// argv[4] bytes each, looks each up and stores it on a miss. With
// --commit-each it prints "storing SEED MICROS" before each store and
// "committed SEED MICROS" once it is written (so a parent can kill it inside
// a write and knows what must survive), and sets no total budget (no
// eviction). Exit status: 0 fine, 1 a warning or a wrong hit, 2 bad usage.
// Deterministic bytes per seed, so processes agree on modules.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cache/sqlite_store.h"

using namespace wasmstream::cache;

namespace {

// "WHAT SEED MICROS": with the time on the monotonic clock every process
// shares, so a parent can place a kill inside a write.
void Say(const char* what, int seed,
         std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now()) {
  long long us =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  std::printf("%s %d %lld\n", what, seed, us);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool commit_each = argc == 6 && std::string(argv[5]) == "--commit-each";
  if (argc != 5 && !commit_each) {
    std::fprintf(stderr, "usage: store_writer DB FIRST_SEED COUNT SIZE [--commit-each]\n");
    return 2;
  }
  int first = std::atoi(argv[2]), count = std::atoi(argv[3]);
  size_t size = std::strtoull(argv[4], nullptr, 10);
  bool warned = false;
  StoreOptions o;
  o.path = argv[1];
  o.min_module_bytes = 1;
  if (commit_each) o.max_total_bytes = uint64_t{1} << 40;
  o.warn = [&](const std::string& w) {
    std::fprintf(stderr, "store_writer: %s\n", w.c_str());
    warned = true;
  };
  auto store = SqliteStore::Open(o);
  EngineFingerprint fp{1, 0, "multiprocess"};
  bool wrong = false;
  for (int seed = first; seed < first + count; ++seed) {
    auto wire = std::make_shared<std::vector<uint8_t>>(size);
    for (size_t i = 0; i < size; ++i) (*wire)[i] = static_cast<uint8_t>(i * 7 + seed * 131 + (i >> 9));
    CacheKey key = KeyFor(*wire, fp);
    LookupResult r = store->Lookup(key, DigestOf(*wire));
    std::vector<uint8_t> payload(wire->rbegin(), wire->rend());
    if (commit_each && !r.hit()) Say("storing", seed);
    if (r.hit()) {
      wrong |= r.payload != payload;
    } else if (!store->StoreAsync(key, fp.ToString(), DigestOf(*wire), payload)) {
      std::fprintf(stderr, "store_writer: store refused for seed %d\n", seed);
      wrong = true;
    }
    if (commit_each) {
      store->Flush();
      auto written = std::chrono::steady_clock::now();
      if (store->Stats().session.store_failures != 0) break;
      Say("committed", seed, written);
    }
  }
  store->Flush();
  StoreStats st = store->Stats();
  if (st.session.store_failures != 0) wrong = true;
  return warned || wrong || !store->usable() ? 1 : 0;
}
