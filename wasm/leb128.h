// The one LEB128 reader every wasm decoder uses (the section decoder, the
// function body validator and its hot paths, the streaming framer).
//
// leb128::Read<T, kBits>(p, end) reads one integer of {kBits} bits (u32, s32,
// s33, u64, s64) at {p}, never past {end}, and returns it with its length or
// an error and where it lies, as a value: the callers keep their own error
// state and wording for the end of input. The one-byte case is inline; the
// rest (ReadMultiByte) reads the bytes that can only be well formed without
// bounds checks when enough input is left, and checks the last byte for the
// two errors the spec tests name:
//   kTooLong   the last byte allowed for the width has its continuation bit
//              ("integer representation too long")
//   kTooLarge  it sets bits beyond the width (unsigned), or they are not a
//              sign extension (signed) ("integer too large")
// A hot caller (the body validator) keeps the one-byte case in its own
// inline wrapper and calls ReadMultiByte from its own out-of-line function,
// so the fast path is a compare and a load, as in V8's decoder.
#ifndef WASMSTREAM_WASM_LEB128_H_
#define WASMSTREAM_WASM_LEB128_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace wasmstream::wasm::leb128 {

enum class Error : uint8_t { kNone, kEnd, kTooLong, kTooLarge };

// What a read found. On success {length} is the number of bytes read; on an
// error it is the offset from {p} of the byte at fault ({end} - {p} for kEnd).
// 16 bytes at most, so it comes back in two registers.
template <typename T>
struct Decoded {
  T value = 0;
  uint32_t length = 0;
  Error error = Error::kNone;
  bool ok() const { return error == Error::kNone; }
};

// The spec testsuite's wording for the two malformed-integer errors; kEnd has
// none here, as its wording depends on where the reader is.
inline const char* Message(Error e) {
  switch (e) {
    case Error::kTooLong: return "integer representation too long";
    case Error::kTooLarge: return "integer too large";
    default: return "unexpected end";
  }
}

namespace internal {

template <typename T, int kBits>
inline constexpr void CheckWidth() {
  static_assert(std::is_integral_v<T> && sizeof(T) <= 8, "an integer of at most 64 bits");
  static_assert(kBits > 7 && kBits <= static_cast<int>(sizeof(T)) * 8,
                "the width fits the result type");
}

// {raw} holds {bits} meaningful low bits: sign-extend (signed) from them.
template <typename T>
[[gnu::always_inline]] inline T Finish(uint64_t raw, int bits) {
  if constexpr (std::is_signed_v<T>) {
    int unused = 64 - bits;
    return static_cast<T>(static_cast<int64_t>(raw << unused) >> unused);
  } else {
    return static_cast<T>(raw);
  }
}

}  // namespace internal

// The reader itself, inlined where it is used: callers with their own
// inline one-byte case put it in their out-of-line slow path.
template <typename T, int kBits = static_cast<int>(sizeof(T)) * 8>
[[gnu::always_inline]] inline Decoded<T> ReadMultiByte(const uint8_t* p, const uint8_t* end) {
  internal::CheckWidth<T, kBits>();
  using internal::Finish;
  constexpr int kMaxBytes = (kBits + 6) / 7;
  constexpr int kLastBits = kBits - 7 * (kMaxBytes - 1);  // value bits in the last byte
  const size_t available = static_cast<size_t>(end - p);
  const int n = available < size_t{kMaxBytes} ? static_cast<int>(available) : kMaxBytes;
  uint64_t raw = 0;
  if (n == kMaxBytes) {
    // The first kMaxBytes - 1 bytes are well formed whatever they hold.
#pragma GCC unroll 10
    for (int i = 0; i < kMaxBytes - 1; ++i) {
      raw |= static_cast<uint64_t>(p[i] & 0x7F) << (7 * i);
      if (!(p[i] & 0x80)) [[likely]] {
        return {Finish<T>(raw, 7 * (i + 1)), static_cast<uint32_t>(i + 1), Error::kNone};
      }
    }
    const uint8_t b = p[kMaxBytes - 1];
    if (b & 0x80) return {0, kMaxBytes - 1, Error::kTooLong};
    if constexpr (kLastBits < 7) {
      if constexpr (std::is_signed_v<T>) {
        // The unused bits must copy the sign bit (the last value bit).
        constexpr uint8_t kMask = static_cast<uint8_t>((0xFF << (kLastBits - 1)) & 0x7F);
        if ((b & kMask) != 0 && (b & kMask) != kMask) return {0, kMaxBytes - 1, Error::kTooLarge};
      } else {
        if (b >> kLastBits) return {0, kMaxBytes - 1, Error::kTooLarge};
      }
    }
    raw |= static_cast<uint64_t>(b & 0x7F) << (7 * (kMaxBytes - 1));
    return {Finish<T>(raw, kBits), kMaxBytes, Error::kNone};
  }
  // Fewer bytes left than the longest encoding: it must end before them.
  for (int i = 0; i < n; ++i) {
    raw |= static_cast<uint64_t>(p[i] & 0x7F) << (7 * i);
    if (!(p[i] & 0x80)) return {Finish<T>(raw, 7 * (i + 1)), static_cast<uint32_t>(i + 1),
                                Error::kNone};
  }
  return {0, static_cast<uint32_t>(n), Error::kEnd};
}

// The one-byte case (a byte below 0x80), for a caller's inline fast path.
template <typename T>
[[gnu::always_inline]] inline T OneByte(uint8_t b) {
  return internal::Finish<T>(b, 7);
}

namespace internal {
template <typename T, int kBits>
[[gnu::noinline]] Decoded<T> ReadOutOfLine(const uint8_t* p, const uint8_t* end) {
  return ReadMultiByte<T, kBits>(p, end);
}
}  // namespace internal

// The checked reader: T is the result type, kBits the encoded width
// (Read<int64_t, 33> for block and heap types). The one-byte case inline,
// the rest one out-of-line function per width.
template <typename T, int kBits = static_cast<int>(sizeof(T)) * 8>
[[gnu::always_inline]] inline Decoded<T> Read(const uint8_t* p, const uint8_t* end) {
  if (p < end && *p < 0x80) [[likely]] return {OneByte<T>(*p), 1, Error::kNone};
  return internal::ReadOutOfLine<T, kBits>(p, end);
}

// For a hot path that has already checked at least 5 bytes remain: a u32 of
// at most 4 bytes (always well formed, so nothing to check but the end
// marker). False for anything longer, which then takes Read.
[[gnu::always_inline]] inline bool ReadShortU32(const uint8_t* p, uint32_t* value,
                                                uint32_t* length) {
  uint32_t result = 0;
  for (uint32_t i = 0; i < 4; ++i) {
    result |= static_cast<uint32_t>(p[i] & 0x7F) << (7 * i);
    if (!(p[i] & 0x80)) {
      *value = result;
      *length = i + 1;
      return true;
    }
  }
  return false;
}

}  // namespace wasmstream::wasm::leb128

#endif  // WASMSTREAM_WASM_LEB128_H_
