#include "fetch/request.h"

#include <cctype>

namespace wasmstream::fetch {

FetchResult<Request> Request::Create(std::string_view url, const Url* base) {
  auto parsed = Url::Parse(url, base);
  if (!parsed.ok()) return parsed.error();
  if (parsed.value().has_credentials())
    return FetchError::Type("Request cannot be constructed from a URL that includes credentials: " +
                            parsed.value().href());
  return Request(std::move(parsed.value()));
}

FetchStatus Request::Validate() {
  if (!Headers::IsValidName(method)) return FetchError::Type("'" + method + "' is not a valid HTTP method");
  std::string upper = method;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "CONNECT" || upper == "TRACE" || upper == "TRACK")
    return FetchError::Type("'" + method + "' HTTP method is unsupported");
  for (const char* m : {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})
    if (upper == m) method = upper;
  if ((method == "GET" || method == "HEAD") && body)
    return FetchError::Type("Request with GET/HEAD method cannot have body");
  if (mode == RequestMode::kNoCors && method != "GET" && method != "HEAD" && method != "POST")
    return FetchError::Type("'" + method + "' is unsupported in no-cors mode");
  for (const auto& [n, v] : headers.entries())
    if (!Headers::IsValidName(n) || !Headers::IsValidValue(v))
      return FetchError::Type("Invalid request header '" + n + "'");
  return Ok{};
}

}  // namespace wasmstream::fetch
