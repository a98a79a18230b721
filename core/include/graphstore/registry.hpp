// graphstore::Registry: finds, loads and opens backend plugins.
//
// A plugin is named by id ("sqlite": the file libgraphstore_sqlite.so in a
// search path) or by a path to a shared object. Loading checks the entry
// symbol, the ABI major and the descriptor's size, and every failure is a
// distinct Status naming the file and the cause. Libraries stay loaded while
// any Store from them lives, even after the Registry is gone.
// Thread-safe: every method may be called from any thread.
#ifndef GRAPHSTORE_REGISTRY_HPP
#define GRAPHSTORE_REGISTRY_HPP

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/store.hpp"

namespace graphstore {

struct RegistryState;  // core/src/registry_state.hpp

class Registry {
 public:
  // Searches `search_paths` in order, then default_search_paths() (read
  // once, here). Loads nothing yet; never fails.
  explicit Registry(std::vector<std::filesystem::path> search_paths = {});
  // Stores opened through this Registry stay valid: each keeps its library.
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // $GRAPHSTORE_PLUGIN_PATH (colon-separated), then <dir of the running
  // executable>/../lib/graphstore, then the install prefix's lib/graphstore.
  // Never fails; any thread.
  static std::vector<std::filesystem::path> default_search_paths();

  // Searches dir before the default paths (after earlier additions); a
  // directory already searched is not added again. Never fails.
  void add_search_path(const std::filesystem::path& dir);

  // The file a plugin id resolves to: the first search path holding
  // libgraphstore_<id>.so; a path (holding '/' or ending in ".so") is
  // returned as given. NOT_FOUND lists the directories searched;
  // INVALID_ARGUMENT for an id that is not lower-case letters, digits, '_'
  // and '-'. On failure *out is unchanged.
  Status resolve(std::string_view id_or_path, std::filesystem::path* out) const;

  // Loads a plugin (id or path) and describes it, without opening a store.
  // Failures of resolve, plus, naming the file: NOT_FOUND (no such file),
  // INVALID_ARGUMENT (not a loadable shared object, no entry symbol, or a
  // descriptor whose id is not the one asked for), INTERNAL (the entry
  // failed), ABI_MISMATCH (another ABI major, a descriptor or table too
  // small, a mandatory slot NULL). On failure *out is unchanged.
  Status describe(std::string_view id_or_path, PluginInfo* out);

  // Describes every plugin found in the search paths, sorted by id; an id
  // found earlier in the search order hides later copies. Files that fail to
  // load are reported in `errors` (if given; appended) with describe's
  // statuses, not as failure: always OK, *out cleared first.
  Status list(std::vector<PluginInfo>* out, std::vector<Status>* errors = nullptr);

  // Opens a store of the plugin with its options (a JSON object's text;
  // empty means {}). describe's failures, plus the plugin's own from its
  // open slot with its message (INVALID_ARGUMENT "option 'KEY' ..." for bad
  // options, UNAVAILABLE for an unreachable server, ...), INTERNAL when the
  // plugin returned no store. On failure *out is unchanged.
  Status open(std::string_view id_or_path, std::string_view options_json, std::unique_ptr<Store>* out);

 private:
  std::shared_ptr<RegistryState> state_;
};

}  // namespace graphstore

#endif  // GRAPHSTORE_REGISTRY_HPP
