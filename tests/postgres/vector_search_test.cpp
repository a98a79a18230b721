// The postgres plugin's vector search route (plugins/postgres/vector_plan.hpp):
// when pgvector's HNSW index proposes candidates, how hnsw.ef_search grows
// when the filtered candidates come back short, when the exact scan answers
// instead, and the statements each step runs.
//
// The servers here have no pgvector (Debian 12 packages none), so pgvector's
// own statements are never run to success. What runs against a real server:
// the counts the route is chosen from (text_stats.embedded, kept by the
// triggers), the SET LOCAL of hnsw.ef_search, the exact statement (which is
// the plugin's exact path), and the candidate statement up to the point
// where it needs pgvector, whose failure must name pgvector. The retries are
// driven by real data through a stand-in for the index scan that yields the
// ef nearest rows before the filters, as pgvector's scan does; it stands in
// for the shape of the scan only and proves nothing about pgvector itself.
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>

#include "graphstore/abi.h"
#include "graphstore/scoring.hpp"
#include "graphstore/write_batch.hpp"
#include "pg_test_support.hpp"
#include "records.hpp"
#include "schema.hpp"
#include "vector_plan.hpp"

namespace graphstore::pgtest {
namespace {

using postgres::kMaxEfSearch;
using postgres::plan_vector_search;
using postgres::VectorCounts;
using postgres::VectorPlan;
using postgres::VectorRoute;
using postgres::VectorWhy;

VectorCounts counts(uint64_t matching, uint64_t tenant_embedded, double indexed = -1) {
  VectorCounts c;
  c.matching = matching;
  c.tenant_embedded = tenant_embedded;
  c.indexed = indexed;
  return c;
}

// ---- The rules, on numbers ----

TEST(PostgresVectorPlan, WithoutPgvectorOrWithTheExactFlagEverySearchIsExact) {
  VectorCounts many = counts(100000, 100000, 100000);
  VectorPlan p = plan_vector_search(false, 0, 10, many);
  EXPECT_EQ(p.route, VectorRoute::kExact);
  EXPECT_EQ(p.why, VectorWhy::kNoPgvector);
  p = plan_vector_search(true, GS_VECTOR_EXACT, 10, many);
  EXPECT_EQ(p.route, VectorRoute::kExact);
  EXPECT_EQ(p.why, VectorWhy::kExactFlag);
  p = plan_vector_search(true, 0, 10, many);
  EXPECT_EQ(p.route, VectorRoute::kIndex);
  EXPECT_EQ(p.why, VectorWhy::kIndex);
  EXPECT_EQ(p.candidates, 40u);
  EXPECT_EQ(p.ef_search, 40u);
  EXPECT_EQ(p.needed, 10u);
}

TEST(PostgresVectorPlan, EfSearchStartsAtTheCandidatesAndDoublesUpToPgvectorsCap) {
  VectorCounts many = counts(1000000, 1000000);
  EXPECT_EQ(plan_vector_search(true, 0, 1, many).ef_search, 40u);
  EXPECT_EQ(plan_vector_search(true, 0, 10, many).ef_search, 40u);
  EXPECT_EQ(plan_vector_search(true, 0, 100, many).ef_search, 400u);
  EXPECT_EQ(plan_vector_search(true, 0, 250, many).ef_search, 1000u);
  VectorPlan big = plan_vector_search(true, 0, 1000, many);
  EXPECT_EQ(big.route, VectorRoute::kIndex);
  EXPECT_EQ(big.candidates, 4000u);
  EXPECT_EQ(big.ef_search, kMaxEfSearch);
  // More than the index ever returns: exact from the start.
  VectorPlan beyond = plan_vector_search(true, 0, 1001, many);
  EXPECT_EQ(beyond.route, VectorRoute::kExact);
  EXPECT_EQ(beyond.why, VectorWhy::kBeyondIndex);

  std::vector<uint32_t> seq;
  for (uint32_t ef = 40; ef != 0; ef = postgres::next_ef_search(ef)) seq.push_back(ef);
  EXPECT_EQ(seq, (std::vector<uint32_t>{40, 80, 160, 320, 640, 1000}));
  EXPECT_EQ(postgres::next_ef_search(999), 1000u);
  EXPECT_EQ(postgres::next_ef_search(1000), 0u);
  EXPECT_EQ(postgres::vector_candidates(UINT32_MAX), UINT32_MAX);  // saturates
}

TEST(PostgresVectorPlan, FewMatchingEntitiesAreScoredExactly) {
  // k = 10: the index route would score 40 candidates; 40 matches or fewer
  // are scored exactly instead.
  VectorPlan p = plan_vector_search(true, 0, 10, counts(40, 40));
  EXPECT_EQ(p.route, VectorRoute::kExact);
  EXPECT_EQ(p.why, VectorWhy::kFewMatching);
  EXPECT_EQ(p.needed, 10u);
  p = plan_vector_search(true, 0, 10, counts(3, 3));
  EXPECT_EQ(p.why, VectorWhy::kFewMatching);
  EXPECT_EQ(p.needed, 3u);
  EXPECT_EQ(plan_vector_search(true, 0, 10, counts(0, 500)).why, VectorWhy::kFewMatching);
  EXPECT_EQ(plan_vector_search(true, 0, 10, counts(41, 41)).route, VectorRoute::kIndex);
  // The threshold follows k: 100 asks for 400 candidates.
  EXPECT_EQ(plan_vector_search(true, 0, 100, counts(400, 400)).why, VectorWhy::kFewMatching);
  EXPECT_EQ(plan_vector_search(true, 0, 100, counts(401, 401)).route, VectorRoute::kIndex);
}

TEST(PostgresVectorPlan, AFilterPassingUnderOnePercentOfTheIndexIsExact) {
  // 1,000 of the tenant's 100,000: exactly 1%, still the index.
  EXPECT_EQ(plan_vector_search(true, 0, 10, counts(1000, 100000)).route, VectorRoute::kIndex);
  VectorPlan p = plan_vector_search(true, 0, 10, counts(1000, 100001));
  EXPECT_EQ(p.route, VectorRoute::kExact);
  EXPECT_EQ(p.why, VectorWhy::kSelectiveFilter);
  // Other tenants' rows in the index count too: the scan walks them all.
  EXPECT_EQ(plan_vector_search(true, 0, 10, counts(1000, 50000, 200000)).why, VectorWhy::kSelectiveFilter);
  EXPECT_EQ(plan_vector_search(true, 0, 10, counts(1000, 50000, 100000)).route, VectorRoute::kIndex);
  // Statistics older than the tenant's own count: the larger holds.
  EXPECT_EQ(plan_vector_search(true, 0, 10, counts(1000, 200000, 5000)).why, VectorWhy::kSelectiveFilter);
  // And the flag wins over every count.
  EXPECT_EQ(plan_vector_search(true, GS_VECTOR_EXACT, 10, counts(1000, 1000)).why, VectorWhy::kExactFlag);
}

TEST(PostgresVectorPlan, TheIndexRouteRetriesWhileShortThenHandsOverToTheExactScan) {
  VectorPlan p = plan_vector_search(true, 0, 10, counts(5000, 5000));
  std::vector<uint32_t> asked;
  // Candidates passing the filters grow with ef_search: ef / 20.
  postgres::VectorIndexOutcome o = postgres::run_vector_index(p, [&](uint32_t ef) {
    asked.push_back(ef);
    return uint64_t(ef / 20);
  });
  EXPECT_TRUE(o.answered);
  EXPECT_EQ(o.ef_tried, (std::vector<uint32_t>{40, 80, 160, 320}));  // 2, 4, 8, 16
  EXPECT_EQ(asked, o.ef_tried);

  o = postgres::run_vector_index(p, [](uint32_t) { return uint64_t(9); });
  EXPECT_FALSE(o.answered);
  EXPECT_EQ(o.ef_tried, (std::vector<uint32_t>{40, 80, 160, 320, 640, 1000}));

  o = postgres::run_vector_index(p, [](uint32_t) { return uint64_t(10); });
  EXPECT_TRUE(o.answered);
  EXPECT_EQ(o.ef_tried, (std::vector<uint32_t>{40}));

  // A k whose candidates start at the cap gets one try.
  VectorPlan capped = plan_vector_search(true, 0, 300, counts(50000, 50000));
  o = postgres::run_vector_index(capped, [](uint32_t) { return uint64_t(299); });
  EXPECT_FALSE(o.answered);
  EXPECT_EQ(o.ef_tried, (std::vector<uint32_t>{1000}));
}

TEST(PostgresVectorPlan, OnlyPgvectorsMissingObjectsBecomeItsMessage) {
  for (const char* state : {"42704", "42883", "3F000", "42703", "58P01"}) {
    sdk::Status s = postgres::pgvector_failure(state, "ERROR:  type \"public.vector\" does not exist\nLINE 1: ...");
    EXPECT_EQ(s.code, GS_UNSUPPORTED) << state;
    EXPECT_EQ(s.message.rfind("postgres: vector_search: pgvector is not usable on this server", 0), 0u) << s.message;
    EXPECT_NE(s.message.find("enable_pgvector: false"), std::string::npos) << s.message;
    EXPECT_NE(s.message.find(state), std::string::npos) << s.message;
    EXPECT_EQ(s.message.find("LINE 1"), std::string::npos) << s.message;
  }
  for (const char* state : {"57014", "42601", "08006", "40001", "22023"})
    EXPECT_TRUE(postgres::pgvector_failure(state, "ERROR:  something else").ok()) << state;
}

// ---- Against the server ----

class PostgresVectorSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = shared_server();
    schema_ = unique_name("vecroute_");
    ASSERT_TRUE(open_store(options_for(server_, schema_), &store_).ok());
  }

