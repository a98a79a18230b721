// InMemoryStore: options, tenants, locking and the single-record calls.
#include "graphstore/checks.hpp"
#include "store.hpp"

#include <mutex>
#include <vector>

#include "graphstore/abi_read.hpp"
#include "graphstore/options.hpp"
#include "graphstore/scoring.hpp"
#include "queries.hpp"

namespace graphstore::inmemory {
sdk::Status lock_exclusive(Graph& g, std::unique_lock<RwLock>* lock) {
  if (held_shared_by_this_thread(g.lock()))
    return sdk::make_error(
        GS_UNSUPPORTED,
        "inmemory: cannot write to " + g.where() + " from inside a callback of a read of it, or of more than " +
            std::to_string(detail::HeldReads::kTracked) + " nested reads (that could deadlock)");
  *lock = std::unique_lock<RwLock>(g.lock());
  return sdk::Status::Ok();
}

InMemoryStore::InMemoryStore(uint64_t max_memory_mb, const hnsw::VectorIndexOptions& vectors)
    : budget_(max_memory_mb), vector_options_(vectors), global_(std::string(), &budget_) {
  if (vector_options_.enabled) global_.enable_vector_index(vector_options_.params);
}

sdk::Status InMemoryStore::open(const gs_host*, std::string_view options_json, std::unique_ptr<InMemoryStore>* out) {
  sdk::Options options;
  if (sdk::Status s = sdk::Options::parse(options_json, &options); !s.ok()) return s;
  if (sdk::Status s = options.check_known({"max_memory_mb", "vector_index", "hnsw_m", "hnsw_ef_construction",
                                           "hnsw_ef_search", "hnsw_metric"});
      !s.ok())
    return s;
  int64_t max_memory_mb = 0;
  if (sdk::Status s = options.get_int("max_memory_mb", &max_memory_mb, 0, INT64_MAX >> 20); !s.ok()) return s;
  hnsw::VectorIndexOptions vectors;
  if (sdk::Status s = hnsw::read_vector_index_options(options, &vectors); !s.ok()) return s;
  *out = std::make_unique<InMemoryStore>(uint64_t(max_memory_mb), vectors);
  return sdk::Status::Ok();
}

Graph* InMemoryStore::find_named_graph(std::string_view tenant) const {
  std::shared_lock<std::shared_mutex> lock(tenants_mu_);
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? nullptr : it->second.get();
}

Graph* InMemoryStore::graph_for_write(std::string_view tenant) {
  if (Graph* g = find_graph(tenant)) return g;
  std::unique_lock<std::shared_mutex> lock(tenants_mu_);
  auto it = tenants_.find(tenant);
  if (it != tenants_.end()) return it->second.get();
  auto graph = std::make_unique<Graph>(std::string(tenant), &budget_);
  if (vector_options_.enabled) graph->enable_vector_index(vector_options_.params);
  Graph* g = graph.get();
  tenants_.emplace(std::string(tenant), std::move(graph));
  return g;
}

template <class Fn>
sdk::Status InMemoryStore::write(std::string_view tenant, const Fn& fn) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  Graph* g = graph_for_write(tenant);
  std::unique_lock<RwLock> lock;
  if (sdk::Status s = lock_exclusive(*g, &lock); !s.ok()) return s;
  sdk::Status s = fn(*g);
  g->maybe_compact();
  return s;
}

template <class Fn, class Absent>
sdk::Status InMemoryStore::read(std::string_view tenant, const Fn& fn, const Absent& absent) const {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  const Graph* g = find_graph(tenant);
  if (g == nullptr) return absent();
  ReadGuard lock(g->lock());
  return fn(*g);
}

// ---- Tier 1 ------------------------------------------------------------------

sdk::Status InMemoryStore::add_entity(std::string_view tenant, const gs_entity& entity) {
  gs_entity e = sdk::read_entity(entity);
  return write(tenant, [&](Graph& g) { return g.add_entity(e); });
}

sdk::Status InMemoryStore::get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink) {
  return read(
      tenant,
      [&](const Graph& g) {
        uint32_t slot = g.find_entity(id);
        if (slot == kNone) return sdk::not_found("entity", id, tenant);
        gs_entity v = g.entity_view(slot);
        sink(&v);
        return sdk::Status::Ok();
      },
      [&] { return sdk::not_found("entity", id, tenant); });
}

sdk::Status InMemoryStore::update_entity(std::string_view tenant, const gs_entity& entity) {
  gs_entity e = sdk::read_entity(entity);
  return write(tenant, [&](Graph& g) { return g.update_entity(e, nullptr); });
}

