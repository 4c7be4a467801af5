#include "fetch/data_url.h"

#include <cctype>

#include "fetch/limits.h"

namespace wasmstream::fetch {
namespace {

bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Bytes PercentDecodeBytes(std::string_view in) {
  Bytes out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<uint8_t>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(static_cast<uint8_t>(in[i]));
    }
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// A small MIME type check: "type/subtype" of token characters, parameters
// kept as given. An invalid MIME type falls back to the default.
bool LooksLikeMimeType(std::string_view m) {
  size_t semi = m.find(';');
  std::string_view essence = Trim(m.substr(0, semi));
  size_t slash = essence.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == essence.size()) return false;
  for (char c : essence)
    if (c != '/' && !(std::isalnum(static_cast<unsigned char>(c)) ||
                      std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos))
      return false;
  return essence.find('/', slash + 1) == std::string_view::npos;
}

}  // namespace

std::optional<Bytes> ForgivingBase64Decode(std::string_view input) {
  std::string data;
  for (char c : input)
    if (!IsAsciiWhitespace(c)) data.push_back(c);
  if (data.size() % 4 == 0 && !data.empty()) {
    if (data.back() == '=') data.pop_back();
    if (data.back() == '=') data.pop_back();
  }
  if (data.size() % 4 == 1) return std::nullopt;
  Bytes out;
  out.reserve(data.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : data) {
    int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
      buffer &= (1u << bits) - 1;
    }
  }
  return out;
}

FetchResult<DataUrl> ProcessDataUrl(const Url& url) {
  if (url.scheme() != "data") return FetchError::Type("Not a data: URL");
  // Serialize without the fragment and drop the leading "data:".
  std::string input = url.WithoutFragment().substr(5);
  size_t comma = input.find(',');
  if (comma == std::string::npos) return FetchError::Type("data: URL without ','");
  std::string_view mime = Trim(std::string_view(input).substr(0, comma));
  std::string_view encoded = std::string_view(input).substr(comma + 1);
  if (encoded.size() > 4 * (kMaxDataUrlBytes / 3) + 4)
    return FetchError::Type("data: URL body exceeds the maximum size");
  Bytes body = PercentDecodeBytes(encoded);
  // ";base64" at the end of the MIME part, case-insensitive, spaces allowed.
  bool base64 = false;
  size_t semi = mime.rfind(';');
  if (semi != std::string_view::npos) {
    std::string tail(Trim(mime.substr(semi + 1)));
    for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (tail == "base64") {
      base64 = true;
      mime = Trim(mime.substr(0, semi));
    }
  }
  if (base64) {
    auto decoded = ForgivingBase64Decode(std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
    if (!decoded) return FetchError::Type("data: URL has invalid base64");
    body = std::move(*decoded);
  }
  if (body.size() > kMaxDataUrlBytes) return FetchError::Type("data: URL body exceeds the maximum size");
  DataUrl out;
  std::string mime_str(mime);
  if (!mime_str.empty() && mime_str[0] == ';') mime_str = "text/plain" + mime_str;
  if (LooksLikeMimeType(mime_str)) {
    // Type and subtype are ASCII case-insensitive: serialize them lowercase.
    size_t semi_pos = mime_str.find(';');
    std::string essence(Trim(std::string_view(mime_str).substr(0, semi_pos)));
    for (char& c : essence) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.mime_type = essence + (semi_pos == std::string::npos ? "" : mime_str.substr(semi_pos));
  } else {
    out.mime_type = "text/plain;charset=US-ASCII";
  }
  out.body = std::move(body);
  return out;
}

}  // namespace wasmstream::fetch