  // A statement template of the plugin made concrete for this schema.
  std::string sql(std::string_view tmpl) const {
    std::string out(tmpl);
    for (size_t at = out.find("@S"); at != std::string::npos; at = out.find("@S", at))
      out.replace(at, 2, "\"" + schema_ + "\"");
    return out;
  }

  // The route's counts as the plugin reads them, through vector_stats_sql.
  struct Stats {
    std::optional<uint32_t> dim;
    VectorCounts counts;
    int64_t rows = 0;
  };
  Stats stats(const std::string& tenant, const std::string& type = "", uint32_t dim = 2) {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    std::string index = "\"" + schema_ + "\"." + postgres::vector_index_name(dim);
    pqxx::row r = type.empty() ? tx.exec_params1(sql(postgres::vector_stats_sql(false)), tenant, index)
                               : tx.exec_params1(sql(postgres::vector_stats_sql(true)), tenant, index, type);
    Stats s;
    if (!r[0].is_null()) s.dim = r[0].as<uint32_t>();
    s.counts.tenant_embedded = r[1].as<uint64_t>();
    s.counts.matching = r[2].as<uint64_t>();
    s.rows = r[3].as<int64_t>();
    if (!r[4].is_null()) s.counts.indexed = r[4].as<double>();
    return s;
  }
  // The truth the counts must equal.
  uint64_t embedded(const std::string& tenant, const std::string& type = "") {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    return tx
        .exec_params1(
            "SELECT count(*) FROM \"" + schema_ +
                "\".entities WHERE tenant_id = $1 AND embedding IS NOT NULL AND ($2 = '' OR entity_type = $2)",
            tenant, type)[0]
        .as<uint64_t>();
  }
  void admin(const std::string& statement) {
    pqxx::connection c(server_.admin_conninfo());
    pqxx::nontransaction tx(c);
    tx.exec(statement);
  }

