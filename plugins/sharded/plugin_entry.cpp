// The plugin's one exported symbol, gs_plugin_entry.
#include "graphstore/plugin.hpp"
#include "store.hpp"

GS_DEFINE_PLUGIN(graphstore::sharded::ShardedStore, "sharded",
                 "Tenants spread over several stores by a placement catalog in PostgreSQL", "0.1.0", GS_CAP_DECORATOR,
                 GS_THREADING_CONCURRENT)
