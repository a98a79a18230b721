// Reading graphstore.yaml: the file's shape (plugin_paths, environments,
// backend, options) is checked for every environment, so a typo anywhere is
// found whichever environment runs; ${VAR} is expanded only in the chosen
// one, so development works while production's secrets are unset.
#include <fstream>
#include <sstream>

#include "config/env_expand.hpp"
#include "config/yaml_json.hpp"
#include "config/yaml_node.hpp"
#include "graphstore/config.hpp"
#include "graphstore/options.hpp"

namespace graphstore {
namespace {

namespace fs = std::filesystem;

struct Section {
  std::string name;
  YAML::Node key;  // the environment's name in the file, for its line
  YAML::Node body;
};

struct ConfigFile {
  std::string what;  // the file as named in messages
  fs::path dir;      // absolute directory of the file
  YAML::Node environments_key;
  std::vector<Section> sections;
  std::vector<fs::path> plugin_paths;
};

Status unknown_key(const std::string& what, const config::MapEntry& e, const std::string& context,
                   const std::vector<std::string>& valid) {
  std::string msg = config::where(what, e.key_node, e.key) + "unknown key" + context;
  std::string near = sdk::closest_name(e.key, valid);
  if (!near.empty()) return InvalidArgument(msg + " (did you mean '" + near + "'?)");
  std::string list;
  for (const auto& v : valid) list += (list.empty() ? "" : ", ") + v;
  return InvalidArgument(msg + " (valid keys: " + list + ")");
}

Status wrong_type(const std::string& what, const config::MapEntry& e, const char* expected) {
  return InvalidArgument(config::where(what, e.key_node, e.key) + "expected " + expected + ", got " +
                         config::describe(e.value));
}

Status read_text(const fs::path& file, std::string* text) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return NotFound(file.string() + ": config file not found");
  if (fs::is_directory(file, ec)) return InvalidArgument(file.string() + ": is a directory, not a config file");
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) return InvalidArgument(file.string() + ": cannot read the config file");
  *text = buffer.str();
  return Status::Ok();
}

Status read_plugin_paths(ConfigFile* cfg, const config::MapEntry& e) {
  if (!e.value.IsSequence() && !e.value.IsNull()) return wrong_type(cfg->what, e, "a sequence of directories");
  size_t index = 0;
  for (const auto& item : e.value) {
    std::string key = "plugin_paths[" + std::to_string(index++) + "]";
    if (!item.IsScalar() || item.Scalar().empty())
      return InvalidArgument(config::where(cfg->what, item, key) + "expected a directory, got " +
                             (item.IsScalar() ? std::string("an empty string") : config::describe(item)));
    cfg->plugin_paths.push_back((cfg->dir / item.Scalar()).lexically_normal());
  }
  return Status::Ok();
}

// Shape only: types and key names, no expansion.
Status check_section(const ConfigFile& cfg, const config::MapEntry& env) {
  if (!env.value.IsMap()) return wrong_type(cfg.what, env, "a mapping with 'backend' and 'options'");
  std::vector<config::MapEntry> entries;
  if (Status s = config::mapping_entries(env.value, cfg.what, &entries); !s.ok()) return s;
  bool has_backend = false;
  for (const auto& e : entries) {
    if (e.key == "backend") {
      has_backend = true;
      if (!e.value.IsScalar()) return wrong_type(cfg.what, e, "a plugin id or a path");
    } else if (e.key == "options") {
      if (!e.value.IsMap() && !e.value.IsNull()) return wrong_type(cfg.what, e, "a mapping");
    } else if (e.key == "migrate_on_swap") {
      if (!e.value.IsScalar()) return wrong_type(cfg.what, e, "true or false");
    } else {
      return unknown_key(cfg.what, e, " in environment '" + env.key + "'", {"backend", "options", "migrate_on_swap"});
    }
  }
  if (!has_backend)
    return InvalidArgument(config::where(cfg.what, env.key_node) + "environment '" + env.key +
                           "': missing key 'backend'");
  return Status::Ok();
}

