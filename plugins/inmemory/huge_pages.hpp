// Transparent huge pages for the large tables.
#ifndef GRAPHSTORE_INMEMORY_HUGE_PAGES_HPP
#define GRAPHSTORE_INMEMORY_HUGE_PAGES_HPP

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace graphstore::inmemory {

// Asks the kernel to back the 2 MB-aligned interior of [p, p + n) with huge
// pages (it honours this when THP is in "madvise" mode). Lookups into a large
// table land on random pages; with 4 KB pages nearly each one also misses the
// TLB. A hint only: failure changes nothing but speed.
inline void advise_huge_pages(const void* p, size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t(2) << 20;
  if (n < 2 * kHuge) return;
  uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(p) + n) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)n;
#endif
}

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_HUGE_PAGES_HPP
