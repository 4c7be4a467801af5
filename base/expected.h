// Errors as values, one shape for every layer: Expected<T, E> holds either a
// T or an E, and ok() is true when it holds the T. wasm::Result (CompileError),
// the runtime's Outcome (Error) and fetch::FetchResult (FetchError) are this
// template; wasm::Status and fetch::FetchStatus are Expected<Ok, E>, for
// operations that produce nothing but may fail. No layer throws across its
// boundary (error() on a success, or value() on a failure, is a bug).
//
// Like C++23's std::expected, with the spelling the project already used and
// C++20 only. It copies when T and E copy.
#ifndef WASMSTREAM_BASE_EXPECTED_H_
#define WASMSTREAM_BASE_EXPECTED_H_

#include <utility>
#include <variant>

namespace wasmstream {

// The value of an operation that produces nothing.
struct Ok {
  bool operator==(const Ok&) const = default;
};

template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  const E& error() const& { return std::get<1>(v_); }
  E&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, E> v_;
};

}  // namespace wasmstream

#endif  // WASMSTREAM_BASE_EXPECTED_H_
