// Runs WebAssembly.compileStreaming(fetch(target)) through bindings/ the way an
// embedder would, for the commands that take a URL-or-PATH (compile, run).
// A PATH becomes a file: URL fetched by a realm without an origin (no CORS);
// an http(s) URL is fetched by a realm whose origin is the URL's own unless
// {origin} says otherwise.
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_STREAM_MODULE_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_STREAM_MODULE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bindings/csp.h"
#include "bindings/error.h"
#include "bindings/module_object.h"
#include "bindings/stream_record.h"
#include "fetch/url.h"
#include "tools/wasmstream/cache_flags.h"
#include "wasm/features.h"

namespace wasmstream::cli {

struct StreamModuleOptions {
  std::optional<std::string> origin;
  std::vector<std::string> csp, csp_report_only;
  CacheFlags cache;
  wasm::Features features = wasm::Features::Default();
  // Validate only while streaming; each function compiles on its first call.
  bool lazy = true;  // functions compile on first call (false: --eager)
  std::function<void(uint64_t received, std::optional<uint64_t> total)> on_progress;
};

struct StreamModuleResult {
  // Exactly one of these is set.
  std::optional<bindings::Module> module;
  std::optional<bindings::Error> error;
  std::optional<bindings::StreamRecord> record;  // when the controller made one
  std::vector<bindings::CspViolation> violations;
  // The shared cache tier's counters for this run, when there was one.
  std::optional<cache::RemoteCounters> remote;
  // With --cache-write-back: the code cache, still open so the command can
  // run the module first; the command ends with FinishWriteBack().
  std::shared_ptr<bindings::CodeCache> write_back_cache;
};

// What to fetch for {target}: the target itself when it starts with a URL
// scheme ("ftp:", "http://[::1", "blob:" too: fetch() answers those with its
// TypeError for the scheme or the syntax, as a browser would), else the
// file: URL of the path; nullopt if no file: URL can be made of the path.
std::optional<std::string> TargetUrl(const std::string& target);

// Runs the fetch and the streaming compile to the end (or to a time-out, which
// is reported as a TypeError). {usage_error} gets a message and the result is
// empty when an option is unusable (a bad origin).
StreamModuleResult StreamModule(const std::string& url, const StreamModuleOptions& options,
                                std::string* usage_error);

// With --cache-write-back, once the command has run the module: writes back
// the code compiled so far (CodeCache::WriteBack), then shuts the cache down
// so the entry is on disk before the command reports. Nothing otherwise.
void FinishWriteBack(StreamModuleResult& result);

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_STREAM_MODULE_H_
