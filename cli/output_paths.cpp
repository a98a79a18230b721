#include "output_paths.hpp"

#include <rapidjson/document.h>
#include <sys/stat.h>

namespace graphstore::cli {
namespace {

namespace fs = std::filesystem;

// A path followed to what a write would reach: links (also dangling ones,
// whose target a write would create) resolved, then made canonical as far as
// it exists.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path cur = fs::absolute(path, ec);
  if (ec) cur = path;
  // 40 as the kernel's own limit on links in one lookup (ELOOP).
  for (int hop = 0; hop < 40 && fs::is_symlink(cur, ec); ++hop) {
    fs::path target = fs::read_symlink(cur, ec);
    if (ec) break;
    cur = target.is_absolute() ? target : cur.parent_path() / target;
  }
  fs::path canonical = fs::weakly_canonical(cur, ec);
  return ec ? cur.lexically_normal() : canonical;
}

struct Identity {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  mode_t mode = 0;
  fs::path canonical;
};

Identity identify(const fs::path& path) {
  Identity id;
  id.canonical = resolved(path);
  struct stat st {};
  if (::stat(id.canonical.c_str(), &st) == 0) {
    id.exists = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.mode = st.st_mode;
  }
  return id;
}

bool same_file(const Identity& a, const Identity& b) {
  if (a.exists && b.exists) return a.dev == b.dev && a.ino == b.ino;
  return a.exists == b.exists && a.canonical == b.canonical;
}

// The guarded file path resolves to, or nullptr.
const GuardedFiles::File* collision(const Identity& out, const GuardedFiles& guarded) {
  for (const auto& g : guarded.files)
    if (same_file(out, identify(g.path))) return &g;
  return nullptr;
}

Status refused(const std::string& option, const fs::path& path, const std::string& why) {
  return InvalidArgument(option + " '" + path.string() + "': " + why + "; nothing was written");
}

bool is_path_key(std::string_view key) {
  return key == "path" || (key.size() > 5 && key.substr(key.size() - 5) == "_path");
}

void collect_paths(const rapidjson::Value& v, std::vector<std::string>* out) {
  if (!v.IsObject()) return;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (it->value.IsString() && is_path_key(key)) {
      std::string value(it->value.GetString(), it->value.GetStringLength());
      if (!value.empty() && value != ":memory:") out->push_back(std::move(value));
    } else if (it->value.IsObject()) {
      collect_paths(it->value, out);
    }
  }
}

}  // namespace

void GuardedFiles::add_input(const fs::path& path) {
  if (path != "-") files.push_back({path, "the input file"});
}

void GuardedFiles::add_store(const BackendConfig& config) {
  rapidjson::Document doc;
  doc.Parse(config.options_json.c_str(), config.options_json.size());
  if (doc.HasParseError()) return;
  std::vector<std::string> paths;
  collect_paths(doc, &paths);
  std::string what = "a file of the store of environment '" + config.environment + "'";
  for (const auto& p : paths) {
    files.push_back({p, what});
    for (const char* sibling : {"-wal", "-shm", "-journal", ".rejected"}) files.push_back({p + sibling, what});
  }
}

Status check_output_file(const fs::path& path, const std::string& option, const GuardedFiles& guarded, bool overwrite) {
  Identity out = identify(path);
  if (const auto* g = collision(out, guarded); g != nullptr)
    return refused(option, path, "it is " + g->what + " (" + g->path.string() + ")");
  // The export writes PATH.partial and renames it into place.
  fs::path partial = path;
  partial += ".partial";
  if (const auto* g = collision(identify(partial), guarded); g != nullptr)
    return refused(option, path, "its temporary file " + partial.string() + " is " + g->what);
  if (out.exists && S_ISDIR(out.mode)) return refused(option, path, "it is a directory");
  if (out.exists && S_ISREG(out.mode) && !overwrite)
    return refused(option, path, "the file exists; --overwrite replaces it");
  return Status::Ok();
}

Status check_rewritten_file(const fs::path& path, const std::string& option, const GuardedFiles& guarded) {
  if (const auto* g = collision(identify(path), guarded); g != nullptr)
    return refused(option, path, "it is " + g->what + " (" + g->path.string() + ")");
  // A checkpoint is written to PATH.tmp and renamed over PATH.
  fs::path tmp = path;
  tmp += ".tmp";
  if (const auto* g = collision(identify(tmp), guarded); g != nullptr)
    return refused(option, path, "its temporary file " + tmp.string() + " is " + g->what);
  return Status::Ok();
}

Status check_output_dir(const fs::path& path, const std::string& option, const GuardedFiles& guarded) {
  Identity out = identify(path);
  if (const auto* g = collision(out, guarded); g != nullptr)
    return refused(option, path, "it is " + g->what + " (" + g->path.string() + "), not a directory");
  return Status::Ok();
}

}  // namespace graphstore::cli
