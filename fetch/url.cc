// A WHATWG-style URL parser for http, https, file, data and other schemes.
// Written as one recursive-descent pass over the input rather than the
// standard's state machine; the states it merges are noted inline.
#include "fetch/url.h"

#include <arpa/inet.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <vector>

#include "fetch/limits.h"

namespace wasmstream::fetch {
namespace {

bool IsSpecialScheme(std::string_view s) {
  return s == "http" || s == "https" || s == "file" || s == "ws" || s == "wss" || s == "ftp";
}

int DefaultPort(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return -1;
}

// Percent-encode sets of the URL standard.
enum class EncodeSet { kC0, kFragment, kQuery, kSpecialQuery, kPath, kUserinfo };

bool InSet(unsigned char c, EncodeSet set) {
  if (c < 0x20 || c > 0x7e) return true;
  switch (set) {
    case EncodeSet::kC0: return false;
    case EncodeSet::kFragment: return c == ' ' || c == '"' || c == '<' || c == '>' || c == '`';
    case EncodeSet::kQuery: return c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
    case EncodeSet::kSpecialQuery: return InSet(c, EncodeSet::kQuery) || c == '\'';
    case EncodeSet::kPath:
      return InSet(c, EncodeSet::kQuery) || c == '?' || c == '`' || c == '{' || c == '}';
    case EncodeSet::kUserinfo:
      return InSet(c, EncodeSet::kPath) || c == '/' || c == ':' || c == ';' || c == '=' ||
             c == '@' || (c >= '[' && c <= '^') || c == '|';
  }
  return false;
}

void AppendEncoded(std::string* out, std::string_view in, EncodeSet set) {
  static const char kHex[] = "0123456789ABCDEF";
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (InSet(c, set)) {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(ch);
    }
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsForbiddenHostCodePoint(unsigned char c) {
  return c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' || c == '#' || c == '/' ||
         c == ':' || c == '<' || c == '>' || c == '?' || c == '@' || c == '[' || c == '\\' ||
         c == ']' || c == '^' || c == '|';
}

// "Ends in a number" checker, simplified: the last non-empty label is all
// digits. Such a host must then be a dotted-quad IPv4 address.
bool EndsInNumber(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  size_t dot = host.rfind('.');
  std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  for (char c : last)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<std::string> ParseIpv4(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::string h(host);
  in_addr addr;
  int parts = 1;
  for (char c : h) parts += c == '.';
  if (parts != 4 || inet_pton(AF_INET, h.c_str(), &addr) != 1) return std::nullopt;
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &addr, buf, sizeof buf);
  return std::string(buf);
}

}  // namespace

// ---------------------------------------------------------------- Origin

Origin Origin::Tuple(std::string scheme, std::string host, int port) {
  Origin o;
  o.opaque_ = false;
  o.scheme_ = std::move(scheme);
  o.host_ = std::move(host);
  o.port_ = port;
  return o;
}

Origin Origin::Opaque() {
  static std::atomic<uint64_t> next{1};
  Origin o;
  o.opaque_ = true;
  o.opaque_id_ = next++;
  return o;
}

std::string Origin::Serialize() const {
  if (opaque_) return "null";
  std::string s = scheme_ + "://" + host_;
  if (port_ != DefaultPort(scheme_)) s += ":" + std::to_string(port_);
  return s;
}

bool Origin::SameOrigin(const Origin& other) const {
  if (opaque_ || other.opaque_) return opaque_ && other.opaque_ && opaque_id_ == other.opaque_id_;
  return scheme_ == other.scheme_ && host_ == other.host_ && port_ == other.port_;
}

// ---------------------------------------------------------------- parser

class UrlParser {
 public:
  static FetchResult<Url> Parse(std::string_view raw, const Url* base);

