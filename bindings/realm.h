// Realm: the environment a WebAssembly call runs in — its origin
// and base URL (CORS-same-origin, relative URLs), its CSP list and violation
// observer, its fetcher, its module consumer (compiler or code cache), its
// enabled wasm features and its event loop.
//
// Configure the fields, then use it from the loop thread. The Realm must
// outlive every promise it made (EventLoop::RunUntilIdle waits for them).
#ifndef WASMSTREAM_BINDINGS_REALM_H_
#define WASMSTREAM_BINDINGS_REALM_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bindings/cached_consumer.h"
#include "bindings/csp.h"
#include "bindings/event_loop.h"
#include "bindings/module_stream_consumer.h"
#include "bindings/promise.h"
#include "bindings/stream_record.h"
#include "fetch/fetcher.h"
#include "fetch/request.h"
#include "fetch/response.h"
#include "fetch/url.h"
#include "wasm/features.h"
#include "wasm/runtime/store.h"

namespace wasmstream::bindings {

// fetch()'s RequestInit, the parts tests and the CLI need.
struct FetchInit {
  fetch::RequestMode mode = fetch::RequestMode::kCors;
  fetch::RedirectMode redirect = fetch::RedirectMode::kFollow;
  std::shared_ptr<fetch::AbortSignal> signal;
  std::vector<fetch::Headers::Entry> headers;
};

// The code cache a realm's compiles go through (Realm::EnableCodeCache).
struct CodeCacheOptions {
  CachePolicy policy = CachePolicy::kContent;  // kOff: no cache
  bool persistent = true;  // false: the in-process map alone, no SQLite file
  std::string path;        // the SQLite file; empty: cache::DefaultCachePath()
  // Modules smaller than this are compiled without the SQLite tier (for
  // small modules compiling beats a lookup: cache/limits.h). 0: every
  // module is stored.
  uint64_t min_module_bytes = 0;
  uint64_t max_total_bytes = cache::kDefaultMaxTotalBytes;
  uint64_t max_entry_bytes = cache::kDefaultMaxEntryBytes;
  // A shared tier (Redis) behind the SQLite file, for a fleet of machines
  // (cache/remote_tier.h, docs/fleet-cache.md); needs {persistent}.
  std::optional<cache::RemoteOptions> remote;
  // HMAC-SHA256 key (cache::LoadSigningKey reads a key file): entries are
  // signed, and unsigned or wrongly signed ones are refused. Empty: unsigned.
  std::vector<uint8_t> signing_key;
  // Write-back (bindings/cache_write_back.h): CodeCache::WriteBack() then
  // stores the code compiled on first call so far in each module's entry.
  bool write_back = false;
  // Gets the cache's one warning (the file cannot be opened: the SQLite tier
  // is then off and every compile still works); default: stderr.
  std::function<void(const std::string&)> warn;
};

// A CodeCache as the options say (no factory): the pieces EnableCodeCache and
// the CLI share.
std::shared_ptr<CodeCache> MakeCodeCache(const CodeCacheOptions& options);

// Maps a fetch-layer error to its JS error (TypeError or AbortError).
Error FromFetchError(const fetch::FetchError& e);

class Realm {
 public:
  explicit Realm(EventLoop& loop) : loop_(loop) {}
  Realm(const Realm&) = delete;
  Realm& operator=(const Realm&) = delete;

  EventLoop& loop() const { return loop_; }

  // nullopt: a client without origin (no CORS checks; every response basic).
  std::optional<fetch::Origin> origin;
  std::optional<fetch::Url> base_url;  // for relative URLs and CSP reports
  CspList csp;
  CspViolationObserver csp_observer;   // gets every violation report
  wasm::Features features = wasm::Features::Default();
  fetch::Fetcher* fetcher = nullptr;   // not owned; null: fetch() rejects
  // Null: compile with wasm::StreamingCompiler (DefaultConsumerFactory()).
  std::shared_ptr<ModuleStreamConsumerFactory> consumer_factory;
  // Off (the default, as in V8): validate only while streaming, so the Module
  // is ready sooner, and compile each function on its first call (lazy
  // compilation). On: compile every body to interpreter code in the same walk
  // that validates it (the runtime's compiler, a fresh
  // wasm::InterpreterSinkFactory per compile, passed to consumers in
  // StreamInfo): eager compilation, for code that calls most of its functions.
  bool compile_code = false;
  std::shared_ptr<wasm::CodeSinkFactory> NewSinkFactory() const;

  // The store instances of this realm live in (created on first use).
  const std::shared_ptr<wasm::Store>& store();
  // Called on the loop thread with the record of every compile request, when
  // its promise settles (successes and failures).
  std::function<void(const StreamRecord&)> record_observer;

  // Sets origin and base URL from a page URL ("http://host:port/page").
  bool SetPageUrl(std::string_view url);

  // fetch(url, init): resolves with the Response once its headers arrived
  // (the body streams on); rejects with TypeError on a network error or an
  // invalid URL, with AbortError when {init.signal} aborts first.
  Promise<fetch::Response> Fetch(std::string_view url, FetchInit init = {});

  ModuleStreamConsumerFactory& consumer_factory_or_default();

  // Turns the code cache on for this realm's compiles (sets consumer_factory;
  // policy kOff turns it off). Loop thread, before compiling.
  void EnableCodeCache(const CodeCacheOptions& options = {});
  const std::shared_ptr<CodeCache>& code_cache() const { return code_cache_; }
  // The persistent tier's statistics once every queued write is done (the
  // I/O thread drained, then the store flushed); nullopt without one.
  std::optional<cache::StoreStats> CodeCacheStats();

 private:
  EventLoop& loop_;
  std::shared_ptr<wasm::Store> store_;
  std::shared_ptr<CodeCache> code_cache_;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_REALM_H_
