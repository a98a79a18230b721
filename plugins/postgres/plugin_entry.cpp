// The postgres plugin's one exported symbol.
#include "graphstore/plugin.hpp"
#include "store.hpp"

GS_DEFINE_PLUGIN(graphstore::postgres::PostgresStore, "postgres", "PostgreSQL", "0.1.0", GS_CAP_PERSISTENT,
                 GS_THREADING_CONCURRENT)
