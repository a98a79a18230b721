// A shared object that exports a symbol, but not gs_plugin_entry: the host
// must say the entry symbol is missing.
#include "graphstore/abi.h"

extern "C" GS_PLUGIN_EXPORT int gs_plugin_entry_v0(void) { return 0; }