  Server server_;
  std::string schema_;
  std::unique_ptr<Store> store_;
};

Entity with_vector(const std::string& id, const std::string& type, std::vector<float> v) {
  Entity e = entity(id, type);
  e.embedding = std::move(v);
  return e;
}

// A unit vector at angle a from (1, 0): its score against (1, 0) falls as a
// grows, so the order of a set of angles is the order of the answer.
std::vector<float> at_angle(double a) { return {float(std::cos(a)), float(std::sin(a))}; }

std::string padded(const std::string& prefix, int i) {
  std::string n = std::to_string(i);
  return prefix + std::string(5 - n.size(), '0') + n;
}

TEST_F(PostgresVectorSearch, TheCountsAreTheEmbeddedEntitiesWhateverWroteThem) {
  Stats none = stats("t");
  EXPECT_FALSE(none.dim.has_value());
  EXPECT_EQ(none.counts.tenant_embedded, 0u);
  EXPECT_LT(none.counts.indexed, 0);  // no index: unknown

  ASSERT_TRUE(store_->add_entity("t", with_vector("a", "Doc", {1, 0})).ok());
  ASSERT_TRUE(store_->add_entity("t", entity("plain", "Doc")).ok());
  std::vector<Entity> bulk;
  for (int i = 0; i < 300; ++i)
    bulk.push_back(i % 3 ? with_vector(padded("b", i), i % 2 ? "Doc" : "Note", at_angle(i * 0.01))
                         : entity(padded("b", i), "Note"));
  BulkResult br;
  ASSERT_TRUE(store_->add_entities_bulk("t", bulk, &br).ok());
  ASSERT_TRUE(store_->update_entity("t", with_vector("plain", "Doc", {0, 1})).ok());  // gains one
  Entity lost = entity(padded("b", 1), "Doc");
  ASSERT_TRUE(store_->update_entity("t", lost).ok());  // loses one
  ASSERT_TRUE(store_->delete_entity("t", padded("b", 2)).ok());
  WriteBatch b;
  b.add_entity(with_vector("c", "Note", {0.5f, 0.5f}));
  b.update_entity(with_vector(padded("b", 3), "Doc", {1, 1}));  // was a Note without one
  b.delete_entity(padded("b", 4));
  ASSERT_TRUE(store_->apply("t", b).ok());
  ASSERT_TRUE(store_->add_entity("u", with_vector("x", "Doc", {1, 2, 3})).ok());
  // An operator's SQL goes through the triggers too.
  admin("UPDATE \"" + schema_ + "\".entities SET embedding = NULL WHERE tenant_id = 't' AND id = '" + padded("b", 5) +
        "'");

  for (const std::string type : {"", "Doc", "Note", "Nothing"}) {
    Stats s = stats("t", type);
    ASSERT_TRUE(s.dim.has_value());
    EXPECT_EQ(*s.dim, 2u);
    EXPECT_EQ(s.counts.tenant_embedded, embedded("t")) << type;
    EXPECT_EQ(s.counts.matching, embedded("t", type)) << type;
  }
  EXPECT_EQ(stats("t", "Nothing").counts.matching, 0u);
  EXPECT_GT(stats("t", "Note").counts.matching, 40u);
  Stats u = stats("u", "", 3);
  EXPECT_EQ(*u.dim, 3u);
  EXPECT_EQ(u.counts.tenant_embedded, 1u);

  // A BM25 search past 64 delta rows folds them; the embedded counts
  // survive the fold.
  for (int i = 0; i < 70; ++i) ASSERT_TRUE(store_->add_entity("t", with_vector(padded("f", i), "Doc", {1, 0})).ok());
  EXPECT_GT(stats("t").rows, 64);
  TextQuery q;
  q.text = "anything";
  std::vector<ScoredEntity> hits;
  ASSERT_TRUE(store_->text_search("t", q, &hits).ok());
  Stats folded = stats("t", "Doc");
  EXPECT_EQ(folded.rows, 2);  // one per type
  EXPECT_EQ(folded.counts.tenant_embedded, embedded("t"));
  EXPECT_EQ(folded.counts.matching, embedded("t", "Doc"));

  ASSERT_TRUE(store_->clear("t", ClearScope::kTenant).ok());
  EXPECT_EQ(stats("t").counts.tenant_embedded, 0u);
  EXPECT_EQ(stats("u", "", 3).counts.tenant_embedded, 1u);
}

