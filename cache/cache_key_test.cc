#include "cache/cache_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace wasmstream::cache {
namespace {

EngineFingerprint Fp() { return {3, 0x7f, "interp-1"}; }

std::vector<uint8_t> Bytes(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 31 + 7);
  return v;
}

TEST(CacheKeyTest, StreamedEqualsOneShotAtEverySplit) {
  std::vector<uint8_t> data = Bytes(300);
  CacheKey whole = KeyFor(data, Fp());
  for (size_t split = 0; split <= data.size(); ++split) {
    SCOPED_TRACE(split);
    KeyHasher h;
    h.Update(std::span(data).first(split));
    h.Update(std::span(data).subspan(split));
    EXPECT_EQ(h.Finish(Fp()), whole);
    EXPECT_EQ(h.bytes_hashed(), data.size());
  }
}

TEST(CacheKeyTest, OneByteChunksEqualOneShot) {
  std::vector<uint8_t> data = Bytes(5000);
  KeyHasher h;
  for (uint8_t b : data) h.Update(std::span(&b, 1));
  EXPECT_EQ(h.Finish(Fp()), KeyFor(data, Fp()));
}

TEST(CacheKeyTest, EveryFingerprintFieldChangesTheKey) {
  std::vector<uint8_t> data = Bytes(100);
  CacheKey base = KeyFor(data, Fp());
  EngineFingerprint fmt = Fp(), feat = Fp(), comp = Fp();
  fmt.format_version = 4;
  feat.feature_bits = 0xff;
  comp.compiler_version = "interp-2";
  EXPECT_NE(KeyFor(data, fmt), base);
  EXPECT_NE(KeyFor(data, feat), base);
  EXPECT_NE(KeyFor(data, comp), base);
}

TEST(CacheKeyTest, OneFlippedByteChangesTheKey) {
  std::vector<uint8_t> data = Bytes(100);
  CacheKey base = KeyFor(data, Fp());
  data[50] ^= 1;
  EXPECT_NE(KeyFor(data, Fp()), base);
}

TEST(CacheKeyTest, HexRoundTrips) {
  CacheKey k = KeyFor(Bytes(10), Fp());
  std::string hex = k.ToHex();
  EXPECT_EQ(hex.size(), 32u);
  EXPECT_EQ(CacheKey::FromHex(hex), k);
  EXPECT_FALSE(CacheKey::FromHex("abc").has_value());
  EXPECT_FALSE(CacheKey::FromHex(std::string(32, 'g')).has_value());
}

TEST(CacheKeyTest, FingerprintEncodingIsUnambiguous) {
  // The version string's length is encoded, so fields cannot run into each other.
  EngineFingerprint a{1, 2, "ab"}, b{1, 2, "a"};
  EXPECT_NE(a.Encode(), b.Encode());
  EXPECT_EQ(a.ToString(), "fmt1-feat0x2-ab");
}

// The streamed digest (any chunking) equals the one-shot one: a lookup made
// from the streamed bytes finds an entry stored from a copy.
TEST(CacheKeyTest, StreamedDigestEqualsOneShot) {
  std::vector<uint8_t> bytes(100000);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 3);
  ContentDigest whole = DigestOf(bytes);
  EXPECT_EQ(whole.size, bytes.size());
  EXPECT_EQ(whole.sha256, TreeHashOf(bytes));
  EXPECT_EQ(whole.prefix, PrefixDigest(bytes));
  for (size_t step : {1u, 13u, 4096u, 65536u}) {
    KeyHasher h;
    for (size_t at = 0; at < bytes.size(); at += step) {
      h.Update(std::span(bytes).subspan(at, std::min(step, bytes.size() - at)), step > 13);
    }
    EXPECT_EQ(h.Digest(), whole) << step;
    EXPECT_EQ(h.Finish(Fp()), KeyFor(bytes, Fp())) << step;
  }
}

}  // namespace
}  // namespace wasmstream::cache
