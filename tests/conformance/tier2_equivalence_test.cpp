// Tier 2 on a random graph: every native slot must return exactly what the
// core's default returns (scores within 1e-9), and both must match the
// reference model (model.hpp). A mismatch names which side deviates.
#include <cmath>
#include <limits>

#include "conformance.hpp"
#include "equivalence.hpp"
#include "model.hpp"
#include "random_graph.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Tier2Equivalence);

constexpr const char* kTenant = "acme";
const RandomGraphSpec kMain{1, 200, 600, 8};
const RandomGraphSpec kGlobal{2, 60, 150, 4};  // same ids, other content and dimension

struct Loaded {
  std::vector<std::string> alive;  // entity ids of the main graph
  Model model;
};

Loaded load(Store& store) {
  std::vector<std::string> alive = load_random_graph(store, kTenant, kMain);
  load_random_graph(store, "", kGlobal);
  return {alive, Model::read(store, kTenant)};
}

const char* direction_name(Direction d) { return d == Direction::kOut ? "OUT" : d == Direction::kIn ? "IN" : "BOTH"; }

// Reports any difference between one implementation's traversal and the model.
void check_traverse_side(const char* side, const Status& st, const TraverseResult& r, const Model& m,
                         const std::string& start, const TraverseOptions& o, const std::string& what, Mismatches* mm) {
  if (!m.has_entity(start)) {
    if (!st.is_not_found()) mm->add(what + ": " + side + " returned " + st.to_string() + ", want NOT_FOUND");
    return;
  }
  if (!st.ok()) return mm->add(what + ": " + side + " returned " + st.to_string());
  bool truncated = false;
  auto want = m.traverse(start, o, &truncated);
  std::vector<Model::Hit> got;
  for (const auto& h : r.hits) {
    got.push_back({h.entity.id, h.depth, h.via.id});
    if (m.entities().count(h.entity.id) && h.entity != m.entities().at(h.entity.id))
      mm->add(what + ": " + side + " hit " + in_quotes(h.entity.id) + " is not the stored record");
    if (m.relations().count(h.via.id) && h.via != m.relations().at(h.via.id))
      mm->add(what + ": " + side + " via " + in_quotes(h.via.id) + " is not the stored record");
  }
  if (got != want) {
    std::string g, w;
    for (const auto& h : got) g += " " + h.id + "@" + std::to_string(h.depth) + "/" + h.via;
    for (const auto& h : want) w += " " + h.id + "@" + std::to_string(h.depth) + "/" + h.via;
    mm->add(what + ": " + side + " hits [" + g + " ] want [" + w + " ]");
  }
  if (r.truncated != truncated) mm->add(what + ": " + side + " truncated=" + std::to_string(r.truncated));
}

TEST_P(Tier2Equivalence, Traverse) {
  Loaded g = load(store());
  Rng rng(11);
  std::vector<std::string> starts{"missing-id"};
  for (int i = 0; i < 10; ++i) starts.push_back(g.alive[rng.below(g.alive.size())]);
  Mismatches mm;
  size_t calls = 0;
  for (const auto& start : starts)
    for (Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth})
      for (const char* type : {"", "KNOWS"})
        for (uint32_t depth : {0u, 1u, 2u, 4u})
          for (uint64_t max : {kNoLimit, uint64_t{7}, uint64_t{1}}) {
            TraverseOptions o{d, type, depth, max};
            std::string what = "traverse(start=" + in_quotes(start) + " " + direction_name(d) +
                               " type=" + in_quotes(type) + " depth=" + std::to_string(depth) +
                               " max=" + std::to_string(max) + ")";
            auto b = run_both<TraverseResult>(
                store(), [&](TraverseResult* out) { return store().traverse(kTenant, start, o, out); });
            ++calls;
            check_traverse_side("native", b.native_status, b.native, g.model, start, o, what, &mm);
            check_traverse_side("default", b.default_status, b.defaults, g.model, start, o, what, &mm);
            if (b.native.hits != b.defaults.hits || b.native.truncated != b.defaults.truncated)
              mm.add(what + ": native and default results differ");
          }
  EXPECT_TRUE(mm.none(calls));
}

