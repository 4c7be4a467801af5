// Errors as values for the fetch layer. A FetchError is what a JavaScript
// embedder would turn into a TypeError or an AbortError (DOMException); the
// bindings layer maps {kind} to its own error kinds. Nothing here throws.
#ifndef WASMSTREAM_FETCH_FETCH_ERROR_H_
#define WASMSTREAM_FETCH_FETCH_ERROR_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace wasmstream::fetch {

enum class ErrorKind {
  kTypeError,   // every network error, invalid URL/header, misuse of a body
  kAbortError,  // the request's AbortSignal fired
};

struct FetchError {
  ErrorKind kind = ErrorKind::kTypeError;
  std::string message;

  static FetchError Type(std::string message) {
    return {ErrorKind::kTypeError, std::move(message)};
  }
  static FetchError Abort(std::string message = "The operation was aborted.") {
    return {ErrorKind::kAbortError, std::move(message)};
  }
  bool is_abort() const { return kind == ErrorKind::kAbortError; }
  // "TypeError: message" / "AbortError: message".
  std::string Format() const {
    return (kind == ErrorKind::kAbortError ? "AbortError: " : "TypeError: ") + message;
  }
  bool operator==(const FetchError&) const = default;
};

// A value or a FetchError. Copyable (URLs and headers are small values).
template <typename T>
class [[nodiscard]] FetchResult {
 public:
  FetchResult(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  FetchResult(FetchError error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  const FetchError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, FetchError> v_;
};

// For operations that produce nothing but may fail: empty means success.
//   if (auto err = headers.Set("x", "y")) { ... err->message ... }
using FetchStatus = std::optional<FetchError>;

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_FETCH_ERROR_H_
