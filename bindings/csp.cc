#include "bindings/csp.h"

namespace wasmstream::bindings {
namespace {

bool IsAsciiWhitespace(char c) {
  return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

std::string_view TrimAsciiWhitespace(std::string_view s) {
  while (!s.empty() && IsAsciiWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// directive-name = 1*( ALPHA / DIGIT / "-" )
bool IsValidDirectiveName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// directive-value: visible ASCII other than ";" and ",", plus whitespace.
bool IsValidDirectiveValue(std::string_view value) {
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (IsAsciiWhitespace(c)) continue;
    if (u < 0x21 || u > 0x7E || c == ';' || c == ',') return false;
  }
  return true;
}

}  // namespace

std::string_view CspDispositionName(CspDisposition d) {
  return d == CspDisposition::kEnforce ? "enforce" : "report";
}

const CspDirective* CspPolicy::Find(std::string_view name) const {
  for (const CspDirective& d : directives) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

CspPolicy ParseCspPolicy(std::string_view text, CspDisposition disposition) {
  CspPolicy policy;
  policy.disposition = disposition;
  policy.serialized = std::string(TrimAsciiWhitespace(text));
  // Strictly split on ';'.
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view token = TrimAsciiWhitespace(text.substr(start, end - start));
    start = end + 1;
    if (token.empty()) continue;
    size_t name_end = 0;
    while (name_end < token.size() && !IsAsciiWhitespace(token[name_end])) ++name_end;
    std::string name;
    for (char c : token.substr(0, name_end)) name.push_back(AsciiLower(c));
    if (!IsValidDirectiveName(name)) continue;
    if (policy.Find(name) != nullptr) continue;  // a repeated directive is ignored
    std::string_view rest = token.substr(name_end);
    if (!IsValidDirectiveValue(rest)) continue;
    CspDirective directive{std::move(name), {}};
    size_t i = 0;
    while (i < rest.size()) {
      while (i < rest.size() && IsAsciiWhitespace(rest[i])) ++i;
      size_t j = i;
      while (j < rest.size() && !IsAsciiWhitespace(rest[j])) ++j;
      if (j > i) directive.values.emplace_back(rest.substr(i, j - i));
      i = j;
    }
    policy.directives.push_back(std::move(directive));
  }
  return policy;
}

std::vector<CspPolicy> ParseCspList(std::string_view header_value, CspDisposition disposition) {
  std::vector<CspPolicy> out;
  size_t start = 0;
  while (start <= header_value.size()) {
    size_t end = header_value.find(',', start);
    if (end == std::string_view::npos) end = header_value.size();
    CspPolicy policy = ParseCspPolicy(header_value.substr(start, end - start), disposition);
    start = end + 1;
    if (policy.directives.empty()) continue;
    out.push_back(std::move(policy));
  }
  return out;
}

bool CspSourceListAllowsWasm(const std::vector<std::string>& sources) {
  for (const std::string& s : sources) {
    if (EqualsIgnoreAsciiCase(s, "'wasm-unsafe-eval'") || EqualsIgnoreAsciiCase(s, "'unsafe-eval'")) {
      return true;
    }
  }
  return false;
}

void CspList::AddHeader(std::string_view value, CspDisposition disposition) {
  for (CspPolicy& p : ParseCspList(value, disposition)) policies_.push_back(std::move(p));
}

std::optional<Error> CspList::EnsureCanCompileWasmBytes(const CspViolationObserver& observer,
                                                        std::string_view document_uri) const {
  const CspDirective* blocking = nullptr;
  for (const CspPolicy& policy : policies_) {
    // script-src, else default-src; script-src-elem/-attr are never consulted.
    const CspDirective* directive = policy.Find("script-src");
    if (directive == nullptr) directive = policy.Find("default-src");
    if (directive == nullptr || CspSourceListAllowsWasm(directive->values)) continue;
    CspViolation v;
    v.effective_directive = "script-src";  // even when default-src supplied the list
    v.violated_directive = "script-src";
    v.blocked_uri = "wasm-eval";
    v.original_policy = policy.serialized;
    v.disposition = policy.disposition;
    v.document_uri = std::string(document_uri);
    if (observer) observer(v);
    if (policy.disposition == CspDisposition::kEnforce && blocking == nullptr) blocking = directive;
  }
  if (blocking == nullptr) return std::nullopt;
  std::string text = blocking->name;
  for (const std::string& value : blocking->values) text += " " + value;
  return Error::Compile(
      "Refused to compile or instantiate WebAssembly module because neither "
      "'wasm-unsafe-eval' nor 'unsafe-eval' is an allowed source of script in the following "
      "Content Security Policy directive: \"" +
      text + "\".");
}

}  // namespace wasmstream::bindings
