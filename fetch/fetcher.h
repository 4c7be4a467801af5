// Fetcher: runs fetches on one network thread with libcurl's multi interface
// (many transfers at once, HTTP/1.1 and HTTP/2, TLS with the system trust
// store plus an optional extra CA file), and serves file: and data: URLs.
// libcurl is loaded by the first http: or https: fetch (curl_library.h); if
// it cannot be, those fetches are network errors that say why.
//
// Fetch(request, callback) may be called from any thread. The callback runs
// exactly once, on the network thread, when the final response's headers
// have arrived (its body then streams into response.body()), or with a
// network error response (type kError, error() a TypeError with the reason,
// e.g. libcurl's error text, or an AbortError). It must not block.
//
// Redirects are followed by the Fetcher itself (not libcurl), hop by hop,
// applying the standard's rules: at most kSpecMaxRedirects, 303 (and 301/302
// after POST) turn into GET, a cross-origin hop taints the origin for CORS,
// redirect mode error/manual. Content-Encoding gzip, deflate and br are
// decoded: the body holds the decoded bytes; headers keep Content-Encoding.
//
// Destroying the Fetcher ends every transfer in flight: pending callbacks get
// a network error, open bodies error with TypeError "Fetcher shut down".
// Responses and body streams may outlive the Fetcher.
#ifndef WASMSTREAM_FETCH_FETCHER_H_
#define WASMSTREAM_FETCH_FETCHER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "fetch/limits.h"
#include "fetch/request.h"
#include "fetch/response.h"

namespace wasmstream::fetch {

enum class HttpVersion {
  kDefault,              // HTTP/2 via ALPN for https, HTTP/1.1 for http
  kHttp1Only,            // never HTTP/2
  kHttp2PriorKnowledge,  // h2c without upgrade for http (server must speak it)
};

struct FetcherOptions {
  long connect_timeout_ms = kDefaultConnectTimeoutMs;
  // Fails a transfer that receives nothing for this long (a transfer paused
  // by backpressure does not count as idle).
  long idle_timeout_ms = kDefaultIdleTimeoutMs;
  // Decoded bytes a body may have; beyond, the body errors with a TypeError.
  uint64_t max_body_bytes = kDefaultMaxBodyBytes;
  // Per-stream buffer before the transfer is paused (see BodyStream).
  size_t body_buffer_bytes = kDefaultBodyBufferBytes;
  // PEM file of CA certificates trusted in addition to the system store.
  std::string extra_ca_file;
  HttpVersion http_version = HttpVersion::kDefault;
  std::string user_agent = "wasmstream-fetch/1";
};

class Fetcher {
 public:
  using ResponseCallback = std::function<void(Response)>;

  explicit Fetcher(FetcherOptions options = {});
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Thread-safe; see the file comment for the callback's contract.
  void Fetch(Request request, ResponseCallback callback);
  // Waits for the response (headers); the body still streams. For the CLI and
  // tests; must not be called on the network thread (from a callback).
  Response FetchBlocking(Request request);

  // Transfers (curl handles) currently running or queued; for tests.
  size_t active_transfers() const;
  const FetcherOptions& options() const;

  class Core;  // implementation, shared with body hooks (outlives ~Fetcher)

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_FETCHER_H_