void check_paths_side(const char* side, const Status& st, const PathResult& r, const Model& m, const std::string& from,
                      const std::string& to, const PathOptions& o, const std::string& what, Mismatches* mm) {
  if (!m.has_entity(from) || !m.has_entity(to)) {
    if (!st.is_not_found()) mm->add(what + ": " + side + " returned " + st.to_string() + ", want NOT_FOUND");
    return;
  }
  if (!st.ok()) return mm->add(what + ": " + side + " returned " + st.to_string());
  bool truncated = false;
  auto want = m.paths(from, to, o, &truncated);
  std::vector<std::vector<std::string>> got;
  for (const auto& p : r.paths) {
    std::vector<std::string> seq;
    for (const auto& rel : p.relations) seq.push_back(rel.id);
    got.push_back(seq);
    bool whole = p.entities.size() == p.relations.size() + 1;
    for (size_t i = 0; whole && i < p.entities.size(); ++i)
      whole = m.entities().count(p.entities[i].id) && p.entities[i] == m.entities().at(p.entities[i].id) &&
              (i == 0 || p.relations[i - 1].target_id == p.entities[i].id);
    for (const auto& rel : p.relations) whole = whole && m.relations().count(rel.id) && rel == m.relations().at(rel.id);
    if (!whole) mm->add(what + ": " + side + " returned a path that is not a chain of stored records");
  }
  if (got != want) {
    auto show = [](const std::vector<std::vector<std::string>>& ps) {
      std::string s;
      for (const auto& p : ps) {
        s += " [";
        for (const auto& id : p) s += id + ",";
        s += "]";
      }
      return s;
    };
    mm->add(what + ": " + side + " paths" + show(got) + " want" + show(want));
  }
  if (r.truncated != truncated) mm->add(what + ": " + side + " truncated=" + std::to_string(r.truncated));
}

TEST_P(Tier2Equivalence, FindPaths) {
  Loaded g = load(store());
  Rng rng(12);
  std::vector<std::pair<std::string, std::string>> pairs{
      {"missing-id", g.alive[0]}, {g.alive[0], "missing-id"}, {g.alive[3], g.alive[3]}};
  for (int i = 0; i < 12; ++i)
    pairs.emplace_back(g.alive[rng.below(g.alive.size())], g.alive[rng.below(g.alive.size())]);
  // Pairs known to be connected, so most calls find paths.
  for (int i = 0; i < 12; ++i) {
    std::string from = g.alive[rng.below(g.alive.size())];
    bool t;
    auto reach = g.model.traverse(from, TraverseOptions{Direction::kOut, "", 3, kNoLimit}, &t);
    if (!reach.empty()) pairs.emplace_back(from, reach[rng.below(reach.size())].id);
  }
  Mismatches mm;
  size_t calls = 0;
  for (const auto& [from, to] : pairs)
    for (uint32_t depth : {1u, 2u, 3u, 4u, 5u})
      for (uint64_t max : {uint64_t{1}, uint64_t{3}, uint64_t{50}})
        for (const char* type : {"", "KNOWS"}) {
          PathOptions o{type, depth, max};
          std::string what = "find_paths(" + in_quotes(from) + " -> " + in_quotes(to) + " type=" + in_quotes(type) +
                             " depth=" + std::to_string(depth) + " max=" + std::to_string(max) + ")";
          auto b = run_both<PathResult>(store(),
                                        [&](PathResult* out) { return store().find_paths(kTenant, from, to, o, out); });
          ++calls;
          check_paths_side("native", b.native_status, b.native, g.model, from, to, o, what, &mm);
          check_paths_side("default", b.default_status, b.defaults, g.model, from, to, o, what, &mm);
          if (b.native.paths != b.defaults.paths || b.native.truncated != b.defaults.truncated)
            mm.add(what + ": native and default results differ");
        }
  EXPECT_TRUE(mm.none(calls));
}

