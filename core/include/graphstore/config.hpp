// graphstore configuration: one YAML file, one section per environment.
//
//   plugin_paths: [./build/lib/graphstore]   # optional
//   environments:
//     development:
//       backend: sqlite        # plugin id or path to a shared object
//       options: {path: ./data/graph.db}
//       migrate_on_swap: true  # optional: a running host copies its data over
//
// ${VAR} and ${VAR:-default} expand from the environment, only in the chosen
// environment's section. Every error names the file, the line and the key.
// Every function here may be called from any thread; on failure an output
// holds nothing the caller may use (it is left as it was or partly filled).
#ifndef GRAPHSTORE_CONFIG_HPP
#define GRAPHSTORE_CONFIG_HPP

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/status.hpp"

namespace graphstore {

// One environment's backend, ready to open.
struct BackendConfig {
  std::string environment;   // e.g. "development"
  std::string backend;       // plugin id or path (relative paths resolved against the file's dir)
  std::string options_json;  // the options mapping as JSON text
  std::string file;          // the config file it came from
  int line = 0;              // line of the environment's section
  std::map<std::string, int> option_lines;  // top-level option key -> line
  // Top-level option key -> the environment variables its value was built
  // from, so that an error about the option can name them.
  std::map<std::string, std::vector<std::string>> option_variables;
  std::vector<std::filesystem::path> plugin_paths;  // from the file, absolute
  // When a running host (graphstore serve) swaps to this section: copy the
  // data of the store it replaces first (StoreHandle::swap).
  bool migrate_on_swap = false;
};

// The config file to read: explicit (--config) if non-empty, else
// $GRAPHSTORE_CONFIG, else ./config/graphstore.yaml, else the installed
// default. NOT_FOUND lists what was tried; INVALID_ARGUMENT when the file
// named explicitly or by $GRAPHSTORE_CONFIG is a directory.
Status find_config_file(std::string_view explicit_path, std::filesystem::path* out);

// The environment name: explicit (--env) if non-empty, else $GRAPHSTORE_ENV,
// else $ENVIRONMENT, else "development".
std::string choose_environment(std::string_view explicit_env);

// Reads `file` and extracts environment `env`. INVALID_ARGUMENT (malformed
// YAML, wrong type, unknown key, missing variable) and NOT_FOUND (no such
// environment) messages start with "FILE:LINE: ".
Status load_backend_config(const std::filesystem::path& file, std::string_view env, BackendConfig* out);

// The environment names a file defines, in file order.
Status list_environments(const std::filesystem::path& file, std::vector<std::string>* out);

// Opens the configured backend through registry (after adding the file's
// plugin_paths). An option error from the plugin is prefixed with the
// option's FILE:LINE.
Status open_backend(Registry& registry, const BackendConfig& config, std::unique_ptr<Store>* out);

// Converts YAML text to JSON text (plain scalars typed as YAML 1.2 core:
// null, true/false, integers, floats; quoted scalars stay strings), with
// ${VAR} expansion. `what` names the source in messages.
Status yaml_to_json(std::string_view yaml_text, std::string_view what, std::string* json_out);

}  // namespace graphstore

#endif  // GRAPHSTORE_CONFIG_HPP
