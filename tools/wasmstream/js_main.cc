// wasmstream js [--location URL] [--serve DIR] [--csp POLICY]... [cache flags] FILE.js...
// Runs the files in order as classic scripts in one JavaScriptCore global
// with this project's WebAssembly namespace and Web host (bindings/js),
// then runs the event loop until nothing is pending.
//
// --location is the page's URL: relative fetch() URLs resolve against it and
// its origin is the one CORS and CSP see (as Deno's --location). --serve DIR
// serves DIR on a loopback port and makes that the location, so a page's
// script and its .wasm files load as they would in a browser. Without
// either, relative URLs resolve against the working directory (file:) and
// the realm has no origin.
//
// Exit 0; 1 on an uncaught exception or unhandled rejection (printed with
// its stack) or an unreadable file; 2 on bad usage.
//
// This is the wasmstream-js program: `wasmstream js ARGS...` execs it with
// ARGS (cmd_js.cc), so that JavaScriptCore and the libraries under it are
// loaded by this command only, not at the start of every other one.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bindings/compiling_consumer.h"
#include "bindings/event_loop.h"
#include "bindings/js/js_runtime.h"
#include "bindings/realm.h"
#include "fetch/fetcher.h"
#include "tools/wasmstream/cache_flags.h"
#include "tools/wasmstream/static_server.h"

namespace wasmstream::cli {
namespace {

constexpr char kUsage[] =
    "usage: wasmstream js [--location URL] [--serve DIR] [--csp POLICY]... [cache flags] FILE.js...\n"
    "  --location URL   the page's URL (base of relative URLs; origin for CORS and CSP)\n"
    "  --serve DIR      serve DIR on a loopback port and use it as the location\n"
    "  --csp POLICY     a Content-Security-Policy of the page (enforced); repeatable\n";

int Usage(const std::string& message) {
  std::fprintf(stderr, "wasmstream js: %s\n%s%s", message.c_str(), kUsage, kCacheFlagsHelp);
  return 2;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

int RunJs(const std::vector<std::string>& args) {
  std::optional<std::string> location, serve;
  std::vector<std::string> csp, files;
  CacheFlags cache;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::optional<std::string>* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::optional<std::string> v;
    if (a == "--help" || a == "-h") {
      std::printf("%s%s", kUsage, kCacheFlagsHelp);
      return 0;
    } else if (a == "--location") {
      if (!value(&location)) return Usage("--location needs a URL");
    } else if (a == "--serve") {
      if (!value(&serve)) return Usage("--serve needs a directory");
    } else if (a == "--csp") {
      if (!value(&v)) return Usage("--csp needs a policy");
      csp.push_back(*v);
    } else if (a.rfind("--", 0) == 0) {
      std::string error;
      if (!ParseCacheFlag(args, i, cache, &error)) {
        return Usage(error.empty() ? "unknown option '" + a + "'" : error);
      }
      if (!error.empty()) return Usage(error);
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return Usage("at least one FILE.js is required");
  if (location && serve) return Usage("--location and --serve exclude each other");

  std::vector<std::string> sources(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (!ReadFile(files[i], &sources[i])) {
      std::fprintf(stderr, "wasmstream js: cannot read '%s'\n", files[i].c_str());
      return 1;
    }
  }

  std::optional<StaticServer> server;
  if (serve) {
    if (!std::filesystem::is_directory(*serve)) return Usage("--serve: '" + *serve + "' is not a directory");
    server.emplace(*serve);
    int port = server->Start();
    if (port == 0) {
      std::fprintf(stderr, "wasmstream js: cannot listen on 127.0.0.1\n");
      return 1;
    }
    location = "http://127.0.0.1:" + std::to_string(port) + "/";
  }

  bindings::EventLoop loop;
  fetch::Fetcher fetcher;
  bindings::Realm realm(loop);
  realm.fetcher = &fetcher;
  if (location) {
    if (!realm.SetPageUrl(*location)) return Usage("bad --location '" + *location + "'");
  } else {
    std::error_code ec;
    std::string cwd = std::filesystem::current_path(ec).string();
    auto base = fetch::Url::Parse("file://" + cwd + "/");
    if (base.ok()) realm.base_url = base.value();
  }
  for (const std::string& p : csp) realm.csp.AddHeader(p, bindings::CspDisposition::kEnforce);
  std::shared_ptr<bindings::CodeCache> code_cache;
  realm.consumer_factory =
      MakeCacheConsumerFactory(cache, &bindings::DefaultConsumerFactory(), &code_cache);

  int status = 0;
  {
    bindings::js::JsRuntime runtime(realm);
    for (size_t i = 0; i < files.size(); ++i) {
      runtime.Evaluate(sources[i], files[i]);
      runtime.RunUntilIdle();
    }
    if (runtime.uncaught_errors() > 0) status = 1;
    // While the scripts' modules are alive: their code goes with them.
    if (code_cache && cache.write_back) {
      std::fprintf(stderr, "wasmstream: %s\n", bindings::Describe(code_cache->WriteBack()).c_str());
    }
  }
  if (code_cache) code_cache->Shutdown();  // the shutdown order: before the loop goes
  return status;
}

}  // namespace
}  // namespace wasmstream::cli

int main(int argc, char** argv) {
  return wasmstream::cli::RunJs(std::vector<std::string>(argv + 1, argv + argc));
}