Status read_config(const fs::path& file, ConfigFile* cfg) {
  std::string text;
  if (Status s = read_text(file, &text); !s.ok()) return s;
  cfg->what = file.string();
  cfg->dir = fs::absolute(file).parent_path().lexically_normal();
  YAML::Node root;
  if (Status s = config::parse_yaml(text, cfg->what, &root); !s.ok()) return s;
  if (!root.IsMap())
    return InvalidArgument(config::where(cfg->what, root) + "expected a mapping with key 'environments', got " +
                           (root.IsNull() ? std::string("an empty document") : config::describe(root)));
  std::vector<config::MapEntry> top;
  if (Status s = config::mapping_entries(root, cfg->what, &top); !s.ok()) return s;
  const config::MapEntry* environments = nullptr;
  for (const auto& e : top) {
    if (e.key == "environments") {
      environments = &e;
    } else if (e.key == "plugin_paths") {
      if (Status s = read_plugin_paths(cfg, e); !s.ok()) return s;
    } else {
      return unknown_key(cfg->what, e, " at the top level", {"plugin_paths", "environments"});
    }
  }
  if (environments == nullptr)
    return InvalidArgument(config::where(cfg->what, root) + "missing top-level key 'environments'");
  if (!environments->value.IsMap()) return wrong_type(cfg->what, *environments, "a mapping");
  cfg->environments_key = environments->key_node;
  std::vector<config::MapEntry> envs;
  if (Status s = config::mapping_entries(environments->value, cfg->what, &envs); !s.ok()) return s;
  for (const auto& env : envs) {
    if (Status s = check_section(*cfg, env); !s.ok()) return s;
    cfg->sections.push_back(Section{env.key, env.key_node, env.value});
  }
  return Status::Ok();
}

// A backend naming a file (a '/' or a .so suffix) is relative to the file.
std::string resolve_backend(const fs::path& dir, const std::string& backend) {
  bool is_path = backend.find('/') != std::string::npos ||
                 (backend.size() > 3 && backend.compare(backend.size() - 3, 3, ".so") == 0);
  if (!is_path) return backend;
  return (dir / backend).lexically_normal().string();
}

Status extract(const ConfigFile& cfg, const Section& section, BackendConfig* out) {
  std::vector<config::MapEntry> entries;
  if (Status s = config::mapping_entries(section.body, cfg.what, &entries); !s.ok()) return s;
  BackendConfig result;
  result.environment = section.name;
  result.file = cfg.what;
  result.line = config::line_of(section.key);
  result.plugin_paths = cfg.plugin_paths;
  result.options_json = "{}";
  for (const auto& e : entries) {
    if (e.key == "backend") {
      std::string backend;
      if (Status s = config::expand_scalar(e.value, cfg.what, e.key, &backend); !s.ok()) return s;
      if (backend.empty()) return InvalidArgument(config::where(cfg.what, e.key_node, e.key) + "the backend is empty");
      result.backend = resolve_backend(cfg.dir, backend);
    } else if (e.key == "options" && e.value.IsMap()) {
      if (Status s = config::node_to_json(e.value, cfg.what, e.key, /*expand=*/true, &result.options_json); !s.ok())
        return s;
      std::vector<config::MapEntry> options;
      if (Status s = config::mapping_entries(e.value, cfg.what, &options); !s.ok()) return s;
      for (const auto& option : options) {
        result.option_lines[option.key] = config::line_of(option.key_node);
        std::vector<std::string> variables;
        std::string unused;
        if (option.value.IsScalar() && config::expand_env(option.value.Scalar(), &unused, &variables).ok() &&
            !variables.empty())
          result.option_variables[option.key] = std::move(variables);
      }
    } else if (e.key == "migrate_on_swap") {
      std::string flag;
      if (Status s = config::expand_scalar(e.value, cfg.what, e.key, &flag); !s.ok()) return s;
      if (flag != "true" && flag != "false")
        return InvalidArgument(config::where(cfg.what, e.key_node, e.key) + "expected true or false, got '" + flag +
                               "'");
      result.migrate_on_swap = flag == "true";
    }
  }
  *out = std::move(result);
  return Status::Ok();
}

}  // namespace

Status load_backend_config(const std::filesystem::path& file, std::string_view env, BackendConfig* out) {
  ConfigFile cfg;
  if (Status s = read_config(file, &cfg); !s.ok()) return s;
  std::string defined;
  for (const auto& section : cfg.sections) {
    if (section.name == env) return extract(cfg, section, out);
    defined += (defined.empty() ? "" : ", ") + section.name;
  }
  return NotFound(config::where(cfg.what, cfg.environments_key) + "no environment '" + std::string(env) +
                  "' (defined: " + (defined.empty() ? "none" : defined) + ")");
}

Status list_environments(const std::filesystem::path& file, std::vector<std::string>* out) {
  ConfigFile cfg;
  if (Status s = read_config(file, &cfg); !s.ok()) return s;
  out->clear();
  for (const auto& section : cfg.sections) out->push_back(section.name);
  return Status::Ok();
}

}  // namespace graphstore
