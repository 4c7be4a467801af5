#include "cache/remote_record.h"

#include <zstd.h>

#include <cstring>

namespace wasmstream::cache {
namespace {

constexpr uint8_t kMagic[4] = {'w', 's', 'r', '1'};
constexpr uint8_t kFlagZstd = 1;

void PutU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutU64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint32_t GetU32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
uint64_t GetU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

DecodeResult Fail(std::string why) {
  DecodeResult r;
  r.error = std::move(why);
  return r;
}

}  // namespace

std::vector<uint8_t> EncodeRecord(const EntryRecord& record, const EncodeOptions& options) {
  std::vector<uint8_t> stored;
  bool compressed = false;
  if (options.compression == RecordCompression::kZstd && !record.payload.empty()) {
    stored.resize(ZSTD_compressBound(record.payload.size()));
    size_t n = ZSTD_compress(stored.data(), stored.size(), record.payload.data(),
                             record.payload.size(), options.zstd_level);
    if (!ZSTD_isError(n) && n < record.payload.size()) {
      stored.resize(n);
      compressed = true;
    }
  }
  const std::vector<uint8_t>& body = compressed ? stored : record.payload;

  std::vector<uint8_t> out;
  out.reserve(kRecordHeaderBytes + record.fingerprint.size() + record.signature.size() +
              body.size() + kRecordTrailerBytes);
  out.insert(out.end(), kMagic, kMagic + 4);
  out.push_back(kRecordVersion);
  out.push_back(compressed ? kFlagZstd : 0);
  out.push_back(0);
  out.push_back(0);
  out.insert(out.end(), record.key.bytes.begin(), record.key.bytes.end());
  PutU64(out, record.content.size);
  out.insert(out.end(), record.content.sha256.begin(), record.content.sha256.end());
  PutU64(out, record.content.prefix);
  PutU32(out, static_cast<uint32_t>(record.fingerprint.size()));
  PutU32(out, static_cast<uint32_t>(record.signature.size()));
  PutU64(out, record.payload.size());
  PutU64(out, body.size());
  out.insert(out.end(), record.fingerprint.begin(), record.fingerprint.end());
  out.insert(out.end(), record.signature.begin(), record.signature.end());
  out.insert(out.end(), body.begin(), body.end());
  PutU64(out, PayloadChecksum(out));
  return out;
}

DecodeResult DecodeRecord(std::span<const uint8_t> bytes) {
  if (bytes.size() < kRecordHeaderBytes + kRecordTrailerBytes) {
    return Fail("record of " + std::to_string(bytes.size()) + " bytes is shorter than its " +
                std::to_string(kRecordHeaderBytes + kRecordTrailerBytes) + "-byte frame");
  }
  const uint8_t* p = bytes.data();
  if (std::memcmp(p, kMagic, 4) != 0) return Fail("not a wasmstream cache record (bad magic)");
  if (p[4] != kRecordVersion) {
    return Fail("record version " + std::to_string(p[4]) + " is not supported (expected " +
                std::to_string(kRecordVersion) + ")");
  }
  uint8_t flags = p[5];
  if ((flags & ~kFlagZstd) != 0 || p[6] != 0 || p[7] != 0) return Fail("unknown record flags");

  uint32_t fp_len = GetU32(p + 72);
  uint32_t sig_len = GetU32(p + 76);
  uint64_t payload_size = GetU64(p + 80);
  uint64_t stored_size = GetU64(p + 88);
  if (fp_len > kMaxRecordFingerprintBytes) return Fail("fingerprint length exceeds its limit");
  if (sig_len > kMaxRecordSignatureBytes) return Fail("signature length exceeds its limit");
  if (payload_size > kMaxRecordPayloadBytes) {
    return Fail("payload size " + std::to_string(payload_size) + " exceeds the limit of " +
                std::to_string(kMaxRecordPayloadBytes));
  }
  bool compressed = (flags & kFlagZstd) != 0;
  if (!compressed && stored_size != payload_size) {
    return Fail("stored size differs from payload size in an uncompressed record");
  }
  if (stored_size > kMaxRecordPayloadBytes) return Fail("stored payload exceeds the limit");
  // Each part is bounded above, so the sum cannot overflow.
  uint64_t expected = kRecordHeaderBytes + uint64_t{fp_len} + sig_len + stored_size +
                      kRecordTrailerBytes;
  if (expected != bytes.size()) {
    return Fail("record is " + std::to_string(bytes.size()) + " bytes, its lengths say " +
                std::to_string(expected));
  }
  size_t body_end = bytes.size() - kRecordTrailerBytes;
  // A fuzzer build (the libFuzzer convention) skips this one check so that
  // mutated inputs reach the length and decompression code behind it.
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (PayloadChecksum(bytes.first(body_end)) != GetU64(p + body_end)) {
    return Fail("record checksum mismatch");
  }
#endif

  DecodeResult r;
  std::memcpy(r.record.key.bytes.data(), p + 8, 16);
  r.record.content.size = GetU64(p + 24);
  std::memcpy(r.record.content.sha256.data(), p + 32, 32);
  r.record.content.prefix = GetU64(p + 64);
  const uint8_t* at = p + kRecordHeaderBytes;
  r.record.fingerprint.assign(reinterpret_cast<const char*>(at), fp_len);
  at += fp_len;
  r.record.signature.assign(at, at + sig_len);
  at += sig_len;
  if (!compressed) {
    r.record.payload.assign(at, at + stored_size);
  } else {
    unsigned long long declared = ZSTD_getFrameContentSize(at, stored_size);
    if (declared == ZSTD_CONTENTSIZE_ERROR || declared == ZSTD_CONTENTSIZE_UNKNOWN ||
        declared != payload_size) {
      return Fail("compressed payload does not declare the record's payload size");
    }
    r.record.payload.resize(payload_size);
    size_t n = ZSTD_decompress(r.record.payload.data(), payload_size, at, stored_size);
    if (ZSTD_isError(n) || n != payload_size) {
      return Fail(std::string("compressed payload is damaged: ") +
                  (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short"));
    }
    r.was_compressed = true;
  }
  r.ok = true;
  return r;
}

}  // namespace wasmstream::cache
