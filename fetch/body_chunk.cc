#include "fetch/body_chunk.h"

#include <algorithm>

namespace wasmstream::fetch {

BodyChunk::BodyChunk(Bytes bytes) {
  if (bytes.empty()) return;
  auto owner = std::make_shared<const Bytes>(std::move(bytes));
  data_ = owner->data();
  size_ = owner->size();
  owner_ = std::move(owner);
}

bool operator==(const BodyChunk& a, std::span<const uint8_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace wasmstream::fetch
