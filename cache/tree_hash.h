// The content digest of a module's wire bytes: a SHA-256 tree. The bytes are
// cut into 1 MiB leaves, each hashed with SHA-256; the digest is the SHA-256
// of the leaf digests in order, followed by the byte count (u64,
// little-endian). It is as collision-resistant as SHA-256 (two contents with
// one digest mean equal leaf lists, hence a SHA-256 collision in some leaf,
// or a collision at the root), and unlike a plain SHA-256 its leaves are
// independent: a stream's leaves are hashed on other cores (hash_pool.h)
// while later bytes still arrive, so a hit is not held up by one core
// hashing 60 MB at 1.8 GB/s after the bytes are in.
#ifndef WASMSTREAM_CACHE_TREE_HASH_H_
#define WASMSTREAM_CACHE_TREE_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace wasmstream::cache {

using Sha256Digest = std::array<uint8_t, 32>;

class TreeHash {
 public:
  static constexpr size_t kLeafBytes = size_t{1} << 20;

  TreeHash();
  // Waits for the leaves still being hashed on the pool: they read bytes
  // the caller promised to keep (Update's {stable}).
  ~TreeHash();
  TreeHash(const TreeHash&) = delete;
  TreeHash& operator=(const TreeHash&) = delete;

  // Any chunking gives the same digest. {stable}: the bytes stay valid and
  // unchanged until this hasher is destroyed, so a leaf made of stable bytes
  // that follow each other in memory is hashed on the pool without a copy.
  // Other bytes are hashed here, as they come.
  void Update(std::span<const uint8_t> bytes, bool stable = false);
  // The digest of the bytes so far (waits for their leaves). Update() may
  // continue afterwards.
  Sha256Digest Digest() const;
  uint64_t size() const { return size_; }

 private:
  struct Leaf;
  struct InFlight;
  void CloseLeaf();
  void StopBorrowing();  // the open leaf is hashed here from now on

  std::vector<std::unique_ptr<Leaf>> leaves_;  // closed, in order
  std::shared_ptr<InFlight> in_flight_;
  // The open leaf: borrowed stable bytes [open_start_, +open_fill_), or an
  // incremental SHA-256 context fed as the bytes come.
  const uint8_t* open_start_ = nullptr;
  size_t open_fill_ = 0;
  bool borrowing_ = false;
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  uint64_t size_ = 0;
};

// The digest of {bytes} in one call (its leaves hashed on the pool).
Sha256Digest TreeHashOf(std::span<const uint8_t> bytes);

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_TREE_HASH_H_