 private:
  static FetchError Invalid(std::string_view input, std::string_view why) {
    std::string shown(input.substr(0, 200));
    return FetchError::Type("Invalid URL: '" + shown + "' (" + std::string(why) + ")");
  }
  // Authority state through host and port. {auth} is the text between "//"
  // and the path. Returns an error message, or "" on success.
  static std::string ParseAuthority(std::string_view auth, Url* url);
  static std::string ParseHost(std::string_view input, bool special, std::string* host);
  // Path state: appends {input}'s segments to url->path_ segments {segments}.
  static void ParsePath(std::string_view input, bool special, std::vector<std::string>* segments);
  static void FinishPathQueryFragment(std::string_view rest, Url* url,
                                      std::vector<std::string> segments, bool keep_base_query);
};

std::string UrlParser::ParseHost(std::string_view input, bool special, std::string* host) {
  if (!input.empty() && input.front() == '[') {
    if (input.back() != ']') return "unterminated IPv6 address";
    std::string inner(input.substr(1, input.size() - 2));
    in6_addr addr;
    if (inet_pton(AF_INET6, inner.c_str(), &addr) != 1) return "invalid IPv6 address";
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &addr, buf, sizeof buf);
    *host = "[" + std::string(buf) + "]";
    return "";
  }
  if (!special) {  // opaque host: only forbidden code points are checked
    for (char c : input) {
      if (c != '%' && IsForbiddenHostCodePoint(static_cast<unsigned char>(c)))
        return "forbidden host code point";
    }
    *host = "";
    AppendEncoded(host, input, EncodeSet::kC0);
    return "";
  }
  std::string domain = Lower(PercentDecode(input));
  for (unsigned char c : domain) {
    if (c >= 0x80) return "non-ASCII host (IDNA is not supported)";
    if (IsForbiddenHostCodePoint(c) || c < 0x20 || c == '%' || c == 0x7f)
      return "forbidden host code point";
  }
  if (domain.empty()) return "empty host";
  if (EndsInNumber(domain)) {
    auto v4 = ParseIpv4(domain);
    if (!v4) return "invalid IPv4 address";
    *host = *v4;
    return "";
  }
  *host = domain;
  return "";
}

std::string UrlParser::ParseAuthority(std::string_view auth, Url* url) {
  bool special = url->special();
  size_t at = auth.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = auth.substr(0, at);
    auth = auth.substr(at + 1);
    size_t colon = userinfo.find(':');
    url->username_.clear();
    url->password_.clear();
    AppendEncoded(&url->username_, userinfo.substr(0, colon), EncodeSet::kUserinfo);
    if (colon != std::string_view::npos)
      AppendEncoded(&url->password_, userinfo.substr(colon + 1), EncodeSet::kUserinfo);
  }
  // Port: after the last ':' that is not inside an IPv6 literal.
  std::string_view host_text = auth, port_text;
  size_t close = auth.rfind(']');
  size_t colon = auth.rfind(':');
  bool has_port = colon != std::string_view::npos && (close == std::string_view::npos || colon > close);
  if (has_port) {
    host_text = auth.substr(0, colon);
    port_text = auth.substr(colon + 1);
  }
  url->port_.reset();
  if (!port_text.empty()) {
    long port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return "invalid port";
      port = port * 10 + (c - '0');
      if (port > 65535) return "port out of range";
    }
    if (port != DefaultPort(url->scheme_)) url->port_ = static_cast<int>(port);
  }
  if (url->scheme_ == "file") {
    if (has_port || at != std::string_view::npos) return "file URL with port or credentials";
    std::string host;
    if (!host_text.empty()) {
      std::string err = ParseHost(host_text, true, &host);
      if (!err.empty()) return err;
      if (host == "localhost") host.clear();
    }
    url->host_ = host;
    url->has_host_ = true;
    return "";
  }
  if (host_text.empty()) {
    if (special) return "empty host";
    if (at != std::string_view::npos || has_port) return "credentials or port without host";
    url->host_.clear();
    url->has_host_ = true;
    return "";
  }
  std::string host;
  std::string err = ParseHost(host_text, special, &host);
  if (!err.empty()) return err;
  url->host_ = host;
  url->has_host_ = true;
  return "";
}

