// Every limit of the code cache, in one place, so each is explicit and tested.
#ifndef WASMSTREAM_CACHE_LIMITS_H_
#define WASMSTREAM_CACHE_LIMITS_H_

#include <cstdint>

namespace wasmstream::cache {

inline constexpr uint64_t kMiB = 1024 * 1024;

// The whole database stays under this many bytes of entries (wire bytes +
// payload); least recently used entries go first. Overridable per store.
inline constexpr uint64_t kDefaultMaxTotalBytes = 512 * kMiB;
// One entry larger than this is never stored (counted as skipped_too_large).
inline constexpr uint64_t kDefaultMaxEntryBytes = 128 * kMiB;
static_assert(kDefaultMaxEntryBytes <= kDefaultMaxTotalBytes);
// Modules smaller than this skip the SQLite tier (the in-process map still
// applies): bench/cache_bench.cc measured a SQLite hit no faster than compiling
// up to ~0.5 MB (the payload, mostly interpreter code, is ~3.8x the wire bytes)
// and 1.2-1.9x faster from ~2 MB. `wasmstream compile --cache-min-bytes N`
// overrides it.
inline constexpr uint64_t kDefaultMinModuleBytes = 1 * kMiB;
// How long a statement waits for another process's lock before giving up.
inline constexpr int kDefaultBusyTimeoutMs = 10'000;
// Opening retries this often, this far apart, when another process holds the
// file in a state SQLite does not wait for (creation, WAL switch): ~2 s.
inline constexpr int kMaxOpenAttempts = 100;
inline constexpr int kOpenRetryDelayMs = 20;
// Writes queued for the writer thread beyond this many bytes are dropped
// (counted as store failures) so a slow disk cannot grow memory without bound.
inline constexpr uint64_t kMaxPendingWriteBytes = 256 * kMiB;
// Shutdown() writes queued entries for at most this long, then drops the
// rest: longer than one busy timeout, so a write that waits out another
// process's lock still lands, yet an exit never hangs on a stuck file.
inline constexpr int kDefaultShutdownWaitMs = 15'000;
static_assert(kDefaultShutdownWaitMs > kDefaultBusyTimeoutMs);
// Page size of a new cache file: entries are multi-megabyte blobs, and 64 KiB
// pages (SQLite's largest) make their overflow chains 16x shorter than 4 KiB.
inline constexpr int kSqlitePageSize = 65536;
// Reads go through a memory map of up to this many bytes (PRAGMA mmap_size).
inline constexpr uint64_t kSqliteMmapBytes = 1024 * kMiB;
// URL hints kept (url-hint policy); the oldest beyond this are dropped.
inline constexpr uint64_t kMaxUrlHints = 10'000;
// Longest URL or validator string remembered for a hint.
inline constexpr uint64_t kMaxHintStringBytes = 8 * 1024;

// The shared (Redis) tier, remote_tier.h. Connecting gives up after this long:
// a fleet's Redis is near; one that does not answer SYN in 300 ms is down for
// this compile, which goes ahead alone.
inline constexpr int kDefaultRemoteConnectTimeoutMs = 300;
// One socket read or write gives up after this long. A 100 MB entry arrives in
// ~0.1 s on loopback and ~1 s on 1 Gb/s; the timeout bounds each read, not the
// whole transfer, so large entries on a slow link still arrive.
inline constexpr int kDefaultRemoteOpTimeoutMs = 2'000;
// After a failure the tier is not asked again for this long (each compile
// would otherwise pay a connect timeout while Redis is down).
inline constexpr int kRemoteRetryAfterMs = 5'000;
// Fleet single-flight: a lease says one machine compiles a new module; it
// expires after this long (a compile of the largest bench module takes ~10 s
// here), so a machine that died holding it delays the others by at most the
// wait below.
inline constexpr int kDefaultRemoteLeaseMs = 60'000;
// A machine that finds another's lease polls for its entry this long, then
// compiles itself.
inline constexpr int kDefaultRemoteWaitMs = 30'000;
inline constexpr int kDefaultRemotePollMs = 25;
// Entries waiting to be published beyond this many bytes are dropped
// (counted), so a slow Redis cannot grow memory without bound.
inline constexpr uint64_t kMaxPendingPublishBytes = 512 * kMiB;

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_LIMITS_H_
