#include "tools/wasmstream/static_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>

namespace wasmstream::cli {
namespace {

void SendAll(int fd, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

void Respond(int fd, int status, std::string_view reason, std::string_view type,
             const std::string& body, bool head_only) {
  std::ostringstream out;
  out << "HTTP/1.1 " << status << ' ' << reason << "\r\n"
      << "Content-Type: " << type << "\r\n"
      << "Content-Length: " << body.size() << "\r\n"
      << "Connection: close\r\n\r\n";
  SendAll(fd, out.str());
  if (!head_only) SendAll(fd, body);
}

// %XX escapes of a request path; false on a malformed escape.
bool PercentDecode(std::string_view in, std::string* out) {
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() || !isxdigit(in[i + 1]) || !isxdigit(in[i + 2])) return false;
    out->push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
    i += 2;
  }
  return true;
}

}  // namespace

std::string_view StaticServer::ContentType(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".js" || ext == ".mjs") return "text/javascript";
  if (ext == ".html") return "text/html";
  if (ext == ".json") return "application/json";
  if (ext == ".txt") return "text/plain";
  return "application/octet-stream";
}

int StaticServer::Start() {
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

void StaticServer::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void StaticServer::Loop() {
  while (!stopping_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, kPollMs) <= 0) continue;
    int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    Serve(c);
    close(c);
  }
}

void StaticServer::Serve(int fd) {
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (head.size() > kMaxRequestBytes) return Respond(fd, 400, "Bad Request", "text/plain", "", false);
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    head.append(buf, static_cast<size_t>(n));
  }
  std::istringstream line(head.substr(0, head.find("\r\n")));
  std::string method, target;
  line >> method >> target;
  bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) {
    return Respond(fd, 405, "Method Not Allowed", "text/plain", "", false);
  }
  std::string path;
  if (!PercentDecode(target.substr(0, target.find_first_of("?#")), &path) || path.empty() ||
      path[0] != '/') {
    return Respond(fd, 400, "Bad Request", "text/plain", "", head_only);
  }
  if (auto held = files_.find(path); held != files_.end()) {
    return Respond(fd, 200, "OK", ContentType(path), held->second, head_only);
  }
  if (path.back() == '/') path += "index.html";
  // No ".." may lead out of the root. (Symlinks inside it are followed, as
  // most static servers do: a Bazel runfiles tree is made of them.)
  std::error_code ec;
  std::filesystem::path rel = std::filesystem::path(path.substr(1)).lexically_normal();
  std::filesystem::path file = root_ / rel;
  if (root_.empty() || rel.empty() || rel.is_absolute() || *rel.begin() == ".." ||
      !std::filesystem::is_regular_file(file, ec)) {
    return Respond(fd, 404, "Not Found", "text/plain", "not found\n", head_only);
  }
  std::ifstream in(file, std::ios::binary);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Respond(fd, 200, "OK", ContentType(file), body, head_only);
}

}  // namespace wasmstream::cli
