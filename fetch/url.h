// URL: parsing, resolution and serialization for the schemes the fetch layer
// serves (http, https, file, data), after the WHATWG URL standard, and
// origins for same-origin decisions.
//
// Covered: scheme/host lowercasing, default ports elided, IPv4/IPv6/domain
// hosts, userinfo, dot-segment removal, percent-encoding of characters outside
// the standard's encode sets, relative references against a base, opaque
// paths for non-special schemes such as data:. Not covered: IDNA (non-ASCII
// hosts are rejected with a TypeError) and the legacy IPv4 forms (0x7f.1).
#ifndef WASMSTREAM_FETCH_URL_H_
#define WASMSTREAM_FETCH_URL_H_

#include <optional>
#include <string>
#include <string_view>

#include "fetch/fetch_error.h"

namespace wasmstream::fetch {

// The origin of a URL. http(s) URLs have a tuple origin (scheme, host, port);
// every other scheme (file, data) gets an opaque origin, which is same-origin
// with nothing, not even another opaque origin (each is unique).
class Origin {
 public:
  static Origin Tuple(std::string scheme, std::string host, int port);
  static Origin Opaque();

  bool opaque() const { return opaque_; }
  const std::string& scheme() const { return scheme_; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }  // effective port (80/443 filled in)

  // "http://host:port" with the default port elided; "null" if opaque.
  std::string Serialize() const;
  // The standard's "same origin": tuples compare equal; opaque origins are
  // equal only to themselves (the same object identity, tracked by an id).
  bool SameOrigin(const Origin& other) const;

 private:
  bool opaque_ = true;
  uint64_t opaque_id_ = 0;
  std::string scheme_, host_;
  int port_ = -1;
};

class Url {
 public:
  // Parses {input} (leading/trailing C0 controls and spaces are stripped, tabs
  // and newlines removed, as the standard does), relative to {base} if given.
  // An invalid URL is a TypeError "Invalid URL: <input>"; never crashes.
  static FetchResult<Url> Parse(std::string_view input, const Url* base = nullptr);
  static FetchResult<Url> Parse(std::string_view input, std::string_view base);

  // The full serialization ("href").
  const std::string& href() const { return href_; }
  const std::string& scheme() const { return scheme_; }  // lowercase, no ':'
  const std::string& username() const { return username_; }
  const std::string& password() const { return password_; }
  const std::string& host() const { return host_; }  // "[::1]" for IPv6
  // Explicit port, nullopt when absent or equal to the scheme's default.
  std::optional<int> port() const { return port_; }
  // Port to connect to: the explicit one or the scheme default (-1 if none).
  int EffectivePort() const;
  const std::string& path() const { return path_; }  // "/a/b" or opaque path
  // Query and fragment without their '?'/'#'; nullopt when absent.
  const std::optional<std::string>& query() const { return query_; }
  const std::optional<std::string>& fragment() const { return fragment_; }

  bool special() const;  // http, https, file (and ws/wss/ftp by the standard)
  bool has_credentials() const { return !username_.empty() || !password_.empty(); }
  Origin origin() const;
  // The href without the fragment: what goes on the wire and in cache keys.
  std::string WithoutFragment() const;

  bool operator==(const Url& other) const { return href_ == other.href_; }

 private:
  friend class UrlParser;
  void Reserialize();

  std::string href_;
  std::string scheme_, username_, password_, host_;
  bool has_host_ = false;
  std::optional<int> port_;
  std::string path_;
  bool opaque_path_ = false;
  std::optional<std::string> query_, fragment_;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_URL_H_
