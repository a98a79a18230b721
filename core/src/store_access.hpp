// Lets the registry construct Store objects, whose constructor is private so
// that hosts only ever get stores from Registry::open.
#ifndef GRAPHSTORE_CORE_STORE_ACCESS_HPP
#define GRAPHSTORE_CORE_STORE_ACCESS_HPP

#include <memory>

#include "store_impl.hpp"

namespace graphstore {

struct StoreAccess {
  static std::unique_ptr<Store> make(std::shared_ptr<Library> library, const gs_plugin_descriptor* descriptor,
                                     gs_store* handle, PluginInfo info) {
    return std::unique_ptr<Store>(
        new Store(std::make_unique<Store::Impl>(std::move(library), descriptor, handle, std::move(info))));
  }
  static gs_store* handle(const Store& s) { return s.impl_->handle; }
  static const gs_plugin_descriptor* descriptor(const Store& s) { return s.impl_->descriptor; }
};

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_STORE_ACCESS_HPP