sdk::Status InMemoryStore::delete_entity(std::string_view tenant, std::string_view id) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (find_graph(tenant) == nullptr) return sdk::not_found("entity", id, tenant);
  return write(tenant, [&](Graph& g) { return g.delete_entity(id, nullptr, nullptr); });
}

sdk::Status InMemoryStore::add_relation(std::string_view tenant, const gs_relation& relation) {
  gs_relation r = sdk::read_relation(relation);
  return write(tenant, [&](Graph& g) { return g.add_relation(r); });
}

sdk::Status InMemoryStore::get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink) {
  return read(
      tenant,
      [&](const Graph& g) {
        uint32_t slot = g.find_relation(id);
        if (slot == kNone) return sdk::not_found("relation", id, tenant);
        gs_relation v = g.relation_view(slot);
        sink(&v);
        return sdk::Status::Ok();
      },
      [&] { return sdk::not_found("relation", id, tenant); });
}

sdk::Status InMemoryStore::update_relation(std::string_view tenant, const gs_relation& relation) {
  gs_relation r = sdk::read_relation(relation);
  return write(tenant, [&](Graph& g) { return g.update_relation(r, nullptr); });
}

sdk::Status InMemoryStore::delete_relation(std::string_view tenant, std::string_view id) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (find_graph(tenant) == nullptr) return sdk::not_found("relation", id, tenant);
  return write(tenant, [&](Graph& g) { return g.delete_relation(id, nullptr); });
}

sdk::Status InMemoryStore::get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                                         std::string_view relation_type, sdk::NeighborSink sink) {
  if (sdk::Status s = sdk::check_direction(direction); !s.ok()) return s;
  return read(
      tenant, [&](const Graph& g) { return inmemory::get_neighbors(g, id, direction, relation_type, sink); },
      [&] { return sdk::not_found("entity", id, tenant); });
}

sdk::Status InMemoryStore::for_each_entity(std::string_view tenant, sdk::EntitySink sink) {
  return read(
      tenant,
      [&](const Graph& g) {
        for (uint32_t s = 0; s < g.entity_slots(); ++s) {
          if (!g.entity_live(s)) continue;
          gs_entity v = g.entity_view(s);
          if (!sink(&v)) break;
        }
        return sdk::Status::Ok();
      },
      [] { return sdk::Status::Ok(); });
}

sdk::Status InMemoryStore::for_each_relation(std::string_view tenant, sdk::RelationSink sink) {
  return read(
      tenant,
      [&](const Graph& g) {
        for (uint32_t s = 0; s < g.relation_slots(); ++s) {
          if (!g.relation_live(s)) continue;
          gs_relation v = g.relation_view(s);
          if (!sink(&v)) break;
        }
        return sdk::Status::Ok();
      },
      [] { return sdk::Status::Ok(); });
}

sdk::Status InMemoryStore::list_tenants(sdk::TenantSink sink) {
  // No thread may wait for a graph lock while holding tenants_mu_: a sink
  // running under a graph lock may need tenants_mu_ to create a tenant.
  // Graphs live as long as the store, so the pointers stay valid.
  std::vector<const Graph*> graphs;
  {
    std::shared_lock<std::shared_mutex> lock(tenants_mu_);
    for (const auto& entry : tenants_) graphs.push_back(entry.second.get());
  }
  std::vector<std::string> names;
  for (const Graph* g : graphs) {
    ReadGuard graph_lock(g->lock());
    if (g->entity_count() > 0) names.emplace_back(g->tenant());
  }
  for (const std::string& name : names)
    if (!sink(gs_str{name.data(), name.size()})) break;
  return sdk::Status::Ok();
}

// ---- Tier 2 reads ------------------------------------------------------------

sdk::Status InMemoryStore::traverse(std::string_view tenant, const gs_traverse_params& params, sdk::TraverseSink sink,
                                    bool* truncated) {
  gs_traverse_params p = sdk::read_params(params);
  if (sdk::Status s = sdk::check_direction(p.direction); !s.ok()) return s;
  return read(
      tenant, [&](const Graph& g) { return inmemory::traverse(g, p, sink, truncated); },
      [&] { return sdk::not_found("start entity", sdk::view(p.start_id), tenant); });
}

sdk::Status InMemoryStore::find_paths(std::string_view tenant, const gs_paths_params& params, sdk::PathSink sink,
                                      bool* truncated) {
  gs_paths_params p = sdk::read_params(params);
  return read(
      tenant, [&](const Graph& g) { return inmemory::find_paths(g, p, sink, truncated); },
      [&] { return sdk::not_found("source entity", sdk::view(p.source_id), tenant); });
}

