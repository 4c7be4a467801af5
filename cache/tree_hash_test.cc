#include "cache/tree_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmstream::cache {
namespace {

std::string Hex(const Sha256Digest& d) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::vector<uint8_t> Pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + 3);
  return v;
}

// Known answers computed apart from this code (Python's hashlib: SHA-256 of
// each 1 MiB leaf, then SHA-256 of the leaf digests and the u64 LE size).
TEST(TreeHashTest, KnownAnswers) {
  EXPECT_EQ(Hex(TreeHashOf({})), "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc");
  const uint8_t abc[] = {'a', 'b', 'c'};
  EXPECT_EQ(Hex(TreeHashOf(abc)), "39e6ecbb90eec724b8db13f608fbf85c4ead558d6dfbbf2942ab4d6a6d536457");
  std::vector<uint8_t> big = Pattern(5 * TreeHash::kLeafBytes / 2);  // two leaves and a half
  EXPECT_EQ(Hex(TreeHashOf(big)), "7275e99aeb72992a36c3e60c01da0c784a4039725681d58baf4fd767ecca2e2f");
}

// Every chunking, stable or not, contiguous or not, gives the one-shot digest.
TEST(TreeHashTest, AnyChunkingAndStabilityGiveTheSameDigest) {
  std::vector<uint8_t> big = Pattern(5 * TreeHash::kLeafBytes / 2);
  const Sha256Digest whole = TreeHashOf(big);
  const size_t leaf = TreeHash::kLeafBytes;
  for (size_t step : {size_t{1} << 10, size_t{65536}, leaf - 1, leaf, leaf + 1, big.size()}) {
    for (int mode = 0; mode < 3; ++mode) {  // stable, copied, alternating
      SCOPED_TRACE(std::to_string(step) + " mode " + std::to_string(mode));
      TreeHash h;
      size_t n = 0;
      for (size_t at = 0; at < big.size(); at += step, ++n) {
        bool stable = mode == 0 || (mode == 2 && n % 2 == 0);
        h.Update(std::span(big).subspan(at, std::min(step, big.size() - at)), stable);
      }
      EXPECT_EQ(h.Digest(), whole);
      EXPECT_EQ(h.size(), big.size());
    }
  }
}

// Stable bytes that do not follow each other in memory (two buffers) are
// still hashed as one stream.
TEST(TreeHashTest, StableBytesFromSeparateBuffers) {
  std::vector<uint8_t> big = Pattern(3 * TreeHash::kLeafBytes / 2);
  const size_t cut = TreeHash::kLeafBytes / 2 + 17;
  std::vector<uint8_t> first(big.begin(), big.begin() + cut), second(big.begin() + cut, big.end());
  TreeHash h;
  h.Update(first, true);
  h.Update(second, true);
  EXPECT_EQ(h.Digest(), TreeHashOf(big));
}

// The digest so far may be taken mid-stream, and the stream goes on.
TEST(TreeHashTest, DigestMidStreamThenContinue) {
  std::vector<uint8_t> big = Pattern(3 * TreeHash::kLeafBytes);
  const size_t cut = TreeHash::kLeafBytes + 5;
  TreeHash h;
  h.Update(std::span(big).first(cut), true);
  EXPECT_EQ(h.Digest(), TreeHashOf(std::span(big).first(cut)));
  h.Update(std::span(big).subspan(cut), true);
  EXPECT_EQ(h.Digest(), TreeHashOf(big));
}

// One changed byte in any leaf, or a different length, changes the digest.
TEST(TreeHashTest, EveryLeafAndTheLengthCount) {
  std::vector<uint8_t> big = Pattern(5 * TreeHash::kLeafBytes / 2);
  const Sha256Digest whole = TreeHashOf(big);
  for (size_t at : {size_t{0}, TreeHash::kLeafBytes + 3, big.size() - 1}) {
    std::vector<uint8_t> other = big;
    other[at] ^= 1;
    EXPECT_NE(TreeHashOf(other), whole) << at;
  }
  EXPECT_NE(TreeHashOf(std::span(big).first(big.size() - 1)), whole);
}

// A hasher destroyed while its leaves are still being hashed waits for them
// (ASan would see a task read freed memory otherwise).
TEST(TreeHashTest, DestroyedWhileLeavesAreInFlight) {
  for (int i = 0; i < 20; ++i) {
    auto bytes = std::make_unique<std::vector<uint8_t>>(Pattern(4 * TreeHash::kLeafBytes));
    {
      TreeHash h;
      h.Update(*bytes, true);
    }
    bytes.reset();
  }
}

}  // namespace
}  // namespace wasmstream::cache
