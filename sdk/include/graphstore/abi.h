/*
 * graphstore C ABI: the only contract between the graphstore core and a
 * storage backend plugin.
 *
 * ABI policy (read this before changing anything below):
 *  - A plugin is a shared object exporting exactly one symbol,
 *    GS_PLUGIN_ENTRY_SYMBOL, whose signature never changes. Everything else in
 *    the object is hidden.
 *  - Only plain C types cross the boundary: fixed-width integers, doubles,
 *    UTF-8 strings as pointer plus length (gs_str), `const float*` with a
 *    dimension, and opaque handles. No allocation crosses it: what a plugin
 *    hands to a sink is valid only for the duration of that callback, and the
 *    host copies what it keeps.
 *  - Every struct begins with `struct_size`; root structs also carry the ABI
 *    major and minor. Growth is append-only within a major: a reader uses a
 *    field only where `struct_size` shows it is present (GS_HAS_FIELD).
 *    Arrays of structs cross as arrays of pointers so that growth never
 *    changes a stride.
 *  - Every fallible slot returns an int32_t status (GS_OK, GS_NOT_FOUND, ...)
 *    from an append-only list and writes a NUL-terminated human message into
 *    the host's gs_errbuf. Nothing throws or longjmps across the boundary.
 *  - Every data call carries a tenant. A tenant of length 0 is the global
 *    namespace. Tenants are separate namespaces: ids may repeat across them.
 *  - Tier 1 slots are mandatory. Tier 2 slots may be NULL, and the core then
 *    runs its default algorithm over Tier 1; a plugin fills one only to be
 *    faster, and must then return exactly what the default returns (the
 *    conformance suite compares them). A filled Tier 2 slot may still return
 *    GS_UNSUPPORTED before calling any sink, and the core then runs the
 *    default: a decorator fills every slot and answers so when the store it
 *    wraps lacks one (hosts since 1.2).
 *  - The slots are listed once more, with their tier and the minor that
 *    added each, in abi_slots.h (included below the vtable); the compiler
 *    checks that the list and the struct agree.
 *  - Every slot carries a thread tag, as CLAP's headers do:
 *      [any-thread]   any thread, at any time, concurrently with anything.
 *      [store-thread] any thread. A GS_THREADING_SERIAL plugin's store
 *                     receives one call at a time (the host holds one lock
 *                     per store around every slot so tagged, the collect_*
 *                     slots included); a GS_THREADING_CONCURRENT plugin's
 *                     store receives them from many threads at once.
 *      [no-call-in-flight] no other call on that store runs, or starts.
 *
 * History:
 *  1.0  first release.
 *  1.1  collect_gauges.
 *  1.2  collect_state; UNSUPPORTED from a filled Tier 2 slot asks for the
 *       default.
 *  1.3  clear and delete_by_source (Tier 2, with core defaults), gs_removed.
 *       GS_CAP_NONBLOCKING (a flag, no layout change: older hosts ignore it).
 *
 * This header compiles as C11 and as C++ with -pedantic.
 */
#ifndef GRAPHSTORE_ABI_H
#define GRAPHSTORE_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GS_ABI_MAJOR 1
#define GS_ABI_MINOR 3

/* The one exported symbol. */
#define GS_PLUGIN_ENTRY_SYMBOL "gs_plugin_entry"

#if defined(_WIN32)
#define GS_PLUGIN_EXPORT __declspec(dllexport)
#else
#define GS_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* True when `field` lies inside the first `ptr->struct_size` bytes. */
#define GS_HAS_FIELD(type, ptr, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ---- Status codes: fixed, append-only, never renumbered. ---------------- */
typedef int32_t gs_status;
#define GS_OK 0
#define GS_NOT_FOUND 1          /* the named entity, relation or tenant is absent */
#define GS_ALREADY_EXISTS 2     /* adding an id that exists in that tenant */
#define GS_INVALID_ARGUMENT 3   /* bad input: malformed JSON, dimension mismatch, ... */
#define GS_UNSUPPORTED 4        /* the plugin does not offer this */
#define GS_UNAVAILABLE 5        /* transient: database locked, server down */
#define GS_RESOURCE_EXHAUSTED 6 /* memory limit, pool exhausted */
#define GS_CORRUPTION 7         /* stored data is damaged */
#define GS_PERMISSION_DENIED 8  /* credentials or access rights */
#define GS_INTERNAL 9           /* a bug or an unexpected failure */
#define GS_ABI_MISMATCH 10      /* host and plugin disagree on the ABI */

