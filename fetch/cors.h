// CORS pieces of the Fetch standard: the CORS check and the header filters
// of basic and cors filtered responses.
#ifndef WASMSTREAM_FETCH_CORS_H_
#define WASMSTREAM_FETCH_CORS_H_

#include <string>

#include "fetch/fetch_error.h"
#include "fetch/headers.h"
#include "fetch/request.h"

namespace wasmstream::fetch {

// The CORS check: does Access-Control-Allow-Origin (and, with credentials
// "include", Access-Control-Allow-Credentials: true) allow {origin}, the
// requester's serialized origin ("null" once tainted)? The error message
// says why not, in the style of browsers' console messages.
FetchStatus CorsCheck(const Headers& response_headers, const std::string& origin,
                      CredentialsMode credentials);

// Header list of a basic filtered response: all but Set-Cookie/Set-Cookie2.
Headers BasicFilteredHeaders(const Headers& headers);
// Header list of a cors filtered response: CORS-safelisted response headers
// plus those named by Access-Control-Expose-Headers ("*" exposes all unless
// credentials are included).
Headers CorsFilteredHeaders(const Headers& headers, CredentialsMode credentials);

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_CORS_H_
