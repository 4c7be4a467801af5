// A helper process for multiprocess_test: opens the cache at argv[1] and, for
// modules seeded argv[2] .. argv[2]+argv[3]-1 of argv[4] bytes each, looks each
// up and stores it on a miss. Exit status: 0 fine, 1 a warning or a wrong hit,
// 2 bad usage. Deterministic bytes per seed, so processes agree on modules.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cache/sqlite_store.h"

using namespace wasmstream::cache;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: store_writer DB FIRST_SEED COUNT SIZE\n");
    return 2;
  }
  int first = std::atoi(argv[2]), count = std::atoi(argv[3]);
  size_t size = std::strtoull(argv[4], nullptr, 10);
  bool warned = false;
  StoreOptions o;
  o.path = argv[1];
  o.min_module_bytes = 1;
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
    if (r.hit()) {
      wrong |= r.payload != payload;
    } else if (!store->StoreAsync(key, fp.ToString(), DigestOf(*wire), payload)) {
      std::fprintf(stderr, "store_writer: store refused for seed %d\n", seed);
      wrong = true;
    }
  }
  store->Flush();
  StoreStats st = store->Stats();
  if (st.session.store_failures != 0) wrong = true;
  return warned || wrong || !store->usable() ? 1 : 0;
}
