// The cache key: XXH3-128 of a module's wire bytes, computed on the chunks as
// they stream in (no second pass), combined with the engine fingerprint.
//
// cache/ knows compiled modules only as opaque bytes (../DESIGN.md), so the
// fingerprint is given by the caller as plain values: the serialization format
// version, the enabled feature bits and the compiler's version string. A build
// that changes any of them computes different keys and never reads another
// build's entries.
//
// XXH3 is not collision-resistant: a key only finds a candidate entry. A hit is
// confirmed by the content's size and SHA-256, computed in the same pass over
// the same chunks and stored in the entry (SqliteStore::Lookup compares them),
// so an entry never needs a second copy of the wire bytes to be confirmed.
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
  std::array<uint8_t, 16> bytes{};  // XXH3-128(content hash ‖ fingerprint), big-endian

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
// SHA-256 (collision-resistant, unlike the key's XXH3). {prefix}, an XXH3-64
// of the first kPrefixBytes, only predicts: a stream whose prefix (and size,
// when announced) match an entry is probably that module, so it can skip
// compiling while it streams and be confirmed by the SHA-256 at the end.
struct ContentDigest {
  uint64_t size = 0;
  std::array<uint8_t, 32> sha256{};
  uint64_t prefix = 0;
  bool operator==(const ContentDigest&) const = default;
};

// XXH3-64 of min(kPrefixBytes, size) leading bytes.
uint64_t PrefixDigest(std::span<const uint8_t> leading_bytes);

// XXH3-128 and SHA-256 over the wire bytes, fed chunk by chunk in one pass.
// Not thread-safe; one per stream. Update() may be called with any chunking
// (down to one byte).
class KeyHasher {
 public:
  KeyHasher();
  ~KeyHasher();
  KeyHasher(const KeyHasher&) = delete;
  KeyHasher& operator=(const KeyHasher&) = delete;

  void Update(std::span<const uint8_t> chunk);
  uint64_t bytes_hashed() const { return bytes_; }
  // The prefix digest, once kPrefixBytes (or, at the end, all) have arrived.
  std::optional<uint64_t> Prefix() const;
  // The hash of the content alone (16 bytes), then the key with {fp}.
  // May be called more than once; Update() after Finish() continues the stream.
  std::array<uint8_t, 16> ContentHash() const;
  CacheKey Finish(const EngineFingerprint& fp) const;
  ContentDigest Digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  uint64_t bytes_ = 0;
};

// One-shot helpers.
CacheKey KeyFor(std::span<const uint8_t> wire_bytes, const EngineFingerprint& fp);
ContentDigest DigestOf(std::span<const uint8_t> wire_bytes);
CacheKey CombineKey(const std::array<uint8_t, 16>& content_hash, const EngineFingerprint& fp);
// XXH3-64 of a payload: the per-entry checksum in the store.
uint64_t PayloadChecksum(std::span<const uint8_t> payload);

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_CACHE_KEY_H_
