// `vector_index: hnsw` behind the in-memory and SQLite stores, through the
// Registry as a host sees it: recall against `exact`, scores equal to the
// scan's, type filters that never come back short, writes of every kind
// kept in step, tenants apart, the state and metrics, and for SQLite the
// saved index: reused on reopen, rebuilt when stale or damaged, caught up
// after another store's writes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
#include "graphstore/write_batch.hpp"
#include "seeded_vectors.hpp"
#include "vector_index.hpp"

namespace graphstore {
namespace {

namespace fs = std::filesystem;
constexpr uint32_t kDim = 16;
// Past the size below which the store scans anyway.
constexpr size_t kN = hnsw::kScanBelow + 2000;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("gs_vecidx_" + std::to_string(::getpid()) + "_" + std::to_string(next_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
  static inline int next_ = 0;
};

struct Backend {
  std::string name;
  bool file;  // SQLite on a file
};
// How GoogleTest names the parameter in its output.
void PrintTo(const Backend& b, std::ostream* os) { *os << b.name << (b.file ? " on a file" : ""); }

std::vector<float> row(const std::vector<float>& all, size_t i) {
  return std::vector<float>(all.begin() + i * kDim, all.begin() + (i + 1) * kDim);
}

// Entity i: id "e<i>", type "t<i % types>", the seeded vector i.
std::vector<Entity> entities(const std::vector<float>& vectors, size_t n, size_t types = 10) {
  std::vector<Entity> out;
  for (size_t i = 0; i < n; ++i) {
    Entity e;
    e.id = "e" + std::to_string(i);
    e.entity_type = "t" + std::to_string(i % types);
    e.embedding = row(vectors, i);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> ids(const std::vector<ScoredEntity>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.entity.id);
  return out;
}

class VectorIndexStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    vectors_ = testing::seeded_vectors(kN + 200, kDim, 40, 11);
    queries_ = testing::seeded_vectors(40, kDim, 40, 12);
  }
  std::string options(const std::string& extra = "") const {
    std::string o = R"({"vector_index": "hnsw")";
    if (GetParam().name == "sqlite") o += R"(, "path": ")" + (GetParam().file ? path() : std::string(":memory:")) + "\"";
    if (!extra.empty()) o += ", " + extra;
    return o + "}";
  }
  std::string path() const { return dir_.file("g.db"); }
  std::unique_ptr<Store> open(const std::string& opts) {
    Registry registry({GRAPHSTORE_PLUGIN_DIR});
    std::unique_ptr<Store> s;
    Status st = registry.open(GetParam().name, opts, &s);
    EXPECT_TRUE(st.ok()) << st.to_string();
    return s;
  }
  void load(Store& s, const std::string& tenant = "", size_t types = 10) {
    BulkResult r;
    auto es = entities(vectors_, kN, types);
    ASSERT_TRUE(s.add_entities_bulk(tenant, es, &r).ok());
    ASSERT_EQ(r.added, kN);
  }
  std::vector<ScoredEntity> search(Store& s, const std::vector<float>& q, uint32_t k, const std::string& type = "",
                                   bool exact = false, const std::string& tenant = "") {
    VectorQuery vq;
    vq.vector = q;
    vq.k = k;
    vq.entity_type = type;
    vq.exact = exact;
    std::vector<ScoredEntity> out;
    Status st = s.vector_search(tenant, vq, &out);
    EXPECT_TRUE(st.ok()) << st.to_string();
    return out;
  }
  std::string state(Store& s, const std::string& key) {
    std::vector<std::pair<std::string, std::string>> out;
    EXPECT_TRUE(s.state(&out).ok());
    for (auto& [k, v] : out)
      if (k == key) return v;
    return "";
  }
  // Mean overlap of the index's top 10 with the exact top 10; checks on the
  // way that every approximate hit carries the exact scan's score.
  double mean_recall(Store& s, const std::string& type = "") {
    double sum = 0;
    for (size_t q = 0; q < 40; ++q) {
      auto qv = row(queries_, q);
      auto exact = search(s, qv, 10, type, true);
      auto approx = search(s, qv, 10, type, false);
      EXPECT_EQ(approx.size(), exact.size());
      std::map<std::string, double> exact_scores;
      for (const auto& h : search(s, qv, 200, type, true)) exact_scores[h.entity.id] = h.score;
      size_t hit = 0;
      for (const auto& h : approx) {
        if (!type.empty()) {
          EXPECT_EQ(h.entity.entity_type, type);
        }
        auto it = exact_scores.find(h.entity.id);
        if (it != exact_scores.end()) {
          EXPECT_EQ(h.score, it->second) << h.entity.id;
        }
        for (const auto& e : exact) hit += e.entity.id == h.entity.id;
      }
      sum += exact.empty() ? 1.0 : double(hit) / double(exact.size());
    }
    return sum / 40;
  }