// Tenant "t": 5,000 Docs, and types whose embedded counts put them on each
// route for k = 10. "Mixed" holds 300 entities of which 35 are embedded:
// only embedded entities count.
void load_route_data(Store& store) {
  std::vector<Entity> all;
  for (int i = 0; i < 5000; ++i) all.push_back(with_vector(padded("doc", i), "Doc", at_angle(i * 0.0003)));
  for (int i = 0; i < 45; ++i) all.push_back(with_vector(padded("rare", i), "Rare", at_angle(1.0 + i * 0.001)));
  for (int i = 0; i < 30; ++i) all.push_back(with_vector(padded("few", i), "Few", at_angle(0.5 + i * 0.001)));
  for (int i = 0; i < 200; ++i) all.push_back(with_vector(padded("some", i), "Some", at_angle(0.2 + i * 0.002)));
  for (int i = 0; i < 300; ++i)
    all.push_back(i < 35 ? with_vector(padded("mixed", i), "Mixed", at_angle(0.7 + i * 0.001))
                         : entity(padded("mixed", i), "Mixed"));
  BulkResult r;
  ASSERT_TRUE(store.add_entities_bulk("t", all, &r).ok());
  ASSERT_EQ(r.added, all.size());
  std::vector<Entity> small;
  for (int i = 0; i < 20; ++i) small.push_back(with_vector(padded("s", i), "Doc", at_angle(i * 0.01)));
  ASSERT_TRUE(store.add_entities_bulk("small", small, &r).ok());
}

