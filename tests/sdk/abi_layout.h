/*
 * Pins the layout of every abi.h struct on LP64 Linux (x86_64, aarch64):
 * an accidental change to a field's type or order fails the build. Included
 * by a C11 and a C++ translation unit, so both languages agree.
 * Growth within ABI 1 appends fields, so only the sizes may change, and then
 * together with this file and the ABI history in abi.h.
 */
#ifndef GRAPHSTORE_TESTS_ABI_LAYOUT_H
#define GRAPHSTORE_TESTS_ABI_LAYOUT_H

#include <assert.h>
#include <stddef.h>

#include "graphstore/abi.h"

#ifdef __cplusplus
#define GS_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define GS_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define GS_PIN(type, field, offset) GS_STATIC_ASSERT(offsetof(type, field) == (offset), #type "." #field " moved")
#define GS_PIN_SIZE(type, size) GS_STATIC_ASSERT(sizeof(type) == (size), "sizeof(" #type ") changed")

/* Fixed values: status codes and enumerations never change. */
GS_STATIC_ASSERT(GS_ABI_MAJOR == 1, "ABI major");
GS_STATIC_ASSERT(GS_OK == 0 && GS_NOT_FOUND == 1 && GS_ALREADY_EXISTS == 2 && GS_INVALID_ARGUMENT == 3 &&
                     GS_UNSUPPORTED == 4 && GS_UNAVAILABLE == 5 && GS_RESOURCE_EXHAUSTED == 6 && GS_CORRUPTION == 7 &&
                     GS_PERMISSION_DENIED == 8 && GS_INTERNAL == 9 && GS_ABI_MISMATCH == 10,
                 "status codes are append-only");
GS_STATIC_ASSERT(GS_DIRECTION_OUT == 1 && GS_DIRECTION_IN == 2 && GS_DIRECTION_BOTH == 3, "directions");
GS_STATIC_ASSERT(GS_KIND_ENTITY == 1 && GS_KIND_RELATION == 2, "kinds");
GS_STATIC_ASSERT(GS_TEXT_BM25 == 1 && GS_TEXT_JACCARD == 2 && GS_TEXT_COSINE == 3 && GS_TEXT_LEVENSHTEIN == 4,
                 "text methods");
GS_STATIC_ASSERT(GS_OP_ADD_ENTITY == 1 && GS_OP_UPDATE_ENTITY == 2 && GS_OP_DELETE_ENTITY == 3 &&
                     GS_OP_ADD_RELATION == 4 && GS_OP_UPDATE_RELATION == 5 && GS_OP_DELETE_RELATION == 6,
                 "batch ops");
GS_STATIC_ASSERT(GS_THREADING_SERIAL == 0 && GS_THREADING_CONCURRENT == 1, "threading");
GS_STATIC_ASSERT(GS_CAP_PERSISTENT == 1u && GS_CAP_DECORATOR == 2u, "capabilities");
GS_STATIC_ASSERT(GS_LOG_DEBUG == 0 && GS_LOG_INFO == 1 && GS_LOG_WARN == 2 && GS_LOG_ERROR == 3, "log levels");
GS_STATIC_ASSERT(GS_NO_LIMIT == UINT64_MAX, "no limit");
GS_STATIC_ASSERT(sizeof(gs_status) == 4 && sizeof(gs_time_us) == 8, "scalar widths");

#if defined(__LP64__) && (defined(__x86_64__) || defined(__aarch64__))

GS_PIN(gs_str, data, 0);
GS_PIN(gs_str, len, 8);
GS_PIN_SIZE(gs_str, 16);
GS_PIN(gs_errbuf, capacity, 8);
GS_PIN_SIZE(gs_errbuf, 16);

GS_PIN(gs_entity, struct_size, 0);
GS_PIN(gs_entity, id, 8);
GS_PIN(gs_entity, entity_type, 24);
GS_PIN(gs_entity, properties_json, 40);
GS_PIN(gs_entity, embedding, 56);
GS_PIN(gs_entity, embedding_dim, 64);
GS_PIN(gs_entity, created_at, 72);
GS_PIN(gs_entity, updated_at, 80);
GS_PIN(gs_entity, source, 88);
GS_PIN(gs_entity, tenant_id, 104);
GS_PIN_SIZE(gs_entity, 120);

