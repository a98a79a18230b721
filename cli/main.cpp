// graphstore: the command-line client of a configured graph store.
//
// Exit codes: 0 success, 1 error, 2 usage error, 3 not found.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "context.hpp"
#include "graphstore/scoring.hpp"

int main(int argc, char** argv) {
  using namespace graphstore::cli;
  Context ctx;
  CLI::App app{"graphstore: a knowledge-graph store with plugin backends", "graphstore"};
  // Global options may follow the subcommand too.
  app.fallthrough();
  app.require_subcommand(1);
  // A later --config/--env/--tenant overrides an earlier one, as in most CLIs.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--config", ctx.global.config, "Config file (default: $GRAPHSTORE_CONFIG, ./config/graphstore.yaml)");
  app.add_option("--env", ctx.global.env, "Environment (default: $GRAPHSTORE_ENV, $ENVIRONMENT, development)");
  CLI::Option* tenant = app.add_option("--tenant", ctx.global.tenant, "Tenant id (default: the global namespace)");
  tenant->check(CLI::Validator(
          [](std::string& t) {
            return graphstore::sdk::valid_tenant(t) ? std::string()
                                                    : "tenant ids are 1-255 characters of A-Z a-z 0-9 - _";
          },
          "TENANT"));
  app.add_flag("--json", ctx.global.json, "Print one JSON document on stdout");

  add_info_commands(app, ctx);
  add_record_commands(app, ctx);
  add_query_commands(app, ctx);
  add_demo_command(app, ctx);
  add_bench_command(app, ctx);
  add_stream_commands(app, ctx);
  add_health_commands(app, ctx);
  add_serve_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(e.what());
    std::cerr << "Run with --help for more information.\n";
    return kExitUsage;
  }
  ctx.global.tenant_given = tenant->count() > 0;
  try {
    return ctx.action ? ctx.action() : kExitUsage;
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what());
    return kExitError;
  }
}
