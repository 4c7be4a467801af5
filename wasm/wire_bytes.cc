#include "wasm/wire_bytes.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "base/huge_pages.h"

namespace wasmstream::wasm {
namespace {

constexpr size_t kHugePage = base::kHugePageBytes;
// Address space smaller than this is not worth a mapping of its own.
constexpr uint64_t kMinReservation = uint64_t{1} << 20;
// Released buffers kept for reuse, and the touched bytes each may keep
// resident (pages past it go back to the kernel at once): what a process
// that compiled a large module keeps in RSS for the next one.
constexpr size_t kMaxRecycled = 1;
constexpr size_t kMaxRecycledTouched = size_t{128} << 20;

size_t RoundUp(uint64_t n, size_t to) { return static_cast<size_t>((n + to - 1) / to * to); }

struct Pooled {
  uint8_t* data;
  uint64_t capacity;
  size_t mapped;
  size_t touched;
};

std::mutex& PoolMutex() {
  static auto* m = new std::mutex();
  return *m;
}
// Protected by PoolMutex().
std::vector<Pooled>& Pool() {
  static auto* pool = new std::vector<Pooled>();
  return *pool;
}

}  // namespace

std::shared_ptr<WireBuffer> WireBuffer::Create(uint64_t capacity) {
  {
    std::lock_guard<std::mutex> lock(PoolMutex());
    auto& pool = Pool();
    auto it = std::find_if(pool.begin(), pool.end(),
                           [&](const Pooled& p) { return p.capacity >= capacity; });
    if (it != pool.end()) {
      Pooled p = *it;
      pool.erase(it);
      return std::shared_ptr<WireBuffer>(new WireBuffer(p.data, p.capacity, p.mapped, p.touched));
    }
  }
  // Reserve, not commit: pages are faulted in as bytes are appended. When the
  // address space is limited (RLIMIT_AS), settle for less; Append() then
  // refuses what does not fit and the caller reports it.
  for (uint64_t want = std::max(capacity, kMinReservation);; want /= 2) {
    size_t mapped = RoundUp(want, kHugePage) + kHugePage;  // slack to align
    void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED) {
      // Align to a huge page so the kernel can back the buffer with them.
      auto addr = reinterpret_cast<uintptr_t>(base);
      size_t lead = RoundUp(addr, kHugePage) - addr;
      if (lead) ::munmap(base, lead);
      auto* data = static_cast<uint8_t*>(base) + lead;
      mapped -= lead;
      // Not the first huge page: a small module would cost 2 MiB of RSS
      // (not 4 KiB) for as long as it lives, and an instance keeps its module
      // until the runtime store collects (48 small modules: 96 MB in the soak).
      if (mapped > kHugePage) base::AdviseHugePages(data + kHugePage, mapped - kHugePage);
      return std::shared_ptr<WireBuffer>(new WireBuffer(data, want, mapped, 0));
    }
    if (want / 2 < kMinReservation) return nullptr;
  }
}

WireBuffer::WireBuffer(uint8_t* data, uint64_t capacity, size_t mapped, size_t touched)
    : data_(data), capacity_(capacity), mapped_(mapped), touched_(touched) {}

WireBuffer::~WireBuffer() {
  size_t touched = std::max({touched_, size_, prefaulted_});
  if (touched > kMaxRecycledTouched) {
    size_t keep = RoundUp(kMaxRecycledTouched, kHugePage);
    ::madvise(data_ + keep, RoundUp(touched, kHugePage) - keep, MADV_DONTNEED);
    touched = keep;
  }
  {
    std::lock_guard<std::mutex> lock(PoolMutex());
    auto& pool = Pool();
    if (pool.size() < kMaxRecycled) {
      pool.push_back({data_, capacity_, mapped_, touched});
      return;
    }
  }
  ::munmap(data_, mapped_);
}

bool WireBuffer::Append(std::span<const uint8_t> bytes) {
  if (bytes.size() > capacity_ - size_) return false;
  if (!bytes.empty()) std::memcpy(data_ + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
  return true;
}

bool WireBuffer::Prefault(size_t from, size_t to) const {
#ifdef MADV_POPULATE_WRITE
  if (to > capacity_ || from >= to) return false;
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  from = from / page * page;  // madvise takes whole pages
  if (::madvise(data_ + from, to - from, MADV_POPULATE_WRITE) != 0) return false;
  prefaulted_ = std::max(prefaulted_, to);
  return true;
#else
  (void)from;
  (void)to;
  return false;
#endif
}

size_t WireBuffer::RecycledCountForTesting() {
  std::lock_guard<std::mutex> lock(PoolMutex());
  return Pool().size();
}

WireBytes::WireBytes(std::vector<uint8_t> bytes) {
  auto owned = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  data_ = owned->data();
  size_ = owned->size();
  owner_ = std::move(owned);
}

WireBytes::WireBytes(std::shared_ptr<const WireBuffer> buffer, size_t size)
    : data_(buffer->data()), size_(std::min(size, buffer->size())) {
  owner_ = std::move(buffer);
}

bool operator==(const WireBytes& a, std::span<const uint8_t> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), b.size()) == 0);
}

}  // namespace wasmstream::wasm