GS_PIN(gs_relation, id, 8);
GS_PIN(gs_relation, relation_type, 24);
GS_PIN(gs_relation, source_id, 40);
GS_PIN(gs_relation, target_id, 56);
GS_PIN(gs_relation, properties_json, 72);
GS_PIN(gs_relation, weight, 88);
GS_PIN(gs_relation, created_at, 96);
GS_PIN(gs_relation, updated_at, 104);
GS_PIN(gs_relation, source, 112);
GS_PIN(gs_relation, tenant_id, 128);
GS_PIN_SIZE(gs_relation, 144);

GS_PIN(gs_traverse_params, start_id, 8);
GS_PIN(gs_traverse_params, direction, 24);
GS_PIN(gs_traverse_params, relation_type, 32);
GS_PIN(gs_traverse_params, max_depth, 48);
GS_PIN(gs_traverse_params, max_results, 56);
GS_PIN_SIZE(gs_traverse_params, 64);

GS_PIN(gs_paths_params, source_id, 8);
GS_PIN(gs_paths_params, target_id, 24);
GS_PIN(gs_paths_params, relation_type, 40);
GS_PIN(gs_paths_params, max_depth, 56);
GS_PIN(gs_paths_params, max_paths, 64);
GS_PIN_SIZE(gs_paths_params, 72);

GS_PIN(gs_scan_params, type, 8);
GS_PIN(gs_scan_params, after_id, 24);
GS_PIN(gs_scan_params, offset, 40);
GS_PIN(gs_scan_params, limit, 48);
GS_PIN_SIZE(gs_scan_params, 56);

GS_PIN(gs_vector_params, query, 8);
GS_PIN(gs_vector_params, dim, 16);
GS_PIN(gs_vector_params, k, 20);
GS_PIN(gs_vector_params, entity_type, 24);
GS_PIN(gs_vector_params, min_score, 40);
GS_PIN(gs_vector_params, flags, 48);
GS_PIN_SIZE(gs_vector_params, 56);

GS_PIN(gs_text_params, query, 8);
GS_PIN(gs_text_params, method, 24);
GS_PIN(gs_text_params, k, 28);
GS_PIN(gs_text_params, entity_type, 32);
GS_PIN(gs_text_params, min_score, 48);
GS_PIN_SIZE(gs_text_params, 56);

GS_PIN(gs_write_op, kind, 4);
GS_PIN(gs_write_op, entity, 8);
GS_PIN(gs_write_op, relation, 16);
GS_PIN(gs_write_op, id, 24);
GS_PIN_SIZE(gs_write_op, 40);

/* The vtable: slot order is the ABI. These pins stay written out by hand:
 * they are the frozen record the generated slot list is checked against. */
GS_PIN(gs_store_api, open, 8);
GS_PIN(gs_store_api, close, 16);
GS_PIN(gs_store_api, add_entity, 24);
GS_PIN(gs_store_api, get_entity, 32);
GS_PIN(gs_store_api, update_entity, 40);
GS_PIN(gs_store_api, delete_entity, 48);
GS_PIN(gs_store_api, add_relation, 56);
GS_PIN(gs_store_api, get_relation, 64);
GS_PIN(gs_store_api, update_relation, 72);
GS_PIN(gs_store_api, delete_relation, 80);
GS_PIN(gs_store_api, get_neighbors, 88);
GS_PIN(gs_store_api, for_each_entity, 96);
GS_PIN(gs_store_api, for_each_relation, 104);
GS_PIN(gs_store_api, list_tenants, 112);
GS_PIN(gs_store_api, apply_batch, 120);
GS_PIN(gs_store_api, traverse, 128);
GS_PIN(gs_store_api, find_paths, 136);
GS_PIN(gs_store_api, subgraph, 144);
GS_PIN(gs_store_api, scan_entities, 152);
GS_PIN(gs_store_api, scan_relations, 160);
GS_PIN(gs_store_api, vector_search, 168);
GS_PIN(gs_store_api, text_search, 176);
GS_PIN(gs_store_api, add_entities_bulk, 184);
GS_PIN(gs_store_api, add_relations_bulk, 192);
GS_PIN(gs_store_api, get_stats, 200);
GS_PIN(gs_store_api, collect_gauges, 208); /* ABI 1.1 */
GS_PIN(gs_store_api, collect_state, 216);  /* ABI 1.2 */
GS_PIN(gs_store_api, clear, 224);          /* ABI 1.3 */
GS_PIN(gs_store_api, delete_by_source, 232);
GS_PIN_SIZE(gs_store_api, 240);

