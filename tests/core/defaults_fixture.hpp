// A test fixture running the core's defaults over a MapBackend, with helpers
// that build records and turn each default's sink output into plain values
// (ids and compact strings) for exact comparisons.
#ifndef GRAPHSTORE_TESTS_CORE_DEFAULTS_FIXTURE_HPP
#define GRAPHSTORE_TESTS_CORE_DEFAULTS_FIXTURE_HPP

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "defaults.hpp"
#include "map_backend.hpp"

namespace gs_test {

inline gs_str str(const std::string& s) { return gs_str{s.data(), s.size()}; }
inline std::string text(gs_str s) { return std::string(graphstore::sdk::view(s)); }

// What a default answered: its status and message.
struct Outcome {
  gs_status status = GS_OK;
  std::string message;
};

struct TraverseResult : Outcome {
  std::vector<std::string> hits;  // "id@depth via relation"
  bool truncated = false;
};

struct PathsResult : Outcome {
  std::vector<std::string> paths;     // relation ids joined by ','
  std::vector<std::string> entities;  // entity ids joined by ','
  bool truncated = false;
};

struct SubgraphResult : Outcome {
  std::vector<std::string> entities;
  std::vector<std::string> relations;
};

struct IdsResult : Outcome {
  std::vector<std::string> ids;
};

struct ScoredResult : Outcome {
  std::vector<std::pair<std::string, double>> hits;
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.first);
    return out;
  }
};

struct BulkOutcome : Outcome {
  uint64_t added = 0;
  struct Skip {
    size_t index;
    gs_status status;
    std::string message;
  };
  std::vector<Skip> skips;
};

struct StatsResult : Outcome {
  std::vector<std::string> rows;  // "kind:type=count", kind 1 entity, 2 relation
};

class DefaultsTest : public ::testing::Test {
 protected:
  MapBackend store_;
  graphstore::defaults::Backend b_ = store_.backend();
  char errbuf_[512] = {};
  gs_errbuf err_{errbuf_, sizeof errbuf_};
  std::string tenant_;  // the tenant every helper uses

  Outcome outcome(gs_status st) const { return Outcome{st, st == GS_OK ? std::string() : std::string(errbuf_)}; }

  // ---- Writes straight through the backend's Tier 1. ----
  void add_entity(const std::string& id, const std::string& type = "thing", const std::string& properties = "{}",
                  const std::vector<float>& embedding = {}) {
    OwnedEntity e;
    e.id = id;
    e.entity_type = type;
    e.properties_json = properties;
    e.embedding = embedding;
    e.created_at = e.updated_at = 1;
    gs_entity v = e.view();
    ASSERT_EQ(store_.api().add_entity(b_.store, str(tenant_), &v, &err_), GS_OK) << errbuf_;
  }
  void add_relation(const std::string& id, const std::string& source, const std::string& target,
                    const std::string& type = "links") {
    OwnedRelation r = relation(id, source, target, type);
    gs_relation v = r.view();
    ASSERT_EQ(store_.api().add_relation(b_.store, str(tenant_), &v, &err_), GS_OK) << errbuf_;
  }
  static OwnedRelation relation(const std::string& id, const std::string& source, const std::string& target,
                                const std::string& type = "links") {
    OwnedRelation r;
    r.id = id;
    r.relation_type = type;
    r.source_id = source;
    r.target_id = target;
    r.properties_json = "{}";
    r.created_at = r.updated_at = 1;
    return r;
  }
  bool entity_exists(const std::string& id) {
    return store_.api().get_entity(
               b_.store, str(tenant_), str(id), [](void*, const gs_entity*) { return int32_t(0); }, nullptr, nullptr) ==
           GS_OK;
  }
  bool relation_exists(const std::string& id) {
    return store_.api().get_relation(
               b_.store, str(tenant_), str(id), [](void*, const gs_relation*) { return int32_t(0); }, nullptr,
               nullptr) == GS_OK;
  }

