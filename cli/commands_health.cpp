// health: one cheap probe of the configured backend, exit code 0 or 1;
// metrics: the store's metrics in Prometheus text format.
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "output.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

std::string milliseconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds * 1e3);
  return buf;
}

int run_health(const GlobalOptions& global) {
  Registry registry;
  std::unique_ptr<Store> store;
  BackendConfig config;
  Status s = open_configured_store(global, registry, &store, &config);
  double seconds = 0;
  if (s.ok()) s = store->probe(&seconds);
  std::string backend = store ? store->plugin().id : config.backend;
  // A store that says it has a mode (degradation: normal or degraded) has
  // it shown: a degraded store answers, but from its fallback.
  std::string mode;
  std::vector<std::pair<std::string, std::string>> state;
  if (s.ok() && store->state(&state).ok())
    for (const auto& [key, value] : state)
      if (key == "mode") mode = value;
  if (global.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      // "ok" and, when unhealthy, "code" and "error": the shape of every
      // failure document (failure.hpp).
      w.Key("ok");
      w.Bool(s.ok());
      w.Key("backend");
      write_string(w, backend);
      w.Key("healthy");
      w.Bool(s.ok());
      if (s.ok()) {
        w.Key("latency_ms");
        w.Double(seconds * 1e3);
        if (!mode.empty()) {
          w.Key("mode");
          write_string(w, mode);
        }
      } else {
        w.Key("code");
        w.String(code_name(s.code()));
        w.Key("error");
        write_string(w, s.to_string());
      }
      w.EndObject();
    });
  } else if (s.ok()) {
    std::cout << "healthy: " << terminal_text(backend) << " answered a point lookup in " << milliseconds(seconds)
              << " ms" << (mode.empty() ? "" : " (mode: " + terminal_text(mode) + ")") << '\n';
  } else {
    std::cout << "unhealthy: " << terminal_text(backend) << ": " << terminal_text(s.to_string()) << '\n';
  }
  return s.ok() ? kExitOk : kExitError;
}

int run_metrics(const GlobalOptions& global) {
  Registry registry;
  std::unique_ptr<Store> store;
  if (Status s = open_configured_store(global, registry, &store); !s.ok()) return fail(s);
  store->enable_metrics();
  // A one-shot process has measured nothing yet: the probe is one sample.
  if (Status s = store->probe(); !s.ok()) return fail(s);
  std::string text;
  if (Status s = store->metrics_text(&text); !s.ok()) return fail(s);
  if (global.json) {
    // The exposition itself, as a string: what a script scraping through the
    // CLI hands to a Prometheus parser.
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("format");
      w.String("prometheus-text-0.0.4");
      w.Key("text");
      write_string(w, text);
      w.EndObject();
    });
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
