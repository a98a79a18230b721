#include "graphstore/registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "library.hpp"
#include "registry_state.hpp"

namespace graphstore {
namespace {

constexpr const char* kPrefix = "libgraphstore_";
constexpr const char* kSuffix = ".so";

bool looks_like_path(std::string_view s) {
  return s.find('/') != std::string_view::npos ||
         (s.size() > 3 && s.substr(s.size() - 3) == kSuffix);
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

std::vector<std::filesystem::path> Registry::default_search_paths() {
  std::vector<std::filesystem::path> paths;
  if (const char* env = std::getenv("GRAPHSTORE_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string dir;
    while (std::getline(ss, dir, ':'))
      if (!dir.empty()) paths.emplace_back(dir);
  }
  auto exe = executable_dir();
  if (!exe.empty()) paths.push_back((exe / ".." / "lib" / "graphstore").lexically_normal());
  paths.push_back(std::filesystem::path(GRAPHSTORE_INSTALL_PREFIX) / GRAPHSTORE_PLUGIN_INSTALL_DIR);
  return paths;
}

Registry::Registry(std::vector<std::filesystem::path> search_paths) : state_(std::make_shared<RegistryState>()) {
  state_->search_paths = std::move(search_paths);
  for (auto& p : default_search_paths()) state_->search_paths.push_back(std::move(p));
}

Registry::~Registry() = default;

void Registry::add_search_path(const std::filesystem::path& dir) {
  std::lock_guard lock(state_->mutex);
  auto& paths = state_->search_paths;
  if (std::find(paths.begin(), paths.end(), dir) != paths.end()) return;
  // Explicit additions go before the defaults, after earlier additions.
  size_t n_defaults = default_search_paths().size();
  size_t pos = paths.size() >= n_defaults ? paths.size() - n_defaults : 0;
  paths.insert(paths.begin() + static_cast<std::ptrdiff_t>(pos), dir);
}

Status Registry::resolve(std::string_view id_or_path, std::filesystem::path* out) const {
  return state_->resolve(id_or_path, out);
}

Status Registry::describe(std::string_view id_or_path, PluginInfo* out) {
  std::shared_ptr<Library> lib;
  Status s = state_->load(id_or_path, &lib);
  if (s.ok()) *out = lib->info();
  return s;
}

Status Registry::list(std::vector<PluginInfo>* out, std::vector<Status>* errors) {
  out->clear();
  std::vector<std::filesystem::path> dirs;
  {
    std::lock_guard lock(state_->mutex);
    dirs = state_->search_paths;
  }
  std::vector<std::string> seen;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind(kPrefix, 0) == 0 && name.size() > 3 && name.substr(name.size() - 3) == kSuffix)
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      PluginInfo info;
      Status s = describe(f.string(), &info);
      if (!s.ok()) {
        if (errors) errors->push_back(s);
        continue;
      }
      // An id found earlier in the search order shadows later copies.
      if (std::find(seen.begin(), seen.end(), info.id) != seen.end()) continue;
      seen.push_back(info.id);
      out->push_back(std::move(info));
    }
  }
  std::sort(out->begin(), out->end(), [](const PluginInfo& a, const PluginInfo& b) { return a.id < b.id; });
  return Status::Ok();
}

Status Registry::open(std::string_view id_or_path, std::string_view options_json, std::unique_ptr<Store>* out) {
  return state_->open(id_or_path, options_json, out);
}

// ---- RegistryState -------------------------------------------------------

Status RegistryState::resolve(std::string_view id_or_path, std::filesystem::path* out) {
  if (looks_like_path(id_or_path)) {
    *out = std::filesystem::path(id_or_path);
    return Status::Ok();
  }
  if (!valid_id(id_or_path))
    return InvalidArgument("plugin id '" + std::string(id_or_path) +
                           "' is invalid: use lower-case letters, digits, '_' and '-', or a path to a .so");
  std::string file = std::string(kPrefix) + std::string(id_or_path) + kSuffix;
  std::vector<std::filesystem::path> dirs;
  {
    std::lock_guard lock(mutex);
    dirs = search_paths;
  }
  std::string tried;
  for (const auto& dir : dirs) {
    std::error_code ec;
    auto candidate = dir / file;
    if (std::filesystem::exists(candidate, ec)) {
      *out = candidate;
      return Status::Ok();
    }
    tried += (tried.empty() ? "" : ", ") + dir.string();
  }
  return NotFound("unknown backend '" + std::string(id_or_path) + "': no " + file + " in " + tried);
}

Status RegistryState::load(std::string_view id_or_path, std::shared_ptr<Library>* out) {
  std::filesystem::path path;
  Status s = resolve(id_or_path, &path);
  if (!s.ok()) return s;
  std::error_code ec;
  auto key = std::filesystem::weakly_canonical(path, ec);
  if (ec) key = std::filesystem::absolute(path);

  std::lock_guard lock(mutex);
  if (auto it = loaded.find(key); it != loaded.end())
    if (auto lib = it->second.lock()) {
      *out = std::move(lib);
      return Status::Ok();
    }
  std::shared_ptr<Library> lib;
  s = Library::load(key, shared_from_this(), &lib);
  if (!s.ok()) return s;
  if (!looks_like_path(id_or_path) && lib->info().id != id_or_path)
    return InvalidArgument("plugin '" + key.string() + "' declares id '" + lib->info().id + "', expected '" +
                           std::string(id_or_path) + "'");
  loaded[key] = lib;
  *out = std::move(lib);
  return Status::Ok();
}

}  // namespace graphstore
