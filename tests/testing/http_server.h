// A loopback HTTP/1.1 test server on raw sockets, for tests of every layer.
//
// Starts on 127.0.0.1, port 0 (the kernel picks; see port()), one thread per
// connection, keep-alive. Routes match the path exactly (query ignored);
// unknown paths get 404. Handlers write raw bytes through a Connection, so a
// test can send anything: arbitrary status lines and headers, chunked bodies
// trickled one byte per packet, a body cut off mid-way, a TCP reset, an
// endless body. Canned routes cover the common cases.
//
// Bounded in time: every connection is closed after Options::max_connection_time,
// Sleep() and Write() return early once the server stops, and the destructor
// stops accepting, shuts every socket down and joins every thread.
//
// With Options::tls, the server speaks TLS (OpenSSL) with the given PEM
// certificate and key; MakeSelfSignedCert() makes a pair with the openssl CLI.
#ifndef WASMSTREAM_TESTS_TESTING_HTTP_SERVER_H_
#define WASMSTREAM_TESTS_TESTING_HTTP_SERVER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace wasmstream::testserver {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  std::string target;  // as on the request line: "/path?query"
  std::string path;    // without the query
  std::string query;   // without '?'
  HeaderList headers;
  std::string body;
  // First header named {name} (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
};

class Connection {
 public:
  // Writes all of {bytes}; false once the peer is gone or the server stops.
  bool Write(std::string_view bytes);
  // "HTTP/1.1 <status> <reason>\r\n" + headers + "\r\n". Adds no header itself.
  bool WriteHead(int status, const HeaderList& headers, std::string_view reason = "");
  // One chunk of a chunked body ("<hex>\r\n<data>\r\n"); EndChunks writes "0\r\n\r\n".
  bool WriteChunk(std::string_view data);
  bool EndChunks();
  // Sleeps, returning early (false) when the server stops.
  bool Sleep(std::chrono::milliseconds duration);
  // Sends a TCP RST (SO_LINGER 0 + close). The connection is dead afterwards.
  void Reset();
  // Closes the connection after this handler instead of keeping it alive.
  void CloseAfterResponse() { close_ = true; }
  bool stopping() const;
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  friend class HttpServer;
  struct Impl;
  Connection(Impl* impl) : impl_(impl) {}
  Impl* impl_;
  bool close_ = false;
  bool dead_ = false;
  uint64_t bytes_written_ = 0;
};

using Handler = std::function<void(const HttpRequest&, Connection&)>;

enum class Coding { kGzip, kDeflate, kBrotli };
std::string Encode(Coding coding, std::string_view data);

class HttpServer {
 public:
  struct Options {
    bool tls = false;
    std::string cert_file, key_file;  // PEM; required with tls
    std::chrono::seconds max_connection_time{120};
  };

  HttpServer();
  explicit HttpServer(Options options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>" (https with tls).
  std::string origin() const;
  std::string Url(std::string_view path) const { return origin() + std::string(path); }

  // Registers {handler} for {path}; a later Route for the same path replaces it.
  void Route(const std::string& path, Handler handler);

  // ---- canned routes
  // Status, headers, body with Content-Length (added unless given).
  void Fixed(const std::string& path, int status, HeaderList headers, std::string body);
  // A chunked body, one chunk per element, each followed by {delay}.
  void Chunked(const std::string& path, std::vector<std::string> chunks,
               std::chrono::milliseconds delay, HeaderList headers = {});
  // {body} as chunks of {bytes_per_chunk}, each written separately and
  // followed by {delay}: chunks reach the client one packet at a time.
  void Trickle(const std::string& path, std::string body, size_t bytes_per_chunk,
               std::chrono::milliseconds delay, HeaderList headers = {});
  // Declares Content-Length {declared_length} but sends only {body}, then
  // closes: the client sees a body cut off mid-way.
  void CutOff(const std::string& path, std::string body, size_t declared_length);
  // Sends the head and {prefix} of a chunked body, waits a little, then resets
  // the connection (RST). With {before_head}, resets without any response.
  void ResetMidBody(const std::string& path, std::string prefix);
  void ResetBeforeHead(const std::string& path);
  void Redirect(const std::string& path, int status, std::string location,
                HeaderList extra_headers = {});
  // {body} encoded with {coding}, Content-Encoding set, fixed length.
  void Encoded(const std::string& path, std::string body, Coding coding,
               HeaderList headers = {});
  // A chunked body of {chunk_bytes}-byte chunks of 'x' that never ends (until
  // the client goes away or the server stops).
  void Endless(const std::string& path, size_t chunk_bytes = 64 * 1024,
               HeaderList headers = {});
  // Headers, then nothing until the server stops or the client leaves.
  void Hang(const std::string& path, HeaderList headers = {{"Content-Length", "10"}});

  // Requests received so far, all routes.
  size_t request_count() const;
  // The last request received for {path}; nullopt if none.
  std::optional<HttpRequest> LastRequest(const std::string& path) const;
  // Connections accepted so far.
  size_t connection_count() const { return connections_accepted_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd);
  bool StartTls();

  Options options_;
  int listen_fd_ = -1;
  int port_ = 0;
  void* ssl_ctx_ = nullptr;  // SSL_CTX*
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_accepted_{0};
  std::thread accept_thread_;

  mutable std::mutex mutex_;
  // Protected by {mutex_}:
  std::map<std::string, std::shared_ptr<Handler>> routes_;
  std::map<std::string, HttpRequest> last_requests_;
  size_t request_count_ = 0;
  std::set<int> open_fds_;
  std::map<std::thread::id, std::thread> threads_;  // one per connection
  // Connections that ended: the accept loop joins their threads, since an
  // ended thread keeps its stack until joined (a soak of thousands of
  // connections would grow by a stack each).
  std::vector<std::thread::id> finished_;
};

// Writes a self-signed certificate for 127.0.0.1 (and "localhost") into
// {dir}/cert.pem and {dir}/key.pem with the openssl CLI. False on failure.
bool MakeSelfSignedCert(const std::string& dir, std::string* cert_file, std::string* key_file);

}  // namespace wasmstream::testserver

#endif  // WASMSTREAM_TESTS_TESTING_HTTP_SERVER_H_
