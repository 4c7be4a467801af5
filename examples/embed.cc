// The smallest embedder of wasmstream: the C++ for
//
//   const { instance } = await WebAssembly.instantiateStreaming(fetch(url), {
//     env: { log: (x) => console.log("log:", x) } });
//   console.log(instance.exports[name](...args));
//
//   bazel run //examples:embed -- URL-or-PATH EXPORT [I32-ARGS...]
//
// A PATH (no scheme) is fetched as a file: URL, as the wasmstream CLI does.
//
// It uses only the public headers of bindings/ and fetch/: a Realm (origin,
// CSP, features) bound to an EventLoop and a Fetcher, the WebAssembly
// namespace, an ImportObject with a C++ host function, and Promise
// reactions. Exit 0 when the export returns, 1 on any rejection.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"

using namespace wasmstream;

// "http://…", "data:…", "file:…" stay as they are; anything else is a path.
std::string ToUrl(const std::string& arg) {
  if (arg.find("://") != std::string::npos || arg.rfind("data:", 0) == 0 ||
      arg.rfind("file:", 0) == 0) {
    return arg;
  }
  char resolved[PATH_MAX];
  if (realpath(arg.c_str(), resolved)) return std::string("file://") + resolved;
  char cwd[PATH_MAX];
  if (arg.rfind('/', 0) != 0 && getcwd(cwd, sizeof(cwd))) return std::string("file://") + cwd + "/" + arg;
  return "file://" + arg;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: embed URL-or-PATH EXPORT [I32-ARGS...]\n");
    return 2;
  }
  std::string url = ToUrl(argv[1]), name = argv[2];
  std::vector<wasm::Value> args;
  for (int i = 3; i < argc; ++i) args.push_back(wasm::Value::I32(std::strtoul(argv[i], nullptr, 0)));

  // README:begin (README.md shows the lines up to README:end; //examples:readme_snippets_test)
  bindings::EventLoop loop;    // tasks + microtasks, run on this thread
  fetch::Fetcher fetcher;      // libcurl on its own network thread
  bindings::Realm realm(loop);
  realm.fetcher = &fetcher;
  realm.SetPageUrl(url);       // the page shares the module's origin: no CORS needed
  bindings::WebAssembly wasm(realm);

  auto imports = std::make_shared<bindings::ImportObject>();
  imports->Add("env", "log",
               bindings::HostCallable(
                   [](std::span<const wasm::Value> a) -> bindings::Settled<std::vector<wasm::Value>> {
                     std::printf("log: %d\n", static_cast<int32_t>(a[0].u.i32));
                     return std::vector<wasm::Value>{};
                   }));

  int status = 1;
  wasm.InstantiateStreaming(realm.Fetch(url), imports)
      .Then([&](const bindings::InstantiatedSource& source) -> bindings::Settled<bindings::Done> {
        auto results = source.instance.Call(name, args);
        if (!results.ok()) return results.error();
        for (const wasm::Value& v : results.value()) std::printf("%s\n", wasm::ToString(v).c_str());
        status = 0;
        return bindings::Done{};
      })
      .Then([](const bindings::Done&) {},
            [](const bindings::Error& e) { std::fprintf(stderr, "%s\n", e.ToString().c_str()); });
  loop.RunUntilIdle(std::chrono::seconds(30));
  // README:end
  return status;
}