// The exact answer computed here: every embedded entity of the tenant (and
// type) scored with sdk::cosine_similarity, best first, then by id.
std::vector<std::pair<std::string, double>> brute_force(Store& store, const std::string& tenant,
                                                        const std::string& type, const std::vector<float>& q,
                                                        uint32_t k) {
  std::vector<std::pair<std::string, double>> all;
  ScanOptions o;
  o.type = type;
  std::vector<Entity> entities;
  EXPECT_TRUE(store.get_all_entities(tenant, o, &entities).ok());
  for (const Entity& e : entities)
    if (!e.embedding.empty())
      all.emplace_back(e.id, sdk::cosine_similarity(q.data(), e.embedding.data(), uint32_t(q.size())));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (all.size() > k) all.resize(k);
  return all;
}

TEST_F(PostgresVectorSearch, RealCountsPickTheRouteAndTheExactPathIsNeverShort) {
  load_route_data(*store_);
  struct Case {
    std::string tenant, type;
    uint32_t k;
    VectorWhy why;
  };
  const std::vector<Case> cases = {
      {"t", "", 10, VectorWhy::kIndex},                // 5,310 embedded
      {"t", "Doc", 10, VectorWhy::kIndex},             // 5,000
      {"t", "Some", 10, VectorWhy::kIndex},            // 200: 3.8% of the tenant
      {"t", "Some", 100, VectorWhy::kFewMatching},     // 200 <= 400 candidates
      {"t", "Rare", 10, VectorWhy::kSelectiveFilter},  // 45: 0.8% of the tenant
      {"t", "Few", 10, VectorWhy::kFewMatching},       // 30
      {"t", "Mixed", 10, VectorWhy::kFewMatching},     // 35 embedded of 300
      {"t", "", 1001, VectorWhy::kBeyondIndex},
      {"small", "", 10, VectorWhy::kFewMatching},  // 20
  };
  const std::vector<float> q = {1, 0};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tenant + "/" + c.type + " k=" + std::to_string(c.k));
    Stats s = stats(c.tenant, c.type);
    EXPECT_EQ(s.counts.matching, embedded(c.tenant, c.type));
    VectorPlan plan = plan_vector_search(true, 0, c.k, s.counts);
    EXPECT_EQ(plan.why, c.why);
    EXPECT_EQ(plan_vector_search(true, GS_VECTOR_EXACT, c.k, s.counts).why, VectorWhy::kExactFlag);
    // This server's store has no pgvector: every search runs the exact path,
    // the one every exact route above hands over to. It must return
    // min(k, matching) rows, the brute-force ones, with bit-identical scores.
    for (bool exact_flag : {false, true}) {
      VectorQuery vq;
      vq.vector = q;
      vq.k = c.k;
      vq.entity_type = c.type;
      vq.exact = exact_flag;
      std::vector<ScoredEntity> got;
      ASSERT_TRUE(store_->vector_search(c.tenant, vq, &got).ok());
      auto want = brute_force(*store_, c.tenant, c.type, q, c.k);
      ASSERT_EQ(got.size(), std::min<uint64_t>(c.k, s.counts.matching));
      ASSERT_EQ(got.size(), want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].entity.id, want[i].first) << i;
        EXPECT_EQ(got[i].score, want[i].second) << i;
      }
    }
  }
}

// A stand-in for pgvector's filtered HNSW scan, on the real rows: the ef
// nearest embedded rows of the dimension over every tenant (what an HNSW
// scan yields at most, here exactly), then the filters, then the candidate
// limit. Returns how many candidates passed the filters.
uint64_t nearest_then_filtered(pqxx::connection& c, const std::string& schema, const std::string& tenant,
                               const std::string& type, const std::string& query, uint32_t ef, uint32_t candidates) {
  pqxx::nontransaction tx(c);
  return tx
      .exec_params1("SELECT count(*) FROM (SELECT 1 FROM (SELECT e.tenant_id, e.entity_type FROM \"" + schema +
                        "\".entities e, LATERAL (SELECT sum(x * y) AS dot, sum(x * x) AS nv, sum(y * y) AS nq "
                        "FROM unnest(e.embedding::float8[], $3::real[]::float8[]) AS t(x, y)) a "
                        "WHERE e.embedding IS NOT NULL AND cardinality(e.embedding) = cardinality($3::real[]) "
                        "ORDER BY a.dot / (sqrt(a.nv) * sqrt(a.nq)) DESC, e.id LIMIT $4) n "
                        "WHERE n.tenant_id = $1 AND ($2 = '' OR n.entity_type = $2) LIMIT $5) f",
                    tenant, type, query, ef, candidates)[0]
      .as<uint64_t>();
}

