// Signed cache entries: HMAC-SHA256 under a key only the cache's owners hold.
//
// A checksum finds damage; it cannot tell an entry someone rewrote on purpose
// from one this engine wrote (whoever can write the file can recompute it).
// With a signing key, every entry carries a MAC over everything a hit trusts
// (its key, fingerprint, content size and SHA-256, and the payload), so an
// entry edited or forged without the key is refused. The same key on every
// machine of a fleet lets one machine's entries be trusted by the others.
#ifndef WASMSTREAM_CACHE_ENTRY_SIGNATURE_H_
#define WASMSTREAM_CACHE_ENTRY_SIGNATURE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache_key.h"

namespace wasmstream::cache {

inline constexpr size_t kSignatureBytes = 32;
// A key file holds at least this many bytes (its whole contents are the key).
inline constexpr size_t kMinSigningKeyBytes = 16;
inline constexpr size_t kMaxSigningKeyBytes = 4096;

using Signature = std::array<uint8_t, kSignatureBytes>;

// Reads a key file. Refused: not a regular file, fewer than
// kMinSigningKeyBytes or more than kMaxSigningKeyBytes, or readable or
// writable by group or others (a key others can read signs nothing, as ssh
// refuses a private key with loose modes). On failure returns nullopt and
// sets {error}.
std::optional<std::vector<uint8_t>> LoadSigningKey(const std::string& path, std::string* error);

// The MAC of one entry. The fields are framed (fixed widths and lengths), so
// no two different entries sign the same bytes.
Signature SignEntry(std::span<const uint8_t> signing_key, const CacheKey& key,
                    std::string_view fingerprint, const ContentDigest& content,
                    std::span<const uint8_t> payload);

// Constant-time comparison of {signature} (any length) with the entry's MAC.
bool VerifyEntry(std::span<const uint8_t> signing_key, const CacheKey& key,
                 std::string_view fingerprint, const ContentDigest& content,
                 std::span<const uint8_t> payload, std::span<const uint8_t> signature);

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_ENTRY_SIGNATURE_H_
