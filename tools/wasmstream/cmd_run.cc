// wasmstream run URL-or-PATH [feature flags] [--eager] [--timeout SECONDS] [cache flags]
//                --invoke NAME [ARGS...]:
// compiles a module with compileStreaming(fetch(target)) (a PATH is fetched
// as a file: URL; see stream_module.h), instantiates it (with the spectest
// host module available as imports) and calls an export, printing its
// results. Arguments are parsed by the export's parameter types (integers,
// floats, "null" for references). --timeout stops the start function and the
// call (a RuntimeError "deadline exceeded") once SECONDS have passed since
// instantiation began.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tools/wasmstream/command.h"
#include "tools/wasmstream/feature_flags.h"
#include "tools/wasmstream/stream_module.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/store.h"
#include "wasm/runtime/wast/spectest_host.h"

namespace wasmstream::cli {
namespace {

bool ParseArg(const std::string& s, wasm::ValueType t, wasm::Value* out) {
  char* end = nullptr;
  errno = 0;
  switch (t.kind) {
    case wasm::ValueKind::kI32: {
      long long v = std::strtoll(s.c_str(), &end, 0);
      *out = wasm::Value::I32(static_cast<uint32_t>(v));
      break;
    }
    case wasm::ValueKind::kI64: {
      long long v = std::strtoll(s.c_str(), &end, 0);
      *out = wasm::Value::I64(static_cast<uint64_t>(v));
      break;
    }
    case wasm::ValueKind::kF32:
      *out = wasm::Value::F32(std::strtof(s.c_str(), &end));
      break;
    case wasm::ValueKind::kF64:
      *out = wasm::Value::F64(std::strtod(s.c_str(), &end));
      break;
    case wasm::ValueKind::kRef:
      if (s != "null") return false;
      *out = wasm::Value::Ref(t, wasm::kNullRef);
      return true;
    default:
      return false;
  }
  return end && *end == '\0' && errno == 0;
}

constexpr char kUsage[] =
    "usage: wasmstream run URL-or-PATH [feature flags] [--eager] [--timeout SECONDS]\n"
    "                      [cache flags] [--invoke NAME [ARGS...]]\n"
    "  --eager: compile every function while streaming (default: each on its first call;\n"
    "  --lazy, the default, is kept for scripts)\n"
    "  --timeout: stop running wasm code (start function and call) after SECONDS\n";

int Usage(const std::string& message) {
  std::fprintf(stderr, "wasmstream run: %s\n%s%s%s", message.c_str(), kUsage,
               FeatureFlagsHelp().c_str(), kCacheFlagsHelp);
  return 2;
}

int RunRun(const std::vector<std::string>& args) {
  std::string target, name;
  std::vector<std::string> rest;
  StreamModuleOptions options;
  double timeout_seconds = 0;  // 0: none
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--invoke") {
      if (i + 1 >= args.size()) return Usage("--invoke needs a name");
      name = args[++i];
      rest.assign(args.begin() + i + 1, args.end());
      break;
    }
    if (a == "--help" || a == "-h") {
      std::printf("%s%s%s", kUsage, FeatureFlagsHelp().c_str(), kCacheFlagsHelp);
      return 0;
    } else if (FeatureFlag f = ParseFeatureFlag(a, &options.features);
               f != FeatureFlag::kNotAFeatureFlag) {
      if (f == FeatureFlag::kUnknownFeature) return Usage("unknown feature in '" + a + "'");
    } else if (a == "--lazy") {
      options.lazy = true;
    } else if (a == "--timeout") {
      if (i + 1 >= args.size()) return Usage("--timeout needs a number of seconds");
      char* end = nullptr;
      timeout_seconds = std::strtod(args[++i].c_str(), &end);
      if (!end || *end != '\0' || !std::isfinite(timeout_seconds) || timeout_seconds <= 0 ||
          timeout_seconds > 1e9) {
        return Usage("--timeout needs a positive number of seconds, not '" + args[i] + "'");
      }
    } else if (a == "--eager") {
      options.lazy = false;
    } else if (a.rfind("--", 0) == 0) {
      std::string error;
      if (!ParseCacheFlag(args, i, options.cache, &error)) {
        return Usage(error.empty() ? "unknown option '" + a + "'" : error);
      }
      if (!error.empty()) return Usage(error);
    } else if (target.empty()) {
      target = a;
    } else {
      return Usage("only one URL or PATH");
    }
  }
  if (target.empty()) return Usage("a URL or PATH is required");
  std::optional<std::string> url = TargetUrl(target);
  if (!url) return Usage("cannot make a URL of '" + target + "'");
  std::string usage_error;
  StreamModuleResult streamed = StreamModule(*url, options, &usage_error);
  if (!usage_error.empty()) return Usage(usage_error);
  if (streamed.error) {
    std::fprintf(stderr, "%s\n", streamed.error->ToString().c_str());
    return 1;
  }
  std::shared_ptr<const wasm::Module> module = streamed.module->module();
  wasm::Store store;
  if (timeout_seconds > 0) {
    store.SetDeadline(std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(timeout_seconds)));
  }
  wasm::Imports imports;
  wasm::AddSpectestHost(store, imports, /*quiet=*/false);
  auto inst = wasm::Instance::Instantiate(store, module, imports);
  if (!inst.ok()) {
    std::fprintf(stderr, "%s\n", inst.error().Format().c_str());
    return 1;
  }
  // --cache-write-back: after the call, whatever its outcome (the code
  // compiled for it is as good when it trapped).
  struct WriteBackAtExit {
    StreamModuleResult& streamed;
    ~WriteBackAtExit() { FinishWriteBack(streamed); }
  } write_back{streamed};
  if (name.empty()) return 0;
  auto ext = inst.value()->GetExport(name);
  if (!ext || ext->kind != wasm::ExternalKind::kFunction) {
    std::fprintf(stderr, "TypeError: no exported function \"%s\"\n", name.c_str());
    return 1;
  }
  const wasm::FuncType& type = ext->func->type;
  if (rest.size() != type.params.size()) {
    std::fprintf(stderr, "TypeError: %s takes %zu arguments, got %zu\n", name.c_str(),
                 type.params.size(), rest.size());
    return 2;
  }
  std::vector<wasm::Value> values;
  for (size_t i = 0; i < rest.size(); ++i) {
    wasm::Value v;
    if (!ParseArg(rest[i], type.params[i], &v)) {
      std::fprintf(stderr, "TypeError: argument %zu '%s' is not a %s\n", i, rest[i].c_str(),
                   wasm::ToString(type.params[i]).c_str());
      return 2;
    }
    values.push_back(v);
  }
  auto r = wasm::Invoke(store, ext->func, values);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.error().Format().c_str());
    return 1;
  }
  for (const wasm::Value& v : r.value()) std::printf("%s\n", wasm::ToString(v).c_str());
  return 0;
}

Command run("run", "URL-or-PATH --invoke NAME [ARGS...]  run an exported function", RunRun);

}  // namespace
}  // namespace wasmstream::cli
