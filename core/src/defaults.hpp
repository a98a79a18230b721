// The core's Tier 2 defaults: each has the exact signature and contract of
// its slot in gs_store_api (see abi.h), and is built from Tier 1 calls on
// `backend` alone. Store uses one when a plugin leaves the slot NULL, or when
// defaults are forced. None of them throws.
#ifndef GRAPHSTORE_CORE_DEFAULTS_HPP
#define GRAPHSTORE_CORE_DEFAULTS_HPP

#include <concepts>
#include <type_traits>

#include "graphstore/abi.h"

namespace graphstore::defaults {

// A plugin store reached through its vtable.
struct Backend {
  const gs_store_api* api;
  gs_store* store;
};

gs_status traverse(const Backend& b, gs_str tenant, const gs_traverse_params* params, gs_traverse_sink sink,
                   void* ctx, int32_t* truncated, gs_errbuf* err);
gs_status find_paths(const Backend& b, gs_str tenant, const gs_paths_params* params, gs_path_sink sink,
                     void* ctx, int32_t* truncated, gs_errbuf* err);
gs_status subgraph(const Backend& b, gs_str tenant, const gs_str* ids, size_t n_ids, gs_entity_sink entity_sink,
                   gs_relation_sink relation_sink, void* ctx, gs_errbuf* err);
gs_status scan_entities(const Backend& b, gs_str tenant, const gs_scan_params* params, gs_entity_sink sink,
                        void* ctx, gs_errbuf* err);
gs_status scan_relations(const Backend& b, gs_str tenant, const gs_scan_params* params, gs_relation_sink sink,
                         void* ctx, gs_errbuf* err);
gs_status vector_search(const Backend& b, gs_str tenant, const gs_vector_params* params, gs_scored_sink sink,
                        void* ctx, gs_errbuf* err);
gs_status text_search(const Backend& b, gs_str tenant, const gs_text_params* params, gs_scored_sink sink,
                      void* ctx, gs_errbuf* err);
gs_status add_entities_bulk(const Backend& b, gs_str tenant, const gs_entity* const* entities, size_t n,
                            gs_skip_sink skip, void* ctx, uint64_t* added, gs_errbuf* err);
gs_status add_relations_bulk(const Backend& b, gs_str tenant, const gs_relation* const* relations, size_t n,
                             gs_skip_sink skip, void* ctx, uint64_t* added, gs_errbuf* err);
gs_status get_stats(const Backend& b, gs_str tenant, gs_stats_sink sink, void* ctx, gs_errbuf* err);
// The removals (ABI 1.3) delete through apply_batch, so each tenant's removal
// is atomic; a clear of every tenant is atomic per tenant, not across them.
gs_status clear(const Backend& b, gs_str tenant, int32_t scope, gs_removed* removed, gs_errbuf* err);
gs_status delete_by_source(const Backend& b, gs_str tenant, gs_str source, gs_removed* removed, gs_errbuf* err);

// Every Tier 2 slot of GS_STORE_API_SLOTS has its default above, with the
// slot's arguments after the Backend: a Tier 2 slot added to the list without
// one fails here, naming it. (The call is unqualified and dependent, so it is
// looked up at instantiation, in this namespace through Backend.)
#define GS_CHECK_DEFAULT(slot, kind, minor)                                                                  \
  template <class B, class Fn>                                                                               \
  struct has_default_##slot : std::false_type {};                                                            \
  template <class B, class... A>                                                                             \
  requires requires(const B& b, A... a) {                                                                    \
    { slot(b, a...) } -> std::same_as<gs_status>;                                                            \
  }                                                                                                          \
  struct has_default_##slot<B, gs_status (*)(gs_store*, A...)> : std::true_type {};                          \
  static_assert((kind) != GS_SLOT_TIER2 || has_default_##slot<Backend, decltype(gs_store_api::slot)>::value, \
                "Tier 2 slot '" #slot "' has no default in core/src/defaults.hpp with the slot's arguments");
namespace check {
using graphstore::defaults::Backend;
GS_STORE_API_SLOTS(GS_CHECK_DEFAULT)
}  // namespace check
#undef GS_CHECK_DEFAULT

}  // namespace graphstore::defaults

#endif  // GRAPHSTORE_CORE_DEFAULTS_HPP
