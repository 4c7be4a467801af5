// The byte form of one cache entry in the shared (Redis) tier.
//
// A record comes from another machine: it is hostile input. DecodeRecord
// reads it with every length checked against the end of the buffer and
// against the limits below, refuses unknown versions and flags, checks a
// checksum over the whole record and decompresses into a buffer of exactly
// the declared size. It never aborts or reads out of bounds, whatever the
// bytes (fuzz/remote_record_fuzzer.cc). A record that decodes is still only a
// candidate: SqliteStore::ImportEntry applies the same checks as a local
// lookup (content digest, payload checksum, signature) before it is used.
//
// Layout, version 1 (integers little-endian):
//   0   4  magic "wsr1"
//   4   1  version (1)
//   5   1  flags: bit 0 = payload compressed with zstd; other bits 0
//   6   2  reserved, 0
//   8  16  cache key
//  24   8  content size
//  32  32  content SHA-256
//  64   8  content prefix digest (ContentDigest::prefix)
//  72   4  fingerprint length F    (<= kMaxRecordFingerprintBytes)
//  76   4  signature length S      (<= kMaxRecordSignatureBytes)
//  80   8  payload size P          (<= kMaxRecordPayloadBytes)
//  88   8  stored payload size Q   (== P when not compressed)
//  96   F  fingerprint, S signature, Q stored payload
//  ..   8  XXH3-64 of every byte before it
#ifndef WASMSTREAM_CACHE_REMOTE_RECORD_H_
#define WASMSTREAM_CACHE_REMOTE_RECORD_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cache/cache_key.h"
#include "cache/limits.h"
#include "cache/sqlite_store.h"

namespace wasmstream::cache {

inline constexpr uint8_t kRecordVersion = 1;
inline constexpr size_t kRecordHeaderBytes = 96;
inline constexpr size_t kRecordTrailerBytes = 8;
// An engine fingerprint string is ~40 bytes; this leaves room for long
// compiler versions and refuses nonsense early.
inline constexpr uint32_t kMaxRecordFingerprintBytes = 1024;
// An HMAC-SHA256 is 32 bytes; room for a longer scheme later.
inline constexpr uint32_t kMaxRecordSignatureBytes = 1024;
// A record never holds more than a local entry may: the decoded payload is
// allocated at its declared size, so this bounds what a hostile record makes
// us allocate.
inline constexpr uint64_t kMaxRecordPayloadBytes = kDefaultMaxEntryBytes;

enum class RecordCompression : uint8_t { kNone, kZstd };

struct EncodeOptions {
  RecordCompression compression = RecordCompression::kZstd;
  int zstd_level = 1;
};

// The record's bytes. {record}'s payload must be within the limits above
// (the store never exports a larger entry); a payload that does not shrink
// under zstd is stored uncompressed.
std::vector<uint8_t> EncodeRecord(const EntryRecord& record, const EncodeOptions& options = {});

struct DecodeResult {
  bool ok = false;
  std::string error;  // when !ok: what was wrong, e.g. "checksum mismatch"
  EntryRecord record;
  bool was_compressed = false;
};

DecodeResult DecodeRecord(std::span<const uint8_t> bytes);

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_REMOTE_RECORD_H_
