// JS-visible errors as values, never C++ exceptions. A promise in bindings/
// rejects with an Error; nothing here throws. Each Error made by Make() gets a
// fresh id, so "rejected with exactly that object" (a rejected source or a
// failed body read passes its reason through unchanged; WPT
// rejected-arg.any.js) is testable on copies: same id, same object.
#ifndef WASMSTREAM_BINDINGS_ERROR_H_
#define WASMSTREAM_BINDINGS_ERROR_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace wasmstream::bindings {

// Append-only. kError is a plain JS Error (an embedder's own reason).
enum class ErrorKind : uint8_t {
  kError,
  kTypeError,
  kRangeError,
  kCompileError,  // WebAssembly.CompileError
  kLinkError,     // WebAssembly.LinkError
  kRuntimeError,  // WebAssembly.RuntimeError
  kAbortError,    // DOMException named "AbortError"
};

// The constructor name a JS program sees: "TypeError", "CompileError", …
constexpr std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kError: return "Error";
    case ErrorKind::kTypeError: return "TypeError";
    case ErrorKind::kRangeError: return "RangeError";
    case ErrorKind::kCompileError: return "CompileError";
    case ErrorKind::kLinkError: return "LinkError";
    case ErrorKind::kRuntimeError: return "RuntimeError";
    case ErrorKind::kAbortError: return "AbortError";
  }
  return "Error";
}

struct Error {
  ErrorKind kind = ErrorKind::kError;
  std::string message;
  uint64_t id = 0;  // identity of the "object"; copies share it

  static Error Make(ErrorKind kind, std::string message) {
    static std::atomic<uint64_t> next_id{1};
    return Error{kind, std::move(message), next_id.fetch_add(1, std::memory_order_relaxed)};
  }
  static Error Type(std::string m) { return Make(ErrorKind::kTypeError, std::move(m)); }
  static Error Range(std::string m) { return Make(ErrorKind::kRangeError, std::move(m)); }
  static Error Compile(std::string m) { return Make(ErrorKind::kCompileError, std::move(m)); }
  static Error Link(std::string m) { return Make(ErrorKind::kLinkError, std::move(m)); }
  static Error Runtime(std::string m) { return Make(ErrorKind::kRuntimeError, std::move(m)); }
  static Error Abort(std::string m) { return Make(ErrorKind::kAbortError, std::move(m)); }

  std::string_view name() const { return ErrorKindName(kind); }
  // "TypeError: message", the form the CLI prints.
  std::string ToString() const {
    std::string s(name());
    if (!message.empty()) s += ": " + message;
    return s;
  }
  // Identity, like === on JS objects.
  bool SameObject(const Error& other) const { return id == other.id; }
  bool operator==(const Error&) const = default;
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_ERROR_H_
