#include "metered.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "graphstore/status.hpp"

namespace graphstore {
namespace {

// One forwarding slot per signature: times the inner call and records it
// under op. Slot is the gs_store_api member being forwarded.
template <class F>
struct Meter;
template <class... A>
struct Meter<gs_status (*)(gs_store*, A...)> {
  template <auto Slot, size_t Op>
  static gs_status call(gs_store* s, A... args) {
    Metered* m = Metered::from(s);
    auto t0 = std::chrono::steady_clock::now();
    gs_status st = (m->inner_api->*Slot)(m->inner, args...);
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
    m->metrics.record(Op, st, uint64_t(ns));
    return st;
  }
};

// An unmeasured slot: forwards the call as it is.
template <class F>
struct Pass;
template <class... A>
struct Pass<gs_status (*)(gs_store*, A...)> {
  template <auto Slot>
  static gs_status call(gs_store* s, A... args) {
    Metered* m = Metered::from(s);
    return (m->inner_api->*Slot)(m->inner, args...);
  }
};

void close_inner(gs_store* s) {
  Metered* m = Metered::from(s);
  m->inner_api->close(m->inner);
}

std::string format_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);  // 15 digits: 1e-06, not 9.9999999999999995e-07
  return buf;
}

// A label value or help text as the exposition format wants it.
std::string escape(std::string_view text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

// [a-zA-Z_:][a-zA-Z0-9_:]*, the metric name grammar.
bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

const char* status_label(size_t index) {
  return index <= size_t(GS_ABI_MISMATCH) ? code_name(Code(int32_t(index))) : "UNKNOWN";
}

}  // namespace

Metered::Metered(const gs_store_api* api, gs_store* store) : inner_api(api), inner(store) {
  table.struct_size = sizeof table;
  table.open = api->open;
  table.close = &close_inner;
  // Each slot the plugin's table has (within its struct_size, non-NULL) gets
  // a forwarder, recording under the slot's op index where it is metered;
  // the others stay NULL, so the host still picks its defaults.
#define GS_METER(slot, kind, minor)                                                                               \
  if (GS_HAS_FIELD(gs_store_api, api, slot) && api->slot) {                                                       \
    if constexpr (is_metered_slot(kind))                                                                          \
      table.slot = &Meter<decltype(gs_store_api::slot)>::call<&gs_store_api::slot, CallMetrics::op_index(#slot)>; \
    else                                                                                                          \
      table.slot = &Pass<decltype(gs_store_api::slot)>::call<&gs_store_api::slot>;                                \
  }
  GS_STORE_API_SLOTS(GS_METER)
#undef GS_METER
}

void CallMetrics::record(size_t op, gs_status status, uint64_t ns) noexcept {
  OpStats& s = ops_[op];
  size_t bucket = size_t(std::lower_bound(kBounds.begin(), kBounds.end(), ns) - kBounds.begin());
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(ns, std::memory_order_relaxed);
  size_t code = status >= 0 && status <= GS_ABI_MISMATCH ? size_t(status) : kStatuses - 1;
  s.by_status[code].fetch_add(1, std::memory_order_relaxed);
}

std::string CallMetrics::prometheus(std::string_view backend, const std::vector<Gauge>& gauges) const {
  std::string b = "backend=\"" + escape(backend, true) + "\"";
  std::string hist =
      "# HELP graphstore_backend_call_seconds Latency of calls into the backend plugin.\n"
      "# TYPE graphstore_backend_call_seconds histogram\n";
  std::string calls =
      "# HELP graphstore_backend_calls_total Calls into the backend plugin by outcome.\n"
      "# TYPE graphstore_backend_calls_total counter\n";
  for (size_t op = 0; op < kOps; ++op) {
    const OpStats& s = ops_[op];
    std::string labels = b + ",op=\"" + std::string(kOpNames[op]) + "\"";
    uint64_t cumulative = 0;
    std::string lines;
    for (size_t i = 0; i <= kBounds.size(); ++i) {
      cumulative += s.buckets[i].load(std::memory_order_relaxed);
      std::string le = i < kBounds.size() ? format_double(double(kBounds[i]) / 1e9) : "+Inf";
      lines += "graphstore_backend_call_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
               std::to_string(cumulative) + "\n";
    }
    if (cumulative == 0) continue;  // never called
    hist += lines;
    hist += "graphstore_backend_call_seconds_sum{" + labels + "} " +
            format_double(double(s.sum_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
    hist += "graphstore_backend_call_seconds_count{" + labels + "} " + std::to_string(cumulative) + "\n";
    for (size_t code = 0; code < kStatuses; ++code)
      if (uint64_t n = s.by_status[code].load(std::memory_order_relaxed))
        calls += "graphstore_backend_calls_total{" + labels + ",status=\"" + status_label(code) + "\"} " +
                 std::to_string(n) + "\n";
  }
  std::string out = hist + calls;
  for (const Gauge& g : gauges) {
    if (!valid_name(g.name)) continue;  // a plugin's mistake must not break the whole page
    std::string name = "graphstore_backend_" + g.name;
    out += "# HELP " + name + " " + escape(g.help, false) + "\n# TYPE " + name + " gauge\n";
    out += name + "{" + b + "} " + format_double(g.value) + "\n";
  }
  return out;
}

}  // namespace graphstore
