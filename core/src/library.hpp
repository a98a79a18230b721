// A loaded plugin library: the shared object, its descriptor, and the
// registry state whose host services it was given. Stores hold a
// shared_ptr<Library>, so the object stays mapped while any of them lives.
#ifndef GRAPHSTORE_CORE_LIBRARY_HPP
#define GRAPHSTORE_CORE_LIBRARY_HPP

#include <filesystem>
#include <memory>

#include <boost/dll/shared_library.hpp>

#include "graphstore/abi.h"
#include "graphstore/status.hpp"
#include "graphstore/store.hpp"

namespace graphstore {

struct RegistryState;

class Library {
 public:
  // Loads path and validates its entry symbol, ABI version and descriptor.
  // Each failure has its own message naming the file and the cause.
  static Status load(const std::filesystem::path& path, std::shared_ptr<RegistryState> state,
                     std::shared_ptr<Library>* out);

  const gs_plugin_descriptor* descriptor() const { return descriptor_; }
  const std::filesystem::path& path() const { return path_; }
  const PluginInfo& info() const { return info_; }
  const std::shared_ptr<RegistryState>& state() const { return state_; }

 private:
  boost::dll::shared_library lib_;
  std::filesystem::path path_;
  const gs_plugin_descriptor* descriptor_ = nullptr;
  PluginInfo info_;
  std::shared_ptr<RegistryState> state_;
};

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_LIBRARY_HPP