TEST_P(Tier2Equivalence, Subgraph) {
  Loaded g = load(store());
  Rng rng(13);
  std::vector<std::vector<std::string>> sets{{}, g.alive};
  for (int i = 0; i < 15; ++i) {
    std::vector<std::string> ids;
    size_t n = rng.below(30);
    for (size_t k = 0; k < n; ++k) ids.push_back(g.alive[rng.below(g.alive.size())]);
    ids.push_back("unknown-" + std::to_string(i));
    if (!ids.empty()) ids.push_back(ids.front());  // a duplicate
    sets.push_back(ids);
  }
  Mismatches mm;
  for (size_t i = 0; i < sets.size(); ++i) {
    std::string what = "subgraph(set " + std::to_string(i) + ")";
    auto b = run_both<Subgraph>(store(), [&](Subgraph* out) { return store().subgraph(kTenant, sets[i], out); });
    if (!b.native_status.ok() || !b.default_status.ok()) {
      mm.add(what + ": " + b.native_status.to_string() + " / " + b.default_status.to_string());
      continue;
    }
    auto [want_e, want_r] = g.model.subgraph(sets[i]);
    if (ids_of(b.native.entities) != want_e || ids_of(b.native.relations) != want_r)
      mm.add(what + ": native differs from the model");
    if (ids_of(b.defaults.entities) != want_e || ids_of(b.defaults.relations) != want_r)
      mm.add(what + ": default differs from the model");
    if (b.native.entities != b.defaults.entities || b.native.relations != b.defaults.relations)
      mm.add(what + ": native and default records differ");
  }
  EXPECT_TRUE(mm.none(sets.size()));
}

TEST_P(Tier2Equivalence, Scans) {
  Loaded g = load(store());
  Mismatches mm;
  size_t calls = 0;
  auto check = [&](const std::string& what, const Both<std::vector<std::string>>& b,
                   const std::vector<std::string>& want) {
    ++calls;
    if (!b.native_status.ok() || !b.default_status.ok())
      return mm.add(what + ": " + b.native_status.to_string() + " / " + b.default_status.to_string());
    if (b.native != want) mm.add(what + ": native differs from the model");
    if (b.defaults != want) mm.add(what + ": default differs from the model");
  };
  for (const char* type : {"", "Person", "Nope"})
    for (std::string after : {std::string(), g.alive[17], std::string("n5x"), std::string("\xff")})
      for (uint64_t offset : {uint64_t{0}, uint64_t{3}, uint64_t{1000}})
        for (uint64_t limit : {kNoLimit, uint64_t{0}, uint64_t{1}, uint64_t{25}}) {
          ScanOptions o{type, after, offset, limit};
          std::string what = "scan_entities(type=" + in_quotes(type) + " after=" + in_quotes(after) +
                             " offset=" + std::to_string(offset) + " limit=" + std::to_string(limit) + ")";
          std::vector<Entity> records[2];  // native, default
          int mode = 0;
          auto b = run_both<std::vector<std::string>>(store(), [&](std::vector<std::string>* out) {
            Status st;
            records[mode] = scan_entities(store(), kTenant, o, &st);
            *out = ids_of(records[mode++]);
            return st;
          });
          check(what, b, g.model.scan_entities(o));
          if (records[0] != records[1]) mm.add(what + ": native and default records differ");
        }
  for (const char* type : {"", "KNOWS", "Nope"})
    for (const char* after : {"", "r1", "r35x", "\xff"})
      for (uint64_t offset : {uint64_t{0}, uint64_t{3}, uint64_t{1000}})
        for (uint64_t limit : {kNoLimit, uint64_t{0}, uint64_t{1}, uint64_t{25}}) {
          ScanOptions o{type, after, offset, limit};
          std::string what = "scan_relations(type=" + in_quotes(type) + " after=" + in_quotes(after) +
                             " offset=" + std::to_string(offset) + " limit=" + std::to_string(limit) + ")";
          std::vector<Relation> records[2];  // native, default
          int mode = 0;
          auto b = run_both<std::vector<std::string>>(store(), [&](std::vector<std::string>* out) {
            Status st;
            records[mode] = scan_relations(store(), kTenant, o, &st);
            *out = ids_of(records[mode++]);
            return st;
          });
          check(what, b, g.model.scan_relations(o));
          if (records[0] != records[1]) mm.add(what + ": native and default records differ");
        }
  EXPECT_TRUE(mm.none(calls));
}

