#include "tests/testing/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <brotli/encode.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace wasmstream::testserver {
namespace {

constexpr size_t kMaxRequestHeadBytes = 64 * 1024;
constexpr size_t kMaxRequestBodyBytes = 64 * 1024 * 1024;
constexpr int kPollSliceMs = 50;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool HasHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (IEquals(n, name)) return true;
  return false;
}

const char* ReasonFor(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

}  // namespace

std::optional<std::string> HttpRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (IEquals(n, name)) return v;
  return std::nullopt;
}

// ---------------------------------------------------------------- Connection

struct Connection::Impl {
  int fd = -1;
  SSL* ssl = nullptr;
  const std::atomic<bool>* stopping = nullptr;
  std::chrono::steady_clock::time_point deadline;

  bool Expired() const {
    return stopping->load() || std::chrono::steady_clock::now() > deadline;
  }
  // Waits until {fd} is readable/writable; false on stop, deadline or error.
  bool WaitFor(short events) {
    while (!Expired()) {
      pollfd p{fd, events, 0};
      int r = ::poll(&p, 1, kPollSliceMs);
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
    }
    return false;
  }
  // Reads up to {n} bytes; 0 on EOF/error/stop.
  ssize_t Read(char* buf, size_t n) {
    for (;;) {
      if (ssl && SSL_pending(ssl) > 0) return SSL_read(ssl, buf, static_cast<int>(n));
      if (!WaitFor(POLLIN)) return 0;
      if (ssl) {
        int r = SSL_read(ssl, buf, static_cast<int>(n));
        if (r > 0) return r;
        int e = SSL_get_error(ssl, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) continue;
        return 0;
      }
      ssize_t r = ::recv(fd, buf, n, 0);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      return r < 0 ? 0 : r;
    }
  }
  bool WriteAll(std::string_view data) {
    while (!data.empty()) {
      if (!WaitFor(POLLOUT)) return false;
      ssize_t r;
      if (ssl) {
        r = SSL_write(ssl, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20)));
        if (r <= 0) {
          int e = SSL_get_error(ssl, static_cast<int>(r));
          if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) continue;
          return false;
        }
      } else {
        r = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (r < 0) {
          if (errno == EINTR || errno == EAGAIN) continue;
          return false;
        }
      }
      data.remove_prefix(static_cast<size_t>(r));
    }
    return true;
  }
};

bool Connection::Write(std::string_view bytes) {
  if (dead_) return false;
  if (!impl_->WriteAll(bytes)) {
    dead_ = true;
    return false;
  }
  bytes_written_ += bytes.size();
  return true;
}

bool Connection::WriteHead(int status, const HeaderList& headers, std::string_view reason) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " +
                     std::string(reason.empty() ? ReasonFor(status) : reason) + "\r\n";
  for (const auto& [n, v] : headers) head += n + ": " + v + "\r\n";
  head += "\r\n";
  return Write(head);
}

bool Connection::WriteChunk(std::string_view data) {
  if (data.empty()) return true;  // an empty chunk would end the body
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string frame = size;
  frame.append(data);
  frame += "\r\n";
  return Write(frame);
}

bool Connection::EndChunks() { return Write("0\r\n\r\n"); }

bool Connection::Sleep(std::chrono::milliseconds duration) {
  auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until) {
    if (impl_->Expired()) return false;
    auto left = until - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        left, std::chrono::milliseconds(kPollSliceMs)));
  }
  return !impl_->Expired();
}

void Connection::Reset() {
  if (dead_) return;
  linger l{1, 0};
  ::setsockopt(impl_->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  // Serve() closes the socket after the handler; with a zero linger, the
  // close sends RST instead of FIN.
  dead_ = true;
  close_ = true;
}

bool Connection::stopping() const { return impl_->Expired(); }

// ---------------------------------------------------------------- encodings

std::string Encode(Coding coding, std::string_view data) {
  if (coding == Coding::kBrotli) {
    size_t out_size = BrotliEncoderMaxCompressedSize(data.size());
    std::string out(out_size, '\0');
    if (!BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                               data.size(), reinterpret_cast<const uint8_t*>(data.data()),
                               &out_size, reinterpret_cast<uint8_t*>(out.data())))
      std::abort();
    out.resize(out_size);
    return out;
  }
  z_stream z{};
  // 15 + 16: gzip wrapper; 15: zlib wrapper (HTTP "deflate" is zlib-wrapped).
  int bits = coding == Coding::kGzip ? 15 + 16 : 15;
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    std::abort();
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// ---------------------------------------------------------------- HttpServer

HttpServer::HttpServer() : HttpServer(Options{}) {}

HttpServer::HttpServer(Options options) : options_(std::move(options)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 4096) != 0) {
    std::perror("HttpServer: bind/listen");
    std::abort();
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  if (options_.tls && !StartTls()) {
    std::fprintf(stderr, "HttpServer: cannot load TLS cert/key\n");
    std::abort();
  }
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

bool HttpServer::StartTls() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return false;
  ssl_ctx_ = ctx;
  return SSL_CTX_use_certificate_chain_file(ctx, options_.cert_file.c_str()) == 1 &&
         SSL_CTX_use_PrivateKey_file(ctx, options_.key_file.c_str(), SSL_FILETYPE_PEM) == 1;
}

