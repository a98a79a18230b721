// A plugin from a future ABI 1.7: its descriptor and store table are larger
// than this host knows (fields appended within the major). The host must
// load it and use the fields it knows.
#include "hello_store.hpp"

namespace {

struct DescriptorV17 {
  gs_plugin_descriptor v10;
  const char* future_homepage;
};

struct StoreApiV17 {
  gs_store_api v10;
  void* future_slot;
};

StoreApiV17 table() {
  StoreApiV17 api{graphstore::sdk::make_api<hello::HelloStore>(), nullptr};
  api.v10.struct_size = sizeof(StoreApiV17);
  return api;
}

}  // namespace

extern "C" GS_PLUGIN_EXPORT gs_status gs_plugin_entry(const gs_host*, const gs_plugin_descriptor** out, gs_errbuf*) {
  static const StoreApiV17 api = table();
  static const DescriptorV17 descriptor = {
      {sizeof(DescriptorV17), 1, 7, "newer_minor", "ABI 1.7 plugin", "1.7.0", 0, GS_THREADING_SERIAL, &api.v10},
      "https://example.org"};
  *out = &descriptor.v10;
  return GS_OK;
}
