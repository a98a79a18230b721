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

void close_inner(gs_store* s) {
  Metered* m = Metered::from(s);
  m->inner_api->close(m->inner);
}

gs_status gauges_of_inner(gs_store* s, gs_gauge_sink sink, void* ctx, gs_errbuf* err) {
  Metered* m = Metered::from(s);
  return m->inner_api->collect_gauges(m->inner, sink, ctx, err);
}

gs_status state_of_inner(gs_store* s, gs_state_sink sink, void* ctx, gs_errbuf* err) {
  Metered* m = Metered::from(s);
  return m->inner_api->collect_state(m->inner, sink, ctx, err);
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

#define GS_OP_NAME(slot) #slot,
const char* const CallMetrics::kOpNames[kOps] = {GS_METERED_OPS(GS_OP_NAME)};
#undef GS_OP_NAME

namespace {
// A slot's position in GS_METERED_OPS, at compile time.
constexpr size_t op_index(std::string_view slot) {
  constexpr std::string_view kNames[] = {
#define GS_OP_NAME(slot) #slot,
      GS_METERED_OPS(GS_OP_NAME)
#undef GS_OP_NAME
  };
  size_t i = 0;
  while (kNames[i] != slot) ++i;
  return i;
}
}  // namespace

Metered::Metered(const gs_store_api* api, gs_store* store) : inner_api(api), inner(store) {
  table.struct_size = sizeof table;
  table.open = api->open;
  table.close = &close_inner;
  // Each slot the plugin's table has (within its struct_size, non-NULL) gets
  // a forwarder recording under the slot's position in the list; the others
  // stay NULL, so the host still picks its defaults.
#define GS_METER(slot)                                    \
  if (GS_HAS_FIELD(gs_store_api, api, slot) && api->slot) \
    table.slot = &Meter<decltype(gs_store_api::slot)>::call<&gs_store_api::slot, op_index(#slot)>;
  GS_METERED_OPS(GS_METER)
#undef GS_METER
  if (GS_HAS_FIELD(gs_store_api, api, collect_gauges) && api->collect_gauges) table.collect_gauges = &gauges_of_inner;
  if (GS_HAS_FIELD(gs_store_api, api, collect_state) && api->collect_state) table.collect_state = &state_of_inner;
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
    std::string labels = b + ",op=\"" + kOpNames[op] + "\"";
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
