// Opening the configured backend, with errors pointing back into the file:
// the plugin knows which option is wrong, the config knows where it is.
#include "graphstore/config.hpp"

namespace graphstore {
namespace {

// The KEY of a plugin message starting "option 'KEY'", or "".
std::string option_key(const std::string& message) {
  constexpr std::string_view kPrefix = "option '";
  if (message.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  size_t end = message.find('\'', kPrefix.size());
  return end == std::string::npos ? std::string() : message.substr(kPrefix.size(), end - kPrefix.size());
}

std::string locate(const BackendConfig& config, int line) {
  // A config built in code (no file) has no location to give.
  return config.file.empty() ? std::string() : config.file + ":" + std::to_string(line) + ": ";
}

}  // namespace

Status open_backend(Registry& registry, const BackendConfig& config, std::unique_ptr<Store>* out) {
  for (const auto& dir : config.plugin_paths) registry.add_search_path(dir);
  Status s = registry.open(config.backend, config.options_json, out);
  if (s.ok()) return s;
  std::string key = option_key(s.message());
  if (auto it = config.option_lines.find(key); !key.empty() && it != config.option_lines.end()) {
    // The value came from the environment: say from which variables, since
    // the file shows only their names. Their values are not repeated here
    // (one may be a secret); the plugin quotes what it needs.
    std::string from;
    if (auto v = config.option_variables.find(key); v != config.option_variables.end() && s.is_invalid_argument())
      for (const auto& name : v->second) from += (from.empty() ? " (the value comes from $" : ", $") + name;
    if (!from.empty()) from += ")";
    return Status(s.code(), locate(config, it->second) + s.message() + from);
  }
  return Status(s.code(), locate(config, config.line) + "environment '" + config.environment + "', backend '" +
                              config.backend + "': " + s.message());
}

}  // namespace graphstore
