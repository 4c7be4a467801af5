// The one home of a module's wire bytes.
//
// A WireBuffer is an append-only byte buffer whose address never changes: it
// reserves address space for the largest module it may hold up front and
// only touches pages as bytes arrive. So every byte is copied into it once,
// and from then on the streaming decoder, the body workers, the cache (hashing,
// storing, a restart after a bad entry) and lazy compilation all read it in
// place: a piece that arrived in several chunks is already contiguous, nothing
// regrows, and the finished Module keeps the buffer itself as its wire bytes
// (WireBytes) instead of a copy.
//
// A released buffer is recycled: it keeps up to 128 MiB of its touched pages
// for the next stream of the process, which then writes into memory that is
// already mapped instead of faulting fresh pages. Buffers ask for transparent
// huge pages, so even a first stream takes one fault per 2 MiB (58 MB: 30).
//
// Threads: one writer appends; any thread may read the first size() bytes it
// was handed (a reader learns a size from the writer through whatever hand-off
// passed it the bytes, e.g. a worker queue).
#ifndef WASMSTREAM_WASM_WIRE_BYTES_H_
#define WASMSTREAM_WASM_WIRE_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace wasmstream::wasm {

class WireBuffer {
 public:
  // A buffer that holds up to {capacity} bytes; null when the address space
  // cannot be reserved (the caller reports an out-of-memory error).
  static std::shared_ptr<WireBuffer> Create(uint64_t capacity);
  ~WireBuffer();
  WireBuffer(const WireBuffer&) = delete;
  WireBuffer& operator=(const WireBuffer&) = delete;

  // Copies {bytes} to the end; false (and nothing appended) past capacity().
  // {bytes} must not lie inside this buffer.
  bool Append(std::span<const uint8_t> bytes);
  // Faults in the pages that will hold bytes [from, to) (at most capacity())
  // without changing them, so the writer later copies into memory already
  // mapped: another thread can take the kernel's page zeroing off the one
  // appending. May run concurrently with Append() (but not with another
  // PrefaultTo). False when the kernel cannot (MADV_POPULATE_WRITE is Linux
  // 5.14+) or the range is past capacity().
  bool Prefault(size_t from, size_t to) const;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  uint64_t capacity() const { return capacity_; }
  std::span<const uint8_t> span() const { return {data_, size_}; }
  // Whether {bytes} lies inside this buffer's first size() bytes.
  bool Holds(std::span<const uint8_t> bytes) const {
    return bytes.data() >= data_ && bytes.data() + bytes.size() <= data_ + size_;
  }

  // Buffers released and kept for reuse (for tests and diagnostics).
  static size_t RecycledCountForTesting();

 private:
  struct Mapping;
  WireBuffer(uint8_t* data, uint64_t capacity, size_t mapped, size_t touched);

  uint8_t* data_;
  uint64_t capacity_;
  size_t mapped_;   // bytes of the mapping (capacity rounded up)
  size_t touched_;  // high-water mark of pages written, kept across reuse
  size_t size_ = 0;
  mutable size_t prefaulted_ = 0;  // end of the last Prefault(); read once all users are gone
};

// An immutable view of a module's wire bytes that keeps their storage alive:
// a WireBuffer prefix, or a vector of its own (modules built from bytes that
// did not stream, such as a cache entry's copy). Cheap to copy; reads like a
// std::vector<uint8_t>.
class WireBytes {
 public:
  WireBytes() = default;
  WireBytes(std::vector<uint8_t> bytes);  // NOLINT: implicit, reads as the vector
  // The first {size} bytes of {buffer} (the buffer may grow; the view does not).
  WireBytes(std::shared_ptr<const WireBuffer> buffer, size_t size);

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const uint8_t* begin() const { return data_; }
  const uint8_t* end() const { return data_ + size_; }
  uint8_t operator[](size_t i) const { return data_[i]; }
  operator std::span<const uint8_t>() const { return {data_, size_}; }  // NOLINT
  std::span<const uint8_t> span() const { return {data_, size_}; }
  std::vector<uint8_t> ToVector() const { return {begin(), end()}; }

  // Replaces the view by a private copy of [first, last).
  template <typename It>
  void assign(It first, It last) {
    *this = WireBytes(std::vector<uint8_t>(first, last));
  }

  friend bool operator==(const WireBytes& a, std::span<const uint8_t> b);
  friend bool operator==(const WireBytes& a, const WireBytes& b) { return a == b.span(); }
  friend bool operator==(const WireBytes& a, const std::vector<uint8_t>& b) {
    return a == std::span<const uint8_t>(b);
  }

 private:
  std::shared_ptr<const void> owner_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_WIRE_BYTES_H_