/* ---- Basic types. ------------------------------------------------------- */

/* UTF-8 text, not necessarily NUL-terminated. For optional values,
 * data == NULL means "absent" (JSON null); {non-NULL, 0} is the empty string. */
typedef struct gs_str {
  const char* data;
  size_t len;
} gs_str;

/* Host-provided buffer for an error message. A plugin writes at most
 * `capacity` bytes including the terminating NUL; it truncates, never
 * overflows. `data` may be NULL when the host does not want a message. */
typedef struct gs_errbuf {
  char* data;
  size_t capacity;
} gs_errbuf;

/* Timestamps are microseconds since 1970-01-01T00:00:00Z, negative before
 * it. Every value a plugin receives is a time, 0 included: the host stamps
 * the timestamps a caller left out before the call, so a plugin stores what
 * it is given and never reads 0 as "now". */
typedef int64_t gs_time_us;

#define GS_DIRECTION_OUT 1
#define GS_DIRECTION_IN 2
#define GS_DIRECTION_BOTH 3

#define GS_KIND_ENTITY 1
#define GS_KIND_RELATION 2

#define GS_NO_LIMIT UINT64_MAX

/* ---- Data model. --------------------------------------------------------
 * On input (add, update, batch) the host has already validated the record
 * and filled its timestamps; `tenant_id` is ignored, the call's tenant is
 * authoritative. On output `tenant_id` is the namespace it lives in (length
 * 0 for the global one). `properties_json` is always a JSON object's text. */
typedef struct gs_entity {
  uint32_t struct_size;
  gs_str id;
  gs_str entity_type;
  gs_str properties_json;
  const float* embedding; /* NULL when embedding_dim == 0 */
  uint32_t embedding_dim; /* 0: no embedding */
  gs_time_us created_at;
  gs_time_us updated_at;
  gs_str source; /* data == NULL: no source */
  gs_str tenant_id;
} gs_entity;

typedef struct gs_relation {
  uint32_t struct_size;
  gs_str id;
  gs_str relation_type;
  gs_str source_id;
  gs_str target_id;
  gs_str properties_json;
  double weight;
  gs_time_us created_at;
  gs_time_us updated_at;
  gs_str source;
  gs_str tenant_id;
} gs_relation;

/* ---- Sinks: results flow to host callbacks. -----------------------------
 * Pointers passed to a sink are valid only during the call. A sink returns 0
 * to continue and non-zero to stop; a plugin that is stopped returns GS_OK
 * without calling the sink again. A sink runs on the thread that made the
 * call.
 *
 * Re-entrancy: a sink must not call into the store whose call is running it
 * (any slot of that same store); it may call other stores. The graphstore
 * host refuses such a call with GS_INVALID_ARGUMENT ("<op> called from inside
 * a callback of the same store") instead of deadlocking on a SERIAL store's
 * lock or racing a plugin's own, so a plugin may assume that its sinks never
 * re-enter it. */
typedef int32_t (*gs_entity_sink)(void* ctx, const gs_entity* entity);
typedef int32_t (*gs_relation_sink)(void* ctx, const gs_relation* relation);
/* One step of an expansion: the relation and the entity at its other end. */
typedef int32_t (*gs_neighbor_sink)(void* ctx, const gs_relation* relation,
                                    const gs_entity* neighbor);
/* One traversal hit: an entity, its BFS depth (>= 1) and the relation it was
 * reached by. */
typedef int32_t (*gs_traverse_sink)(void* ctx, const gs_entity* entity,
                                    uint32_t depth, const gs_relation* via);
/* One path: n_entities entities and n_entities - 1 relations, in order. */
typedef int32_t (*gs_path_sink)(void* ctx, const gs_entity* const* entities,
                                size_t n_entities,
                                const gs_relation* const* relations,
                                size_t n_relations);
typedef int32_t (*gs_scored_sink)(void* ctx, const gs_entity* entity,
                                  double score);
