// The one LEB128 reader: every width against a plain bit-by-bit reading of the
// spec's definition, on every encoding length, every truncation, padded and
// over-long forms and random bytes; error kinds and offsets.
#include "wasm/leb128.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace wasmstream::wasm::leb128 {
namespace {

// The spec's reading, one byte at a time, with no shortcut: uN/sN take at
// most ceil(N/7) bytes; in the last one the bits past N must be zero (uN) or
// copies of bit N-1 (sN).
template <typename T, int kBits>
Decoded<T> Reference(const std::vector<uint8_t>& b) {
  const int max_bytes = (kBits + 6) / 7;
  __int128 value = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (i >= static_cast<int>(b.size())) return {0, static_cast<uint32_t>(b.size()), Error::kEnd};
    uint8_t byte = b[i];
    if (i == max_bytes - 1 && (byte & 0x80)) return {0, static_cast<uint32_t>(i), Error::kTooLong};
    value |= static_cast<__int128>(byte & 0x7F) << (7 * i);
    if (!(byte & 0x80)) {
      int bits = 7 * (i + 1);
      if (std::is_signed_v<T> && (byte & 0x40)) value -= static_cast<__int128>(1) << bits;
      // In range for N bits?
      __int128 lo = std::is_signed_v<T> ? -(static_cast<__int128>(1) << (kBits - 1)) : 0;
      __int128 hi = std::is_signed_v<T> ? (static_cast<__int128>(1) << (kBits - 1)) - 1
                                        : (static_cast<__int128>(1) << kBits) - 1;
      if (value < lo || value > hi) return {0, static_cast<uint32_t>(i), Error::kTooLarge};
      return {static_cast<T>(value), static_cast<uint32_t>(i + 1), Error::kNone};
    }
  }
  return {};  // not reached: the last byte returns
}

template <typename T, int kBits>
void ExpectSame(const std::vector<uint8_t>& b) {
  Decoded<T> want = Reference<T, kBits>(b);
  Decoded<T> got = Read<T, kBits>(b.data(), b.data() + b.size());
  std::string hex;
  for (uint8_t x : b) hex += std::to_string(x) + " ";
  ASSERT_EQ(static_cast<int>(got.error), static_cast<int>(want.error)) << kBits << ": " << hex;
  ASSERT_EQ(got.length, want.length) << kBits << ": " << hex;
  ASSERT_EQ(got.value, want.value) << kBits << ": " << hex;
}

template <typename T, int kBits>
void ExpectSameWithEveryTruncation(const std::vector<uint8_t>& b) {
  for (size_t n = 0; n <= b.size(); ++n) {
    ExpectSame<T, kBits>(std::vector<uint8_t>(b.begin(), b.begin() + n));
  }
}

template <typename T, int kBits>
void ExpectSameForAll(const std::vector<std::vector<uint8_t>>& cases) {
  for (const auto& b : cases) ExpectSameWithEveryTruncation<T, kBits>(b);
}

void Each(const std::vector<std::vector<uint8_t>>& cases) {
  ExpectSameForAll<uint32_t, 32>(cases);
  ExpectSameForAll<int32_t, 32>(cases);
  ExpectSameForAll<int64_t, 33>(cases);
  ExpectSameForAll<uint64_t, 64>(cases);
  ExpectSameForAll<int64_t, 64>(cases);
}

// The minimal and padded encodings of {v} (as unsigned, and as signed).
std::vector<std::vector<uint8_t>> Encodings(uint64_t v) {
  std::vector<std::vector<uint8_t>> out;
  for (int sign = 0; sign < 2; ++sign) {
    for (int pad = 0; pad < 4; ++pad) {
      std::vector<uint8_t> b;
      int64_t s = static_cast<int64_t>(v);
      uint64_t u = v;
      while (true) {
        uint8_t byte = (sign ? s : static_cast<int64_t>(u)) & 0x7F;
        bool done = sign ? ((s >> 7) == 0 && !(byte & 0x40)) || ((s >> 7) == -1 && (byte & 0x40))
                         : (u >> 7) == 0;
        s >>= 7;
        u >>= 7;
        if (done && pad == 0) { b.push_back(byte); break; }
        b.push_back(byte | 0x80);
        if (done) {
          for (int k = 1; k < pad; ++k) b.push_back(s < 0 && sign ? 0xFF : 0x80);
          b.push_back(s < 0 && sign ? 0x7F : 0x00);
          break;
        }
      }
      out.push_back(b);
    }
  }
  return out;
}

