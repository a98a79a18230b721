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

// Whether a slot of this kind (GS_SLOT_*) is measured: the optional collect_*
// slots report on the store itself and pass through unmeasured.
constexpr bool is_metered_slot(int kind) { return kind != GS_SLOT_OPTIONAL; }

// Latency histograms and outcome counts per backend call. record may run
// on many threads at once; each counter is its own relaxed atomic.
class CallMetrics {
 public:
  // The metered slots are the Tier 1 and Tier 2 ones of GS_STORE_API_SLOTS,
  // in list order (is_metered_slot).
#define GS_COUNT_OP(name, kind, minor) +(is_metered_slot(kind) ? 1 : 0)
  static constexpr size_t kOps = 0 GS_STORE_API_SLOTS(GS_COUNT_OP);
#undef GS_COUNT_OP

  // The metered slots' names, an op's index into them, at compile time.
  static constexpr std::array<std::string_view, kOps> kOpNames = [] {
    std::array<std::string_view, kOps> names{};
    size_t i = 0;
#define GS_OP_NAME(name, kind, minor) \
  if (is_metered_slot(kind)) names[i++] = #name;
    GS_STORE_API_SLOTS(GS_OP_NAME)
#undef GS_OP_NAME
    return names;
  }();
  // kOps for a slot that is not metered.
  static constexpr size_t op_index(std::string_view slot) {
    size_t i = 0;
    while (i < kOps && kOpNames[i] != slot) ++i;
    return i;
  }

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
