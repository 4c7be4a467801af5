// wasmstream cache [--cache PATH] stats | list | clear | evict --max-bytes N
//                  | experiment (cache_experiment.h)
// Administration of the code cache database (cache/sqlite_store.h).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_file.h"
#include "cache/sqlite_store.h"
#include "cache/remote_tier.h"
#include "tools/wasmstream/cache_experiment.h"
#include "tools/wasmstream/cache_flags.h"
#include "tools/wasmstream/command.h"

namespace wasmstream::cli {
namespace {

constexpr char kUsage[] =
    "usage: wasmstream cache [--cache PATH] [--cache-remote URL [--cache-remote-prefix P]]\n"
    "                        stats|list|clear|evict --max-bytes N\n"
    "       wasmstream cache experiment --trace FILE [...]  (--help for its options)\n"
    "  stats   entries, bytes, hit/miss/store counters (all processes and this one);\n"
    "          with a shared tier (--cache-remote or $WASMSTREAM_CACHE_REMOTE), the\n"
    "          fleet's counters and the Redis server's memory budget too\n"
    "  list    one line per entry, most recently used first\n"
    "  clear   delete every entry (a cache file it cannot use is deleted; a file\n"
    "          that is not a wasmstream cache database never is)\n"
    "  evict   drop least recently used entries until the total is <= N bytes\n";

std::string Time(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void PrintCounters(const char* title, const cache::Counters& c) {
  std::printf(
      "%s: hits %llu, misses %llu, stores %llu, store failures %llu, rejected %llu, "
      "skipped (too small) %llu, skipped (too large) %llu, evicted %llu, bad signature %llu, write-backs %llu\n",
      title, (unsigned long long)c.hits, (unsigned long long)c.misses,
      (unsigned long long)c.stores, (unsigned long long)c.store_failures,
      (unsigned long long)c.rejected, (unsigned long long)c.skipped_too_small,
      (unsigned long long)c.skipped_too_large, (unsigned long long)c.evicted,
      (unsigned long long)c.bad_signature, (unsigned long long)c.write_backs);
}

// The shared tier's part of `cache stats`; false when it cannot be read.
bool PrintFleetStats(const cache::RemoteOptions& remote) {
  std::string error;
  std::optional<cache::FleetStats> st = cache::RemoteTier::ReadFleetStats(remote, &error);
  if (!st) {
    std::fprintf(stderr, "wasmstream cache: shared tier: %s\n", error.c_str());
    return false;
  }
  std::printf("shared tier: %s (prefix %s)\nshared entries: %llu\n", st->address.c_str(),
              remote.prefix.c_str(), (unsigned long long)st->entries);
  std::printf("shared memory: used %llu, maxmemory %llu%s, policy %s\n",
              (unsigned long long)st->used_memory, (unsigned long long)st->maxmemory,
              st->maxmemory ? "" : " (no limit)", st->maxmemory_policy.c_str());
  std::printf("fleet:");
  cache::RemoteCounters zero;
  for (const auto& [name, unused] : cache::CounterFields(zero)) {
    uint64_t v = 0;
    for (const auto& [n, value] : st->counters) {
      if (n == name) v = value;
    }
    std::printf("%s %s %llu", name == std::string("hits") ? "" : ",", name,
                (unsigned long long)v);
  }
  std::printf("\n");
  return true;
}

int RunCache(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "experiment") {
    return RunCacheExperiment(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  cache::StoreOptions options;
  std::string verb;
  std::optional<uint64_t> max_bytes;
  std::string remote_url;
  if (const char* env = std::getenv(kCacheRemoteEnv)) remote_url = env;
  cache::RemoteOptions remote;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--cache-remote" && i + 1 < args.size()) {
      remote_url = args[++i];
    } else if (a == "--cache-remote-prefix" && i + 1 < args.size()) {
      remote.prefix = args[++i];
    } else if (a == "--cache" && i + 1 < args.size()) {
      options.path = args[++i];
    } else if (a == "--max-bytes" && i + 1 < args.size()) {
      char* end = nullptr;
      max_bytes = std::strtoull(args[i + 1].c_str(), &end, 10);
      if (args[i + 1].empty() || *end != '\0' || args[i + 1][0] == '-') {
        std::fprintf(stderr, "wasmstream cache: --max-bytes needs a byte count\n");
        return 2;
      }
      ++i;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (verb.empty() && a.size() && a[0] != '-') {
      verb = a;
    } else {
      std::fprintf(stderr, "wasmstream cache: unexpected argument '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (verb != "stats" && verb != "list" && verb != "clear" && verb != "evict") {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (verb == "evict" && !max_bytes) {
    std::fprintf(stderr, "wasmstream cache evict: --max-bytes N is required\n");
    return 2;
  }
  if (options.path.empty()) options.path = cache::DefaultCachePath();
  std::string warning;
  options.warn = [&](const std::string& w) { warning = w; };
  auto store = cache::SqliteStore::Open(options);

  if (verb == "clear" && !store->usable()) {
    std::string path = store->path(), error;
    store.reset();
    if (!cache::RemoveOwnCacheFile(path, &error)) {
      std::fprintf(stderr, "wasmstream cache clear: %s\n", error.c_str());
      return 1;
    }
    std::printf("deleted %s (%s)\n", path.c_str(), warning.c_str());
    return 0;
  }
  if (!store->usable()) {
    std::fprintf(stderr, "wasmstream cache: %s\n", warning.c_str());
    return 1;
  }
  if (verb == "stats") {
    cache::StoreStats st = store->Stats();
    std::printf("path: %s\nschema: %d\nentries: %llu\nbytes: %llu (file %llu)\n", st.path.c_str(),
                st.schema_version, (unsigned long long)st.entries,
                (unsigned long long)st.total_bytes, (unsigned long long)st.file_bytes);
    std::printf("limits: total %llu, entry %llu, min module %llu bytes\n",
                (unsigned long long)options.max_total_bytes,
                (unsigned long long)options.max_entry_bytes,
                (unsigned long long)options.min_module_bytes);
    PrintCounters("all processes", st.persisted);
    if (!remote_url.empty() && remote_url != "off") {
      remote.url = remote_url;
      if (!PrintFleetStats(remote)) return 1;
    }
    return 0;
  }
  if (verb == "list") {
    for (const cache::EntryInfo& e : store->List()) {
      std::printf("%s  wire %10llu  payload %10llu  hits %6llu  last used %s  %s\n",
                  e.key.ToHex().c_str(), (unsigned long long)e.wire_size,
                  (unsigned long long)e.payload_size, (unsigned long long)e.hits,
                  Time(e.last_used_ms).c_str(), e.fingerprint.c_str());
    }
    return 0;
  }
  if (verb == "clear") {
    if (!store->Clear()) {
      std::fprintf(stderr, "wasmstream cache clear: failed: %s\n", warning.c_str());
      return 1;
    }
    std::printf("cleared %s\n", store->path().c_str());
    return 0;
  }
  uint64_t removed = store->EvictTo(*max_bytes);
  cache::StoreStats st = store->Stats();
  std::printf("evicted %llu entries; %llu entries, %llu bytes left\n",
              (unsigned long long)removed, (unsigned long long)st.entries,
              (unsigned long long)st.total_bytes);
  return 0;
}

Command cache_command("cache", "stats|list|clear|evict  manage the code cache", RunCache);

}  // namespace
}  // namespace wasmstream::cli