TEST(Leb128Test, EveryBoundaryValueInEveryForm) {
  std::vector<uint64_t> values = {0, 1, 0x3F, 0x40, 0x7F, 0x80};
  for (int bit = 7; bit < 64; ++bit) {
    uint64_t p = uint64_t{1} << bit;
    for (uint64_t v : {p - 1, p, p + 1, ~(p - 1), ~p, ~p + 1}) values.push_back(v);
  }
  for (uint64_t v : values) Each(Encodings(v));
}

TEST(Leb128Test, OverLongAndUnusedBits) {
  std::vector<std::vector<uint8_t>> cases;
  for (int len = 1; len <= 11; ++len) {
    for (uint8_t last : {0x00, 0x01, 0x0F, 0x10, 0x1F, 0x40, 0x70, 0x7E, 0x7F, 0x80, 0xFF}) {
      std::vector<uint8_t> b(len - 1, 0xFF);
      b.push_back(last);
      cases.push_back(b);
      std::vector<uint8_t> z(len - 1, 0x80);
      z.push_back(last);
      cases.push_back(z);
    }
  }
  Each(cases);
}

TEST(Leb128Test, RandomBytes) {
  std::mt19937 rng(7);
  std::vector<std::vector<uint8_t>> cases;
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> b(1 + rng() % 12);
    for (uint8_t& x : b) x = static_cast<uint8_t>(rng() % 3 ? (rng() | 0x80) : rng());
    cases.push_back(b);
  }
  Each(cases);
}

TEST(Leb128Test, ErrorsAndTheirOffsets) {
  std::vector<uint8_t> too_long = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Decoded<uint32_t> r = Read<uint32_t>(too_long.data(), too_long.data() + too_long.size());
  EXPECT_EQ(r.error, Error::kTooLong);
  EXPECT_EQ(r.length, 4u);  // the fifth byte
  EXPECT_STREQ(Message(r.error), "integer representation too long");

  std::vector<uint8_t> too_large = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};
  r = Read<uint32_t>(too_large.data(), too_large.data() + too_large.size());
  EXPECT_EQ(r.error, Error::kTooLarge);
  EXPECT_EQ(r.length, 4u);
  EXPECT_STREQ(Message(r.error), "integer too large");

  std::vector<uint8_t> cut = {0x80, 0x80};
  r = Read<uint32_t>(cut.data(), cut.data() + cut.size());
  EXPECT_EQ(r.error, Error::kEnd);
  EXPECT_EQ(r.length, 2u);  // the end
  r = Read<uint32_t>(cut.data(), cut.data());
  EXPECT_EQ(r.error, Error::kEnd);
  EXPECT_EQ(r.length, 0u);
}

TEST(Leb128Test, S33KeepsItsSign) {
  std::vector<uint8_t> minus_one = {0x7F};
  EXPECT_EQ((Read<int64_t, 33>(minus_one.data(), minus_one.data() + 1).value), -1);
  std::vector<uint8_t> max = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};  // 2^32 - 1
  EXPECT_EQ((Read<int64_t, 33>(max.data(), max.data() + 5).value), int64_t{0xFFFFFFFF});
  std::vector<uint8_t> min = {0x80, 0x80, 0x80, 0x80, 0x70};  // -2^32
  EXPECT_EQ((Read<int64_t, 33>(min.data(), min.data() + 5).value), -(int64_t{1} << 32));
}

TEST(Leb128Test, ShortU32) {
  std::vector<uint8_t> b = {0xE5, 0x8E, 0x26, 0x00, 0x00};
  uint32_t v = 0, n = 0;
  ASSERT_TRUE(ReadShortU32(b.data(), &v, &n));
  EXPECT_EQ(v, 624485u);
  EXPECT_EQ(n, 3u);
  std::vector<uint8_t> five = {0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_FALSE(ReadShortU32(five.data(), &v, &n));
}

}  // namespace
}  // namespace wasmstream::wasm::leb128