TEST_F(PostgresVectorSearch, RetriesGrowEfSearchUntilTheFilteredCandidatesSufficeOrHandOver) {
  // Angles 0.001 * i from the query; every 12th is a Note, the rest Docs;
  // 60 Far entities lie beyond all of them. Another tenant's rows sit
  // nearest to the query, as other tenants' rows do in a shared index.
  std::vector<Entity> all;
  for (int i = 0; i < 1200; ++i)
    all.push_back(with_vector(padded("e", i), i % 12 == 5 ? "Note" : "Doc", at_angle(0.2 + i * 0.001)));
  for (int i = 0; i < 60; ++i) all.push_back(with_vector(padded("far", i), "Far", at_angle(1.5 + i * 0.001)));
  BulkResult r;
  ASSERT_TRUE(store_->add_entities_bulk("t", all, &r).ok());
  std::vector<Entity> other;
  for (int i = 0; i < 100; ++i) other.push_back(with_vector(padded("o", i), "Note", at_angle(i * 0.001)));
  ASSERT_TRUE(store_->add_entities_bulk("other", other, &r).ok());

  pqxx::connection c(server_.admin_conninfo());
  const std::string query = "{1,0}";
  auto drive = [&](const std::string& type, uint32_t k) {
    VectorPlan plan = plan_vector_search(true, 0, k, stats("t", type).counts);
    EXPECT_EQ(plan.route, VectorRoute::kIndex) << type;
    return postgres::run_vector_index(
        plan, [&](uint32_t ef) { return nearest_then_filtered(c, schema_, "t", type, query, ef, plan.candidates); });
  };
  // Notes, 100 of 1,260 (7.9%): among the 40 nearest rows of the index none
  // is t's (the other tenant's 100 come first); 80: none; 160: 5 Notes of
  // t; 320: 18.
  postgres::VectorIndexOutcome notes = drive("Note", 10);
  EXPECT_TRUE(notes.answered);
  EXPECT_EQ(notes.ef_tried, (std::vector<uint32_t>{40, 80, 160, 320}));
  // Far, 60 of 1,260 (4.8%): never among the 1,000 nearest; every ef up to
  // the cap is short, and the exact scan answers.
  postgres::VectorIndexOutcome far = drive("Far", 10);
  EXPECT_FALSE(far.answered);
  EXPECT_EQ(far.ef_tried, (std::vector<uint32_t>{40, 80, 160, 320, 640, 1000}));
  VectorQuery vq;
  vq.vector = {1, 0};
  vq.entity_type = "Far";
  std::vector<ScoredEntity> got;
  ASSERT_TRUE(store_->vector_search("t", vq, &got).ok());
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(got[size_t(i)].entity.id, padded("far", i));
  // No type: t's rows start at the 101st nearest.
  postgres::VectorIndexOutcome any = drive("", 10);
  EXPECT_TRUE(any.answered);
  EXPECT_EQ(any.ef_tried, (std::vector<uint32_t>{40, 80, 160}));
}

TEST_F(PostgresVectorSearch, SetLocalEfSearchBindsItsValueAndEndsWithTheTransaction) {
  pqxx::connection c(server_.admin_conninfo());
  {
    pqxx::work tx(c);
    tx.exec_params(postgres::kSetEfSearchSql, std::to_string(320));
    EXPECT_EQ(tx.exec1("SELECT current_setting('hnsw.ef_search')")[0].as<std::string>(), "320");
    tx.exec_params(postgres::kSetEfSearchSql, std::to_string(640));
    EXPECT_EQ(tx.exec1("SELECT current_setting('hnsw.ef_search')")[0].as<std::string>(), "640");
    tx.commit();
  }
  pqxx::nontransaction after(c);
  // Without pgvector the setting is a placeholder, which outlives the
  // transaction empty; with pgvector it returns to the server's value.
  pqxx::row r = after.exec1("SELECT coalesce(current_setting('hnsw.ef_search', true), '')");
  EXPECT_EQ(r[0].as<std::string>(), "");
}

