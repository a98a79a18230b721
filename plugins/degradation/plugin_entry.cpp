// The plugin's one exported symbol, gs_plugin_entry.
#include "graphstore/plugin.hpp"
#include "store.hpp"

GS_DEFINE_PLUGIN(graphstore::degradation::DegradingStore, "degradation",
                 "Graceful degradation: a primary store, a fallback and a write journal", "0.1.0", GS_CAP_DECORATOR,
                 GS_THREADING_CONCURRENT)
