// The cache key: the content digest of a module's wire bytes (a SHA-256
// tree, tree_hash.h, computed on the chunks as they stream in: no second
// pass), combined with the engine fingerprint.
//
// cache/ knows compiled modules only as opaque bytes (it never includes wasm/),
// so the fingerprint is given by the caller as plain values: the serialization format
// version, the enabled feature bits and the compiler's version string. A build
// that changes any of them computes different keys and never reads another
// build's entries.
//
// The key is 128 bits of the digest mixed with the fingerprint by XXH3, so it
// only finds a candidate entry. A hit is confirmed by the content's size and
// whole 256-bit digest, stored in the entry (SqliteStore::Lookup compares
// them), so an entry never needs a second copy of the wire bytes.
#ifndef WASMSTREAM_CACHE_CACHE_KEY_H_
#define WASMSTREAM_CACHE_CACHE_KEY_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cache/tree_hash.h"

namespace wasmstream::cache {

struct EngineFingerprint {
  uint32_t format_version = 0;  // of the serialized module (wasm/serialization/serializer.h)
  uint64_t feature_bits = 0;    // wasm::Features::Bits()
  std::string compiler_version; // bump when generated code changes

  // A stable byte encoding (little-endian fields, then the version string).
  std::string Encode() const;
  // "fmt3-feat0x7f-<compiler_version>", stored beside each entry for `cache list`.
  std::string ToString() const;
  bool operator==(const EngineFingerprint&) const = default;
};

struct CacheKey {
  std::array<uint8_t, 16> bytes{};  // XXH3-128(digest[0..16) ‖ fingerprint), big-endian

  std::string ToHex() const;  // 32 lowercase hex digits
  static std::optional<CacheKey> FromHex(std::string_view hex);
  auto operator<=>(const CacheKey&) const = default;
};

struct CacheKeyHash {
  size_t operator()(const CacheKey& k) const;
};

// The bytes the prefix digest covers: enough to tell modules apart, little
// enough to arrive in the first chunk or two.
inline constexpr uint64_t kPrefixBytes = 64 * 1024;

// What confirms that an entry was made from the same bytes: their size and
// SHA-256 tree digest (tree_hash.h; collision-resistant, unlike the key's
// mixing). {prefix}, an XXH3-64
// of the first kPrefixBytes, only predicts: a stream whose prefix (and size,
// when announced) match an entry is probably that module, so it can skip
// compiling while it streams and be confirmed by the SHA-256 at the end.
struct ContentDigest {
  uint64_t size = 0;
  std::array<uint8_t, 32> sha256{};  // TreeHash of the content
  uint64_t prefix = 0;
  bool operator==(const ContentDigest&) const = default;
};

// XXH3-64 of min(kPrefixBytes, size) leading bytes.
uint64_t PrefixDigest(std::span<const uint8_t> leading_bytes);

// The digest (and so the key) of the wire bytes, fed chunk by chunk in one
// pass. Not thread-safe; one per stream. Update() may be called with any
// chunking (down to one byte); {stable} as TreeHash::Update takes it (the
// bytes outlive the hasher: its leaves are hashed on other cores).
class KeyHasher {
 public:
  KeyHasher();
  ~KeyHasher();
  KeyHasher(const KeyHasher&) = delete;
  KeyHasher& operator=(const KeyHasher&) = delete;

  void Update(std::span<const uint8_t> chunk, bool stable = false);
  uint64_t bytes_hashed() const { return bytes_; }
  // The prefix digest, once kPrefixBytes (or, at the end, all) have arrived.
  std::optional<uint64_t> Prefix() const;
  // The digest so far, and the key it gives with {fp} (KeyOf). May be called
  // more than once; Update() afterwards continues the stream.
  ContentDigest Digest() const;
  CacheKey Finish(const EngineFingerprint& fp) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  uint64_t bytes_ = 0;
};

// One-shot helpers.
CacheKey KeyOf(const ContentDigest& content, const EngineFingerprint& fp);
CacheKey KeyFor(std::span<const uint8_t> wire_bytes, const EngineFingerprint& fp);
ContentDigest DigestOf(std::span<const uint8_t> wire_bytes);
CacheKey CombineKey(const std::array<uint8_t, 16>& content_hash, const EngineFingerprint& fp);
// XXH3-64 of a payload: the per-entry checksum in the store.
uint64_t PayloadChecksum(std::span<const uint8_t> payload);

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_CACHE_KEY_H_
