// Errors as values (STYLE.md habit 2). A CompileError carries the byte offset
// in the whole module (not in the current chunk) and a message in the engines'
// wording. Result<T> holds a value or an error; it moves, it does not copy.
#ifndef WASMSTREAM_WASM_RESULT_H_
#define WASMSTREAM_WASM_RESULT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace wasmstream::wasm {

struct CompileError {
  uint32_t offset = 0;   // byte offset from the start of the module
  std::string message;   // without the " @+offset" suffix; see Format()
  // "message @+offset", the form error strings are shown in.
  std::string Format() const { return message + " @+" + std::to_string(offset); }
  bool operator==(const CompileError&) const = default;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT: implicit by design
  Result(CompileError error) : v_(std::move(error)) {}      // NOLINT
  Result(Result&&) = default;
  Result& operator=(Result&&) = default;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  const CompileError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, CompileError> v_;
};

// For operations that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RESULT_H_
