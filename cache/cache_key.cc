#include "cache/cache_key.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <xxhash.h>

namespace wasmstream::cache {
namespace {

void PutLe(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

std::array<uint8_t, 16> ToBytes(XXH128_hash_t h) {
  XXH128_canonical_t c;
  XXH128_canonicalFromHash(&c, h);
  std::array<uint8_t, 16> out;
  std::memcpy(out.data(), c.digest, 16);
  return out;
}

}  // namespace

std::string EngineFingerprint::Encode() const {
  std::string out = "wasmstream-fp1";
  PutLe(out, format_version, 4);
  PutLe(out, feature_bits, 8);
  PutLe(out, compiler_version.size(), 4);
  out += compiler_version;
  return out;
}

std::string EngineFingerprint::ToString() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "fmt%u-feat0x%llx-", format_version,
                static_cast<unsigned long long>(feature_bits));
  return buf + compiler_version;
}

std::string CacheKey::ToHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::optional<CacheKey> CacheKey::FromHex(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  CacheKey k;
  for (size_t i = 0; i < 16; ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    k.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return k;
}

size_t CacheKeyHash::operator()(const CacheKey& k) const {
  size_t h;
  std::memcpy(&h, k.bytes.data(), sizeof h);
  return h;
}

struct KeyHasher::State {
  TreeHash content;
  XXH3_state_t* prefix = nullptr;  // until kPrefixBytes have been hashed
};

KeyHasher::KeyHasher() : state_(std::make_unique<State>()) {
  state_->prefix = XXH3_createState();
  XXH3_64bits_reset(state_->prefix);
}

KeyHasher::~KeyHasher() { XXH3_freeState(state_->prefix); }

void KeyHasher::Update(std::span<const uint8_t> chunk, bool stable) {
  if (chunk.empty()) return;
  state_->content.Update(chunk, stable);
  if (bytes_ < kPrefixBytes) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), kPrefixBytes - bytes_));
    XXH3_64bits_update(state_->prefix, chunk.data(), n);
  }
  bytes_ += chunk.size();
}

std::optional<uint64_t> KeyHasher::Prefix() const {
  if (bytes_ < kPrefixBytes) return std::nullopt;
  return XXH3_64bits_digest(state_->prefix);
}

uint64_t PrefixDigest(std::span<const uint8_t> leading_bytes) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(leading_bytes.size(), kPrefixBytes));
  return XXH3_64bits(leading_bytes.data(), n);
}

ContentDigest KeyHasher::Digest() const {
  ContentDigest d;
  d.size = bytes_;
  d.prefix = XXH3_64bits_digest(state_->prefix);
  d.sha256 = state_->content.Digest();
  return d;
}

ContentDigest DigestOf(std::span<const uint8_t> wire_bytes) {
  ContentDigest d;
  d.size = wire_bytes.size();
  d.prefix = PrefixDigest(wire_bytes);
  d.sha256 = TreeHashOf(wire_bytes);
  return d;
}

CacheKey KeyHasher::Finish(const EngineFingerprint& fp) const { return KeyOf(Digest(), fp); }

CacheKey KeyOf(const ContentDigest& content, const EngineFingerprint& fp) {
  std::array<uint8_t, 16> content_hash;
  std::copy_n(content.sha256.begin(), content_hash.size(), content_hash.begin());
  return CombineKey(content_hash, fp);
}

CacheKey CombineKey(const std::array<uint8_t, 16>& content_hash, const EngineFingerprint& fp) {
  std::string buf(reinterpret_cast<const char*>(content_hash.data()), content_hash.size());
  buf += fp.Encode();
  CacheKey k;
  k.bytes = ToBytes(XXH3_128bits(buf.data(), buf.size()));
  return k;
}

CacheKey KeyFor(std::span<const uint8_t> wire_bytes, const EngineFingerprint& fp) {
  return KeyOf(DigestOf(wire_bytes), fp);
}

uint64_t PayloadChecksum(std::span<const uint8_t> payload) {
  return XXH3_64bits(payload.data(), payload.size());
}

}  // namespace wasmstream::cache
