// BodyChunk: one chunk of a response body, as a reader gets it. Immutable,
// and it shares its storage: copying or moving a chunk never copies bytes
// (a tee hands the same bytes to both branches). The storage is a vector the
// chunk took over, or a buffer a producer lent (a ChunkPool buffer, returned
// to the pool when the last chunk referring to it goes away).
#ifndef WASMSTREAM_FETCH_BODY_CHUNK_H_
#define WASMSTREAM_FETCH_BODY_CHUNK_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace wasmstream::fetch {

using Bytes = std::vector<uint8_t>;

class BodyChunk {
 public:
  BodyChunk() = default;
  BodyChunk(Bytes bytes);  // NOLINT: implicit, a vector reads as a chunk
  // The {size} bytes at {data}, kept alive by {owner}.
  BodyChunk(std::shared_ptr<const void> owner, const uint8_t* data, size_t size)
      : owner_(std::move(owner)), data_(data), size_(size) {}

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const uint8_t* begin() const { return data_; }
  const uint8_t* end() const { return data_ + size_; }
  std::span<const uint8_t> span() const { return {data_, size_}; }
  operator std::span<const uint8_t>() const { return span(); }  // NOLINT
  Bytes ToBytes() const { return Bytes(begin(), end()); }

  friend bool operator==(const BodyChunk& a, std::span<const uint8_t> b);
  friend bool operator==(const BodyChunk& a, const Bytes& b) {
    return a == std::span<const uint8_t>(b);
  }

 private:
  std::shared_ptr<const void> owner_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_BODY_CHUNK_H_
