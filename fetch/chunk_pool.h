// ChunkPool: fixed-size buffers that producers fill with body bytes and hand
// to a BodyStream as chunks, reused instead of allocated per chunk.
//
// A fresh buffer per chunk cost more than the bytes in it: a vector is
// zero-filled before it is written, and a 256 KiB allocation is served by
// mmap (or by a heap the allocator trims again once the reader frees it), so
// each chunk faulted in 64 fresh pages. A pool buffer comes back to the pool
// when the last BodyChunk made of it goes away (on the reader's thread), and
// the next chunk is written into memory that is already mapped.
//
// Bounded: the pool keeps at most {max_free} idle buffers; more are freed.
// Buffers in use are bounded by the streams' own buffer limits. Chunks may
// outlive the pool (their buffers are then simply freed). Thread-safe.
#ifndef WASMSTREAM_FETCH_CHUNK_POOL_H_
#define WASMSTREAM_FETCH_CHUNK_POOL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "fetch/body_chunk.h"

namespace wasmstream::fetch {

class ChunkPool : public std::enable_shared_from_this<ChunkPool> {
 public:
  // Uninitialized bytes, buffer_bytes() of them.
  using Buffer = std::unique_ptr<uint8_t[]>;

  static std::shared_ptr<ChunkPool> Create(size_t buffer_bytes, size_t max_free);

  size_t buffer_bytes() const { return buffer_bytes_; }
  // An idle buffer, or a new one (not zero-filled).
  Buffer Take();
  // The chunk of the first {size} bytes of {buffer} (1 <= size <=
  // buffer_bytes()); the buffer returns to the pool when the chunk and its
  // copies are gone.
  BodyChunk Share(Buffer buffer, size_t size);
  // Gives an unused buffer back.
  void Give(Buffer buffer);

  size_t idle_buffers() const;  // for tests

  ChunkPool(size_t buffer_bytes, size_t max_free)  // use Create()
      : buffer_bytes_(buffer_bytes), max_free_(max_free) {}

 private:
  const size_t buffer_bytes_;
  const size_t max_free_;
  mutable std::mutex mutex_;
  // Protected by {mutex_}:
  std::vector<Buffer> free_;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_CHUNK_POOL_H_
