#include "base/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace wasmstream::base {

void AdviseHugePages(void* data, size_t size) {
#ifdef MADV_HUGEPAGE
  const auto begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t first = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const uintptr_t end = (begin + size) & ~(kHugePageBytes - 1);
  // A failure (an old kernel, huge pages compiled out) leaves 4 KiB pages.
  if (end > first) ::madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)size;
#endif
}

}  // namespace wasmstream::base