// Reports a scored answer that differs from want (ids exactly, scores 1e-9).
void check_scored(const char* side, const Status& st, const std::vector<ScoredEntity>& got,
                  const std::vector<std::pair<std::string, double>>& want, const Model& m, const std::string& what,
                  Mismatches* mm) {
  if (!st.ok()) return mm->add(what + ": " + side + " returned " + st.to_string());
  bool same = got.size() == want.size();
  for (size_t i = 0; same && i < got.size(); ++i)
    same = got[i].entity.id == want[i].first && std::fabs(got[i].score - want[i].second) <= 1e-9;
  if (!same) {
    std::string g, w;
    for (const auto& h : got) g += " " + h.entity.id + "=" + std::to_string(h.score);
    for (const auto& [id, s] : want) w += " " + id + "=" + std::to_string(s);
    mm->add(what + ": " + side + " [" + g + " ] want [" + w + " ]");
  }
  for (const auto& h : got)
    if (m.entities().count(h.entity.id) && h.entity != m.entities().at(h.entity.id))
      mm->add(what + ": " + side + " hit " + in_quotes(h.entity.id) + " is not the stored record");
}

TEST_P(Tier2Equivalence, VectorSearch) {
  Loaded g = load(store());
  Rng rng(14);
  std::vector<std::vector<float>> queries{std::vector<float>(kMain.dim, 0.0f)};
  for (int i = 0; i < 8; ++i) {
    std::vector<float> q(kMain.dim);
    for (auto& x : q) x = static_cast<float>(static_cast<int>(rng.below(2001)) - 1000) / 997.0f;
    queries.push_back(q);
  }
  for (const auto& [id, e] : g.model.entities())
    if (!e.embedding.empty() && queries.size() < 13) queries.push_back(e.embedding);
  Mismatches mm;
  size_t calls = 0;
  for (size_t qi = 0; qi < queries.size(); ++qi)
    for (uint32_t k : {1u, 5u, 300u})
      for (const char* type : {"", "Person"})
        for (double min_score : {-std::numeric_limits<double>::infinity(), 0.0, 0.5, 0.99}) {
          VectorQuery q{queries[qi], k, type, min_score};
          std::string what = "vector_search(query " + std::to_string(qi) + " k=" + std::to_string(k) +
                             " type=" + in_quotes(type) + " min=" + std::to_string(min_score) + ")";
          auto b = run_both<std::vector<ScoredEntity>>(
              store(), [&](std::vector<ScoredEntity>* out) { return store().vector_search(kTenant, q, out); });
          ++calls;
          auto want = g.model.vector_search(q);
          check_scored("native", b.native_status, b.native, want, g.model, what, &mm);
          check_scored("default", b.default_status, b.defaults, want, g.model, what, &mm);
        }
  EXPECT_TRUE(mm.none(calls));
}

TEST_P(Tier2Equivalence, TextSearch) {
  Loaded g = load(store());
  const char* texts[] = {"graph",
                         "Graph node",
                         "\xC3\xBCn\xC3\xAF"
                         "c\xC3\xB6"
                         "d\xC3\xA9",
                         "グラフ",
                         "knowledge vector search",
                         "NODE edge path tree",
                         "grap",
                         "",
                         "zzz"};
  Mismatches mm;
  size_t calls = 0;
  for (auto method : {TextMethod::kBm25, TextMethod::kJaccard, TextMethod::kCosine, TextMethod::kLevenshtein})
    for (const char* text : texts)
      for (uint32_t k : {1u, 10u, 300u})
        for (const char* type : {"", "Org"})
          for (double min_score : {0.0, 0.2}) {
            TextQuery q{text, method, k, type, min_score};
            std::string what = "text_search(method=" + std::to_string(static_cast<int>(method)) + " " +
                               in_quotes(text) + " k=" + std::to_string(k) + " type=" + in_quotes(type) +
                               " min=" + std::to_string(min_score) + ")";
            auto b = run_both<std::vector<ScoredEntity>>(
                store(), [&](std::vector<ScoredEntity>* out) { return store().text_search(kTenant, q, out); });
            ++calls;
            auto want = g.model.text_search(q);
            check_scored("native", b.native_status, b.native, want, g.model, what, &mm);
            check_scored("default", b.default_status, b.defaults, want, g.model, what, &mm);
          }
  EXPECT_TRUE(mm.none(calls));
}