  // ---- The defaults. ----
  TraverseResult traverse(const std::string& start, int32_t direction, uint32_t max_depth, uint64_t max_results,
                          const std::string& relation_type = "", size_t stop_after = SIZE_MAX) {
    gs_traverse_params p{};
    p.struct_size = sizeof p;
    p.start_id = str(start);
    p.direction = direction;
    p.relation_type = str(relation_type);
    p.max_depth = max_depth;
    p.max_results = max_results;
    struct Ctx {
      TraverseResult* out;
      size_t stop_after;
    };
    TraverseResult out;
    Ctx ctx{&out, stop_after};
    int32_t truncated = -1;
    gs_status st = graphstore::defaults::traverse(
        b_, str(tenant_), &p,
        [](void* c, const gs_entity* e, uint32_t depth, const gs_relation* via) {
          auto* ctx = static_cast<Ctx*>(c);
          ctx->out->hits.push_back(text(e->id) + "@" + std::to_string(depth) + " via " + text(via->id));
          return int32_t(ctx->out->hits.size() >= ctx->stop_after ? 1 : 0);
        },
        &ctx, &truncated, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    out.truncated = truncated == 1;
    EXPECT_TRUE(truncated == 0 || truncated == 1);
    return out;
  }

  PathsResult paths(const std::string& source, const std::string& target, uint32_t max_depth, uint64_t max_paths,
                    const std::string& relation_type = "") {
    gs_paths_params p{};
    p.struct_size = sizeof p;
    p.source_id = str(source);
    p.target_id = str(target);
    p.relation_type = str(relation_type);
    p.max_depth = max_depth;
    p.max_paths = max_paths;
    PathsResult out;
    int32_t truncated = -1;
    gs_status st = graphstore::defaults::find_paths(
        b_, str(tenant_), &p,
        [](void* c, const gs_entity* const* es, size_t ne, const gs_relation* const* rs, size_t nr) {
          auto* out = static_cast<PathsResult*>(c);
          std::string rels, ents;
          for (size_t i = 0; i < nr; ++i) rels += (i ? "," : "") + text(rs[i]->id);
          for (size_t i = 0; i < ne; ++i) ents += (i ? "," : "") + text(es[i]->id);
          EXPECT_EQ(ne, nr + 1);
          // Each relation joins the entities on either side of it.
          for (size_t i = 0; i < nr; ++i) {
            EXPECT_EQ(text(rs[i]->source_id), text(es[i]->id));
            EXPECT_EQ(text(rs[i]->target_id), text(es[i + 1]->id));
          }
          out->paths.push_back(rels);
          out->entities.push_back(ents);
          return int32_t(0);
        },
        &out, &truncated, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    out.truncated = truncated == 1;
    return out;
  }

  SubgraphResult subgraph(const std::vector<std::string>& ids) {
    std::vector<gs_str> raw;
    for (const auto& id : ids) raw.push_back(str(id));
    SubgraphResult out;
    gs_status st = graphstore::defaults::subgraph(
        b_, str(tenant_), raw.data(), raw.size(),
        [](void* c, const gs_entity* e) {
          auto* out = static_cast<SubgraphResult*>(c);
          EXPECT_TRUE(out->relations.empty()) << "entities come first";
          out->entities.push_back(text(e->id));
          return int32_t(0);
        },
        [](void* c, const gs_relation* r) {
          static_cast<SubgraphResult*>(c)->relations.push_back(text(r->id));
          return int32_t(0);
        },
        &out, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }

  static gs_scan_params scan_params(const std::string& type, const std::string& after_id, uint64_t offset,
                                    uint64_t limit) {
    gs_scan_params p{};
    p.struct_size = sizeof p;
    p.type = gs_str{type.data(), type.size()};
    p.after_id = gs_str{after_id.data(), after_id.size()};
    p.offset = offset;
    p.limit = limit;
    return p;
  }

  IdsResult scan_entities(const std::string& type = "", const std::string& after_id = "", uint64_t offset = 0,
                          uint64_t limit = GS_NO_LIMIT) {
    gs_scan_params p = scan_params(type, after_id, offset, limit);
    IdsResult out;
    gs_status st = graphstore::defaults::scan_entities(
        b_, str(tenant_), &p,
        [](void* c, const gs_entity* e) {
          static_cast<IdsResult*>(c)->ids.push_back(text(e->id));
          return int32_t(0);
        },
        &out, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }

  IdsResult scan_relations(const std::string& type = "", const std::string& after_id = "", uint64_t offset = 0,
                           uint64_t limit = GS_NO_LIMIT) {
    gs_scan_params p = scan_params(type, after_id, offset, limit);
    IdsResult out;
    gs_status st = graphstore::defaults::scan_relations(
        b_, str(tenant_), &p,
        [](void* c, const gs_relation* r) {
          static_cast<IdsResult*>(c)->ids.push_back(text(r->id));
          return int32_t(0);
        },
        &out, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }

  static int32_t collect_scored(void* c, const gs_entity* e, double score) {
    static_cast<ScoredResult*>(c)->hits.emplace_back(text(e->id), score);
    return 0;
  }

  ScoredResult vector_search(const std::vector<float>& query, uint32_t k, double min_score = -1.0,
                             const std::string& type = "") {
    gs_vector_params p{};
    p.struct_size = sizeof p;
    p.query = query.empty() ? nullptr : query.data();
    p.dim = static_cast<uint32_t>(query.size());
    p.k = k;
    p.entity_type = str(type);
    p.min_score = min_score;
    ScoredResult out;
    gs_status st = graphstore::defaults::vector_search(b_, str(tenant_), &p, &collect_scored, &out, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }

  ScoredResult text_search(const std::string& query, int32_t method, uint32_t k = 10, double min_score = 0.0,
                           const std::string& type = "") {
    gs_text_params p{};
    p.struct_size = sizeof p;
    p.query = str(query);
    p.method = method;
    p.k = k;
    p.entity_type = str(type);
    p.min_score = min_score;
    ScoredResult out;
    gs_status st = graphstore::defaults::text_search(b_, str(tenant_), &p, &collect_scored, &out, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }

  static int32_t collect_skip(void* c, size_t index, gs_status status, gs_str message) {
    static_cast<BulkOutcome*>(c)->skips.push_back({index, status, text(message)});
    return 0;
  }

  BulkOutcome add_entities_bulk(const std::vector<const gs_entity*>& items) {
    BulkOutcome out;
    out.added = 12345;
    gs_status st = graphstore::defaults::add_entities_bulk(b_, str(tenant_), items.data(), items.size(), &collect_skip,
                                                           &out, &out.added, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }

  BulkOutcome add_relations_bulk(const std::vector<const gs_relation*>& items) {
    BulkOutcome out;
    out.added = 12345;
    gs_status st = graphstore::defaults::add_relations_bulk(b_, str(tenant_), items.data(), items.size(), &collect_skip,
                                                            &out, &out.added, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }

  StatsResult stats() {
    StatsResult out;
    gs_status st = graphstore::defaults::get_stats(
        b_, str(tenant_),
        [](void* c, int32_t kind, gs_str type, uint64_t count) {
          static_cast<StatsResult*>(c)->rows.push_back(std::to_string(kind) + ":" + text(type) + "=" +
                                                       std::to_string(count));
          return int32_t(0);
        },
        &out, &err_);
    static_cast<Outcome&>(out) = outcome(st);
    return out;
  }
};

}  // namespace gs_test

#endif  // GRAPHSTORE_TESTS_CORE_DEFAULTS_FIXTURE_HPP
