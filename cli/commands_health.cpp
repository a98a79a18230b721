// health: one cheap probe of the configured backend, exit code 0 or 1;
// metrics: the store's metrics in Prometheus text format.
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "output.hpp"
#include "reports.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

std::string milliseconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds * 1e3);
  return buf;
}

int run_health(const GlobalOptions& global) {
  OpenedStore store;
  Status s = open_store(global, &store);
  double seconds = 0;
  if (s.ok()) s = store->probe(&seconds);
  std::string backend = store.store ? store->plugin().id : store.config.backend;
  // A store that says it has a mode (degradation: normal or degraded) has
  // it shown: a degraded store answers, but from its fallback.
  std::string mode;
  StoreState state;
  if (s.ok() && store->state(&state).ok())
    for (const auto& [key, value] : state)
      if (key == "mode") mode = value;
  if (global.json) {
    print_json([&](JsonWriter& w) { write_health_report(w, s, backend, seconds, mode); });
  } else if (s.ok()) {
    std::cout << "healthy: " << terminal_text(backend) << " answered a point lookup in " << milliseconds(seconds)
              << " ms" << (mode.empty() ? "" : " (mode: " + terminal_text(mode) + ")") << '\n';
  } else {
    std::cout << "unhealthy: " << terminal_text(backend) << ": " << terminal_text(s.to_string()) << '\n';
  }
  return s.ok() ? kExitOk : kExitError;
}

int run_metrics(const GlobalOptions& global) {
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  store->enable_metrics();
  // A one-shot process has measured nothing yet: the probe is one sample.
  if (Status s = store->probe(); !s.ok()) return fail(s);
  std::string text;
  if (Status s = store->metrics_text(&text); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) { write_metrics_report(w, text); });
    return kExitOk;
  }
  std::cout << text;
  return kExitOk;
}

}  // namespace

void add_health_commands(CLI::App& app, Context& ctx) {
  app.add_subcommand("health", "Probe the configured backend once (exit 0 healthy, 1 not)")->callback([&ctx] {
    ctx.action = [&ctx] { return run_health(ctx.global); };
  });
  app.add_subcommand("metrics", "Print the store's metrics in Prometheus text format")->callback([&ctx] {
    ctx.action = [&ctx] { return run_metrics(ctx.global); };
  });
}

}  // namespace graphstore::cli
