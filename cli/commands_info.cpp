// plugins: what the registry finds; stats: counts of the configured store.
#include <algorithm>
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

int run_plugins(const GlobalOptions& global) {
  Registry registry;
  // The config file's plugin_paths count too, when there is a config file.
  BackendConfig config;
  std::filesystem::path file;
  if (find_config_file(global.config, &file).ok() &&
      load_backend_config(file, choose_environment(global.env), &config).ok())
    for (const auto& dir : config.plugin_paths) registry.add_search_path(dir);

  std::vector<PluginInfo> plugins;
  std::vector<Status> errors;
  if (Status s = registry.list(&plugins, &errors); !s.ok()) return fail(s);
  for (const auto& e : errors) print_error("warning: " + e.message());

  if (global.json) {
    print_json([&](JsonWriter& w) { write_plugins_report(w, plugins); });
    return kExitOk;
  }
  if (plugins.empty()) {
    std::cout << "no plugins found in:";
    for (const auto& dir : Registry::default_search_paths()) std::cout << ' ' << terminal_text(dir.string());
    std::cout << '\n';
    return kExitOk;
  }
  for (const auto& p : plugins) {
    std::cout << terminal_text(p.id) << "  " << terminal_text(p.version) << "  ABI " << p.abi_major << '.'
              << p.abi_minor << "  " << terminal_text(p.name) << (p.thread_safe ? "  (thread-safe)" : "  (serialised)")
              << '\n'
              << "    path:         " << terminal_text(p.path) << '\n'
              << "    capabilities:";
    for (const auto& c : p.capabilities) std::cout << ' ' << terminal_text(c);
    std::cout << '\n';
  }
  return kExitOk;
}

void print_counts(const char* what, uint64_t total, const std::map<std::string, uint64_t>& counts) {
  std::cout << what << total << '\n';
  std::vector<std::pair<std::string, uint64_t>> shown;
  for (const auto& [type, n] : counts) shown.emplace_back(terminal_text(type), n);
  size_t width = 0;
  for (const auto& [type, n] : shown) width = std::max(width, type.size());
  for (const auto& [type, n] : shown)
    std::cout << "  " << type << std::string(width - type.size() + 2, ' ') << n << '\n';
}

int run_stats(const GlobalOptions& global) {
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  Stats stats;
  if (Status s = store->get_stats(global.tenant, &stats); !s.ok()) return fail(s);
  StoreState state;  // e.g. a degradation store's mode
  if (Status s = store->state(&state); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) { write_stats_report(w, store->plugin().id, global.tenant, stats, state); });
    return kExitOk;
  }
  std::cout << "backend:   " << terminal_text(store->plugin().id) << " " << terminal_text(store->plugin().version)
            << '\n'
            << "tenant:    " << tenant_label(global.tenant) << '\n';
  print_counts("entities:  ", stats.entity_count, stats.entities_by_type);
  print_counts("relations: ", stats.relation_count, stats.relations_by_type);
  if (!state.empty()) {
    std::cout << "state:\n";
    size_t width = 0;
    for (const auto& [key, value] : state) width = std::max(width, terminal_text(key).size());
    for (const auto& [key, value] : state) {
      std::string shown_key = terminal_text(key);
      std::cout << "  " << shown_key << std::string(width - shown_key.size() + 2, ' ') << terminal_text(value) << '\n';
    }
  }
  return kExitOk;
}

}  // namespace

void add_info_commands(CLI::App& app, Context& ctx) {
  app.add_subcommand("plugins", "List the backend plugins found, with their ABI and capabilities")->callback([&ctx] {
    ctx.action = [&ctx] { return run_plugins(ctx.global); };
  });
  app.add_subcommand("stats", "Count the entities and relations of the store, by type, and show its state")->callback([&ctx] {
    ctx.action = [&ctx] { return run_stats(ctx.global); };
  });
}

}  // namespace graphstore::cli
