#include "fetch/cors.h"

#include <vector>

namespace wasmstream::fetch {
namespace {

bool IsSafelistedResponseHeader(std::string_view name) {
  for (const char* s : {"cache-control", "content-language", "content-length", "content-type",
                        "expires", "last-modified", "pragma"})
    if (Headers::NameEquals(name, s)) return true;
  return false;
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || value[i] == ',') {
      std::string_view item = Headers::Normalize(value.substr(start, i - start));
      if (!item.empty()) out.emplace_back(item);
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

FetchStatus CorsCheck(const Headers& response_headers, const std::string& origin,
                      CredentialsMode credentials) {
  auto allow = response_headers.Get("Access-Control-Allow-Origin");
  if (!allow)
    return FetchError::Type(
        "CORS: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
  if (credentials != CredentialsMode::kInclude && *allow == "*") return Ok{};
  if (*allow != origin)
    return FetchError::Type("CORS: The 'Access-Control-Allow-Origin' header has a value '" +
                            *allow + "' that is not equal to the supplied origin '" + origin +
                            "'.");
  if (credentials != CredentialsMode::kInclude) return Ok{};
  auto creds = response_headers.Get("Access-Control-Allow-Credentials");
  if (!creds || *creds != "true")
    return FetchError::Type(
        "CORS: The value of the 'Access-Control-Allow-Credentials' header in the response is '" +
        creds.value_or("") + "' which must be 'true' when the request's credentials mode is "
        "'include'.");
  return Ok{};
}

Headers BasicFilteredHeaders(const Headers& headers) {
  Headers out;
  for (const auto& [n, v] : headers.entries())
    if (!Headers::NameEquals(n, "set-cookie") && !Headers::NameEquals(n, "set-cookie2"))
      out.AppendUnchecked(n, v);
  return out;
}

Headers CorsFilteredHeaders(const Headers& headers, CredentialsMode credentials) {
  std::vector<std::string> exposed;
  if (auto v = headers.Get("Access-Control-Expose-Headers")) exposed = SplitList(*v);
  bool all = false;
  for (const auto& e : exposed)
    if (e == "*" && credentials != CredentialsMode::kInclude) all = true;
  Headers out;
  for (const auto& [n, v] : headers.entries()) {
    if (Headers::NameEquals(n, "set-cookie") || Headers::NameEquals(n, "set-cookie2")) continue;
    bool keep = all || IsSafelistedResponseHeader(n);
    for (const auto& e : exposed)
      if (Headers::NameEquals(n, e)) keep = true;
    if (keep) out.AppendUnchecked(n, v);
  }
  return out;
}

}  // namespace wasmstream::fetch
