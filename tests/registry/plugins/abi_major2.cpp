// A plugin built for a future ABI 2.0: the host must refuse it and name both
// versions.
#include "graphstore/plugin.hpp"

extern "C" GS_PLUGIN_EXPORT gs_status gs_plugin_entry(const gs_host*, const gs_plugin_descriptor** out, gs_errbuf*) {
  static const gs_plugin_descriptor descriptor = {
      sizeof(gs_plugin_descriptor), 2, 0, "abi_major2", "ABI 2 plugin", "2.0.0", 0, GS_THREADING_SERIAL, nullptr};
  *out = &descriptor;
  return GS_OK;
}
