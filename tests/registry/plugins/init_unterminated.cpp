// A plugin that cannot initialise and breaks the ABI's rule for its message:
// it fills the host's error buffer to the last byte with no terminating NUL.
// The host must read no further than the buffer.
#include <cstring>

#include "graphstore/plugin.hpp"

extern "C" GS_PLUGIN_EXPORT gs_status gs_plugin_entry(const gs_host*, const gs_plugin_descriptor**, gs_errbuf* err) {
  if (err != nullptr && err->data != nullptr) std::memset(err->data, 'u', err->capacity);
  return GS_UNAVAILABLE;
}
