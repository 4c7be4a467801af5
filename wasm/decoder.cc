#include "wasm/decoder.h"

#include <cstring>

namespace wasmstream::wasm {

bool IsValidUtf8(std::span<const uint8_t> s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    // Eight ASCII bytes at a time: names are mostly ASCII, and a module can
    // carry megabytes of them (mangled export names).
    uint64_t word;
    if (n - i >= 8 && (std::memcpy(&word, s.data() + i, 8), (word & 0x8080808080808080) == 0)) {
      i += 8;
      continue;
    }
    uint8_t c = s[i];
    if (c < 0x80) { ++i; continue; }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (n - i < static_cast<size_t>(len)) return false;
    for (int k = 1; k < len; ++k) {
      uint8_t d = s[i + k];
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if (len == 2 && cp < 0x80) return false;
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
    i += len;
  }
  return true;
}

void Decoder::Fail(uint32_t offset, std::string message) {
  if (failed_) return;
  failed_ = true;
  error_ = CompileError{offset, std::move(message)};
  pc_ = end_;
}

uint8_t Decoder::u8() {
  if (failed_) return 0;
  if (pc_ >= end_) { FailEnd(); return 0; }
  return *pc_++;
}

uint32_t Decoder::u32le() {
  if (failed_) return 0;
  if (end_ - pc_ < 4) { FailEnd(); return 0; }
  uint32_t v = uint32_t{pc_[0]} | uint32_t{pc_[1]} << 8 | uint32_t{pc_[2]} << 16 |
               uint32_t{pc_[3]} << 24;
  pc_ += 4;
  return v;
}

void Decoder::FailLeb(leb128::Error error, uint32_t at) {
  pc_ += at;
  FailHere(error == leb128::Error::kEnd ? eof_message_ : leb128::Message(error));
}

std::span<const uint8_t> Decoder::Bytes(uint32_t n, const char* what) {
  if (failed_) return {};
  if (static_cast<size_t>(end_ - pc_) < n) {
    FailHere(what ? what : eof_message_);
    return {};
  }
  std::span<const uint8_t> s(pc_, n);
  pc_ += n;
  return s;
}

std::string Decoder::Name() {
  uint32_t len = u32v();
  if (failed_) return {};
  uint32_t at = offset();
  std::span<const uint8_t> s = Bytes(len, "length out of bounds");
  if (failed_) return {};
  if (!IsValidUtf8(s)) {
    Fail(at, "malformed UTF-8 encoding");
    return {};
  }
  return std::string(s.begin(), s.end());
}

}  // namespace wasmstream::wasm