HttpServer::~HttpServer() {
  stopping_ = true;
  accept_thread_.join();
  ::close(listen_fd_);
  std::map<std::thread::id, std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (auto& [id, t] : threads) t.join();
  if (ssl_ctx_) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

std::string HttpServer::origin() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void HttpServer::Route(const std::string& path, Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::make_shared<Handler>(std::move(handler));
}

size_t HttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return request_count_;
}

std::optional<HttpRequest> HttpServer::LastRequest(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = last_requests_.find(path);
  if (it == last_requests_.end()) return std::nullopt;
  return it->second;
}

void HttpServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollSliceMs) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++connections_accepted_;
    std::vector<std::thread> ended;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::thread::id id : finished_) {
        auto it = threads_.find(id);
        ended.push_back(std::move(it->second));
        threads_.erase(it);
      }
      finished_.clear();
      open_fds_.insert(fd);
      // Emplaced under the lock the thread needs to report its end.
      std::thread t([this, fd] {
        Serve(fd);
        std::lock_guard<std::mutex> lock(mutex_);
        finished_.push_back(std::this_thread::get_id());
      });
      std::thread::id id = t.get_id();
      threads_.emplace(id, std::move(t));
    }
    for (std::thread& t : ended) t.join();
  }
}

namespace {

// Parses "METHOD target HTTP/1.x" and header lines. False if malformed.
bool ParseHead(std::string_view head, HttpRequest* req) {
  size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  size_t s1 = line.find(' '), s2 = line.rfind(' ');
  if (s1 == std::string_view::npos || s2 == s1) return false;
  req->method = std::string(line.substr(0, s1));
  req->target = std::string(line.substr(s1 + 1, s2 - s1 - 1));
  size_t q = req->target.find('?');
  req->path = req->target.substr(0, q);
  req->query = q == std::string::npos ? "" : req->target.substr(q + 1);
  size_t pos = eol + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string_view::npos) e = head.size();
    std::string_view h = head.substr(pos, e - pos);
    pos = e + 2;
    if (h.empty()) break;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) return false;
    std::string_view v = h.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    req->headers.emplace_back(std::string(h.substr(0, colon)), std::string(v));
  }
  return true;
}

}  // namespace

void HttpServer::Serve(int fd) {
  Connection::Impl impl;
  impl.fd = fd;
  impl.stopping = &stopping_;
  impl.deadline = std::chrono::steady_clock::now() + options_.max_connection_time;
  bool reset = false;
  if (ssl_ctx_) {
    impl.ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
    SSL_set_fd(impl.ssl, fd);
    for (;;) {
      int r = SSL_accept(impl.ssl);
      if (r == 1) break;
      int e = SSL_get_error(impl.ssl, r);
      if ((e == SSL_ERROR_WANT_READ && impl.WaitFor(POLLIN)) ||
          (e == SSL_ERROR_WANT_WRITE && impl.WaitFor(POLLOUT)))
        continue;
      goto done;
    }
  }
  {
    std::string buffer;
    char tmp[16384];
    for (;;) {
      // Read a request head.
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (buffer.size() > kMaxRequestHeadBytes) goto done;
        ssize_t n = impl.Read(tmp, sizeof tmp);
        if (n <= 0) goto done;
        buffer.append(tmp, static_cast<size_t>(n));
      }
      HttpRequest req;
      if (!ParseHead(std::string_view(buffer).substr(0, end + 2), &req)) goto done;
      buffer.erase(0, end + 4);
      size_t body_len = 0;
      if (auto cl = req.Header("Content-Length")) body_len = std::strtoull(cl->c_str(), nullptr, 10);
      if (body_len > kMaxRequestBodyBytes) goto done;
      while (buffer.size() < body_len) {
        ssize_t n = impl.Read(tmp, sizeof tmp);
        if (n <= 0) goto done;
        buffer.append(tmp, static_cast<size_t>(n));
      }
      req.body = buffer.substr(0, body_len);
      buffer.erase(0, body_len);

      std::shared_ptr<Handler> handler;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++request_count_;
        last_requests_[req.path] = req;
        auto it = routes_.find(req.path);
        if (it != routes_.end()) handler = it->second;
      }
      Connection conn(&impl);
      if (handler) {
        (*handler)(req, conn);
      } else {
        conn.WriteHead(404, {{"Content-Length", "9"}, {"Content-Type", "text/plain"}});
        conn.Write("not found");
      }
      if (conn.dead_ && conn.close_) reset = true;
      auto connection_header = req.Header("Connection");
      if (conn.close_ || conn.dead_ || (connection_header && IEquals(*connection_header, "close")))
        break;
    }
  }
