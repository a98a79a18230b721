// Which config file and which environment: explicit choices first, then the
// environment variables, then the conventional places.
#include <cstdlib>

#include "graphstore/config.hpp"

namespace graphstore {
namespace {

namespace fs = std::filesystem;

// A non-empty environment variable, or "".
std::string env_value(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec) && !fs::is_directory(p, ec);
}

// A path someone named (--config, $GRAPHSTORE_CONFIG) that is not a
// readable file: NOT_FOUND when nothing is there, INVALID_ARGUMENT when it is
// a directory, so the message says which.
Status named_file_status(const fs::path& p, const std::string& what) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) return InvalidArgument(what + " is a directory, not a config file");
  return NotFound(what + " not found");
}

// The copy installed beside the running program (a relocated install), then
// the one of the configured install prefix.
std::vector<fs::path> installed_defaults() {
  std::vector<fs::path> paths;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) paths.push_back((exe.parent_path() / ".." / "share" / "graphstore" / "graphstore.yaml").lexically_normal());
  paths.push_back(
      (fs::path(GRAPHSTORE_INSTALL_PREFIX) / GRAPHSTORE_DATA_INSTALL_DIR / "graphstore.yaml").lexically_normal());
  return paths;
}

}  // namespace

Status find_config_file(std::string_view explicit_path, std::filesystem::path* out) {
  // A file the user named must exist: falling back to another one would run
  // against a store they did not choose.
  if (!explicit_path.empty()) {
    if (!is_file(explicit_path))
      return named_file_status(explicit_path, "config file '" + std::string(explicit_path) + "'");
    *out = fs::path(explicit_path);
    return Status::Ok();
  }
  if (std::string env = env_value("GRAPHSTORE_CONFIG"); !env.empty()) {
    if (!is_file(env)) return named_file_status(env, "config file '" + env + "' (from GRAPHSTORE_CONFIG)");
    *out = fs::path(env);
    return Status::Ok();
  }
  std::vector<fs::path> candidates{fs::path("config") / "graphstore.yaml"};
  for (auto& p : installed_defaults()) candidates.push_back(std::move(p));
  std::string tried;
  for (const auto& candidate : candidates) {
    if (is_file(candidate)) {
      *out = candidate;
      return Status::Ok();
    }
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  return NotFound("no config file found (tried: --config, GRAPHSTORE_CONFIG, " + tried + ")");
}

std::string choose_environment(std::string_view explicit_env) {
  if (!explicit_env.empty()) return std::string(explicit_env);
  for (const char* name : {"GRAPHSTORE_ENV", "ENVIRONMENT"})
    if (std::string env = env_value(name); !env.empty()) return env;
  return "development";
}

}  // namespace graphstore
