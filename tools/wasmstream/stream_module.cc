#include "tools/wasmstream/stream_module.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

#include "bindings/compiling_consumer.h"
#include "bindings/event_loop.h"
#include "bindings/realm.h"
#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"

namespace wasmstream::cli {

namespace {

// The URL standard's scheme start: ASCII alpha, then alphanumerics, '+', '-'
// or '.', then ':'. (A path such as "./a:b.wasm" does not start with one.)
bool StartsWithScheme(const std::string& s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (s.empty() || !alpha(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') return true;
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

}  // namespace

std::optional<std::string> TargetUrl(const std::string& target) {
  if (StartsWithScheme(target)) return target;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(target, ec);
  if (ec) return std::nullopt;
  auto file = fetch::Url::Parse("file://" + abs.string());
  if (!file.ok()) return std::nullopt;
  return file.value().href();
}

StreamModuleResult StreamModule(const std::string& href, const StreamModuleOptions& o,
                                std::string* usage_error) {
  StreamModuleResult result;
  // Shutdown order (bindings/cached_consumer.h): the loop first, so it goes
  // last; the code cache is shut down explicitly before anything is destroyed.
  bindings::EventLoop loop;
  fetch::Fetcher fetcher;
  bindings::Realm realm(loop);
  realm.fetcher = &fetcher;
  realm.features = o.features;
  realm.compile_code = !o.lazy;
  if (o.origin) {
    if (!realm.SetPageUrl(*o.origin)) {
      *usage_error = "bad --origin '" + *o.origin + "'";
      return result;
    }
  } else if (auto url = fetch::Url::Parse(href); url.ok()) {
    const std::string& scheme = url.value().scheme();
    if (scheme == "http" || scheme == "https") {
      realm.SetPageUrl(url.value().href());
    } else {
      realm.base_url = url.value();  // file:, data:, others — a client without an origin
    }
  }  // else: fetch() rejects the unparsable URL with its TypeError
  for (const std::string& p : o.csp) realm.csp.AddHeader(p, bindings::CspDisposition::kEnforce);
  for (const std::string& p : o.csp_report_only) {
    realm.csp.AddHeader(p, bindings::CspDisposition::kReport);
  }
  realm.csp_observer = [&](const bindings::CspViolation& v) { result.violations.push_back(v); };
  std::shared_ptr<bindings::CodeCache> cache;
  realm.consumer_factory =
      MakeCacheConsumerFactory(o.cache, &bindings::DefaultConsumerFactory(), &cache);
  realm.record_observer = [&](const bindings::StreamRecord& r) { result.record = r; };

  bindings::WebAssembly wasm(realm);
  bindings::StreamingOptions so;
  so.on_progress = o.on_progress;
  auto promise = wasm.CompileStreaming(realm.Fetch(href), std::move(so));
  promise.Then([](const bindings::Module&) {}, [](const bindings::Error&) {});
  bool settled = loop.RunUntil([&] { return !promise.is_pending(); },
                               std::chrono::milliseconds(fetch::kDefaultIdleTimeoutMs + 5000));
  if (!settled) {
    result.error = bindings::Error::Type("timed out waiting for the module");
  } else if (promise.is_rejected()) {
    result.error = promise.reason();
  } else {
    result.module = promise.value();
  }
  // The compile's store (or a hit's bookkeeping) is queued by now: write it
  // before the caller reports and exits. With write-back the cache stays open
  // for FinishWriteBack(); its I/O tasks (which may post to {loop}) are done.
  if (cache && o.cache.write_back && result.module) {
    cache->Flush();
    result.write_back_cache = cache;
  } else if (cache) {
    cache->Shutdown();
  }
  if (cache && cache->remote()) result.remote = cache->remote()->counters();
  return result;
}

void FinishWriteBack(StreamModuleResult& result) {
  if (!result.write_back_cache) return;
  std::fprintf(stderr, "wasmstream: %s\n",
               bindings::Describe(result.write_back_cache->WriteBack()).c_str());
  result.write_back_cache->Shutdown();
  result.write_back_cache = nullptr;
}

}  // namespace wasmstream::cli