sdk::Status InMemoryStore::subgraph(std::string_view tenant, const gs_str* ids, size_t n_ids,
                                    sdk::EntitySink entity_sink, sdk::RelationSink relation_sink) {
  return read(
      tenant, [&](const Graph& g) { return inmemory::subgraph(g, ids, n_ids, entity_sink, relation_sink); },
      [] { return sdk::Status::Ok(); });
}

sdk::Status InMemoryStore::scan_entities(std::string_view tenant, const gs_scan_params& params, sdk::EntitySink sink) {
  gs_scan_params p = sdk::read_params(params);
  return read(
      tenant, [&](const Graph& g) { return inmemory::scan_entities(g, p, sink); }, [] { return sdk::Status::Ok(); });
}

sdk::Status InMemoryStore::scan_relations(std::string_view tenant, const gs_scan_params& params,
                                          sdk::RelationSink sink) {
  gs_scan_params p = sdk::read_params(params);
  return read(
      tenant, [&](const Graph& g) { return inmemory::scan_relations(g, p, sink); }, [] { return sdk::Status::Ok(); });
}

sdk::Status InMemoryStore::vector_search(std::string_view tenant, const gs_vector_params& params,
                                         sdk::ScoredSink sink) {
  gs_vector_params p = sdk::read_params(params);
  if (p.dim == 0 || p.query == nullptr)
    return sdk::make_error(GS_INVALID_ARGUMENT, "vector_search: the query vector is empty");
  if (sdk::Status s = sdk::check_vector_flags(p.flags); !s.ok()) return s;
  return read(
      tenant, [&](const Graph& g) { return inmemory::vector_search(g, p, sink); }, [] { return sdk::Status::Ok(); });
}

sdk::Status InMemoryStore::text_search(std::string_view tenant, const gs_text_params& params, sdk::ScoredSink sink) {
  gs_text_params p = sdk::read_params(params);
  if (p.method < GS_TEXT_BM25 || p.method > GS_TEXT_LEVENSHTEIN)
    return sdk::make_error(GS_INVALID_ARGUMENT, "text_search: unknown method " + std::to_string(p.method));
  if (std::string error = sdk::text_query_error(sdk::view(p.query)); !error.empty())
    return sdk::make_error(GS_INVALID_ARGUMENT, error);
  return read(
      tenant, [&](const Graph& g) { return inmemory::text_search(g, p, sink); }, [] { return sdk::Status::Ok(); });
}

sdk::Status InMemoryStore::get_stats(std::string_view tenant, sdk::StatsSink sink) {
  return read(
      tenant, [&](const Graph& g) { return inmemory::get_stats(g, sink); }, [] { return sdk::Status::Ok(); });
}

InMemoryStore::VectorTotals InMemoryStore::vector_totals() const {
  std::vector<const Graph*> graphs{&global_};
  {
    std::shared_lock<std::shared_mutex> lock(tenants_mu_);
    for (const auto& entry : tenants_) graphs.push_back(entry.second.get());
  }
  // Graphs are never freed while the store lives, so the list stays valid.
  VectorTotals totals;
  for (const Graph* g : graphs) {
    ReadGuard lock(g->lock());
    totals.bytes += g->vectors()->memory_bytes();
    totals.vectors += g->vectors()->live();
  }
  return totals;
}

sdk::Status InMemoryStore::collect_gauges(sdk::GaugeSink sink) {
  sdk::report_gauge(sink, "memory_used_bytes", "Bytes the store holds for its graphs (within 0.4%).",
                    double(budget_.used_bytes()));
  sdk::report_gauge(sink, "memory_limit_bytes", "max_memory_mb in bytes; 0: unlimited.", double(budget_.limit_bytes()));
  if (vector_options_.enabled) {
    VectorTotals t = vector_totals();
    sdk::report_gauge(sink, "vector_index_bytes", "Bytes the HNSW vector indexes hold, beside memory_used_bytes.",
                      double(t.bytes));
    sdk::report_gauge(sink, "vector_index_vectors", "Vectors the HNSW vector indexes hold.", double(t.vectors));
  }
  return sdk::Status::Ok();
}

sdk::Status InMemoryStore::collect_state(sdk::StateSink sink) {
  if (!vector_options_.enabled) {
    sdk::report_state(sink, "vector_index", "exact");
    return sdk::Status::Ok();
  }
  VectorTotals t = vector_totals();
  sdk::report_state(sink, "vector_index", hnsw::describe_vector_index(vector_options_.params, t.vectors, t.bytes));
  return sdk::Status::Ok();
}

}  // namespace graphstore::inmemory
