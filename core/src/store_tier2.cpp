// Store's Tier 2 calls: each runs the plugin's native slot or the core's
// default over Tier 1 (GS_TIER2 in store_impl.hpp) and copies the results
// out, holding them to the caller's memory budget where one is given.
#include <algorithm>
#include <cmath>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "defaults.hpp"
#include "result_bytes.hpp"
#include "sink.hpp"
#include "store_impl.hpp"
#include "validate.hpp"

namespace graphstore {

Status Store::traverse(std::string_view tenant, std::string_view start_id, const TraverseOptions& options,
                       TraverseResult* out) {
  out->hits.clear();
  out->truncated = false;
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "traverse");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  gs_traverse_params p{};
  p.struct_size = sizeof p;
  p.start_id = to_str(start_id);
  p.direction = static_cast<int32_t>(options.direction);
  p.relation_type = to_str(options.relation_type);
  p.max_depth = options.max_depth;
  p.max_results = options.max_results;
  auto sink = make_sink([out](const gs_entity& en, uint32_t depth, const gs_relation* via) {
    TraverseHit hit{to_entity(en), depth, {}};
    if (via) assign(&hit.via, *via);
    out->hits.push_back(std::move(hit));
    return true;
  });
  int32_t truncated = 0;
  ErrBuf e;
  gs_status st;
  try {
    st = GS_TIER2(s, traverse, to_str(tenant), &p, &traverse_trampoline<decltype(sink.fn)>, &sink, &truncated, &e.err);
    sink.rethrow();
  } catch (const std::bad_alloc&) {
    std::vector<TraverseHit>().swap(out->hits);
    return Status(Code::kResourceExhausted, "traverse: out of memory holding the hits; ask for fewer (max_results)");
  }
  if (st != GS_OK) {
    out->hits.clear();
    return to_status(st, e, "traverse");
  }
  out->truncated = truncated != 0;
  return Status::Ok();
}

Status Store::find_paths(std::string_view tenant, std::string_view source_id, std::string_view target_id,
                         const PathOptions& options, PathResult* out) {
  out->paths.clear();
  out->truncated = false;
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "find_paths");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  gs_paths_params p{};
  p.struct_size = sizeof p;
  p.source_id = to_str(source_id);
  p.target_id = to_str(target_id);
  p.relation_type = to_str(options.relation_type);
  p.max_depth = options.max_depth;
  // More paths than the budget can hold are never asked for, so a plugin
  // that gathers its answer before handing it over gathers a bounded one.
  const uint64_t fit = std::max<uint64_t>(1, options.max_result_bytes / kSmallestPathBytes);
  p.max_paths = std::min(options.max_paths, fit);
  uint64_t used = 0;
  bool over_budget = false;
  auto sink = make_sink([&](const gs_entity* const* es, size_t ne, const gs_relation* const* rs, size_t nr) {
    Path path;
    path.entities.reserve(ne);
    path.relations.reserve(nr);
    for (size_t i = 0; i < ne; ++i) path.entities.push_back(to_entity(*es[i]));
    for (size_t i = 0; i < nr; ++i) path.relations.push_back(to_relation(*rs[i]));
    uint64_t bytes = result_bytes(path);
    if (used + bytes > options.max_result_bytes) {
      over_budget = true;
      return false;
    }
    used += bytes;
    out->paths.push_back(std::move(path));
    return true;
  });
  int32_t truncated = 0;
  ErrBuf e;
  gs_status st;
  try {
    st = GS_TIER2(s, find_paths, to_str(tenant), &p, &path_trampoline<decltype(sink.fn)>, &sink, &truncated, &e.err);
    sink.rethrow();
  } catch (const std::bad_alloc&) {
    std::vector<Path>().swap(out->paths);
    return Status(Code::kResourceExhausted, "find_paths: out of memory after " + std::to_string(used) +
                                                " bytes of paths; ask for fewer paths or a lower max_result_bytes");
  }
  if (st != GS_OK) {
    out->paths.clear();
    return to_status(st, e, "find_paths");
  }
  // The plugin stopped at the budget's count with more paths to give, or a
  // path did not fit: the whole answer does not fit in the budget.
  bool cut = over_budget || (truncated != 0 && p.max_paths < options.max_paths);
  if (cut && !options.truncate_to_budget) {
    std::vector<Path>().swap(out->paths);
    return Status(Code::kResourceExhausted, "find_paths: the paths pass the result memory budget of " +
                                                std::to_string(options.max_result_bytes) +
                                                " bytes (max_result_bytes); ask for fewer paths, raise the "
                                                "budget, or accept a truncated answer (truncate_to_budget)");
  }
  out->truncated = truncated != 0 || cut;
  return Status::Ok();
}

namespace {
// Subgraph results arrive through two sinks sharing one context.
struct SubgraphCtx {
  Subgraph* out;
  std::exception_ptr error;
  static int32_t on_entity(void* ctx, const gs_entity* e) {
    auto* self = static_cast<SubgraphCtx*>(ctx);
    try {
      self->out->entities.push_back(to_entity(*e));
      return 0;
    } catch (...) {
      self->error = std::current_exception();
      return 1;
    }
  }
  static int32_t on_relation(void* ctx, const gs_relation* r) {
    auto* self = static_cast<SubgraphCtx*>(ctx);
    try {
      self->out->relations.push_back(to_relation(*r));
      return 0;
    } catch (...) {
      self->error = std::current_exception();
      return 1;
    }
  }
};
}  // namespace

