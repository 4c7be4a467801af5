// The byte reader: LEB128 length and unused-bit checks, UTF-8 names, offsets.
#include "wasm/decoder.h"

#include <gtest/gtest.h>

#include <vector>

namespace wasmstream::wasm {
namespace {

Decoder Over(const std::vector<uint8_t>& b, uint32_t base = 0) { return Decoder(b, base); }

TEST(DecoderTest, U32SingleAndMultiByte) {
  std::vector<uint8_t> b = {0x05, 0xE5, 0x8E, 0x26, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  Decoder d = Over(b);
  EXPECT_EQ(d.u32v(), 5u);
  EXPECT_EQ(d.u32v(), 624485u);
  EXPECT_EQ(d.u32v(), 0xFFFFFFFFu);
  EXPECT_TRUE(d.ok());
  EXPECT_TRUE(d.at_end());
}

TEST(DecoderTest, U32PaddedZeroesAccepted) {
  std::vector<uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x00};  // 0 in five bytes
  Decoder d = Over(b);
  EXPECT_EQ(d.u32v(), 0u);
  EXPECT_TRUE(d.ok());
}

TEST(DecoderTest, U32TooLong) {
  std::vector<uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Decoder d = Over(b, 100);
  d.u32v();
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "integer representation too long");
  EXPECT_EQ(d.error().offset, 104u);  // the fifth byte
}

TEST(DecoderTest, U32UnusedBitsSet) {
  std::vector<uint8_t> b = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};  // bit 32 set
  Decoder d = Over(b, 10);
  d.u32v();
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "integer too large");
  EXPECT_EQ(d.error().offset, 14u);
}

TEST(DecoderTest, S32SignExtensionBits) {
  std::vector<uint8_t> ok = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F};  // -1, unused bits are ones
  Decoder d = Over(ok);
  EXPECT_EQ(d.s32v(), -1);
  EXPECT_TRUE(d.ok());
  std::vector<uint8_t> bad = {0xFF, 0xFF, 0xFF, 0xFF, 0x4F};  // sign 0 but unused bits set
  Decoder e = Over(bad);
  e.s32v();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "integer too large");
}

TEST(DecoderTest, S32SmallNegative) {
  std::vector<uint8_t> b = {0x7F, 0x80, 0x7F};  // -1, -128
  Decoder d = Over(b);
  EXPECT_EQ(d.s32v(), -1);
  EXPECT_EQ(d.s32v(), -128);
  EXPECT_TRUE(d.ok());
}

TEST(DecoderTest, S64Extremes) {
  std::vector<uint8_t> min = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F};
  Decoder d = Over(min);
  EXPECT_EQ(d.s64v(), INT64_MIN);
  EXPECT_TRUE(d.ok());
  std::vector<uint8_t> bad = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70};
  Decoder e = Over(bad);
  e.s64v();
  EXPECT_EQ(e.error().message, "integer too large");
  std::vector<uint8_t> too_long(11, 0x80);
  Decoder f = Over(too_long);
  f.s64v();
  EXPECT_EQ(f.error().message, "integer representation too long");
}

TEST(DecoderTest, U64Max) {
  std::vector<uint8_t> b = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  Decoder d = Over(b);
  EXPECT_EQ(d.u64v(), UINT64_MAX);
  EXPECT_TRUE(d.ok());
  b.back() = 0x02;
  Decoder e = Over(b);
  e.u64v();
  EXPECT_EQ(e.error().message, "integer too large");
}

TEST(DecoderTest, S33BlockTypeIndex) {
  std::vector<uint8_t> b = {0x40,                          // -64 (the empty block type)
                            0x80, 0x80, 0x80, 0x80, 0x0F,  // 0xF0000000: bit 32 clear
                            0x80, 0x80, 0x80, 0x80, 0x70}; // -2^32: bit 32 set, extended
  Decoder d = Over(b);
  EXPECT_EQ(d.s33v(), -64);
  EXPECT_EQ(d.s33v(), int64_t{0xF0000000});
  EXPECT_EQ(d.s33v(), -(int64_t{1} << 32));
  EXPECT_TRUE(d.ok());
  std::vector<uint8_t> bad = {0x80, 0x80, 0x80, 0x80, 0x50};  // sign set, bit 37 clear
  Decoder e = Over(bad);
  e.s33v();
  EXPECT_EQ(e.error().message, "integer too large");
}

