// The Content-Type check of "compile a potential WebAssembly response"
// (the Web API): the header list's combined value for
// Content-Type, trimmed of HTTP tab or space bytes only, must be a
// byte-case-insensitive match for "application/wasm". It is not parsed as a
// MIME type: any parameter, even an empty "application/wasm;", rejects, and two
// Content-Type headers combine to "a, b", which rejects.
#ifndef WASMSTREAM_BINDINGS_MIME_CHECK_H_
#define WASMSTREAM_BINDINGS_MIME_CHECK_H_

#include <optional>
#include <string>
#include <string_view>

namespace wasmstream::bindings {

inline constexpr std::string_view kWasmMimeType = "application/wasm";

// Strips leading and trailing 0x09 and 0x20 only (not CR, LF or FF).
std::string_view TrimHttpTabOrSpace(std::string_view value);

// {content_type} is the header list's "get" result (nullopt when there is no
// Content-Type header, which rejects).
bool IsWasmContentType(const std::optional<std::string>& content_type);

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_MIME_CHECK_H_
