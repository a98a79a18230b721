// How the CLI reports a command that failed: a line on stderr for people and,
// once --json was given, one JSON document on stdout for programs, the shape
// `import` and `serve` answer with:
//   {"ok": false, "code": "NOT_FOUND", "error": "entity 'x' not found ..."}
// code is a Status code name (graphstore/status.hpp), or "USAGE" for a
// command line the CLI refused. The exit codes are those of context.hpp.
#ifndef GRAPHSTORE_CLI_FAILURE_HPP
#define GRAPHSTORE_CLI_FAILURE_HPP

#include <string_view>

namespace graphstore::cli {

// The code of a usage error (exit 2) in the JSON document.
inline constexpr std::string_view kUsageCode = "USAGE";

// Whether failures print the JSON document too. main sets it once --json is
// known, before any command runs; off by default. Not thread-safe: set it
// before starting threads.
void set_json_failures(bool on);

// Reports a failure: "graphstore: <message>" (escaped for a terminal) on
// stderr and, when set_json_failures(true), the JSON document with code and
// message on stdout. Returns exit_code, for `return report_failure(...)`.
int report_failure(std::string_view code, std::string_view message, int exit_code);

// Only the JSON document of report_failure (when set_json_failures(true)),
// for a command whose messages are already on stderr.
void print_failure_document(std::string_view code, std::string_view message);

// A usage error that a command finds after parsing (a vector that is not
// numbers, options that do not go together): code "USAGE", exit 2.
int fail_usage(std::string_view message);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_FAILURE_HPP
