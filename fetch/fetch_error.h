// Errors as values for the fetch layer. A FetchError is what a JavaScript
// embedder would turn into a TypeError or an AbortError (DOMException); the
// bindings layer maps {kind} to its own error kinds. Nothing here throws.
#ifndef WASMSTREAM_FETCH_FETCH_ERROR_H_
#define WASMSTREAM_FETCH_FETCH_ERROR_H_

#include <string>
#include <utility>

#include "base/expected.h"

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

// A value or a FetchError (base/expected.h: ok() on success).
template <typename T>
using FetchResult = Expected<T, FetchError>;

// For operations that produce nothing but may fail:
//   if (FetchStatus s = headers.Set("x", "y"); !s.ok()) { ... s.error().message ... }
using FetchStatus = Expected<Ok, FetchError>;

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_FETCH_ERROR_H_