Status Store::subgraph(std::string_view tenant, const std::vector<std::string>& ids, Subgraph* out) {
  out->entities.clear();
  out->relations.clear();
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "subgraph");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  std::vector<gs_str> raw;
  raw.reserve(ids.size());
  for (const auto& id : ids) raw.push_back(to_str(id));
  SubgraphCtx ctx{out, nullptr};
  ErrBuf e;
  gs_status st = GS_TIER2(s, subgraph, to_str(tenant), raw.data(), raw.size(), &SubgraphCtx::on_entity,
                          &SubgraphCtx::on_relation, &ctx, &e.err);
  if (ctx.error) {
    try {
      std::rethrow_exception(ctx.error);
    } catch (const std::bad_alloc&) {
      std::vector<Entity>().swap(out->entities);
      std::vector<Relation>().swap(out->relations);
      return Status(Code::kResourceExhausted, "subgraph: out of memory holding the records; ask for fewer ids");
    }
  }
  if (st != GS_OK) {
    out->entities.clear();
    out->relations.clear();
  }
  return to_status(st, e, "subgraph");
}

namespace {
gs_scan_params scan_params(const ScanOptions& o) {
  gs_scan_params p{};
  p.struct_size = sizeof p;
  p.type = to_str(o.type);
  p.after_id = to_str(o.after_id);
  p.offset = o.offset;
  p.limit = o.limit;
  return p;
}
}  // namespace

Status Store::scan_entities(std::string_view tenant, const ScanOptions& options,
                            const std::function<bool(const Entity&)>& fn) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "scan_entities");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  gs_scan_params p = scan_params(options);
  Entity scratch;
  auto sink = make_sink([&](const gs_entity& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  gs_status st = GS_TIER2(s, scan_entities, to_str(tenant), &p, &entity_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "scan_entities");
}

Status Store::scan_relations(std::string_view tenant, const ScanOptions& options,
                             const std::function<bool(const Relation&)>& fn) {
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "scan_relations");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  gs_scan_params p = scan_params(options);
  Relation scratch;
  auto sink = make_sink([&](const gs_relation& v) {
    assign(&scratch, v);
    return fn(scratch);
  });
  ErrBuf e;
  gs_status st =
      GS_TIER2(s, scan_relations, to_str(tenant), &p, &relation_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  return to_status(st, e, "scan_relations");
}

Status Store::get_all_entities(std::string_view tenant, const ScanOptions& options, std::vector<Entity>* out) {
  out->clear();
  Status st = scan_entities(tenant, options, [out](const Entity& e) {
    out->push_back(e);
    return true;
  });
  if (!st.ok()) out->clear();
  return st;
}

Status Store::vector_search(std::string_view tenant, const VectorQuery& query, std::vector<ScoredEntity>* out) {
  out->clear();
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "vector_search");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  if (query.vector.empty()) return InvalidArgument("vector_search: the query vector is empty");
  for (float x : query.vector)
    if (!std::isfinite(x)) return InvalidArgument("vector_search: the query holds a non-finite value");
  gs_vector_params p{};
  p.struct_size = sizeof p;
  p.query = query.vector.data();
  p.dim = static_cast<uint32_t>(query.vector.size());
  p.k = query.k;
  p.entity_type = to_str(query.entity_type);
  p.min_score = query.min_score;
  p.flags = query.exact ? GS_VECTOR_EXACT : 0u;
  auto sink = make_sink([out](const gs_entity& v, double score) {
    out->push_back(ScoredEntity{to_entity(v), score});
    return true;
  });
  ErrBuf e;
  gs_status st = GS_TIER2(s, vector_search, to_str(tenant), &p, &scored_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  if (st != GS_OK) out->clear();
  return to_status(st, e, "vector_search");
}

Status Store::text_search(std::string_view tenant, const TextQuery& query, std::vector<ScoredEntity>* out) {
  out->clear();
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "text_search");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  int32_t method = static_cast<int32_t>(query.method);
  if (method < GS_TEXT_BM25 || method > GS_TEXT_LEVENSHTEIN)
    return InvalidArgument("text_search: unknown method " + std::to_string(method));
  gs_text_params p{};
  p.struct_size = sizeof p;
  p.query = to_str(query.text);
  p.method = method;
  p.k = query.k;
  p.entity_type = to_str(query.entity_type);
  p.min_score = query.min_score;
  auto sink = make_sink([out](const gs_entity& v, double score) {
    out->push_back(ScoredEntity{to_entity(v), score});
    return true;
  });
  ErrBuf e;
  gs_status st = GS_TIER2(s, text_search, to_str(tenant), &p, &scored_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  if (st != GS_OK) out->clear();
  return to_status(st, e, "text_search");
}

Status Store::get_stats(std::string_view tenant, Stats* out) {
  *out = Stats{};
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "get_stats");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  auto sink = make_sink([out](int32_t kind, gs_str type, uint64_t count) {
    std::string t(to_view(type));
    if (kind == GS_KIND_ENTITY) {
      out->entities_by_type[t] += count;
      out->entity_count += count;
    } else if (kind == GS_KIND_RELATION) {
      out->relations_by_type[t] += count;
      out->relation_count += count;
    }
    return true;
  });
  ErrBuf e;
  gs_status st = GS_TIER2(s, get_stats, to_str(tenant), &stats_trampoline<decltype(sink.fn)>, &sink, &e.err);
  sink.rethrow();
  if (st != GS_OK) *out = Stats{};
  return to_status(st, e, "get_stats");
}

}  // namespace graphstore