void UrlParser::ParsePath(std::string_view input, bool special,
                          std::vector<std::string>* segments) {
  // Path state, including "single-dot" and "double-dot" segments
  // (also percent-encoded, "%2e"), and Windows drive letters left as is.
  size_t start = 0;
  for (size_t i = 0; i <= input.size(); ++i) {
    bool sep = i == input.size() || input[i] == '/' || (special && input[i] == '\\');
    if (!sep) continue;
    std::string_view seg = input.substr(start, i - start);
    std::string lower = Lower(seg);
    bool last = i == input.size();
    if (lower == ".." || lower == ".%2e" || lower == "%2e." || lower == "%2e%2e") {
      if (!segments->empty()) segments->pop_back();
      if (last) segments->push_back("");
    } else if (lower == "." || lower == "%2e") {
      if (last) segments->push_back("");
    } else {
      std::string enc;
      AppendEncoded(&enc, seg, EncodeSet::kPath);
      segments->push_back(std::move(enc));
    }
    start = i + 1;
  }
}

void UrlParser::FinishPathQueryFragment(std::string_view rest, Url* url,
                                        std::vector<std::string> segments, bool keep_base_query) {
  // {rest} begins with the path (possibly empty), then ?query, #fragment.
  size_t hash = rest.find('#');
  std::string_view before_hash = rest.substr(0, hash);
  size_t q = before_hash.find('?');
  std::string_view path = before_hash.substr(0, q);
  bool special = url->special();
  ParsePath(path, special, &segments);
  url->path_.clear();
  for (const auto& s : segments) url->path_ += "/" + s;
  if (special && url->path_.empty()) url->path_ = "/";
  if (q != std::string_view::npos) {
    url->query_ = std::string();
    AppendEncoded(&*url->query_, before_hash.substr(q + 1),
                  special ? EncodeSet::kSpecialQuery : EncodeSet::kQuery);
  } else if (!keep_base_query) {
    url->query_.reset();
  }
  if (hash != std::string_view::npos) {
    url->fragment_ = std::string();
    AppendEncoded(&*url->fragment_, rest.substr(hash + 1), EncodeSet::kFragment);
  } else {
    url->fragment_.reset();
  }
}

