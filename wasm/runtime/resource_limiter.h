// Per-Store limits on memory and table growth, as Wasmtime's ResourceLimiter:
// the embedder decides whether each memory or table may reach a new size, so
// a hostile module is refused (memory.grow / table.grow return -1, making a
// memory or table at instantiation fails with a RangeError), never the
// process. Set with Store::SetLimiter; consulted on the Store's thread when
// wasm code grows a memory or table and when the Store makes one (current 0).
// Growth the host asks for itself (MemoryInstance::Grow directly) is the
// host's own decision and is not consulted.
#ifndef WASMSTREAM_WASM_RUNTIME_RESOURCE_LIMITER_H_
#define WASMSTREAM_WASM_RUNTIME_RESOURCE_LIMITER_H_

#include <cstdint>
#include <optional>

namespace wasmstream::wasm {

class ResourceLimiter {
 public:
  virtual ~ResourceLimiter() = default;
  // A memory wants {desired} bytes, having {current}; {maximum} is its type's
  // maximum in bytes (nullopt: none). false refuses.
  virtual bool MemoryGrowing(uint64_t current, uint64_t desired,
                             std::optional<uint64_t> maximum) = 0;
  // A table wants {desired} elements, having {current}.
  virtual bool TableGrowing(uint64_t current, uint64_t desired,
                            std::optional<uint64_t> maximum) = 0;
};

// Fixed caps (Wasmtime's StoreLimits): bytes per memory, elements per table,
// and bytes over all the Store's memories together (counted as they are made
// and grown through the limiter; never decreased, so it bounds what a Store
// ever asked for).
class StoreLimits final : public ResourceLimiter {
 public:
  uint64_t memory_bytes = UINT64_MAX;
  uint64_t table_elements = UINT64_MAX;
  uint64_t total_memory_bytes = UINT64_MAX;

  bool MemoryGrowing(uint64_t current, uint64_t desired, std::optional<uint64_t>) override {
    if (desired > memory_bytes) return false;
    uint64_t more = desired - current;
    if (more > total_memory_bytes - total_) return false;
    total_ += more;
    return true;
  }
  bool TableGrowing(uint64_t, uint64_t desired, std::optional<uint64_t>) override {
    return desired <= table_elements;
  }

 private:
  uint64_t total_ = 0;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_RESOURCE_LIMITER_H_
