#include "bindings/mime_check.h"

namespace wasmstream::bindings {

std::string_view TrimHttpTabOrSpace(std::string_view value) {
  auto is_tab_or_space = [](char c) { return c == '\t' || c == ' '; };
  while (!value.empty() && is_tab_or_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_tab_or_space(value.back())) value.remove_suffix(1);
  return value;
}

bool IsWasmContentType(const std::optional<std::string>& content_type) {
  if (!content_type.has_value()) return false;  // no Content-Type header
  std::string_view v = TrimHttpTabOrSpace(*content_type);
  if (v.size() != kWasmMimeType.size()) return false;  // exact match, no parameters
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // ASCII only
    if (c != kWasmMimeType[i]) return false;
  }
  return true;
}

}  // namespace wasmstream::bindings
