#include "prefaulter.hpp"

#include <algorithm>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace graphstore::inmemory {
namespace {

// Populates the whole pages inside [data, data + bytes), in slices, so that
// a closing Prefaulter waits for one slice at most. The pages at either end
// are shared with other data and may be mapped already; they are left alone.
void populate_pages(const MemoryRange& r, const bool& closing, std::mutex& mu) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  static const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  constexpr uintptr_t kSlice = uintptr_t(1) << 20;
  uintptr_t begin = (reinterpret_cast<uintptr_t>(r.data) + page - 1) & ~(page - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(r.data) + r.bytes) & ~(page - 1);
  for (uintptr_t p = begin; p < end; p += kSlice) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (closing) return;
    }
    size_t n = size_t(std::min(kSlice, end - p));
    if (madvise(reinterpret_cast<void*>(p), n, MADV_POPULATE_WRITE) != 0) return;  // unsupported, or no memory
  }
#else
  (void)r;
  (void)closing;
  (void)mu;
#endif
}

}  // namespace

Prefaulter::Prefaulter() : thread_([this] { run(); }) {}

Prefaulter::~Prefaulter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Prefaulter::populate(const std::vector<MemoryRange>& ranges) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.insert(queue_.end(), ranges.begin(), ranges.end());
  }
  cv_.notify_one();
}

void Prefaulter::run() {
  std::vector<MemoryRange> work;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (closing_) return;
      work.swap(queue_);
    }
    for (const MemoryRange& r : work) populate_pages(r, closing_, mu_);
    work.clear();
  }
}

}  // namespace graphstore::inmemory
