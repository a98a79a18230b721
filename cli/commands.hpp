// The command groups: each adds its subcommands to the app. A subcommand's
// callback only records ctx.action; main runs it after a clean parse.
#ifndef GRAPHSTORE_CLI_COMMANDS_HPP
#define GRAPHSTORE_CLI_COMMANDS_HPP

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace graphstore::cli {

// plugins, stats
void add_info_commands(CLI::App& app, Context& ctx);
// put-entity, put-relation, get, get-relation, delete
void add_record_commands(CLI::App& app, Context& ctx);
// neighbors, traverse, paths, search-text, search-vector
void add_query_commands(CLI::App& app, Context& ctx);
// demo
void add_demo_command(CLI::App& app, Context& ctx);
// bench
void add_bench_command(CLI::App& app, Context& ctx);
// export, import, migrate
void add_stream_commands(CLI::App& app, Context& ctx);
// health, metrics
void add_health_commands(CLI::App& app, Context& ctx);
// serve
void add_serve_command(CLI::App& app, Context& ctx);
// clear, delete-source
void add_removal_commands(CLI::App& app, Context& ctx);
// shard placements, shard move, shard abandon (built with the sharded plugin)
void add_shard_commands(CLI::App& app, Context& ctx);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_COMMANDS_HPP
