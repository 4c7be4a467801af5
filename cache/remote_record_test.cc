// The shared tier's record form: round trips, and every damaged or hostile
// record refused with a message (never a crash, never a wrong entry).
#include "cache/remote_record.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include "cache/redis_client.h"

namespace wasmstream::cache {
namespace {

EntryRecord Sample(size_t payload_bytes) {
  EntryRecord r;
  r.key = KeyFor(std::vector<uint8_t>{1, 2, 3}, {3, 0x7f, "test"});
  r.fingerprint = "fmt3-feat0x7f-test";
  r.content.size = 12345;
  r.content.prefix = 0x0123456789abcdefull;
  for (size_t i = 0; i < r.content.sha256.size(); ++i) r.content.sha256[i] = uint8_t(i * 7);
  for (size_t i = 0; i < payload_bytes; ++i) r.payload.push_back(uint8_t((i / 64) ^ (i % 13)));
  r.signature = std::vector<uint8_t>(32, 0xab);
  return r;
}

void ExpectSame(const EntryRecord& a, const EntryRecord& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.content, b.content);
  EXPECT_EQ(a.payload, b.payload);
  EXPECT_EQ(a.signature, b.signature);
}

TEST(RemoteRecordTest, RoundTripsCompressedAndPlain) {
  EntryRecord r = Sample(100'000);
  for (auto c : {RecordCompression::kZstd, RecordCompression::kNone}) {
    std::vector<uint8_t> bytes = EncodeRecord(r, {.compression = c});
    DecodeResult d = DecodeRecord(bytes);
    ASSERT_TRUE(d.ok) << d.error;
    EXPECT_EQ(d.was_compressed, c == RecordCompression::kZstd);
    ExpectSame(r, d.record);
  }
  EXPECT_LT(EncodeRecord(r).size(), r.payload.size() / 2);  // this payload compresses well
}

TEST(RemoteRecordTest, EmptyPayloadAndSignatureRoundTrip) {
  EntryRecord r = Sample(0);
  r.signature.clear();
  DecodeResult d = DecodeRecord(EncodeRecord(r));
  ASSERT_TRUE(d.ok) << d.error;
  ExpectSame(r, d.record);
}

TEST(RemoteRecordTest, EveryTruncationIsRefused) {
  std::vector<uint8_t> bytes = EncodeRecord(Sample(300));
  for (size_t n = 0; n < bytes.size(); ++n) {
    SCOPED_TRACE(n);
    DecodeResult d = DecodeRecord(std::span<const uint8_t>(bytes).first(n));
    EXPECT_FALSE(d.ok);
    EXPECT_FALSE(d.error.empty());
  }
}

TEST(RemoteRecordTest, EveryFlippedByteIsRefused) {
  for (auto c : {RecordCompression::kZstd, RecordCompression::kNone}) {
    std::vector<uint8_t> bytes = EncodeRecord(Sample(300), {.compression = c});
    for (size_t i = 0; i < bytes.size(); ++i) {
      SCOPED_TRACE(i);
      std::vector<uint8_t> bad = bytes;
      bad[i] ^= 0x01;
      EXPECT_FALSE(DecodeRecord(bad).ok);
    }
  }
}

TEST(RemoteRecordTest, TrailingBytesAreRefused) {
  std::vector<uint8_t> bytes = EncodeRecord(Sample(300));
  bytes.push_back(0);
  DecodeResult d = DecodeRecord(bytes);
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("lengths say"), std::string::npos) << d.error;
}

// Rewrites a field and the trailing checksum, as an attacker with write
// access to Redis would: only the limits and the lengths stand in the way.
std::vector<uint8_t> Forge(std::vector<uint8_t> bytes, size_t at, uint64_t value, int width) {
  for (int i = 0; i < width; ++i) bytes[at + i] = uint8_t(value >> (8 * i));
  size_t end = bytes.size() - kRecordTrailerBytes;
  uint64_t sum = PayloadChecksum(std::span<const uint8_t>(bytes).first(end));
  for (int i = 0; i < 8; ++i) bytes[end + i] = uint8_t(sum >> (8 * i));
  return bytes;
}

TEST(RemoteRecordTest, ForgedFieldsAreRefusedWithTheirReason) {
  std::vector<uint8_t> plain = EncodeRecord(Sample(300), {.compression = RecordCompression::kNone});
  std::vector<uint8_t> packed = EncodeRecord(Sample(3000));
  struct Case {
    const std::vector<uint8_t>* base;
    size_t at;
    uint64_t value;
    int width;
    const char* reason;
  } cases[] = {
      {&plain, 4, 2, 1, "version 2 is not supported"},
      {&plain, 5, 0x80, 1, "unknown record flags"},
      {&plain, 6, 1, 1, "unknown record flags"},
      {&plain, 72, kMaxRecordFingerprintBytes + 1, 4, "fingerprint length"},
      {&plain, 76, 0xffffffff, 4, "signature length"},
      {&plain, 80, kMaxRecordPayloadBytes + 1, 8, "exceeds the limit"},
      {&plain, 80, 299, 8, "stored size differs"},
      {&plain, 88, ~uint64_t{0}, 8, "stored size differs"},
      // A compressed record that claims a bigger payload than its frame holds.
      {&packed, 80, 3001, 8, "does not declare"},
      // A decompression bomb: a payload size past the limit is refused before
      // any allocation.
      {&packed, 80, uint64_t{1} << 40, 8, "exceeds the limit"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    DecodeResult d = DecodeRecord(Forge(*c.base, c.at, c.value, c.width));
    EXPECT_FALSE(d.ok);
    EXPECT_NE(d.error.find(c.reason), std::string::npos) << d.error;
  }
}

TEST(RemoteRecordTest, GarbageIsRefused) {
  std::string s = "hello, this is not a record but it is long enough to have a header.........";
  s += std::string(100, 'x');
  DecodeResult d = DecodeRecord(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  EXPECT_FALSE(d.ok);
  EXPECT_NE(d.error.find("bad magic"), std::string::npos);
}

TEST(RedisUrlTest, ParsesHostPortAndDatabase) {
  std::string error;
  auto a = ParseRedisUrl("redis://cache.example:7000/3", &error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->host, "cache.example");
  EXPECT_EQ(a->port, 7000);
  EXPECT_EQ(a->db, 3);
  auto b = ParseRedisUrl("redis://10.0.0.1", &error);
  ASSERT_TRUE(b) << error;
  EXPECT_EQ(b->port, 6379);
  EXPECT_EQ(b->db, 0);
  auto c = ParseRedisUrl("redis://[::1]:6380/", &error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 6380);
  EXPECT_EQ(c->ToString(), "redis://[::1]:6380/0");
}

TEST(RedisUrlTest, RefusesWhatItCannotHonour) {
  for (const char* url : {"http://h:1", "redis://", "redis://:6379", "redis://h:", "redis://h:0",
                          "redis://h:65536", "redis://h:12ab", "redis://h/x", "redis://h/-1",
                          "redis://user:pw@h", "redis://h?db=1", "redis://[::1", "redis://[::1]x"}) {
    SCOPED_TRACE(url);
    std::string error;
    EXPECT_FALSE(ParseRedisUrl(url, &error));
    EXPECT_NE(error.find("bad Redis URL"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace wasmstream::cache