TEST_P(Tier2Equivalence, StatsInBothTenants) {
  Loaded g = load(store());
  Model global = Model::read(store(), "");
  for (auto [tenant, model] : {std::pair<const char*, const Model*>{kTenant, &g.model}, {"", &global}}) {
    SCOPED_TRACE(std::string("tenant ") + in_quotes(tenant));
    auto b = run_both<Stats>(store(), [&](Stats* out) { return store().get_stats(tenant, out); });
    GS_EXPECT_OK(b.native_status);
    GS_EXPECT_OK(b.default_status);
    EXPECT_EQ(b.native, model->stats()) << "native";
    EXPECT_EQ(b.defaults, model->stats()) << "default";
  }
}

TEST_P(Tier2Equivalence, GlobalTenantAnswersFromItsOwnGraph) {
  load(store());
  Model global = Model::read(store(), "");
  ASSERT_FALSE(global.entities().empty());
  Mismatches mm;
  size_t calls = 0;
  for (const auto& [start, e] : global.entities()) {
    if (calls >= 20) break;
    TraverseOptions o{Direction::kBoth, "", 3, kNoLimit};
    auto b =
        run_both<TraverseResult>(store(), [&](TraverseResult* out) { return store().traverse("", start, o, out); });
    ++calls;
    std::string what = "global traverse from " + in_quotes(start);
    check_traverse_side("native", b.native_status, b.native, global, start, o, what, &mm);
    check_traverse_side("default", b.default_status, b.defaults, global, start, o, what, &mm);
  }
  VectorQuery q = vector_query(std::vector<float>(kGlobal.dim, 0.5f), 20);
  auto v = run_both<std::vector<ScoredEntity>>(
      store(), [&](std::vector<ScoredEntity>* out) { return store().vector_search("", q, out); });
  check_scored("native", v.native_status, v.native, global.vector_search(q), global, "global vector_search", &mm);
  check_scored("default", v.default_status, v.defaults, global.vector_search(q), global, "global vector_search", &mm);
  TextQuery t = text_query("graph node", TextMethod::kBm25, 50);
  auto ts = run_both<std::vector<ScoredEntity>>(
      store(), [&](std::vector<ScoredEntity>* out) { return store().text_search("", t, out); });
  check_scored("native", ts.native_status, ts.native, global.text_search(t), global, "global text_search", &mm);
  check_scored("default", ts.default_status, ts.defaults, global.text_search(t), global, "global text_search", &mm);
  EXPECT_TRUE(mm.none(calls + 2));
}

TEST_P(Tier2Equivalence, ForEachAgreesWithGet) {
  Loaded g = load(store());
  Mismatches mm;
  for (const auto& [id, e] : g.model.entities()) {
    Entity got;
    Status s = store().get_entity(kTenant, id, &got);
    if (!s.ok() || got != e) mm.add("get_entity(" + in_quotes(id) + ") differs from for_each_entity's record");
  }
  for (const auto& [id, r] : g.model.relations()) {
    Relation got;
    Status s = store().get_relation(kTenant, id, &got);
    if (!s.ok() || got != r) mm.add("get_relation(" + in_quotes(id) + ") differs from for_each_relation's record");
  }
  EXPECT_TRUE(mm.none(g.model.entities().size() + g.model.relations().size()));
}

}  // namespace
}  // namespace graphstore::conformance
