// A plugin that cannot initialise: its entry returns an error and a message
// the host must pass on.
#include "graphstore/plugin.hpp"

extern "C" GS_PLUGIN_EXPORT gs_status gs_plugin_entry(const gs_host*, const gs_plugin_descriptor**, gs_errbuf* err) {
  graphstore::sdk::write_error(err, "license server unreachable at 10.0.0.1:7000");
  return GS_UNAVAILABLE;
}