  TempDir dir_;
  std::vector<float> vectors_, queries_;
};

TEST_P(VectorIndexStoreTest, RecallAgainstExactWithExactScores) {
  auto s = open(options());
  load(*s);
  // Measured 0.99+; 0.9 leaves room for the thread interleaving of the bulk link.
  EXPECT_GE(mean_recall(*s), 0.9);
  EXPECT_NE(state(*s, "vector_index").find("hnsw"), std::string::npos);
  EXPECT_NE(state(*s, "vector_index").find(std::to_string(kN) + " vectors"), std::string::npos)
      << state(*s, "vector_index");
  std::string metrics;
  ASSERT_TRUE(s->metrics_text(&metrics).ok());
  EXPECT_NE(metrics.find("vector_index_bytes"), std::string::npos) << metrics;
}

TEST_P(VectorIndexStoreTest, TypeFiltersNeverComeBackShort) {
  auto s = open(options());
  // Two types of half the vectors each: enough for the filtered walk
  // (vector_index.hpp's rule), which is what this exercises.
  load(*s, "", 2);
  EXPECT_GE(mean_recall(*s, "t1"), 0.9);
  for (size_t q = 0; q < 10; ++q) {
    auto hits = search(*s, row(queries_, q), 50, "t1");
    ASSERT_EQ(hits.size(), 50u);
    for (const auto& h : hits) EXPECT_EQ(h.entity.entity_type, "t1");
  }
  // A type under 1% of the vectors is scanned: equal to exact.
  Entity rare;
  rare.id = "rare";
  rare.entity_type = "rare";
  rare.embedding = row(vectors_, kN + 1);
  ASSERT_TRUE(s->add_entity("", rare).ok());
  auto hits = search(*s, row(queries_, 0), 10, "rare");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entity.id, "rare");
}

TEST_P(VectorIndexStoreTest, SmallStoresScanSoResultsEqualExact) {
  auto s = open(options());
  BulkResult r;
  auto es = entities(vectors_, 500);
  ASSERT_TRUE(s->add_entities_bulk("", es, &r).ok());
  for (size_t q = 0; q < 10; ++q) {
    auto qv = row(queries_, q);
    EXPECT_EQ(search(*s, qv, 10), search(*s, qv, 10, "", true));
  }
}

