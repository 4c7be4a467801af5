#include "tools/wasmstream/json_text.h"

#include <cstdint>
#include <cstring>

namespace wasmstream::cli {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Whether any of the 8 bytes in {w} is below 0x20, '"' or '\\': the classic
// "has a zero byte" bit trick, applied to {w} and to {w} xor each quote byte.
bool NeedsEscape(uint64_t w) {
  auto has_zero = [](uint64_t x) { return ((x - kOnes) & ~x & kHighBits) != 0; };
  const bool control = ((w - 0x20 * kOnes) & ~w & kHighBits) != 0;
  return control || has_zero(w ^ ('"' * kOnes)) || has_zero(w ^ ('\\' * kOnes));
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Names almost never need escaping: skip 8 plain bytes at a time.
  size_t start = 0;
  for (uint64_t w; start + 8 <= s.size(); start += 8) {
    std::memcpy(&w, s.data() + start, 8);
    if (NeedsEscape(w)) break;
  }
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = start; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out.push_back('"');
}

void AppendJsonObject(std::string& out,
                      std::initializer_list<std::pair<std::string_view, std::string_view>> members) {
  out.push_back('{');
  const char* sep = "";
  for (const auto& [name, value] : members) {
    out += sep;
    AppendJsonString(out, name);
    out.push_back(':');
    AppendJsonString(out, value);
    sep = ",";
  }
  out.push_back('}');
}

}  // namespace wasmstream::cli