typedef int32_t (*gs_tenant_sink)(void* ctx, gs_str tenant);
/* One row of statistics: kind is GS_KIND_ENTITY or GS_KIND_RELATION. */
typedef int32_t (*gs_stats_sink)(void* ctx, int32_t kind, gs_str type,
                                 uint64_t count);
/* One gauge of a store's own state (since ABI 1.1): name is a Prometheus
 * metric name suffix such as "pool_connections_in_use", help one line. */
typedef int32_t (*gs_gauge_sink)(void* ctx, gs_str name, gs_str help,
                                 double value);
/* One line of a store's own account of its state (since ABI 1.2): a key
 * such as "mode" and its value as text. */
typedef int32_t (*gs_state_sink)(void* ctx, gs_str key, gs_str value);
/* An item a bulk add skipped: its index in the input, status and reason.
 * The return value is ignored: a bulk add always reports every skip. */
typedef int32_t (*gs_skip_sink)(void* ctx, size_t index, gs_status status,
                                gs_str message);

/* ---- Parameters of Tier 2 calls (sized, so they can grow). -------------- */

/* Breadth-first traversal from start_id. Hits are ordered by (depth, id);
 * each is reached by the lowest-id relation from the lowest-id entity of the
 * previous level. Stops after max_results hits (truncated = 1 when more
 * existed within max_depth). */
typedef struct gs_traverse_params {
  uint32_t struct_size;
  gs_str start_id;
  int32_t direction;    /* GS_DIRECTION_* */
  gs_str relation_type; /* len 0: any type */
  uint32_t max_depth;
  uint64_t max_results;
} gs_traverse_params;

/* All simple directed paths from source_id to target_id with at most
 * max_depth relations, ordered by length, then by the sequence of relation
 * ids. Stops after max_paths (truncated = 1 when more existed). */
typedef struct gs_paths_params {
  uint32_t struct_size;
  gs_str source_id;
  gs_str target_id;
  gs_str relation_type; /* len 0: any type */
  uint32_t max_depth;
  uint64_t max_paths;
} gs_paths_params;

/* Keyset-paged scan ordered by id (bytewise): ids greater than after_id
 * (len 0: from the start) of the given type (len 0: any), skipping `offset`,
 * at most `limit` (GS_NO_LIMIT: all). */
typedef struct gs_scan_params {
  uint32_t struct_size;
  gs_str type;
  gs_str after_id;
  uint64_t offset;
  uint64_t limit;
} gs_scan_params;

/* Top-k by cosine similarity in [-1, 1] (0 when a norm is 0), ordered by
 * score descending then id ascending, scores >= min_score only. Scores are
 * always exact; which entities are found may come from an approximate index
 * (a store option) unless flags holds GS_VECTOR_EXACT. Either way, when k
 * entities pass the filters, k come back. */
typedef struct gs_vector_params {
  uint32_t struct_size;
  const float* query;
  uint32_t dim;
  uint32_t k;
  gs_str entity_type; /* len 0: any */
  double min_score;
  /* Added after ABI 1.3 within the same minor: read only where struct_size
   * shows it (GS_HAS_FIELD); a shorter struct means 0. */
  uint32_t flags; /* GS_VECTOR_* bits */
} gs_vector_params;

/* gs_vector_params.flags: find the top k by a full scan, never by an index. */
#define GS_VECTOR_EXACT 1u

#define GS_TEXT_BM25 1
#define GS_TEXT_JACCARD 2
#define GS_TEXT_COSINE 3
#define GS_TEXT_LEVENSHTEIN 4

/* Top-k text search over the string values of properties; the scores are
 * defined in docs/scores.md. Only scores > 0 and >= min_score, ordered by
 * score descending then id ascending. */
typedef struct gs_text_params {
  uint32_t struct_size;
  gs_str query;
  int32_t method; /* GS_TEXT_* */
  uint32_t k;
  gs_str entity_type; /* len 0: any */
  double min_score;
} gs_text_params;

/* ---- Atomic write batch. ------------------------------------------------ */
#define GS_OP_ADD_ENTITY 1
#define GS_OP_UPDATE_ENTITY 2
#define GS_OP_DELETE_ENTITY 3
#define GS_OP_ADD_RELATION 4
#define GS_OP_UPDATE_RELATION 5
#define GS_OP_DELETE_RELATION 6

