// A page's origin on a loopback port, for `wasmstream js --serve DIR` and
// `wasmstream demo`: serves the files of DIR, and files held in memory, over
// HTTP/1.1 (GET and HEAD; Content-Type by extension, application/wasm for
// .wasm; 404 for anything outside DIR). One connection at a time, each closed
// after its response: enough for a page's script and its modules.
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_STATIC_SERVER_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_STATIC_SERVER_H_

#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <thread>

namespace wasmstream::cli {

class StaticServer {
 public:
  // How long the accept loop waits between checks for Stop().
  static constexpr int kPollMs = 50;
  // A request head longer than this is answered 400.
  static constexpr size_t kMaxRequestBytes = 16 * 1024;

  // {root} empty: only the files given to AddFile().
  explicit StaticServer(std::filesystem::path root = {}) : root_(std::move(root)) {}
  ~StaticServer() { Stop(); }
  StaticServer(const StaticServer&) = delete;
  StaticServer& operator=(const StaticServer&) = delete;

  // Serves {body} at {path} ("/simple.wasm"), ahead of the files of the root.
  // Before Start() only.
  void AddFile(std::string path, std::string body) { files_[std::move(path)] = std::move(body); }

  // Listens on 127.0.0.1 (a port the kernel picks); the port, or 0 on failure.
  int Start();
  void Stop();

  // "text/javascript", "application/wasm", ... by the path's extension.
  static std::string_view ContentType(const std::filesystem::path& path);

 private:
  void Loop();
  void Serve(int fd);

  std::filesystem::path root_;
  std::map<std::string, std::string> files_;
  int fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_STATIC_SERVER_H_
