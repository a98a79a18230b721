// Metering: a host-side decorator of a plugin's table that records the
// latency and the status of every backend call. Store::enable_metrics swaps
// the store's table and handle for a Metered's, so the Tier 2 defaults are
// measured as the Tier 1 calls they make, and a store that never enables it
// pays nothing.
#ifndef GRAPHSTORE_CORE_METERED_HPP
#define GRAPHSTORE_CORE_METERED_HPP

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/abi.h"

namespace graphstore {

// A gauge a plugin reported (gs_gauge_sink).
struct Gauge {
  std::string name;
  std::string help;
  double value = 0;
};

// Latency histograms and outcome counts per backend call. record may run
// on many threads at once; each counter is its own relaxed atomic.
class CallMetrics {
 public:
  // The metered slots, in table order; X(slot) once each.
// clang-format off
#define GS_METERED_OPS(X)                                                                     \
  X(add_entity) X(get_entity) X(update_entity) X(delete_entity)                               \
  X(add_relation) X(get_relation) X(update_relation) X(delete_relation)                       \
  X(get_neighbors) X(for_each_entity) X(for_each_relation) X(list_tenants) X(apply_batch)     \
  X(traverse) X(find_paths) X(subgraph) X(scan_entities) X(scan_relations)                    \
  X(vector_search) X(text_search) X(add_entities_bulk) X(add_relations_bulk) X(get_stats)          \
  X(clear) X(delete_by_source)
// clang-format on
#define GS_COUNT_OP(slot) +1
  static constexpr size_t kOps = 0 GS_METERED_OPS(GS_COUNT_OP);
#undef GS_COUNT_OP
  static const char* const kOpNames[kOps];

  void record(size_t op, gs_status status, uint64_t nanoseconds) noexcept;

  // Prometheus text exposition (format 0.0.4): the histograms and counts of
  // every op called at least once, then the gauges, all labelled with the
  // backend.
  std::string prometheus(std::string_view backend, const std::vector<Gauge>& gauges) const;

 private:
  // Bucket bounds in nanoseconds: 1 µs to 10 s in 1-2.5-5 steps.
  static constexpr std::array<uint64_t, 22> kBounds = {
      1'000,       2'500,       5'000,         10'000,        25'000,        50'000,        100'000,    250'000,
      500'000,     1'000'000,   2'500'000,     5'000'000,     10'000'000,    25'000'000,    50'000'000, 100'000'000,
      250'000'000, 500'000'000, 1'000'000'000, 2'500'000'000, 5'000'000'000, 10'000'000'000};
  static constexpr size_t kStatuses = GS_ABI_MISMATCH + 2;  // the codes, then "unknown"

  struct OpStats {
    std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets{};  // not cumulative; last: above 10 s
    std::atomic<uint64_t> sum_ns{0};
    std::array<std::atomic<uint64_t>, kStatuses> by_status{};
  };
  std::array<OpStats, kOps> ops_;
};

// The decorator: table forwards each call to inner_api / inner and records
// it. A Metered's address is the handle table's slots receive.
struct Metered {
  Metered(const gs_store_api* api, gs_store* store);
  Metered(const Metered&) = delete;
  Metered& operator=(const Metered&) = delete;

  gs_store* handle() { return reinterpret_cast<gs_store*>(this); }
  static Metered* from(gs_store* s) { return reinterpret_cast<Metered*>(s); }

  const gs_store_api* inner_api;
  gs_store* inner;
  CallMetrics metrics;
  gs_store_api table{};
};

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_METERED_HPP
