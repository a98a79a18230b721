// The plugin's one exported symbol, gs_plugin_entry.
#include "graphstore/plugin.hpp"
#include "store.hpp"

GS_DEFINE_PLUGIN(graphstore::inmemory::InMemoryStore, "inmemory", "In-memory graph store", "0.1.0", GS_CAP_NONBLOCKING,
                 GS_THREADING_CONCURRENT)
