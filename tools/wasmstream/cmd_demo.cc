// wasmstream demo: the seed of the project, end to end. A loopback HTTP
// server inside this program serves a small built-in module (MDN's
// simple.wasm) as application/wasm; the program then runs
//
//   WebAssembly.instantiateStreaming(fetch(url), {my_namespace: {imported_func}})
//     .then(({instance}) => instance.exports.exported_func());
//
// through bindings/ (fetch on the network thread, the controller's checks,
// streaming compile, instantiate), and imported_func prints its argument.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bindings/wasm_namespace.h"
#include "fetch/fetcher.h"
#include "tools/wasmstream/command.h"

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

// A one-route HTTP/1.1 server on 127.0.0.1 (port picked by the kernel): every
// request gets the module, then the connection closes.
class TinyServer {
 public:
  // How long the accept loop waits between checks of {stopping_}.
  static constexpr int kPollMs = 50;
  // Cap on a request head; a longer one is answered anyway.
  static constexpr size_t kMaxRequestBytes = 16 * 1024;

  explicit TinyServer(std::string response) : response_(std::move(response)) {}
  ~TinyServer() { Stop(); }

  // The port, or 0 on failure.
  int Start() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 16) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return 0;
    }
    thread_ = std::thread([this] { Loop(); });
    return ntohs(addr.sin_port);
  }
  void Stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  void Loop() {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, kPollMs) <= 0) continue;
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::string head;
      char buf[1024];
      while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestBytes) {
        pollfd cp{c, POLLIN, 0};
        if (poll(&cp, 1, 1000) <= 0) break;
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      size_t off = 0;
      while (off < response_.size()) {
        ssize_t n = send(c, response_.data() + off, response_.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      close(c);
    }
  }

  std::string response_;
  int fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

int RunDemo(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "usage: wasmstream demo\n");
    return 2;
  }
  TinyServer server("HTTP/1.1 200 OK\r\nContent-Type: application/wasm\r\nContent-Length: " +
                    std::to_string(kSimpleWasm.size()) + "\r\nConnection: close\r\n\r\n" +
                    std::string(kSimpleWasm.begin(), kSimpleWasm.end()));
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
