/* abi.h as a C11 translation unit under -std=c11 -pedantic -Wall -Wextra
 * -Werror, with the layout pins: a plugin written in C sees the same ABI. */
#include "abi_layout.h"
#include "graphstore/abi.h"

/* A C plugin's entry point type-checks against the typedef. */
static gs_status c_entry(const gs_host* host, const gs_plugin_descriptor** out, gs_errbuf* err) {
  (void)host;
  (void)err;
  *out = NULL;
  return GS_NOT_FOUND;
}

gs_plugin_entry_fn graphstore_abi_c11_check_entry(void);
gs_plugin_entry_fn graphstore_abi_c11_check_entry(void) { return &c_entry; }

/* GS_HAS_FIELD is usable from C. */
int graphstore_abi_c11_has_traverse(const gs_store_api* api);
int graphstore_abi_c11_has_traverse(const gs_store_api* api) { return GS_HAS_FIELD(gs_store_api, api, traverse); }
