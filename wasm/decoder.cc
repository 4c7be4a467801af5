#include "wasm/decoder.h"

namespace wasmstream::wasm {

bool IsValidUtf8(std::span<const uint8_t> s) {
  size_t i = 0, n = s.size();
  while (i < n) {
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

uint64_t Decoder::ReadLeb(int bits, bool is_signed, int64_t* signed_out) {
  if (failed_) return 0;
  const int max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  int shift = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pc_ >= end_) { FailEnd(); return 0; }
    uint8_t b = *pc_++;
    uint64_t payload = b & 0x7F;
    if (i == max_bytes - 1) {
      // The last byte: the continuation bit must be clear and the bits beyond
      // the width must be zero (unsigned) or copies of the sign bit (signed).
      if (b & 0x80) {
        Fail(offset() - 1, "integer representation too long");
        return 0;
      }
      int used = bits - shift;  // meaningful bits in this byte
      if (used < 7) {
        uint8_t extra = static_cast<uint8_t>(payload >> used);
        uint8_t extra_mask = static_cast<uint8_t>((0x7F >> used));
        if (!is_signed) {
          if (extra != 0) { Fail(offset() - 1, "integer too large"); return 0; }
        } else {
          bool sign = (payload >> (used - 1)) & 1;
          if (extra != (sign ? extra_mask : 0)) {
            Fail(offset() - 1, "integer too large");
            return 0;
          }
        }
      }
    }
    if (shift < 64) result |= payload << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (is_signed && signed_out) {
        int64_t v = static_cast<int64_t>(result);
        if (shift < 64 && (b & 0x40)) v |= static_cast<int64_t>(~uint64_t{0} << shift);
        // Reduce to the declared width (sign-extending from {bits}).
        if (bits < 64) {
          v = static_cast<int64_t>(static_cast<uint64_t>(v) << (64 - bits)) >> (64 - bits);
        }
        *signed_out = v;
      }
      return result;
    }
  }
  return result;  // unreachable: the last byte always returns or fails
}

uint32_t Decoder::u32v() { return static_cast<uint32_t>(ReadLeb(32, false, nullptr)); }
uint64_t Decoder::u64v() { return ReadLeb(64, false, nullptr); }
int32_t Decoder::s32v() {
  int64_t v = 0;
  ReadLeb(32, true, &v);
  return failed_ ? 0 : static_cast<int32_t>(v);
}
int64_t Decoder::s33v() {
  int64_t v = 0;
  ReadLeb(33, true, &v);
  return failed_ ? 0 : v;
}
int64_t Decoder::s64v() {
  int64_t v = 0;
  ReadLeb(64, true, &v);
  return failed_ ? 0 : v;
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
