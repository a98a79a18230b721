// What a Registry shares with the libraries it loaded and the stores it
// opened: search paths, the cache of loaded libraries, and the host services
// (gs_host) handed to every plugin. Outlives the Registry while any library
// from it is loaded.
#ifndef GRAPHSTORE_CORE_REGISTRY_STATE_HPP
#define GRAPHSTORE_CORE_REGISTRY_STATE_HPP

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "graphstore/abi.h"
#include "graphstore/status.hpp"
#include "graphstore/store.hpp"

namespace graphstore {

class Library;

struct RegistryState : std::enable_shared_from_this<RegistryState> {
  std::mutex mutex;
  std::vector<std::filesystem::path> search_paths;  // in search order
  std::map<std::filesystem::path, std::weak_ptr<Library>> loaded;
  // Stores opened by plugins through gs_host::open_store.
  std::unordered_map<gs_store*, std::unique_ptr<Store>> hosted;
  gs_host host{};

  RegistryState();
  Status resolve(std::string_view id_or_path, std::filesystem::path* out);
  Status load(std::string_view id_or_path, std::shared_ptr<Library>* out);
  Status open(std::string_view id_or_path, std::string_view options_json, std::unique_ptr<Store>* out);
};

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_REGISTRY_STATE_HPP
