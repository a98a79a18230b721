// shard: the placements of a sharded store, and moving a tenant between its
// shards (sharding/tenant_move.hpp). The configured environment must be a
// sharded store; --tenant names the tenant to move.
#include <iostream>
#include <string>

#include "commands.hpp"
#include "output.hpp"
#include "tenant_move.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

Status sharded_config(const GlobalOptions& global, BackendConfig* config) {
  if (Status s = resolve_backend(global, config); !s.ok()) return s;
  if (config->backend != "sharded")
    return InvalidArgument("shard: environment '" + config->environment + "' is backend '" + config->backend +
                           "', not a sharded store");
  return Status::Ok();
}

int run_placements(const GlobalOptions& global) {
  BackendConfig config;
  if (Status s = sharded_config(global, &config); !s.ok()) return fail(s);
  std::vector<sharding::PlacementRow> rows;
  if (Status s = sharding::list_placements(config.options_json, &rows); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) {
      w.StartArray();
      for (const auto& r : rows) {
        w.StartObject();
        w.Key("tenant");
        write_string(w, r.tenant);
        w.Key("shard");
        write_string(w, r.shard);
        w.Key("state");
        write_string(w, r.state);
        if (!r.target.empty()) {
          w.Key("target");
          write_string(w, r.target);
        }
        w.EndObject();
      }
      w.EndArray();
    });
    return kExitOk;
  }
  for (const auto& r : rows) {
    std::cout << tenant_label(r.tenant) << "\t" << r.shard << "\t" << r.state;
    if (!r.target.empty()) std::cout << "\t-> " << r.target;
    std::cout << "\n";
  }
  return kExitOk;
}

int run_move(const GlobalOptions& global, const std::string& to, uint64_t batch_size) {
  BackendConfig config;
  if (Status s = sharded_config(global, &config); !s.ok()) return fail(s);
  Registry registry;
  for (const auto& p : config.plugin_paths) registry.add_search_path(p);
  sharding::MoveOptions options;
  options.tenant = global.tenant;
  options.to = to;
  options.batch_size = batch_size;
  sharding::MoveReport report;
  if (Status s = sharding::move_tenant(registry, config.options_json, options, &report); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("tenant");
      write_string(w, global.tenant);
      w.Key("from");
      write_string(w, report.from);
      w.Key("to");
      write_string(w, report.to);
      w.Key("already_there");
      w.Bool(report.already_there);
      w.Key("entities");
      w.Uint64(report.entities);
      w.Key("relations");
      w.Uint64(report.relations);
      w.Key("changes_replayed");
      w.Uint64(report.changes_replayed);
      w.Key("catch_up_passes");
      w.Int(report.catch_up_passes);
      w.Key("copy_seconds");
      w.Double(report.copy_seconds);
      w.Key("catch_up_seconds");
      w.Double(report.catch_up_seconds);
      w.Key("switch_seconds");
      w.Double(report.switch_seconds);
      w.Key("seconds");
      w.Double(report.seconds);
      w.EndObject();
    });
    return kExitOk;
  }
  if (report.already_there) {
    std::cout << tenant_label(global.tenant) << " is on shard " << report.to << " already\n";
    return kExitOk;
  }
  std::cout << "moved " << tenant_label(global.tenant) << " from " << report.from << " to "
            << report.to << ": " << report.entities << " entities and " << report.relations << " relations copied in "
            << report.copy_seconds << " s, " << report.changes_replayed << " changed records caught up in "
            << report.catch_up_passes << " passes, writes paused " << report.switch_seconds << " s; "
            << report.seconds << " s in all\n";
  return kExitOk;
}

int run_abandon(const GlobalOptions& global) {
  BackendConfig config;
  if (Status s = sharded_config(global, &config); !s.ok()) return fail(s);
  Registry registry;
  for (const auto& p : config.plugin_paths) registry.add_search_path(p);
  if (Status s = sharding::abandon_move(registry, config.options_json, global.tenant); !s.ok()) return fail(s);
  std::cout << "abandoned the move of " << tenant_label(global.tenant) << "\n";
  return kExitOk;
}

}  // namespace

void add_shard_commands(CLI::App& app, Context& ctx) {
  auto* shard = app.add_subcommand("shard", "Placements of a sharded store, and moving a tenant between its shards");
  shard->require_subcommand(1);
  auto* placements = shard->add_subcommand("placements", "List every placed tenant: its shard and state");
  placements->callback([&ctx] { ctx.action = [&ctx] { return run_placements(ctx.global); }; });

  auto to = std::make_shared<std::string>();
  auto batch = std::make_shared<uint64_t>(5000);
  auto* move = shard->add_subcommand(
      "move", "Move --tenant to another shard while every tenant keeps taking calls (copy, catch up, switch)");
  move->add_option("--to", *to, "The shard to move the tenant to")->required();
  move->add_option("--batch-size", *batch, "Records per copied batch")->check(CLI::Range(uint64_t(1), uint64_t(1000000)));
  move->callback([&ctx, to, batch] { ctx.action = [&ctx, to, batch] { return run_move(ctx.global, *to, *batch); }; });

  auto* abandon = shard->add_subcommand("abandon", "Abandon an interrupted move of --tenant: it stays where it was");
  abandon->callback([&ctx] { ctx.action = [&ctx] { return run_abandon(ctx.global); }; });
}

}  // namespace graphstore::cli