typedef struct gs_write_op {
  uint32_t struct_size;
  int32_t kind;                /* GS_OP_* */
  const gs_entity* entity;     /* for entity adds and updates */
  const gs_relation* relation; /* for relation adds and updates */
  gs_str id;                   /* for deletes */
} gs_write_op;

/* ---- Removal (since ABI 1.3). ------------------------------------------- */
#define GS_CLEAR_TENANT 1      /* the call's tenant only (length 0: the global namespace) */
#define GS_CLEAR_ALL_TENANTS 2 /* every tenant and the global namespace; tenant must be empty */

/* What a removal took away: the entities and relations actually removed. */
typedef struct gs_removed {
  uint32_t struct_size;
  uint64_t entities;
  uint64_t relations;
} gs_removed;

/* ---- The store vtable. -------------------------------------------------- */
typedef struct gs_store gs_store; /* opaque, owned by the plugin */
struct gs_host;

typedef struct gs_store_api {
  uint32_t struct_size;

  /* Opens a store from its options (a JSON object's text). Unknown options
   * are GS_INVALID_ARGUMENT naming the key. On success *out is a store the
   * host releases with close. [any-thread] */
  gs_status (*open)(const struct gs_host* host, gs_str options_json,
                    gs_store** out, gs_errbuf* err);
  /* Releases a store. [no-call-in-flight] */
  void (*close)(gs_store* store);

  /* ---- Tier 1: mandatory. Every slot below is [store-thread]. ---- */
  /* ALREADY_EXISTS when the id exists in the tenant; INVALID_ARGUMENT when
   * the embedding's dimension differs from the tenant's stored ones;
   * RESOURCE_EXHAUSTED past a memory limit. [store-thread] */
  gs_status (*add_entity)(gs_store* store, gs_str tenant,
                          const gs_entity* entity, gs_errbuf* err);
  /* Calls sink once with the entity, or returns NOT_FOUND. [store-thread] */
  gs_status (*get_entity)(gs_store* store, gs_str tenant, gs_str id,
                          gs_entity_sink sink, void* ctx, gs_errbuf* err);
  /* Replaces type, properties, embedding, source and updated_at; keeps
   * created_at. NOT_FOUND when absent. [store-thread] */
  gs_status (*update_entity)(gs_store* store, gs_str tenant,
                             const gs_entity* entity, gs_errbuf* err);
  /* Deletes the entity and every relation that touches it. [store-thread] */
  gs_status (*delete_entity)(gs_store* store, gs_str tenant, gs_str id,
                             gs_errbuf* err);
  /* NOT_FOUND when an endpoint is absent from the tenant; ALREADY_EXISTS
   * when the id exists. Parallel relations stay distinct. [store-thread] */
  gs_status (*add_relation)(gs_store* store, gs_str tenant,
                            const gs_relation* relation, gs_errbuf* err);
  /* Calls sink once with the relation, or returns NOT_FOUND. [store-thread] */
  gs_status (*get_relation)(gs_store* store, gs_str tenant, gs_str id,
                            gs_relation_sink sink, void* ctx, gs_errbuf* err);
  /* Replaces every field but id and created_at; endpoints must exist.
   * [store-thread] */
  gs_status (*update_relation)(gs_store* store, gs_str tenant,
                               const gs_relation* relation, gs_errbuf* err);
  /* NOT_FOUND when absent. [store-thread] */
  gs_status (*delete_relation)(gs_store* store, gs_str tenant, gs_str id,
                               gs_errbuf* err);
  /* (relation, neighbour) pairs around id, in any order; relation_type of
   * len 0 matches any. A self-loop is reported once even for BOTH.
   * NOT_FOUND when id is absent. [store-thread] */
  gs_status (*get_neighbors)(gs_store* store, gs_str tenant, gs_str id,
                             int32_t direction, gs_str relation_type,
                             gs_neighbor_sink sink, void* ctx, gs_errbuf* err);
  /* Every entity / relation of the tenant, in any order. [store-thread] */
  gs_status (*for_each_entity)(gs_store* store, gs_str tenant,
                               gs_entity_sink sink, void* ctx, gs_errbuf* err);
  gs_status (*for_each_relation)(gs_store* store, gs_str tenant,
                                 gs_relation_sink sink, void* ctx,
                                 gs_errbuf* err);
  /* Every non-global tenant that holds data, in any order. [store-thread] */
  gs_status (*list_tenants)(gs_store* store, gs_tenant_sink sink, void* ctx,
                            gs_errbuf* err);
  /* Applies ops in order, all or nothing: later ops see earlier ones. On
   * failure nothing is applied and *failed_index names the op.
   * [store-thread] */
  gs_status (*apply_batch)(gs_store* store, gs_str tenant,
                           const gs_write_op* const* ops, size_t n_ops,
                           size_t* failed_index, gs_errbuf* err);

  /* ---- Tier 2: optional; NULL means the core's default. Every slot below
   * is [store-thread]. ---- */
  /* Parameters and order: gs_traverse_params. [store-thread] */
  gs_status (*traverse)(gs_store* store, gs_str tenant,
                        const gs_traverse_params* params, gs_traverse_sink sink,
                        void* ctx, int32_t* truncated, gs_errbuf* err);
  /* Parameters and order: gs_paths_params. [store-thread] */
  gs_status (*find_paths)(gs_store* store, gs_str tenant,
                          const gs_paths_params* params, gs_path_sink sink,
                          void* ctx, int32_t* truncated, gs_errbuf* err);
  /* The entities among ids that exist (ordered by id), then every relation
   * whose two endpoints are among them (ordered by id). Both sinks receive
   * ctx. [store-thread] */
  gs_status (*subgraph)(gs_store* store, gs_str tenant, const gs_str* ids,
                        size_t n_ids, gs_entity_sink entity_sink,
                        gs_relation_sink relation_sink, void* ctx,
                        gs_errbuf* err);
  /* Parameters and order: gs_scan_params. [store-thread] */
  gs_status (*scan_entities)(gs_store* store, gs_str tenant,
                             const gs_scan_params* params, gs_entity_sink sink,
                             void* ctx, gs_errbuf* err);
  gs_status (*scan_relations)(gs_store* store, gs_str tenant,
                              const gs_scan_params* params,
                              gs_relation_sink sink, void* ctx,
                              gs_errbuf* err);
  /* Parameters and order: gs_vector_params / gs_text_params.
   * [store-thread] */
  gs_status (*vector_search)(gs_store* store, gs_str tenant,
                             const gs_vector_params* params,
                             gs_scored_sink sink, void* ctx, gs_errbuf* err);
  gs_status (*text_search)(gs_store* store, gs_str tenant,
                           const gs_text_params* params, gs_scored_sink sink,
                           void* ctx, gs_errbuf* err);
  /* Adds each item on its own: duplicates and invalid items are skipped and
   * reported through skip (earlier items of the same call count). Any other
   * failure stops the call with that status and nothing of it applied.
   * [store-thread] */
  gs_status (*add_entities_bulk)(gs_store* store, gs_str tenant,
                                 const gs_entity* const* entities, size_t n,
                                 gs_skip_sink skip, void* ctx, uint64_t* added,
                                 gs_errbuf* err);
  gs_status (*add_relations_bulk)(gs_store* store, gs_str tenant,
                                  const gs_relation* const* relations,
                                  size_t n, gs_skip_sink skip, void* ctx,
                                  uint64_t* added, gs_errbuf* err);
  /* Counts per type of the tenant, one sink call per (kind, type).
   * [store-thread] */
  gs_status (*get_stats)(gs_store* store, gs_str tenant, gs_stats_sink sink,
                         void* ctx, gs_errbuf* err);

  /* ---- Since ABI 1.1: read only where GS_HAS_FIELD says it is present. ---- */
  /* Optional (NULL: none). Reports the store's gauges (connections in use,
   * memory held) from what it already knows: no query, no I/O.
   * [store-thread]: a SERIAL plugin's is serialised with its other calls. */
  gs_status (*collect_gauges)(gs_store* store, gs_gauge_sink sink, void* ctx,
                              gs_errbuf* err);

  /* ---- Since ABI 1.2. ---- */
  /* Optional (NULL: none). Reports, as text, what an operator reads about the
   * store's state beyond its gauges (a mode, the last error), from what it
   * already knows: no query, no I/O. Values never hold secrets.
   * [store-thread]: a SERIAL plugin's is serialised with its other calls. */
  gs_status (*collect_state)(gs_store* store, gs_state_sink sink, void* ctx,
                             gs_errbuf* err);

  /* ---- Since ABI 1.3: Tier 2, NULL means the core's default. ---- */
  /* scope GS_CLEAR_TENANT removes every entity and relation of the tenant
   * (length 0: the global namespace only); GS_CLEAR_ALL_TENANTS removes
   * everything in the store and requires a tenant of length 0. Any other
   * scope, or ALL with a tenant, is INVALID_ARGUMENT and removes nothing.
   * One transaction where the backend has them; other tenants are never
   * touched. *removed (may be NULL; the host passes one with struct_size set)
   * receives the counts actually removed. */
  gs_status (*clear)(gs_store* store, gs_str tenant, int32_t scope,
                     gs_removed* removed, gs_errbuf* err);
  /* Removes every entity of the tenant whose source equals `source` byte for
   * byte, every relation of the tenant whose source equals it, and every
   * relation of the tenant touching a removed entity; records without a
   * source never match. `source` is 1 to 4,096 bytes of valid UTF-8 (the
   * host checks). All or nothing where the backend has transactions.
   * *removed (may be NULL) receives the counts actually removed. */
  gs_status (*delete_by_source)(gs_store* store, gs_str tenant, gs_str source,
                                gs_removed* removed, gs_errbuf* err);
} gs_store_api;