FetchResult<Url> UrlParser::Parse(std::string_view raw, const Url* base) {
  if (raw.size() > kMaxUrlBytes) return Invalid(raw, "longer than kMaxUrlBytes");
  // Strip leading/trailing C0 control or space; remove ASCII tab or newline.
  while (!raw.empty() && static_cast<unsigned char>(raw.front()) <= 0x20) raw.remove_prefix(1);
  while (!raw.empty() && static_cast<unsigned char>(raw.back()) <= 0x20) raw.remove_suffix(1);
  std::string input;
  input.reserve(raw.size());
  for (char c : raw)
    if (c != '\t' && c != '\n' && c != '\r') input.push_back(c);
  std::string_view in = input;

  // Scheme start / scheme state.
  std::string scheme;
  size_t i = 0;
  if (!in.empty() && std::isalpha(static_cast<unsigned char>(in[0]))) {
    i = 1;
    while (i < in.size() && (std::isalnum(static_cast<unsigned char>(in[i])) || in[i] == '+' ||
                             in[i] == '-' || in[i] == '.'))
      ++i;
    if (i < in.size() && in[i] == ':') scheme = Lower(in.substr(0, i));
  }

  Url url;
  if (!scheme.empty()) {
    std::string_view rest = in.substr(i + 1);
    url.scheme_ = scheme;
    bool special = IsSpecialScheme(scheme);
    auto is_slash = [&](char c) { return c == '/' || (special && c == '\\'); };
    if (special && scheme != "file" && base && base->scheme_ == scheme &&
        (rest.empty() || !is_slash(rest[0]))) {
      // "special relative or authority state": "http:foo" against an http base.
      in = rest;
      goto relative;
    }
    if (scheme == "file") {
      // File state: "file://host/path", "file:///path", "file:/path".
      if (rest.size() >= 2 && is_slash(rest[0]) && is_slash(rest[1])) {
        rest.remove_prefix(2);
        size_t end = 0;
        while (end < rest.size() && !is_slash(rest[end]) && rest[end] != '?' && rest[end] != '#')
          ++end;
        std::string err = ParseAuthority(rest.substr(0, end), &url);
        if (!err.empty()) return Invalid(raw, err);
        rest.remove_prefix(end);
      } else if (!rest.empty() && is_slash(rest[0])) {
        url.has_host_ = true;
      } else if (base && base->scheme_ == "file") {
        in = rest;
        goto relative;
      } else {
        url.has_host_ = true;
      }
      if (!rest.empty() && is_slash(rest[0])) rest.remove_prefix(1);
      FinishPathQueryFragment(rest, &url, {}, false);
      url.Reserialize();
      return url;
    }
    if (special) {
      // Special authority (ignore) slashes state: any mix of / and \.
      while (!rest.empty() && is_slash(rest[0])) rest.remove_prefix(1);
    } else if (rest.size() >= 2 && rest[0] == '/' && rest[1] == '/') {
      rest.remove_prefix(2);
    } else if (!rest.empty() && rest[0] == '/') {
      FinishPathQueryFragment(rest.substr(1), &url, {}, false);
      url.Reserialize();
      return url;
    } else {
      // Opaque path state (data:, mailto:, ...).
      url.opaque_path_ = true;
      size_t hash = rest.find('#');
      std::string_view before = rest.substr(0, hash);
      size_t q = before.find('?');
      AppendEncoded(&url.path_, before.substr(0, q), EncodeSet::kC0);
      if (q != std::string_view::npos) {
        url.query_ = std::string();
        AppendEncoded(&*url.query_, before.substr(q + 1), EncodeSet::kQuery);
      }
      if (hash != std::string_view::npos) {
        url.fragment_ = std::string();
        AppendEncoded(&*url.fragment_, rest.substr(hash + 1), EncodeSet::kFragment);
      }
      url.Reserialize();
      return url;
    }
    size_t end = 0;
    while (end < rest.size() && !is_slash(rest[end]) && rest[end] != '?' && rest[end] != '#') ++end;
    std::string err = ParseAuthority(rest.substr(0, end), &url);
    if (!err.empty()) return Invalid(raw, err);
    rest.remove_prefix(end);
    if (!rest.empty() && is_slash(rest[0])) rest.remove_prefix(1);
    else if (!rest.empty() || special) {
      // path starts empty ("http://h?q" → path "/")
    }
    FinishPathQueryFragment(rest, &url, {}, false);
    url.Reserialize();
    return url;
  }

  if (!base) return Invalid(raw, "relative URL without a base");
relative: {
  // Relative state, against {base}.
  url = *base;
  url.fragment_.reset();
  bool special = url.special();
  auto is_slash = [&](char c) { return c == '/' || (special && c == '\\'); };
  if (base->opaque_path_) {
    if (in.empty() || in[0] != '#') return Invalid(raw, "relative URL against an opaque base");
    url.fragment_ = std::string();
    AppendEncoded(&*url.fragment_, in.substr(1), EncodeSet::kFragment);
    url.Reserialize();
    return url;
  }
  if (in.size() >= 2 && is_slash(in[0]) && is_slash(in[1]) && url.scheme_ != "file") {
    // Scheme-relative: "//host/path".
    std::string_view rest = in.substr(2);
    if (special)
      while (!rest.empty() && is_slash(rest[0])) rest.remove_prefix(1);
    url.username_.clear();
    url.password_.clear();
    size_t end = 0;
    while (end < rest.size() && !is_slash(rest[end]) && rest[end] != '?' && rest[end] != '#') ++end;
    std::string err = ParseAuthority(rest.substr(0, end), &url);
    if (!err.empty()) return Invalid(raw, err);
    rest.remove_prefix(end);
    if (!rest.empty() && is_slash(rest[0])) rest.remove_prefix(1);
    FinishPathQueryFragment(rest, &url, {}, false);
  } else if (!in.empty() && is_slash(in[0])) {
    std::string_view rest = in.substr(1);
    if (url.scheme_ == "file" && !rest.empty() && is_slash(rest[0])) {
      return Parse(std::string("file:") + std::string(in), nullptr);
    }
    FinishPathQueryFragment(rest, &url, {}, false);
  } else if (in.empty()) {
    // Same document, fragment removed.
  } else if (in[0] == '?') {
    // Same path, new query.
    size_t hash = in.find('#');
    url.query_ = std::string();
    AppendEncoded(&*url.query_, in.substr(1, hash == std::string_view::npos ? hash : hash - 1),
                  special ? EncodeSet::kSpecialQuery : EncodeSet::kQuery);
    if (hash != std::string_view::npos) {
      url.fragment_ = std::string();
      AppendEncoded(&*url.fragment_, in.substr(hash + 1), EncodeSet::kFragment);
    }
  } else if (in[0] == '#') {
    url.fragment_ = std::string();
    AppendEncoded(&*url.fragment_, in.substr(1), EncodeSet::kFragment);
  } else {
    // Path-relative: the base path without its last segment, then {in}.
    std::vector<std::string> segments;
    std::string_view p = url.path_;
    if (!p.empty() && p[0] == '/') p.remove_prefix(1);
    size_t s = 0;
    for (size_t k = 0; k <= p.size(); ++k)
      if (k == p.size() || p[k] == '/') {
        segments.emplace_back(p.substr(s, k - s));
        s = k + 1;
      }
    if (!segments.empty()) segments.pop_back();
    FinishPathQueryFragment(in, &url, std::move(segments), false);
  }
  url.Reserialize();
  return url;
}
}

