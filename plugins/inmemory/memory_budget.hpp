// MemoryBudget: the store-wide byte count behind the max_memory_mb option.
// Graphs report their footprint changes; writes ask check() first. Reads
// never consult it, so a full store keeps serving them.
#ifndef GRAPHSTORE_INMEMORY_MEMORY_BUDGET_HPP
#define GRAPHSTORE_INMEMORY_MEMORY_BUDGET_HPP

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include "graphstore/plugin.hpp"

namespace graphstore::inmemory {

class MemoryBudget {
 public:
  // limit_mb 0: unlimited.
  explicit MemoryBudget(uint64_t limit_mb) : limit_mb_(limit_mb), limit_bytes_(limit_mb << 20) {}

  // OK while use is below the limit; RESOURCE_EXHAUSTED naming the limit and
  // the current use once it is reached. [any-thread]
  sdk::Status check() const {
    if (limit_bytes_ == 0) return sdk::Status::Ok();
    int64_t used = used_.load(std::memory_order_relaxed);
    if (used < int64_t(limit_bytes_)) return sdk::Status::Ok();
    char used_mb[32];
    std::snprintf(used_mb, sizeof used_mb, "%.1f", double(used) / double(1 << 20));
    return sdk::make_error(GS_RESOURCE_EXHAUSTED, "inmemory: memory limit of " + std::to_string(limit_mb_) +
                                                      " MB reached (using " + used_mb +
                                                      " MB); the store keeps serving reads");
  }

  // Adds delta (may be negative) to the use. [any-thread]
  void adjust(int64_t delta) { used_.fetch_add(delta, std::memory_order_relaxed); }

  int64_t used_bytes() const { return used_.load(std::memory_order_relaxed); }
  uint64_t limit_bytes() const { return limit_bytes_; }

 private:
  uint64_t limit_mb_;
  uint64_t limit_bytes_;
  std::atomic<int64_t> used_{0};
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_MEMORY_BUDGET_HPP