TEST_P(VectorIndexStoreTest, EveryWriteKeepsTheIndexInStep) {
  auto s = open(options());
  load(*s);
  auto target = row(queries_, 5);
  // add_entity: the new entity is its own nearest neighbour.
  Entity added;
  added.id = "added";
  added.entity_type = "t1";
  added.embedding = target;
  ASSERT_TRUE(s->add_entity("", added).ok());
  EXPECT_EQ(search(*s, target, 1).at(0).entity.id, "added");
  // update_entity moving the vector away: it leaves that neighbourhood.
  added.embedding = row(vectors_, kN + 3);
  ASSERT_TRUE(s->update_entity("", added).ok());
  EXPECT_NE(search(*s, target, 1).at(0).entity.id, "added");
  EXPECT_EQ(search(*s, row(vectors_, kN + 3), 1).at(0).entity.id, "added");
  // A type change alone: found under the new type only.
  added.entity_type = "t2";
  ASSERT_TRUE(s->update_entity("", added).ok());
  EXPECT_EQ(search(*s, row(vectors_, kN + 3), 1, "t2").at(0).entity.id, "added");
  EXPECT_NE(search(*s, row(vectors_, kN + 3), 1, "t1").at(0).entity.id, "added");
  // Dropping the embedding, then deleting: never found again.
  auto first = search(*s, row(vectors_, 0), 1).at(0).entity.id;
  ASSERT_EQ(first, "e0");
  Entity e0 = entities(vectors_, 1).front();
  e0.embedding.clear();
  ASSERT_TRUE(s->update_entity("", e0).ok());
  EXPECT_NE(search(*s, row(vectors_, 0), 1).at(0).entity.id, "e0");
  ASSERT_TRUE(s->delete_entity("", "added").ok());
  for (const auto& h : search(*s, row(vectors_, kN + 3), 20)) EXPECT_NE(h.entity.id, "added");
  // A batch that fails part-way leaves nothing behind in the index either.
  WriteBatch batch;
  Entity ghost;
  ghost.id = "ghost";
  ghost.entity_type = "t1";
  ghost.embedding = row(queries_, 9);
  batch.add_entity(ghost);
  batch.delete_entity("no such entity");
  EXPECT_FALSE(s->apply(std::string_view(), batch).ok());
  for (const auto& h : search(*s, row(queries_, 9), 20)) EXPECT_NE(h.entity.id, "ghost");
  // Removing a whole source, then clearing: searches stay consistent.
  Removed removed;
  ASSERT_TRUE(s->clear("", ClearScope::kTenant, &removed).ok());
  EXPECT_TRUE(search(*s, target, 10).empty());
  load(*s);
  EXPECT_GE(mean_recall(*s), 0.9);
}

TEST_P(VectorIndexStoreTest, TenantsNeverSeeEachOthersVectors) {
  auto s = open(options());
  load(*s, "alpha");
  BulkResult r;
  auto bs = entities(vectors_, kN);
  for (auto& e : bs) e.id = "beta_" + e.id;
  ASSERT_TRUE(s->add_entities_bulk("beta", bs, &r).ok());
  for (size_t q = 0; q < 10; ++q) {
    for (const auto& h : search(*s, row(queries_, q), 10, "", false, "alpha"))
      EXPECT_EQ(h.entity.id.rfind("beta_", 0), std::string::npos);
    for (const auto& h : search(*s, row(queries_, q), 10, "", false, "beta"))
      EXPECT_EQ(h.entity.id.rfind("beta_", 0), 0u);
  }
  EXPECT_TRUE(search(*s, row(queries_, 0), 10).empty()) << "the global tenant holds nothing";
}

INSTANTIATE_TEST_SUITE_P(Backends, VectorIndexStoreTest,
                         ::testing::Values(Backend{"inmemory", false}, Backend{"sqlite", false},
                                           Backend{"sqlite", true}),
                         [](const auto& info) {
                           return info.param.name + (info.param.file ? "_file" : "");
                         });

// ---- SQLite's saved index ---------------------------------------------------

class SqliteSavedIndexTest : public VectorIndexStoreTest {};

TEST_P(SqliteSavedIndexTest, ReopenReadsTheSavedIndexInsteadOfRebuilding) {
  std::vector<std::vector<std::string>> before;
  {
    auto s = open(options());
    load(*s);
    for (size_t q = 0; q < 10; ++q) before.push_back(ids(search(*s, row(queries_, q), 10)));
    EXPECT_EQ(state(*s, "vector_index_origin"), "built by this store");
  }
  ASSERT_TRUE(fs::exists(path() + ".vectors"));
  auto s = open(options());
  EXPECT_EQ(state(*s, "vector_index_origin"), "read from " + path() + ".vectors");
  for (size_t q = 0; q < 10; ++q) EXPECT_EQ(ids(search(*s, row(queries_, q), 10)), before[q]);
}

