// wasmstream compile [--origin ORIGIN] [--csp POLICY]... [--csp-report-only POLICY]...
//                    [--json] [cache flags] URL-or-PATH
// Runs WebAssembly.compileStreaming(fetch(url)) through bindings/ exactly as
// an embedder would, then prints the module's imports, exports and timings,
// or the rejection ("TypeError: …"). Exit 0 on success, 1 when the promise
// rejects, 2 on bad usage.
//
// Without --origin the realm's origin is the module URL's own (as if the page
// came from the same server); a PATH is fetched as a file: URL by a realm
// without an origin (no CORS).
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/wasmstream/cache_flags.h"
#include "tools/wasmstream/command.h"
#include "tools/wasmstream/feature_flags.h"
#include "tools/wasmstream/json_text.h"
#include "tools/wasmstream/stream_module.h"
#include "wasm/module.h"
#include "wasm/runtime/module_code_table.h"
#include "wasm/types.h"

namespace wasmstream::cli {
namespace {

using bindings::CspViolation;
using bindings::Error;
using bindings::Module;
using bindings::StreamRecord;

constexpr char kUsage[] =
    "usage: wasmstream compile [--origin ORIGIN] [--csp POLICY]... [--csp-report-only POLICY]...\n"
    "                          [--json] [--eager] [feature flags] [cache flags] URL-or-PATH\n"
    "  --origin ORIGIN          the page's origin (default: the module URL's own)\n"
    "  --csp POLICY             a Content-Security-Policy (enforced); repeatable\n"
    "  --csp-report-only POLICY a Content-Security-Policy-Report-Only; repeatable\n"
    "  --json                   one JSON object on stdout\n"
    "  --eager                  compile every function while streaming (default: validate\n"
    "                           while streaming, compile each function on its first call)\n"
    "  --lazy                   the default (kept for scripts)\n";

// The progress bar appears for bodies at least this large, or after this long.
constexpr uint64_t kProgressMinBytes = 1 << 20;
constexpr double kProgressMinMs = 500;
constexpr int kProgressWidth = 30;

struct Options {
  StreamModuleOptions stream;
  bool json = false;
  std::string target;
};

std::string Ms(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *v);
  return buf;
}

nlohmann::ordered_json TimingsJson(const StreamRecord& r) {
  nlohmann::ordered_json t = nlohmann::ordered_json::object();
  auto put = [&](const char* name, const std::optional<double>& v) {
    if (v) t[name] = *v;
  };
  put("first_byte_ms", r.time_to_first_byte_ms);
  put("compile_start_ms", r.time_to_compile_start_ms);
  put("last_byte_ms", r.time_to_last_byte_ms);
  put("module_ms", r.time_to_module_ms);
  put("compile_ms", r.compile_ms);
  put("last_byte_to_module_ms", r.last_byte_to_module_ms());
  return t;
}

class ProgressBar {
 public:
  ProgressBar() : enabled_(isatty(STDERR_FILENO) == 1) {}
  void Update(uint64_t received, std::optional<uint64_t> total) {
    if (!enabled_) return;
    bool big = total && *total >= kProgressMinBytes;
    if (!shown_ && !big && clock_.MsSinceStart() < kProgressMinMs) return;
    shown_ = true;
    double mb = received / 1e6;
    if (total && *total > 0) {
      int filled = static_cast<int>(kProgressWidth * std::min<double>(1.0, double(received) / *total));
      std::fprintf(stderr, "\r[%s%s] %5.1f%% %.1f/%.1f MB", std::string(filled, '#').c_str(),
                   std::string(kProgressWidth - filled, '-').c_str(), 100.0 * received / *total, mb,
                   *total / 1e6);
    } else {
      std::fprintf(stderr, "\r%.1f MB", mb);
    }
    std::fflush(stderr);
  }
  void Clear() {
    if (shown_) std::fprintf(stderr, "\r%*s\r", kProgressWidth + 30, "");
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  StreamRecord clock_;  // only for its start time
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "wasmstream compile: %s\n%s%s%s", message.c_str(), kUsage,
               FeatureFlagsHelp().c_str(), kCacheFlagsHelp);
  return 2;
}

int RunCompile(const std::vector<std::string>& args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::printf("%s%s%s", kUsage, FeatureFlagsHelp().c_str(), kCacheFlagsHelp);
      return 0;
    } else if (FeatureFlag f = ParseFeatureFlag(a, &o.stream.features);
               f != FeatureFlag::kNotAFeatureFlag) {
      if (f == FeatureFlag::kUnknownFeature) return Usage("unknown feature in '" + a + "'");
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--lazy") {
      o.stream.lazy = true;
    } else if (a == "--eager") {
      o.stream.lazy = false;
    } else if (a == "--origin") {
      if (!value(&v)) return Usage("--origin needs a value");
      o.stream.origin = v;
    } else if (a == "--csp") {
      if (!value(&v)) return Usage("--csp needs a value");
      o.stream.csp.push_back(v);
    } else if (a == "--csp-report-only") {
      if (!value(&v)) return Usage("--csp-report-only needs a value");
      o.stream.csp_report_only.push_back(v);
    } else if (a.rfind("--", 0) == 0) {
      std::string error;
      if (!ParseCacheFlag(args, i, o.stream.cache, &error)) {
        return Usage(error.empty() ? "unknown option '" + a + "'" : error);
      }
      if (!error.empty()) return Usage(error);
    } else if (o.target.empty()) {
      o.target = a;
    } else {
      return Usage("only one URL or PATH");
    }
  }
  if (o.target.empty()) return Usage("a URL or PATH is required");
  std::optional<std::string> url = TargetUrl(o.target);
  if (!url) return Usage("cannot make a URL of '" + o.target + "'");

  ProgressBar bar;
  o.stream.on_progress = [&](uint64_t received, std::optional<uint64_t> total) {
    bar.Update(received, total);
  };
  std::string usage_error;
  StreamModuleResult result = StreamModule(*url, o.stream, &usage_error);
  bar.Clear();
  if (!usage_error.empty()) return Usage(usage_error);

  for (const CspViolation& v : result.violations) {
    std::fprintf(stderr, "CSP violation (%s): %s blocked %s under \"%s\"\n",
                 std::string(CspDispositionName(v.disposition)).c_str(), v.effective_directive.c_str(),
                 v.blocked_uri.c_str(), v.original_policy.c_str());
  }
  const std::optional<StreamRecord>& record = result.record;
  if (result.error) {
    const Error& e = *result.error;
    if (o.json) {
      nlohmann::ordered_json j = {{"ok", false},
                          {"error", {{"name", std::string(e.name())}, {"message", e.message}}}};
      if (record) j["timings"] = TimingsJson(*record);
      std::printf("%s\n", j.dump().c_str());
    } else {
      std::fprintf(stderr, "%s\n", e.ToString().c_str());
    }
    return 1;
  }

  const Module& m = *result.module;
  const StreamRecord& r = record ? *record : *m.record();
  if (result.write_back_cache) {
    // compile runs no code: with --cache-write-back it compiles every
    // function now, so the entry a later lazy run loads has all their code.
    const wasm::Module& wm = *m.module();
    std::shared_ptr<wasm::ModuleCodeTable> table = wasm::ModuleCodeTable::Of(wm);
    for (uint32_t i = wm.num_imported_functions; i < wm.functions.size(); ++i) {
      if (i < wm.code.size() && wm.code[i]) continue;  // compiled while streaming
      wasm::Error error;  // a validated body compiles; if not, it compiles on its call
      table->GetOrMake(wm, i, &error);
    }
    FinishWriteBack(result);
  }
  if (o.json) {
    // The import and export lists are written as text straight from the
    // module, in 64 KiB pieces: a DOM of one object per name, or even one
    // copy of each name, costs more than a lazy compile on modules with 75k
    // exports.
    constexpr size_t kFlushBytes = 64 * 1024;
    std::string out;
    out.reserve(2 * kFlushBytes);
    auto flush_full = [&out] {
      if (out.size() < kFlushBytes) return;
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    };
    out += "{\"ok\":true,\"url\":" + nlohmann::ordered_json(r.url).dump() + ",\"imports\":[";
    const wasm::Module& wm = *m.module();
    const char* sep = "";
    for (const wasm::Import& i : wm.imports) {
      out += sep;
      AppendJsonObject(out, {{"kind", wasm::ToString(i.kind)}, {"module", i.module}, {"name", i.name}});
      sep = ",";
      flush_full();
    }
    out += "],\"exports\":[";
    sep = "";
    for (const wasm::Export& e : wm.exports) {
      out += sep;
      AppendJsonObject(out, {{"kind", wasm::ToString(e.kind)}, {"name", e.name}});
      sep = ",";
      flush_full();
    }
    out += "],";
    nlohmann::ordered_json j = {{"bytes", r.bytes}, {"cache", r.cache}, {"timings", TimingsJson(r)}};
    if (!r.cache_detail.empty()) j["cache_detail"] = r.cache_detail;
    if (result.remote) {
      nlohmann::ordered_json c = nlohmann::ordered_json::object();
      for (const auto& [name, value] : cache::CounterFields(*result.remote)) c[name] = value;
      j["cache_remote"] = c;
    }
    out += j.dump().substr(1);  // the rest of the record, after its opening brace
    out += "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  std::printf("url:     %s\n", r.url.c_str());
  std::printf("bytes:   %llu\n", static_cast<unsigned long long>(r.bytes));
  std::printf("cache:   %s%s%s\n", r.cache.c_str(), r.cache_detail.empty() ? "" : " — ",
              r.cache_detail.c_str());
  const auto imports = m.Imports();
  std::printf("imports: %zu\n", imports.size());
  for (const auto& i : imports) {
    std::printf("  %-8s %s.%s\n", i.kind.c_str(), i.module.c_str(), i.name.c_str());
  }
  const auto exports = m.Exports();
  std::printf("exports: %zu\n", exports.size());
  for (const auto& e : exports) std::printf("  %-8s %s\n", e.kind.c_str(), e.name.c_str());
  std::printf("timings (ms from the call): first byte %s, last byte %s, module %s; compile %s; "
              "last byte to module %s\n",
              Ms(r.time_to_first_byte_ms).c_str(), Ms(r.time_to_last_byte_ms).c_str(),
              Ms(r.time_to_module_ms).c_str(), Ms(r.compile_ms).c_str(),
              Ms(r.last_byte_to_module_ms()).c_str());
  return 0;
}

Command compile("compile", "[--origin O] [--csp P]... [--json] URL-or-PATH  compileStreaming(fetch(url))",
                RunCompile);

}  // namespace
}  // namespace wasmstream::cli