TEST_F(PostgresVectorSearch, TheExactStatementIsWhatThePluginRuns) {
  load_route_data(*store_);
  pqxx::connection c(server_.admin_conninfo());
  pqxx::nontransaction tx(c);
  for (const std::string type : {"", "Some"}) {
    pqxx::result r = type.empty()
                         ? tx.exec_params(sql(postgres::vector_exact_sql(false)), "t", "{1,0.5}", -1.0, 7)
                         : tx.exec_params(sql(postgres::vector_exact_sql(true)), "t", "{1,0.5}", -1.0, 7, type);
    VectorQuery vq;
    vq.vector = {1, 0.5f};
    vq.k = 7;
    vq.entity_type = type;
    std::vector<ScoredEntity> got;
    ASSERT_TRUE(store_->vector_search("t", vq, &got).ok());
    ASSERT_EQ(r.size(), 7u);
    ASSERT_EQ(got.size(), 7u);
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(r[int(i)][0].as<std::string>(), got[i].entity.id);
      EXPECT_EQ(std::strtod(r[int(i)][postgres::kEntityColCount].c_str(), nullptr), got[i].score);
    }
  }
}

TEST_F(PostgresVectorSearch, PgvectorsStatementsOnAServerWithoutItFailNamingPgvector) {
  ASSERT_TRUE(store_->add_entity("t", with_vector("a", "Doc", {1, 0})).ok());
  pqxx::connection c(server_.admin_conninfo());
  // pgvector's schema as it usually is; this server has none.
  const std::string vs = "\"public\"";
  std::vector<std::pair<std::string, std::string>> statements = {
      {"candidates", sql(postgres::vector_candidate_sql(vs, 2, false))},
      {"typed candidates", sql(postgres::vector_candidate_sql(vs, 2, true))},
      {"index", sql(postgres::vector_create_index_sql(vs, 2))}};
  for (const auto& [what, statement] : statements) {
    SCOPED_TRACE(what);
    pqxx::work tx(c);
    try {
      if (what == "index")
        tx.exec(statement);
      else if (what == "typed candidates")
        tx.exec_params(statement, "t", "{1,0}", -1.0, 10, "Doc");
      else
        tx.exec_params(statement, "t", "{1,0}", -1.0, 10);
      ADD_FAILURE() << "ran without pgvector";
    } catch (const pqxx::sql_error& e) {
      // The statement parses (no syntax error): it fails where it needs
      // pgvector, and the raw message does not say so.
      EXPECT_NE(e.sqlstate(), "42601") << e.what();
      EXPECT_EQ(std::string(e.what()).find("pgvector"), std::string::npos) << e.what();
      sdk::Status s = postgres::pgvector_failure(e.sqlstate(), e.what());
      EXPECT_EQ(s.code, GS_UNSUPPORTED) << e.sqlstate() << " " << e.what();
      EXPECT_NE(s.message.find("pgvector is not usable on this server"), std::string::npos) << s.message;
      EXPECT_NE(s.message.find("enable_pgvector"), std::string::npos) << s.message;
    }
  }
}

TEST_F(PostgresVectorSearch, AnUpgradeFromVersion4CountsTheEmbeddedEntitiesUnderRowLevelSecurity) {
  // As the non-superuser owner, whom FORCE ROW LEVEL SECURITY binds.
  std::string schema = unique_name("vecup_");
  std::unique_ptr<Store> app;
  ASSERT_TRUE(open_store(app_options(server_, schema, ",\"row_level_security\":true"), &app).ok());
  for (const std::string tenant : {"a", "b"})
    for (int i = 0; i < 12; ++i)
      ASSERT_TRUE(app->add_entity(tenant, i % 3 ? with_vector(padded("e", i), i % 2 ? "Doc" : "Note", {1, float(i)})
                                                : entity(padded("e", i), "Doc"))
                      .ok());
  app.reset();
  // The schema as version 4 left it: text_stats without embedded (the
  // upgrade replaces the trigger function too).
  admin("ALTER TABLE \"" + schema + "\".text_stats DROP COLUMN embedded; UPDATE \"" + schema +
        "\".meta SET value = '4' WHERE key = 'schema_version'");
  ASSERT_TRUE(open_store(app_options(server_, schema, ",\"row_level_security\":true"), &app).ok());
  pqxx::connection c(server_.admin_conninfo());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT value FROM \"" + schema + "\".meta WHERE key = 'schema_version'")[0].as<std::string>(),
            std::to_string(postgres::kSchemaVersion));
  for (const std::string tenant : {"a", "b"}) {
    auto sum = [&](const std::string& type) {
      return tx
          .exec_params1("SELECT coalesce(sum(embedded), 0) FROM \"" + schema +
                            "\".text_stats WHERE tenant_id = $1 AND ($2 = '' OR entity_type = $2)",
                        tenant, type)[0]
          .as<int>();
    };
    EXPECT_EQ(sum(""), 8) << tenant;
    EXPECT_EQ(sum("Doc"), 4) << tenant;
    EXPECT_EQ(sum("Note"), 4) << tenant;
  }
  // Writes after the upgrade keep counting, through the policies.
  ASSERT_TRUE(app->add_entity("a", with_vector("new", "Doc", {1, 1})).ok());
  ASSERT_TRUE(app->delete_entity("b", padded("e", 1)).ok());
  EXPECT_EQ(tx.exec1("SELECT sum(embedded) FROM \"" + schema + "\".text_stats WHERE tenant_id = 'a'")[0].as<int>(), 9);
  EXPECT_EQ(tx.exec1("SELECT sum(embedded) FROM \"" + schema + "\".text_stats WHERE tenant_id = 'b'")[0].as<int>(), 7);
  // The policies are forced again.
  EXPECT_TRUE(
      tx.exec1("SELECT relforcerowsecurity FROM pg_class WHERE oid = '\"" + schema + "\".text_stats'::regclass")[0]
          .as<bool>());
  EXPECT_TRUE(
      tx.exec1("SELECT relforcerowsecurity FROM pg_class WHERE oid = '\"" + schema + "\".entities'::regclass")[0]
          .as<bool>());
}