TEST(DecoderTest, UnexpectedEndAndStickyError) {
  std::vector<uint8_t> b = {0x80};
  Decoder d(b, 7, "unexpected end of section or function");
  EXPECT_EQ(d.u32v(), 0u);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "unexpected end of section or function");
  EXPECT_EQ(d.error().offset, 8u);
  d.FailHere("second error");  // the first error sticks
  EXPECT_EQ(d.error().message, "unexpected end of section or function");
  EXPECT_EQ(d.u8(), 0);
}

TEST(DecoderTest, NameValidUtf8) {
  std::vector<uint8_t> b = {0x04, 0xF0, 0x9F, 0x98, 0x80};  // U+1F600
  Decoder d = Over(b);
  EXPECT_EQ(d.Name(), "\xF0\x9F\x98\x80");
  EXPECT_TRUE(d.ok());
}

TEST(DecoderTest, NameLengthOutOfBounds) {
  std::vector<uint8_t> b = {0x05, 'a', 'b'};
  Decoder d = Over(b);
  d.Name();
  EXPECT_EQ(d.error().message, "length out of bounds");
  EXPECT_EQ(d.error().offset, 1u);
}

TEST(DecoderTest, NameMalformedUtf8) {
  for (std::vector<uint8_t> bad : std::vector<std::vector<uint8_t>>{
           {0x80},                    // lone continuation
           {0xC0, 0x80},              // overlong NUL
           {0xED, 0xA0, 0x80},        // surrogate U+D800
           {0xF4, 0x90, 0x80, 0x80},  // > U+10FFFF
           {0xE2, 0x82},              // truncated
           {0xFF}}) {
    std::vector<uint8_t> b = {static_cast<uint8_t>(bad.size())};
    b.insert(b.end(), bad.begin(), bad.end());
    Decoder d = Over(b, 20);
    d.Name();
    EXPECT_EQ(d.error().message, "malformed UTF-8 encoding");
    EXPECT_EQ(d.error().offset, 21u);
  }
}

// IsValidUtf8 skips eight ASCII bytes at a time: what follows a run of them,
// or straddles a word, is still checked.
TEST(DecoderTest, Utf8AfterAsciiRuns) {
  EXPECT_TRUE(IsValidUtf8(std::vector<uint8_t>(64, 'a')));
  for (size_t ascii : {7u, 8u, 9u, 15u, 16u, 17u}) {
    std::vector<uint8_t> s(ascii, 'x');
    for (uint8_t b : {0xC3, 0xA9}) s.push_back(b);  // U+00E9, straddling a word or not
    EXPECT_TRUE(IsValidUtf8(s)) << ascii;
    s.push_back(0x80);  // a lone continuation byte
    EXPECT_FALSE(IsValidUtf8(s)) << ascii;
    std::vector<uint8_t> t(ascii, 'x');
    for (uint8_t b : {0xE2, 0x82}) t.push_back(b);  // truncated U+20AC
    EXPECT_FALSE(IsValidUtf8(t)) << ascii;
    t.insert(t.end(), 8, 'y');  // the missing byte is not an ASCII one
    EXPECT_FALSE(IsValidUtf8(t)) << ascii;
  }
}

TEST(DecoderTest, FixedWidthLittleEndian) {
  std::vector<uint8_t> b = {0x00, 0x61, 0x73, 0x6D, 0x01};
  Decoder d = Over(b);
  EXPECT_EQ(d.u32le(), 0x6D736100u);
  d.u32le();
  EXPECT_EQ(d.error().message, "unexpected end");
}

}  // namespace
}  // namespace wasmstream::wasm
