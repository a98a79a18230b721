// Store's health and metrics: the probe, the metering decorator, the
// Prometheus text and the plugin's own state lines.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "sink.hpp"
#include "store_impl.hpp"

namespace graphstore {

Status Store::probe(double* seconds) {
  // A point lookup is one index probe (or one round trip) on every backend;
  // whether this id exists does not matter, only that the backend answers.
  Entity found;
  auto t0 = std::chrono::steady_clock::now();
  Status s = get_entity("", "graphstore:health-probe", &found);
  if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s.is_not_found() ? Status::Ok() : s;
}

void Store::enable_metrics() {
  Impl& s = *impl_;
  if (s.metered) return;
  s.metered = std::make_unique<Metered>(s.api, s.handle);
  s.api = &s.metered->table;
  s.handle = s.metered->handle();
}

Status Store::metrics_text(std::string* out) {
  out->clear();
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "metrics_text");
  std::vector<Gauge> gauges;
  if (GS_HAS_FIELD(gs_store_api, s.api, collect_gauges) && s.api->collect_gauges) {
    auto sink = make_sink([&gauges](gs_str name, gs_str help, double value) {
      gauges.push_back(Gauge{std::string(to_view(name)), std::string(to_view(help)), value});
      return true;
    });
    ErrBuf e;
    gs_status st;
    {
      auto lock = s.lock();
      st = s.api->collect_gauges(s.handle, &gauge_trampoline<decltype(sink.fn)>, &sink, &e.err);
    }
    sink.rethrow();
    if (st != GS_OK) return to_status(st, e, "collect_gauges");
  }
  static const CallMetrics kNothingRecorded;
  const CallMetrics& metrics = s.metered ? s.metered->metrics : kNothingRecorded;
  *out = metrics.prometheus(s.info.id, gauges);
  return Status::Ok();
}

Status Store::state(std::vector<std::pair<std::string, std::string>>* out) {
  out->clear();
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "state");
  if (!GS_HAS_FIELD(gs_store_api, s.api, collect_state) || s.api->collect_state == nullptr) return Status::Ok();
  auto sink = make_sink([out](gs_str key, gs_str value) {
    out->emplace_back(std::string(to_view(key)), std::string(to_view(value)));
    return true;
  });
  ErrBuf e;
  gs_status st;
  {
    auto lock = s.lock();
    st = s.api->collect_state(s.handle, &state_trampoline<decltype(sink.fn)>, &sink, &e.err);
  }
  sink.rethrow();
  if (st != GS_OK) out->clear();
  return to_status(st, e, "collect_state");
}

}  // namespace graphstore
