// A descriptor whose struct_size stops before the store table: smaller than
// any ABI 1.x descriptor, so the host must refuse it without reading `api`.
#include <cstddef>

#include "graphstore/plugin.hpp"

extern "C" GS_PLUGIN_EXPORT gs_status gs_plugin_entry(const gs_host*, const gs_plugin_descriptor** out, gs_errbuf*) {
  static const gs_plugin_descriptor descriptor = {offsetof(gs_plugin_descriptor, api),
                                                  GS_ABI_MAJOR,
                                                  GS_ABI_MINOR,
                                                  "small_descriptor",
                                                  "Truncated descriptor",
                                                  "1.0.0",
                                                  0,
                                                  GS_THREADING_SERIAL,
                                                  nullptr};
  *out = &descriptor;
  return GS_OK;
}