TEST_P(SqliteSavedIndexTest, AStaleOrDamagedFileIsRebuiltFromTheRows) {
  {
    auto s = open(options());
    load(*s);
  }
  // Written while no store kept the index: the file's generation is behind.
  {
    auto plain = open(R"({"path": ")" + path() + "\"}");
    Entity late;
    late.id = "late";
    late.entity_type = "t0";
    late.embedding = row(queries_, 3);
    ASSERT_TRUE(plain->add_entity("", late).ok());
  }
  {
    auto s = open(options());
    auto hits = search(*s, row(queries_, 3), 1);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].entity.id, "late");
    EXPECT_EQ(state(*s, "vector_index_origin"), "rebuilt from the database");
  }
  // Now damage the saved file in the middle: the checksum refuses it.
  {
    std::fstream f(path() + ".vectors", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(std::streamoff(fs::file_size(path() + ".vectors") / 2));
    f.put('\x5a');
  }
  auto s = open(options());
  auto hits = search(*s, row(queries_, 3), 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entity.id, "late");
  EXPECT_EQ(state(*s, "vector_index_origin"), "rebuilt from the database");
}

TEST_P(SqliteSavedIndexTest, AnotherStoresWritesAreCaughtUpBeforeTheNextSearch) {
  auto s = open(options());
  load(*s);
  EXPECT_GE(mean_recall(*s), 0.9);
  auto other = open(R"({"path": ")" + path() + "\"}");
  Entity e;
  e.id = "from_other";
  e.entity_type = "t4";
  e.embedding = row(queries_, 8);
  ASSERT_TRUE(other->add_entity("", e).ok());
  ASSERT_TRUE(other->delete_entity("", "e1").ok());
  auto hits = search(*s, row(queries_, 8), 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entity.id, "from_other");
  for (const auto& h : search(*s, row(vectors_, 1), 10)) EXPECT_NE(h.entity.id, "e1");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteSavedIndexTest, ::testing::Values(Backend{"sqlite", true}),
                         [](const auto&) { return std::string("file"); });

TEST(VectorIndexOptionsStoreTest, BadOptionsAreRefusedWithTheKeyNamed) {
  Registry registry({GRAPHSTORE_PLUGIN_DIR});
  std::unique_ptr<Store> s;
  for (const char* backend : {"inmemory", "sqlite"}) {
    std::string base = std::string(backend) == "sqlite" ? R"("path": ":memory:", )" : "";
    Status st = registry.open(backend, "{" + base + R"("vector_index": "annoy"})", &s);
    EXPECT_TRUE(st.is_invalid_argument()) << st.to_string();
    EXPECT_NE(st.message().find("vector_index"), std::string::npos) << st.message();
    st = registry.open(backend, "{" + base + R"("vector_index": "hnsw", "hnsw_ef_search": 0})", &s);
    EXPECT_NE(st.message().find("hnsw_ef_search"), std::string::npos) << st.message();
    st = registry.open(backend, "{" + base + R"("hnsw_metric": "l2"})", &s);
    EXPECT_NE(st.message().find("hnsw_metric"), std::string::npos) << st.message();
    ASSERT_TRUE(registry.open(backend, "{" + base + R"("vector_index": "exact"})", &s).ok());
    std::vector<std::pair<std::string, std::string>> state;
    ASSERT_TRUE(s->state(&state).ok());
    EXPECT_NE(std::find(state.begin(), state.end(), std::make_pair(std::string("vector_index"), std::string("exact"))),
              state.end());
  }
}

}  // namespace
}  // namespace graphstore
