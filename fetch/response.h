// Response: the Fetch standard's response as an embedder sees it (a filtered
// response: basic, cors, opaque or opaqueredirect; or a network error).
//
// A Response is a cheap, copyable handle: copies share the body stream (like
// two JS references to one object). clone() tees the body instead. Headers
// are immutable. The body is null for network errors, opaque and
// opaqueredirect responses, and responses built without a body.
#ifndef WASMSTREAM_FETCH_RESPONSE_H_
#define WASMSTREAM_FETCH_RESPONSE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/body_stream.h"
#include "fetch/fetch_error.h"
#include "fetch/headers.h"
#include "fetch/url.h"

namespace wasmstream::fetch {

enum class ResponseType {
  kBasic,           // same-origin (or a client without origin): all headers but Set-Cookie
  kCors,            // cross-origin, CORS check passed: safelisted + exposed headers
  kDefault,         // built by an embedder (FromBytes)
  kError,           // network error (also aborts); see error()
  kOpaque,          // no-cors cross-origin: status 0, no headers, null body
  kOpaqueRedirect,  // redirect "manual": status 0, null body
};
std::string_view ResponseTypeName(ResponseType type);  // "basic", "cors", ...

class Response {
 public:
  // A network error: type error, status 0, null body, {error} kept for the
  // embedder (a TypeError with the reason, or an AbortError).
  static Response NetworkError(std::string reason);
  static Response NetworkError(FetchError error);
  // A "default" response with a closed body holding {body}. {headers} is
  // copied and made immutable. TypeError if status is outside 200..599.
  static FetchResult<Response> FromBytes(Bytes body, int status = 200,
                                         std::string status_text = "",
                                         Headers headers = {});
  // Used by the Fetcher and tests to assemble a response from parts.
  struct Parts {
    ResponseType type = ResponseType::kBasic;
    std::vector<Url> url_list;
    int status = 0;
    std::string status_text;
    Headers headers;
    std::shared_ptr<BodyStream> body;
  };
  static Response FromParts(Parts parts);

  ResponseType type() const { return state_->type; }
  bool is_network_error() const { return state_->type == ResponseType::kError; }
  // The network error's reason; meaningful only for type kError.
  const FetchError& error() const { return state_->error; }

  // The final URL ("" when the list is empty: opaque, error).
  std::string url() const;
  const std::vector<Url>& url_list() const { return state_->url_list; }
  bool redirected() const { return state_->url_list.size() > 1; }
  int status() const { return state_->status; }
  const std::string& status_text() const { return state_->status_text; }
  bool ok() const { return state_->status >= 200 && state_->status <= 299; }
  const Headers& headers() const { return state_->headers; }
  // Null for a null body. Reading it (or GetReader) marks the body used.
  const std::shared_ptr<BodyStream>& body() const { return state_->body; }
  bool body_used() const { return state_->body && state_->body->disturbed(); }
  // basic, cors or default: what the WebAssembly JS API calls
  // "CORS-same-origin" (opaque and error responses are not).
  bool cors_same_origin() const;

  // Tee of the body: this response keeps one branch, the clone the other.
  // TypeError "Response body is already used" if disturbed or locked.
  FetchResult<Response> Clone();

  // Consumers: read the whole body. Take the reader lock. TypeError if the
  // body is used or locked; the stream's error if it errors. A null body
  // gives empty bytes. The async form calls back on the network thread (or
  // inline); the blocking forms must not run on the network thread.
  void ReadAllBytes(std::function<void(FetchResult<Bytes>)> callback) const;
  FetchResult<Bytes> BytesBlocking() const;
  FetchResult<std::string> TextBlocking() const;

 private:
  struct State {
    ResponseType type = ResponseType::kError;
    FetchError error;
    std::vector<Url> url_list;
    int status = 0;
    std::string status_text;
    Headers headers;
    std::shared_ptr<BodyStream> body;
  };
  explicit Response(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_RESPONSE_H_
