// Request: what to fetch and under which rules (Fetch standard "request").
#ifndef WASMSTREAM_FETCH_REQUEST_H_
#define WASMSTREAM_FETCH_REQUEST_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fetch/abort.h"
#include "fetch/body_stream.h"
#include "fetch/fetch_error.h"
#include "fetch/headers.h"
#include "fetch/url.h"

namespace wasmstream::fetch {

enum class RequestMode {
  kCors,        // cross-origin needs Access-Control-Allow-Origin, else network error
  kNoCors,      // cross-origin gives an opaque response (status 0, no body)
  kSameOrigin,  // cross-origin is a network error
};
enum class CredentialsMode { kOmit, kSameOrigin, kInclude };
enum class RedirectMode {
  kFollow,  // up to kSpecMaxRedirects hops
  kError,   // a redirect is a network error
  kManual,  // a redirect gives an "opaqueredirect" response
};

struct Request {
  // TypeError on an invalid URL (resolved against {base} if given).
  static FetchResult<Request> Create(std::string_view url, const Url* base = nullptr);
  explicit Request(Url request_url) : url(std::move(request_url)) {}

  std::string method = "GET";
  Url url;
  Headers headers;
  RequestMode mode = RequestMode::kCors;
  CredentialsMode credentials = CredentialsMode::kSameOrigin;
  RedirectMode redirect = RedirectMode::kFollow;
  // The requester's origin (the client's, e.g. the Realm's). nullopt means a
  // client without an origin, like a command-line tool: no CORS checks are
  // made and responses are "basic". With an origin, same-origin URLs give
  // "basic" responses and cross-origin ones follow {mode}.
  std::optional<Origin> origin;
  std::shared_ptr<AbortSignal> signal;  // may be null
  std::optional<Bytes> body;            // not allowed with GET/HEAD

  // Checks and normalizes the method (token; DELETE/GET/HEAD/OPTIONS/POST/PUT
  // uppercased; CONNECT/TRACE/TRACK forbidden), header validity, and that
  // GET/HEAD carry no body. The Fetcher calls it; a failure is a TypeError.
  FetchStatus Validate();
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_REQUEST_H_