// ---- The flag through the C ABI ----

const gs_store_api* postgres_api() {
  static const gs_store_api* api = [] {
    void* lib = dlopen(GRAPHSTORE_PLUGIN_DIR "/libgraphstore_postgres.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return static_cast<const gs_store_api*>(nullptr);
    auto entry = reinterpret_cast<gs_plugin_entry_fn>(dlsym(lib, GS_PLUGIN_ENTRY_SYMBOL));
    const gs_plugin_descriptor* d = nullptr;
    char buf[512] = {0};
    gs_errbuf err{buf, sizeof buf};
    if (!entry || entry(nullptr, &d, &err) != GS_OK) return static_cast<const gs_store_api*>(nullptr);
    return d->api;
  }();
  return api;
}

TEST_F(PostgresVectorSearch, TheFlagIsReadFromTheAbiAndUnknownFlagsAreRefused) {
  ASSERT_TRUE(store_->add_entity("t", with_vector("a", "Doc", {1, 0})).ok());
  ASSERT_TRUE(store_->add_entity("t", with_vector("b", "Doc", {0, 1})).ok());
  const gs_store_api* api = postgres_api();
  ASSERT_NE(api, nullptr);
  std::string options = options_for(server_, schema_, ",\"min_pool_size\":1");
  char buf[1024] = {0};
  gs_errbuf err{buf, sizeof buf};
  gs_store* raw = nullptr;
  ASSERT_EQ(api->open(nullptr, gs_str{options.data(), options.size()}, &raw, &err), GS_OK) << buf;
  const float q[2] = {1, 0};
  std::vector<std::string> ids;
  auto sink = [](void* ctx, const gs_entity* e, double) -> int32_t {
    static_cast<std::vector<std::string>*>(ctx)->emplace_back(e->id.data, e->id.len);
    return 0;
  };
  auto search = [&](uint32_t struct_size, uint32_t flags) {
    gs_vector_params p{};
    p.struct_size = struct_size;
    p.query = q;
    p.dim = 2;
    p.k = 5;
    p.min_score = -2;
    p.flags = flags;
    ids.clear();
    buf[0] = 0;
    return api->vector_search(raw, gs_str{"t", 1}, &p, sink, &ids, &err);
  };
  EXPECT_EQ(search(sizeof(gs_vector_params), GS_VECTOR_EXACT), GS_OK) << buf;
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(search(sizeof(gs_vector_params), 0), GS_OK) << buf;
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
  // A host of ABI 1.3 passes the struct without flags; garbage past its
  // size is never read.
  EXPECT_EQ(search(offsetof(gs_vector_params, flags), 0xfffffff0u), GS_OK) << buf;
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(search(sizeof(gs_vector_params), GS_VECTOR_EXACT | 4u), GS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(buf).find("unknown flags 5"), std::string::npos) << buf;
  EXPECT_TRUE(ids.empty());
  api->close(raw);
}

}  // namespace
}  // namespace graphstore::pgtest
