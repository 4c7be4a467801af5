#include "fetch/headers.h"

#include <algorithm>
#include <cctype>

namespace wasmstream::fetch {
namespace {

bool IsTokenChar(unsigned char c) {
  if (std::isalnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool IsHttpWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

FetchError InvalidName(std::string_view name) {
  return FetchError::Type("Invalid header name: '" + std::string(name.substr(0, 100)) + "'");
}
FetchError InvalidValue(std::string_view name) {
  return FetchError::Type("Invalid header value for '" + std::string(name.substr(0, 100)) + "'");
}

}  // namespace

bool Headers::IsValidName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsTokenChar(static_cast<unsigned char>(c)); });
}

bool Headers::IsValidValue(std::string_view value) {
  // The standard: no NUL, CR or LF, and no leading/trailing HTTP tab or space.
  for (char c : value)
    if (c == '\0' || c == '\r' || c == '\n') return false;
  return value.empty() || (value.front() != ' ' && value.front() != '\t' &&
                           value.back() != ' ' && value.back() != '\t');
}

std::string_view Headers::Normalize(std::string_view value) {
  while (!value.empty() && IsHttpWhitespace(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsHttpWhitespace(value.back())) value.remove_suffix(1);
  return value;
}

bool Headers::NameEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

FetchResult<Headers> Headers::From(const std::vector<Entry>& entries) {
  Headers h;
  for (const auto& [name, value] : entries)
    if (FetchStatus s = h.Append(name, value); !s.ok()) return s.error();
  return h;
}

FetchStatus Headers::CheckMutable() const {
  if (immutable_) return FetchError::Type("Headers are immutable");
  return Ok{};
}

FetchStatus Headers::Append(std::string_view name, std::string_view value) {
  value = Normalize(value);
  if (!IsValidName(name)) return InvalidName(name);
  if (!IsValidValue(value)) return InvalidValue(name);
  if (FetchStatus s = CheckMutable(); !s.ok()) return s;
  entries_.emplace_back(std::string(name), std::string(value));
  return Ok{};
}

FetchStatus Headers::Set(std::string_view name, std::string_view value) {
  value = Normalize(value);
  if (!IsValidName(name)) return InvalidName(name);
  if (!IsValidValue(value)) return InvalidValue(name);
  if (FetchStatus s = CheckMutable(); !s.ok()) return s;
  bool placed = false;
  std::vector<Entry> out;
  for (auto& e : entries_) {
    if (NameEquals(e.first, name)) {
      if (!placed) out.emplace_back(e.first, std::string(value));
      placed = true;
    } else {
      out.push_back(std::move(e));
    }
  }
  if (!placed) out.emplace_back(std::string(name), std::string(value));
  entries_ = std::move(out);
  return Ok{};
}

FetchStatus Headers::Delete(std::string_view name) {
  if (!IsValidName(name)) return InvalidName(name);
  if (FetchStatus s = CheckMutable(); !s.ok()) return s;
  std::erase_if(entries_, [&](const Entry& e) { return NameEquals(e.first, name); });
  return Ok{};
}

bool Headers::Has(std::string_view name) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& e) { return NameEquals(e.first, name); });
}

std::optional<std::string> Headers::Get(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [n, v] : entries_) {
    if (!NameEquals(n, name)) continue;
    if (out) *out += ", " + v;
    else out = v;
  }
  return out;
}

std::vector<std::string> Headers::GetSetCookie() const {
  std::vector<std::string> out;
  for (const auto& [n, v] : entries_)
    if (NameEquals(n, "set-cookie")) out.push_back(v);
  return out;
}

std::vector<Headers::Entry> Headers::SortedAndCombined() const {
  std::vector<std::string> names;
  for (const auto& [n, v] : entries_) names.push_back(Lower(n));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<Entry> out;
  for (const auto& n : names) {
    if (n == "set-cookie") {
      for (auto& v : GetSetCookie()) out.emplace_back(n, v);
    } else {
      out.emplace_back(n, *Get(n));
    }
  }
  return out;
}

void Headers::AppendUnchecked(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

}  // namespace wasmstream::fetch
