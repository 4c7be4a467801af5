// A bounds-checked byte reader over one buffer (a section, a body, a whole
// module). Offsets it reports count from the start of the module: {base} is
// the module offset of the buffer's first byte (needed for streaming, where a
// section arrives as its own buffer).
//
// The first error sticks (errors are values): after an error every read
// returns 0 and leaves the position alone, so callers may check ok() once
// after a group of reads. Messages use the spec testsuite's wording.
#ifndef WASMSTREAM_WASM_DECODER_H_
#define WASMSTREAM_WASM_DECODER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "wasm/leb128.h"
#include "wasm/result.h"

namespace wasmstream::wasm {

// True when {s} is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::span<const uint8_t> s);

class Decoder {
 public:
  // {eof_message} is what reading past the end reports: "unexpected end" for
  // the whole module, "unexpected end of section or function" inside one.
  Decoder(std::span<const uint8_t> bytes, uint32_t base,
          const char* eof_message = "unexpected end")
      : start_(bytes.data()), pc_(bytes.data()), end_(bytes.data() + bytes.size()), base_(base),
        eof_message_(eof_message) {}

  bool ok() const { return !failed_; }
  bool at_end() const { return pc_ >= end_; }
  size_t remaining() const { return failed_ ? 0 : static_cast<size_t>(end_ - pc_); }
  // Module offset of the next byte.
  uint32_t offset() const { return base_ + static_cast<uint32_t>(pc_ - start_); }
  const uint8_t* pc() const { return pc_; }
  const CompileError& error() const { return error_; }
  CompileError TakeError() { return std::move(error_); }

  // Records an error at {offset} unless one is already recorded.
  void Fail(uint32_t offset, std::string message);
  void FailHere(std::string message) { Fail(offset(), std::move(message)); }

  uint8_t u8();
  uint8_t PeekU8() const { return pc_ < end_ ? *pc_ : 0; }
  uint32_t u32le();  // fixed-width little-endian (the preamble)
  // LEB128, read by leb128::Read (its errors: "integer representation too
  // long", "integer too large", and this reader's end-of-input message).
  uint32_t u32v() { return Leb<uint32_t>(); }
  // u32v() for loops over long index vectors (a function section, an element
  // segment): a value of up to 4 bytes is decoded inline, where u32v() calls
  // out of line for anything over 1 byte (function indices of a module with
  // 620,000 functions take 3). Same results and errors as u32v().
  uint32_t u32v_short() {
    uint32_t value, length;
    if (end_ - pc_ >= 5 && leb128::ReadShortU32(pc_, &value, &length)) {
      pc_ += length;
      return value;
    }
    return u32v();
  }
  uint64_t u64v() { return Leb<uint64_t>(); }
  int32_t s32v() { return Leb<int32_t>(); }
  int64_t s33v() { return Leb<int64_t, 33>(); }  // block types, heap types
  int64_t s64v() { return Leb<int64_t>(); }
  // {n} raw bytes; fails with {what} (the end-of-buffer message when none given).
  std::span<const uint8_t> Bytes(uint32_t n, const char* what = nullptr);
  // A length-prefixed UTF-8 name ("length out of bounds", "malformed UTF-8 encoding").
  std::string Name();
  void Skip(uint32_t n) { Bytes(n); }

 private:
  [[gnu::noinline]] void FailEnd() { FailHere(eof_message_); }
  // After an error pc_ == end_, so a later read finds kEnd and Fail keeps
  // the first error.
  template <typename T, int kBits = static_cast<int>(sizeof(T)) * 8>
  T Leb() {
    leb128::Decoded<T> r = leb128::Read<T, kBits>(pc_, end_);
    if (r.ok()) [[likely]] {
      pc_ += r.length;
      return r.value;
    }
    FailLeb(r.error, r.length);
    return 0;
  }
  [[gnu::noinline, gnu::cold]] void FailLeb(leb128::Error error, uint32_t at);

  const uint8_t* start_;
  const uint8_t* pc_;
  const uint8_t* end_;
  uint32_t base_;
  const char* eof_message_;
  bool failed_ = false;
  CompileError error_;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_DECODER_H_
