#include "tools/wasmstream/json_text.h"

namespace wasmstream::cli {

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
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
