// A program outside wasmstream's workspace: compiles a module, instantiates it
// with a C++ host function and calls an export, through the public API only
// (bindings/, wasm/runtime/value.h). Built by tests/outside_workspace_test.sh
// (Bazel, @wasmstream//:wasmstream) and tests/install_test.sh (g++ and
// pkg-config); prints "log: 21" then "i32:42".
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <vector>

#include "bindings/wasm_namespace.h"

using namespace wasmstream;

// (module (import "env" "log" (func $log (param i32)))
//   (func (export "run") (param i32) (result i32)
//     (call $log (local.get 0)) (i32.mul (local.get 0) (i32.const 2))))
const std::vector<uint8_t> kModule = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x02, 0x0b, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6c, 0x6f, 0x67, 0x00,
    0x00, 0x03, 0x02, 0x01, 0x01, 0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x0a, 0x0d,
    0x01, 0x0b, 0x00, 0x20, 0x00, 0x10, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6c, 0x0b};

int main() {
  bindings::EventLoop loop;
  bindings::Realm realm(loop);
  bindings::WebAssembly wasm(realm);
  auto imports = std::make_shared<bindings::ImportObject>();
  imports->Add("env", "log",
               bindings::HostCallable(
                   [](std::span<const wasm::Value> a) -> bindings::Settled<std::vector<wasm::Value>> {
                     std::printf("log: %d\n", static_cast<int32_t>(a[0].u.i32));
                     return std::vector<wasm::Value>{};
                   }));
  int status = 1;
  wasm.Instantiate(kModule, imports)
      .Then([&](const bindings::InstantiatedSource& source) {
        std::vector<wasm::Value> args = {wasm::Value::I32(21)};
        auto r = source.instance.Call("run", args);
        if (!r.ok()) {
          std::fprintf(stderr, "%s\n", r.error().ToString().c_str());
          return;
        }
        std::printf("%s\n", wasm::ToString(r.value()[0]).c_str());
        status = 0;
      }, [](const bindings::Error& e) { std::fprintf(stderr, "%s\n", e.ToString().c_str()); });
  loop.RunUntilIdle();
  return status;
}
