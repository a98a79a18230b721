/*
 * The slot list: every gs_store_api slot after open and close, in declaration
 * order, with its kind and the ABI minor that added it. abi.h includes this
 * file after the struct; the struct stays written out there for readers, and
 * the assertions at the end of this file prove the two agree (every listed
 * slot exists, in list order, and the list covers the whole struct), so a
 * slot added to one and not the other fails to compile.
 *
 * Generated from it: plugin.hpp's make_api and native-slot checks, the host's
 * missing-slot and capability checks (core/src/library.cpp), the metering
 * table (core/src/metered.*), the degradation plugin's forwarding. Adding a
 * slot: sdk/README.md, "Adding a slot".
 *
 * X(name, kind, minor) once per slot:
 *  GS_SLOT_TIER1     mandatory: a plugin that leaves it NULL does not load.
 *  GS_SLOT_TIER2     optional; NULL (or GS_UNSUPPORTED before any sink
 *                    call) runs the core's default over Tier 1.
 *  GS_SLOT_OPTIONAL  optional without a default: NULL means the store
 *                    offers nothing of the kind.
 * A host reads a slot of minor > 0 only where GS_HAS_FIELD shows it.
 */
#ifndef GRAPHSTORE_ABI_SLOTS_H
#define GRAPHSTORE_ABI_SLOTS_H

#define GS_SLOT_TIER1 1
#define GS_SLOT_TIER2 2
#define GS_SLOT_OPTIONAL 3

/* clang-format off */
#define GS_STORE_API_SLOTS(X)                     \
  X(add_entity,         GS_SLOT_TIER1,    0)      \
  X(get_entity,         GS_SLOT_TIER1,    0)      \
  X(update_entity,      GS_SLOT_TIER1,    0)      \
  X(delete_entity,      GS_SLOT_TIER1,    0)      \
  X(add_relation,       GS_SLOT_TIER1,    0)      \
  X(get_relation,       GS_SLOT_TIER1,    0)      \
  X(update_relation,    GS_SLOT_TIER1,    0)      \
  X(delete_relation,    GS_SLOT_TIER1,    0)      \
  X(get_neighbors,      GS_SLOT_TIER1,    0)      \
  X(for_each_entity,    GS_SLOT_TIER1,    0)      \
  X(for_each_relation,  GS_SLOT_TIER1,    0)      \
  X(list_tenants,       GS_SLOT_TIER1,    0)      \
  X(apply_batch,        GS_SLOT_TIER1,    0)      \
  X(traverse,           GS_SLOT_TIER2,    0)      \
  X(find_paths,         GS_SLOT_TIER2,    0)      \
  X(subgraph,           GS_SLOT_TIER2,    0)      \
  X(scan_entities,      GS_SLOT_TIER2,    0)      \
  X(scan_relations,     GS_SLOT_TIER2,    0)      \
  X(vector_search,      GS_SLOT_TIER2,    0)      \
  X(text_search,        GS_SLOT_TIER2,    0)      \
  X(add_entities_bulk,  GS_SLOT_TIER2,    0)      \
  X(add_relations_bulk, GS_SLOT_TIER2,    0)      \
  X(get_stats,          GS_SLOT_TIER2,    0)      \
  X(collect_gauges,     GS_SLOT_OPTIONAL, 1)      \
  X(collect_state,      GS_SLOT_OPTIONAL, 2)      \
  X(clear,              GS_SLOT_TIER2,    3)      \
  X(delete_by_source,   GS_SLOT_TIER2,    3)
/* clang-format on */

/* Each slot's position in the list: GS_SLOT_INDEX_add_entity == 0, ... */
#define GS_SLOT_INDEX_ENUMERATOR(name, kind, minor) GS_SLOT_INDEX_##name,
enum { GS_STORE_API_SLOTS(GS_SLOT_INDEX_ENUMERATOR) GS_SLOT_COUNT };
#undef GS_SLOT_INDEX_ENUMERATOR

/* ---- The list and the struct agree. --------------------------------------
 * Every slot is a function pointer, so slot i of the list sits right after
 * close plus i pointers, and the struct ends after the last one. */
#ifdef __cplusplus
#define GS_SLOTS_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define GS_SLOTS_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define GS_SLOT_OFFSET_CHECK(name, kind, minor)                                                                   \
  GS_SLOTS_STATIC_ASSERT(offsetof(gs_store_api, name) ==                                                          \
                             offsetof(gs_store_api, close) + sizeof(void (*)(void)) * (1 + GS_SLOT_INDEX_##name), \
                         "gs_store_api." #name " is not where GS_STORE_API_SLOTS puts it");
GS_STORE_API_SLOTS(GS_SLOT_OFFSET_CHECK)
#undef GS_SLOT_OFFSET_CHECK
GS_SLOTS_STATIC_ASSERT(sizeof(gs_store_api) ==
                           offsetof(gs_store_api, close) + sizeof(void (*)(void)) * (1 + GS_SLOT_COUNT),
                       "gs_store_api and GS_STORE_API_SLOTS differ: a slot is in one and not the other");

/* Minors never decrease along the list: a slot is appended after every slot
 * of an earlier minor, never inserted among them. */
#define GS_SLOT_MINOR_STEP(name, kind, minor) minor) && ((minor) <=
GS_SLOTS_STATIC_ASSERT(((0 <= GS_STORE_API_SLOTS(GS_SLOT_MINOR_STEP) GS_ABI_MINOR)),
                       "GS_STORE_API_SLOTS: a slot's minor is lower than an earlier slot's, or above GS_ABI_MINOR");
#undef GS_SLOT_MINOR_STEP
#undef GS_SLOTS_STATIC_ASSERT

#endif /* GRAPHSTORE_ABI_SLOTS_H */
