// execute_query: the reference's query object mapped onto Store calls.
#include "graphstore/store.hpp"

namespace graphstore {

Status Store::execute_query(std::string_view tenant, const GraphQuery& query, QueryResult* out) {
  *out = QueryResult{};
  switch (query.type) {
    case GraphQuery::Type::kEntityLookup: {
      Entity e;
      Status s = get_entity(tenant, query.entity_id, &e);
      if (s.ok()) out->entities.push_back(std::move(e));
      return s;
    }
    case GraphQuery::Type::kVectorSearch: {
      VectorQuery v;
      v.vector = query.embedding;
      v.k = static_cast<uint32_t>(std::min<uint64_t>(query.max_results, UINT32_MAX));
      v.entity_type = query.entity_type;
      v.min_score = query.score_threshold;
      std::vector<ScoredEntity> hits;
      Status s = vector_search(tenant, v, &hits);
      for (auto& h : hits) {
        out->entities.push_back(std::move(h.entity));
        out->scores.push_back(h.score);
      }
      return s;
    }
    case GraphQuery::Type::kTraversal: {
      TraverseOptions o;
      o.relation_type = query.relation_type;
      o.max_depth = query.max_depth;
      o.max_results = query.max_results;
      TraverseResult r;
      Status s = traverse(tenant, query.entity_id, o, &r);
      for (auto& h : r.hits) {
        out->entities.push_back(std::move(h.entity));
        out->relations.push_back(std::move(h.via));
      }
      out->truncated = r.truncated;
      return s;
    }
    case GraphQuery::Type::kPathFinding: {
      PathOptions o;
      o.relation_type = query.relation_type;
      o.max_depth = query.max_depth;
      o.max_paths = query.max_results;
      PathResult r;
      Status s = find_paths(tenant, query.entity_id, query.target_entity_id, o, &r);
      out->paths = std::move(r.paths);
      out->truncated = r.truncated;
      return s;
    }
    case GraphQuery::Type::kSubgraph: {
      Subgraph g;
      Status s = subgraph(tenant, query.entity_ids, &g);
      out->entities = std::move(g.entities);
      out->relations = std::move(g.relations);
      return s;
    }
  }
  return InvalidArgument("execute_query: unknown query type");
}

}  // namespace graphstore