GS_STATIC_ASSERT(GS_CLEAR_TENANT == 1 && GS_CLEAR_ALL_TENANTS == 2, "clear scopes are fixed");
GS_PIN(gs_removed, entities, 8);
GS_PIN(gs_removed, relations, 16);
GS_PIN_SIZE(gs_removed, 24);

/* The slot list's columns against the tables older plugins were built with:
 * the 1.0 Tier 1 part ends at 128 (tests/registry/plugins/old_abi.cpp) and
 * the whole table of minor m at the size below, so a slot listed under the
 * wrong kind or minor fails here. (abi_slots.h itself checks that the list
 * and the struct agree slot by slot.) */
#define GS_SLOT_IS_TIER1(name, kind, minor) +((kind) == GS_SLOT_TIER1)
GS_STATIC_ASSERT(24 + 8 * (0 GS_STORE_API_SLOTS(GS_SLOT_IS_TIER1)) == 128, "Tier 1 slots of ABI 1.0");
#undef GS_SLOT_IS_TIER1
#define GS_SLOT_UP_TO_MINOR(name, kind, minor) +((minor) <= GS_LAYOUT_MINOR)
#define GS_LAYOUT_MINOR 0
GS_STATIC_ASSERT(24 + 8 * (0 GS_STORE_API_SLOTS(GS_SLOT_UP_TO_MINOR)) == 208, "table of ABI 1.0");
#undef GS_LAYOUT_MINOR
#define GS_LAYOUT_MINOR 1
GS_STATIC_ASSERT(24 + 8 * (0 GS_STORE_API_SLOTS(GS_SLOT_UP_TO_MINOR)) == 216, "table of ABI 1.1");
#undef GS_LAYOUT_MINOR
#define GS_LAYOUT_MINOR 2
GS_STATIC_ASSERT(24 + 8 * (0 GS_STORE_API_SLOTS(GS_SLOT_UP_TO_MINOR)) == 224, "table of ABI 1.2");
#undef GS_LAYOUT_MINOR
#define GS_LAYOUT_MINOR 3
GS_STATIC_ASSERT(24 + 8 * (0 GS_STORE_API_SLOTS(GS_SLOT_UP_TO_MINOR)) == 240, "table of ABI 1.3");
#undef GS_LAYOUT_MINOR
#undef GS_SLOT_UP_TO_MINOR

GS_PIN(gs_plugin_descriptor, abi_major, 4);
GS_PIN(gs_plugin_descriptor, abi_minor, 6);
GS_PIN(gs_plugin_descriptor, id, 8);
GS_PIN(gs_plugin_descriptor, name, 16);
GS_PIN(gs_plugin_descriptor, version, 24);
GS_PIN(gs_plugin_descriptor, capabilities, 32);
GS_PIN(gs_plugin_descriptor, threading, 40);
GS_PIN(gs_plugin_descriptor, api, 48);
GS_PIN_SIZE(gs_plugin_descriptor, 56);

GS_PIN(gs_host, abi_major, 4);
GS_PIN(gs_host, abi_minor, 6);
GS_PIN(gs_host, ctx, 8);
GS_PIN(gs_host, log, 16);
GS_PIN(gs_host, open_store, 24);
GS_PIN(gs_host, close_store, 32);
GS_PIN_SIZE(gs_host, 40);

#endif /* LP64 */

#endif /* GRAPHSTORE_TESTS_ABI_LAYOUT_H */
