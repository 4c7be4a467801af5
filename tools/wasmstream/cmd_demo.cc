// wasmstream demo: the seed of the project, end to end. A loopback HTTP
// server inside this program serves a small built-in module (MDN's
// simple.wasm) as application/wasm; the program then runs
//
//   WebAssembly.instantiateStreaming(fetch(url), {my_namespace: {imported_func}})
//     .then(({instance}) => instance.exports.exported_func());
//
// through bindings/ (fetch on the network thread, the controller's checks,
// streaming compile, instantiate), and imported_func prints its argument.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"
#include "tools/wasmstream/command.h"
#include "tools/wasmstream/static_server.h"

namespace wasmstream::cli {
namespace {

using bindings::Error;
using bindings::InstantiatedSource;
using bindings::Settled;

// (module
//   (import "my_namespace" "imported_func" (func $i (param i32)))
//   (func (export "exported_func") i32.const 42 call $i))
const std::vector<uint8_t> kSimpleWasm = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // magic, version
    0x01, 0x08, 0x02,                                // type section: 2 types
    0x60, 0x01, 0x7f, 0x00,                          //   (i32) -> ()
    0x60, 0x00, 0x00,                                //   () -> ()
    0x02, 0x1e, 0x01,                                // import section: 1 import
    0x0c, 'm', 'y', '_', 'n', 'a', 'm', 'e', 's', 'p', 'a', 'c', 'e',
    0x0d, 'i', 'm', 'p', 'o', 'r', 't', 'e', 'd', '_', 'f', 'u', 'n', 'c',
    0x00, 0x00,                                      //   func of type 0
    0x03, 0x02, 0x01, 0x01,                          // function section: type 1
    0x07, 0x11, 0x01,                                // export section: 1 export
    0x0d, 'e', 'x', 'p', 'o', 'r', 't', 'e', 'd', '_', 'f', 'u', 'n', 'c',
    0x00, 0x01,                                      //   func 1
    0x0a, 0x08, 0x01, 0x06, 0x00,                    // code section: 1 body, no locals
    0x41, 0x2a,                                      //   i32.const 42
    0x10, 0x00,                                      //   call 0
    0x0b,                                            //   end
};

int RunDemo(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "usage: wasmstream demo\n");
    return 2;
  }
  StaticServer server;
  server.AddFile("/simple.wasm", std::string(kSimpleWasm.begin(), kSimpleWasm.end()));
  int port = server.Start();
  if (port <= 0) {
    std::fprintf(stderr, "wasmstream demo: cannot listen on 127.0.0.1\n");
    return 1;
  }
  std::string origin = "http://127.0.0.1:" + std::to_string(port);
  std::string url = origin + "/simple.wasm";
  std::printf("serving %s (%zu bytes, Content-Type: application/wasm)\n", url.c_str(),
              kSimpleWasm.size());

  int status = 1;
  {
    bindings::EventLoop loop;
    fetch::Fetcher fetcher;
    bindings::Realm realm(loop);
    realm.fetcher = &fetcher;
    realm.SetPageUrl(origin + "/index.html");
    bindings::WebAssembly wasm(realm);

    auto imports = std::make_shared<bindings::ImportObject>();
    imports->Add("my_namespace", "imported_func",
                 bindings::HostCallable([](std::span<const wasm::Value> a) -> Settled<std::vector<wasm::Value>> {
                   std::printf("imported_func called with %d\n", static_cast<int32_t>(a[0].u.i32));
                   return std::vector<wasm::Value>{};
                 }));
    std::printf("WebAssembly.instantiateStreaming(fetch('%s'), importObject)\n", url.c_str());
    auto done = wasm.InstantiateStreaming(realm.Fetch(url), imports)
                    .Then([](const InstantiatedSource& source) -> Settled<bindings::Done> {
                      std::printf("module: %zu import(s), %zu export(s)",
                                  source.module.Imports().size(), source.module.Exports().size());
                      if (const auto& r = source.module.record()) {
                        std::printf("; %llu bytes, module ready %.1f ms after the call",
                                    static_cast<unsigned long long>(r->bytes),
                                    r->time_to_module_ms.value_or(0));
                      }
                      std::printf("\ninstance.exports.exported_func()\n");
                      auto result = source.instance.Call("exported_func", {});
                      if (!result.ok()) return result.error();
                      return bindings::Done{};
                    });
    done.Then([&status](const bindings::Done&) { status = 0; },
              [](const Error& e) { std::fprintf(stderr, "%s\n", e.ToString().c_str()); });
    if (!loop.RunUntil([&] { return !done.is_pending(); })) {
      std::fprintf(stderr, "wasmstream demo: timed out\n");
    }
    loop.RunUntilIdle(std::chrono::seconds(5));
  }
  server.Stop();
  if (status == 0) std::printf("done\n");
  return status;
}

Command demo("demo", "          serve a module on loopback, instantiateStreaming it, call an export",
             RunDemo);

}  // namespace
}  // namespace wasmstream::cli