#include "graphstore/abi_slots.h"

/* ---- Plugin descriptor. ------------------------------------------------- */
#define GS_THREADING_SERIAL 0     /* the host serialises every call on a store */
#define GS_THREADING_CONCURRENT 1 /* any call from any thread, concurrently */

/* Capability flags: bits are append-only, never reused or renumbered. */
#define GS_CAP_PERSISTENT 1u /* data survives close and reopen */
#define GS_CAP_DECORATOR 2u  /* wraps other stores opened through the host */
/* Every call returns without waiting on I/O or on another process (locks
 * held only for the length of an in-memory operation are allowed), so a host
 * may call it on an event loop thread instead of handing it to a worker
 * thread. A decorator does not declare it unless every store it may wrap
 * does: the flag describes the plugin, not one configuration of it. */
#define GS_CAP_NONBLOCKING 4u

typedef struct gs_plugin_descriptor {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* id;      /* stable identifier used in configs, e.g. "sqlite" */
  const char* name;    /* human name */
  const char* version; /* the plugin's own version */
  uint64_t capabilities; /* GS_CAP_* */
  int32_t threading;     /* GS_THREADING_* */
  const gs_store_api* api;
} gs_plugin_descriptor;

/* ---- Host services. ----------------------------------------------------- */
#define GS_LOG_DEBUG 0
#define GS_LOG_INFO 1
#define GS_LOG_WARN 2
#define GS_LOG_ERROR 3

/* What the core offers a plugin. Valid from the entry call until the process
 * unloads the plugin. [any-thread] */
typedef struct gs_host {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void* ctx;
  void (*log)(void* ctx, int32_t level, gs_str message);
  /* Opens another store from a backend section given as JSON text
   * ({"backend": ..., "options": {...}}). On success *descriptor (whose api
   * is the store's table) and *store are set; the store is released with
   * close_store, never with its api->close, so the host can keep its library
   * loaded. On failure neither is written. [any-thread] */
  gs_status (*open_store)(void* ctx, gs_str section_json,
                          const gs_plugin_descriptor** descriptor,
                          gs_store** store, gs_errbuf* err);
  /* Releases a store open_store opened. [no-call-in-flight] on that store */
  void (*close_store)(void* ctx, gs_store* store);
} gs_host;

/* The entry point every plugin exports under GS_PLUGIN_ENTRY_SYMBOL. It
 * returns GS_OK with *out set to a descriptor that lives as long as the
 * library, or a status and a message when the plugin cannot initialise. */
typedef gs_status (*gs_plugin_entry_fn)(const gs_host* host,
                                        const gs_plugin_descriptor** out,
                                        gs_errbuf* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GRAPHSTORE_ABI_H */