done:
  if (impl.ssl) {
    if (!reset) SSL_shutdown(impl.ssl);
    SSL_free(impl.ssl);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_fds_.erase(fd);
    ::close(fd);  // with SO_LINGER 0 after Reset(), this sends the RST
  }
}

// ---------------------------------------------------------------- canned routes

void HttpServer::Fixed(const std::string& path, int status, HeaderList headers, std::string body) {
  if (!HasHeader(headers, "Content-Length"))
    headers.emplace_back("Content-Length", std::to_string(body.size()));
  Route(path, [status, headers, body](const HttpRequest& req, Connection& c) {
    if (!c.WriteHead(status, headers)) return;
    if (req.method != "HEAD") c.Write(body);
  });
}

void HttpServer::Chunked(const std::string& path, std::vector<std::string> chunks,
                         std::chrono::milliseconds delay, HeaderList headers) {
  headers.emplace_back("Transfer-Encoding", "chunked");
  Route(path, [chunks, delay, headers](const HttpRequest&, Connection& c) {
    if (!c.WriteHead(200, headers)) return;
    for (const auto& chunk : chunks) {
      if (!c.WriteChunk(chunk) || !c.Sleep(delay)) return;
    }
    c.EndChunks();
  });
}

void HttpServer::Trickle(const std::string& path, std::string body, size_t bytes_per_chunk,
                         std::chrono::milliseconds delay, HeaderList headers) {
  std::vector<std::string> chunks;
  for (size_t i = 0; i < body.size(); i += bytes_per_chunk)
    chunks.push_back(body.substr(i, bytes_per_chunk));
  Chunked(path, std::move(chunks), delay, std::move(headers));
}

void HttpServer::CutOff(const std::string& path, std::string body, size_t declared_length) {
  Route(path, [body, declared_length](const HttpRequest&, Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, {{"Content-Length", std::to_string(declared_length)}})) return;
    c.Write(body);
  });
}

void HttpServer::ResetMidBody(const std::string& path, std::string prefix) {
  Route(path, [prefix](const HttpRequest&, Connection& c) {
    if (!c.WriteHead(200, {{"Transfer-Encoding", "chunked"}})) return;
    c.WriteChunk(prefix);
    c.Sleep(std::chrono::milliseconds(50));  // let the client read the prefix first
    c.Reset();
  });
}

void HttpServer::ResetBeforeHead(const std::string& path) {
  Route(path, [](const HttpRequest&, Connection& c) { c.Reset(); });
}

void HttpServer::Redirect(const std::string& path, int status, std::string location,
                          HeaderList extra_headers) {
  extra_headers.emplace_back("Location", location);
  Fixed(path, status, std::move(extra_headers), "");
}

void HttpServer::Encoded(const std::string& path, std::string body, Coding coding,
                         HeaderList headers) {
  const char* name = coding == Coding::kGzip ? "gzip" : coding == Coding::kDeflate ? "deflate" : "br";
  headers.emplace_back("Content-Encoding", name);
  Fixed(path, 200, std::move(headers), Encode(coding, body));
}

void HttpServer::Endless(const std::string& path, size_t chunk_bytes, HeaderList headers) {
  headers.emplace_back("Transfer-Encoding", "chunked");
  Route(path, [chunk_bytes, headers](const HttpRequest&, Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, headers)) return;
    std::string chunk(chunk_bytes, 'x');
    while (c.WriteChunk(chunk)) {
    }
  });
}

void HttpServer::Hang(const std::string& path, HeaderList headers) {
  Route(path, [headers](const HttpRequest&, Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, headers)) return;
    while (c.Sleep(std::chrono::milliseconds(100))) {
    }
  });
}

bool MakeSelfSignedCert(const std::string& dir, std::string* cert_file, std::string* key_file) {
  *cert_file = dir + "/cert.pem";
  *key_file = dir + "/key.pem";
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost "
      "-keyout '" + *key_file + "' -out '" + *cert_file + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace wasmstream::testserver
