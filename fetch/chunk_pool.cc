#include "fetch/chunk_pool.h"

namespace wasmstream::fetch {

std::shared_ptr<ChunkPool> ChunkPool::Create(size_t buffer_bytes, size_t max_free) {
  return std::make_shared<ChunkPool>(buffer_bytes, max_free);
}

ChunkPool::Buffer ChunkPool::Take() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!free_.empty()) {
      Buffer buffer = std::move(free_.back());
      free_.pop_back();
      return buffer;
    }
  }
  return Buffer(new uint8_t[buffer_bytes_]);  // default-initialized: no zero-fill
}

void ChunkPool::Give(Buffer buffer) {
  if (!buffer) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (free_.size() < max_free_) free_.push_back(std::move(buffer));
}

BodyChunk ChunkPool::Share(Buffer buffer, size_t size) {
  const uint8_t* data = buffer.get();
  std::weak_ptr<ChunkPool> weak_pool = weak_from_this();
  std::shared_ptr<const uint8_t> owner(buffer.release(), [weak_pool](const uint8_t* p) {
    Buffer back(const_cast<uint8_t*>(p));
    if (auto pool = weak_pool.lock()) pool->Give(std::move(back));
  });
  return BodyChunk(std::move(owner), data, size);
}

size_t ChunkPool::idle_buffers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return free_.size();
}

}  // namespace wasmstream::fetch
