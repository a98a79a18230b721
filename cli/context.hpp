// What every command shares: the global options, exit codes, error
// reporting and opening the configured store.
#ifndef GRAPHSTORE_CLI_CONTEXT_HPP
#define GRAPHSTORE_CLI_CONTEXT_HPP

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "failure.hpp"
#include "graphstore/config.hpp"
#include "graphstore/registry.hpp"
#include "graphstore/status.hpp"
#include "graphstore/store.hpp"

namespace graphstore::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;

struct GlobalOptions {
  std::string config;         // --config: explicit config file
  std::string env;            // --env: environment name
  std::string tenant;         // --tenant: empty = the global namespace
  bool tenant_given = false;  // --tenant appeared (export: only that tenant; import: into it)
  bool json = false;          // --json: one JSON document on stdout
};

// Commands register an action while parsing; main runs it afterwards, so a
// usage error never half-runs a command.
struct Context {
  GlobalOptions global;
  std::function<int()> action;
};

// Prints "graphstore: <message>" on stderr, the message escaped for a
// terminal (it may quote a user's value). For notes, warnings and the detail
// of a failure whose --json report is already printed; any other failure goes
// through fail or report_failure (failure.hpp).
void print_error(std::string_view message);

// Reports a failed store call (report_failure: stderr, and the JSON document
// with --json) and returns its exit code: 3 for NOT_FOUND, 1 for anything
// else.
int fail(const Status& status);

// The name of the built-in environment: the inmemory backend with default
// options, whose data lives only as long as the process. It exists whether
// or not a config file is found, unless the file defines a section of that name.
inline constexpr std::string_view kBuiltinInMemoryEnv = "inmemory";

// The backend section to use: the environment (--env or its defaults) of the
// config file (--config or find_config_file's search), or the built-in
// "inmemory" environment when that is the one chosen and the file does not
// define it (a note on stderr says the data will not be kept). Without a
// config file any other environment, named or the default, is an error that
// lists where the CLI looked: a store that silently lives in memory would
// lose what a command writes and answer reads from nothing.
Status resolve_backend(const GlobalOptions& global, BackendConfig* out);

// Runs on the resolved backend section before its store is opened; an error
// stops the command with nothing opened (e.g. an output path that is the
// store's own file).
using BeforeOpen = std::function<Status(const BackendConfig&)>;

// Opens the configured backend (resolve_backend) through registry, after
// before_open (when given) accepted its section. Errors are configuration
// errors (exit 1), never "not found" data answers.
Status open_configured_store(const GlobalOptions& global, Registry& registry, std::unique_ptr<Store>* store,
                             BackendConfig* config = nullptr, const BeforeOpen& before_open = {});

// A store opened from the configuration with the registry that loaded its
// plugin, which must outlive it (members are destroyed in reverse order: the
// store first). What every command that works on the configured store holds.
struct OpenedStore {
  Registry registry;
  BackendConfig config;  // the resolved section, also when opening failed after resolving
  std::unique_ptr<Store> store;

  Store* operator->() const { return store.get(); }
  Store& operator*() const { return *store; }
};

// Opens the configured store (open_configured_store) into *out, after
// before_open (when given) accepted its section. On failure out->store is
// null and out->config holds what was resolved. Commands call this; serve,
// which keeps one registry across the stores it swaps in, calls
// open_configured_store.
Status open_store(const GlobalOptions& global, OpenedStore* out, const BeforeOpen& before_open = {});

// How the CLI shows a tenant to people: "(global)" for the empty tenant (the
// global namespace), which no tenant id can be (ids are 1-255 of A-Z a-z 0-9
// - _), so that `--tenant global` is told apart; else the id.
std::string tenant_label(std::string_view tenant);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_CONTEXT_HPP
