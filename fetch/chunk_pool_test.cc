#include "fetch/chunk_pool.h"

#include <gtest/gtest.h>

#include <cstring>

namespace wasmstream::fetch {
namespace {

TEST(BodyChunkTest, AVectorBecomesAChunkWithoutACopy) {
  Bytes bytes = {1, 2, 3};
  const uint8_t* storage = bytes.data();
  BodyChunk chunk(std::move(bytes));
  EXPECT_EQ(chunk.data(), storage);
  EXPECT_EQ(chunk, (Bytes{1, 2, 3}));
  BodyChunk copy = chunk;  // shares the storage
  EXPECT_EQ(copy.data(), storage);
  EXPECT_TRUE(BodyChunk(Bytes{}).empty());
}

TEST(ChunkPoolTest, ABufferComesBackWhenItsLastChunkGoes) {
  auto pool = ChunkPool::Create(64, 4);
  ChunkPool::Buffer buffer = pool->Take();
  const uint8_t* storage = buffer.get();
  std::memcpy(buffer.get(), "abcdef", 6);
  BodyChunk chunk = pool->Share(std::move(buffer), 6);
  EXPECT_EQ(chunk.data(), storage);
  EXPECT_EQ(std::string(chunk.begin(), chunk.end()), "abcdef");
  {
    BodyChunk copy = chunk;
    chunk = BodyChunk();
    EXPECT_EQ(pool->idle_buffers(), 0u);  // the copy still holds it
    EXPECT_EQ(std::string(copy.begin(), copy.end()), "abcdef");
  }
  EXPECT_EQ(pool->idle_buffers(), 1u);
  EXPECT_EQ(pool->Take().get(), storage);  // reused, not allocated again
}

TEST(ChunkPoolTest, KeepsAtMostMaxFreeIdleBuffers) {
  auto pool = ChunkPool::Create(16, 2);
  std::vector<BodyChunk> chunks;
  for (int i = 0; i < 5; ++i) chunks.push_back(pool->Share(pool->Take(), 1));
  chunks.clear();
  EXPECT_EQ(pool->idle_buffers(), 2u);
  pool->Give(pool->Take());
  pool->Give(ChunkPool::Buffer(new uint8_t[16]));
  EXPECT_EQ(pool->idle_buffers(), 2u);
}

TEST(ChunkPoolTest, ChunksMayOutliveThePool) {
  auto pool = ChunkPool::Create(16, 2);
  ChunkPool::Buffer buffer = pool->Take();
  buffer[0] = 'x';
  BodyChunk chunk = pool->Share(std::move(buffer), 1);
  pool.reset();  // the buffer is freed with the chunk (ASan checks)
  EXPECT_EQ(chunk.data()[0], 'x');
}

}  // namespace
}  // namespace wasmstream::fetch
