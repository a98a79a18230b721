// graphstore: the command-line client of a configured graph store.
//
// Exit codes: 0 success, 1 error, 2 usage error, 3 not found. With --json,
// every outcome, failures and usage errors included, is one JSON document on
// stdout (failure.hpp).
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "context.hpp"
#include "graphstore/tenant.hpp"

namespace {

using namespace graphstore::cli;

// The global options as a help section. Every subcommand's --help shows it:
// they may follow the subcommand too (fallthrough), and CLI11 lists only a
// subcommand's own options.
std::string global_options_help(const CLI::App& app) {
  CLI::Formatter format;  // the default one, which the app's help uses too
  std::string text = "\nGlobal options (before or after the command):\n";
  for (const CLI::Option* opt : app.get_options())
    if (opt != app.get_help_ptr()) text += format.make_option(opt, false);
  return text;
}

// CLI11's message, except for a first word that is no command: CLI11 says
// "A subcommand is required" for `graphstore bogus`, which does not say what
// was wrong.
std::string usage_message(const CLI::App& app, const CLI::ParseError& e) {
  if (app.get_subcommands().empty())
    for (const std::string& arg : app.remaining())
      if (!arg.empty() && arg[0] != '-') return "unknown command '" + arg + "' (graphstore --help lists the commands)";
  return e.what();
}

}  // namespace

// Only building the command table can throw uncaught (CLI11 refuses an option
// added twice), a programming error that every CLI test would show; parsing
// and running are caught below.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
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
        return graphstore::sdk::valid_tenant(t) ? std::string() : "tenant ids are 1-255 characters of A-Z a-z 0-9 - _";
      },
      "TENANT"));
  CLI::Option* json = app.add_flag("--json", ctx.global.json, "Print one JSON document on stdout");

  add_info_commands(app, ctx);
  add_record_commands(app, ctx);
  add_query_commands(app, ctx);
  add_demo_command(app, ctx);
  add_bench_command(app, ctx);
  add_stream_commands(app, ctx);
  add_health_commands(app, ctx);
  add_serve_command(app, ctx);
  add_removal_commands(app, ctx);
#ifdef GRAPHSTORE_CLI_SHARD
  add_shard_commands(app, ctx);
#endif
  std::string globals = global_options_help(app);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) sub->footer(globals);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // --json counts once parsed, wherever it stood.
    set_json_failures(json->count() > 0);
    report_failure(kUsageCode, usage_message(app, e), kExitUsage);
    std::cerr << "Run with --help for more information.\n";
    return kExitUsage;
  }
  ctx.global.tenant_given = tenant->count() > 0;
  set_json_failures(ctx.global.json);
  try {
    return ctx.action ? ctx.action() : kExitUsage;
  } catch (const std::exception& e) {
    return report_failure(graphstore::code_name(graphstore::Code::kInternal),
                          std::string("internal error: ") + e.what(), kExitError);
  }
}