// ---------------------------------------------------------------- Url

FetchResult<Url> Url::Parse(std::string_view input, const Url* base) {
  return UrlParser::Parse(input, base);
}

FetchResult<Url> Url::Parse(std::string_view input, std::string_view base) {
  auto b = UrlParser::Parse(base, nullptr);
  if (!b.ok()) return b.error();
  return UrlParser::Parse(input, &b.value());
}

bool Url::special() const { return IsSpecialScheme(scheme_); }

int Url::EffectivePort() const { return port_ ? *port_ : DefaultPort(scheme_); }

Origin Url::origin() const {
  if (scheme_ == "http" || scheme_ == "https" || scheme_ == "ws" || scheme_ == "wss" ||
      scheme_ == "ftp")
    return Origin::Tuple(scheme_, host_, EffectivePort());
  return Origin::Opaque();
}

void Url::Reserialize() {
  href_ = scheme_ + ":";
  if (has_host_) {
    href_ += "//";
    if (!username_.empty() || !password_.empty()) {
      href_ += username_;
      if (!password_.empty()) href_ += ":" + password_;
      href_ += "@";
    }
    href_ += host_;
    if (port_) href_ += ":" + std::to_string(*port_);
  } else if (!opaque_path_ && path_.size() > 1 && path_[0] == '/' && path_[1] == '/') {
    href_ += "/.";
  }
  href_ += path_;
  if (query_) href_ += "?" + *query_;
  if (fragment_) href_ += "#" + *fragment_;
}

std::string Url::WithoutFragment() const {
  if (!fragment_) return href_;
  return href_.substr(0, href_.size() - fragment_->size() - 1);
}

}  // namespace wasmstream::fetch
