// The plugin's one exported symbol, gs_plugin_entry. Not GS_CAP_PERSISTENT:
// the store writes nothing, it reads what the reference wrote.
#include "graphstore/plugin.hpp"
#include "store.hpp"

GS_DEFINE_PLUGIN(graphstore::aiecs_reference::ReferenceStore, "aiecs_reference",
                 "The reference system's databases (read-only)", "0.1.0", 0, GS_THREADING_SERIAL)
