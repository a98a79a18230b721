#include "io_fixture.hpp"

#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

namespace graphstore::testing {

void IoTest::SetUp() {
  char tmpl[] = "/tmp/graphstore_io_test_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  registry_.add_search_path(GRAPHSTORE_TEST_PLUGIN_DIR);
}

void IoTest::TearDown() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

bool IoTest::have_sqlite() {
#ifdef GRAPHSTORE_HAVE_SQLITE
  return true;
#else
  return false;
#endif
}

std::unique_ptr<Store> IoTest::open(const std::string& plugin) {
  std::string options = "{}";
  if (plugin == "sqlite")
    options = R"({"path": ")" + (dir_ / ("db" + std::to_string(sqlite_files_++) + ".db")).string() + "\"}";
  std::unique_ptr<Store> store;
  Status s = registry_.open(plugin, options, &store);
  EXPECT_TRUE(s.ok()) << s.to_string();
  return store;
}

void IoTest::write_file(const std::string& name, const std::string& text) const {
  std::ofstream(dir_ / name, std::ios::binary) << text;
}

void IoTest::write_gzip(const std::string& name, const std::string& text) const {
  gzFile f = gzopen((dir_ / name).c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
  gzclose(f);
}

std::string IoTest::read_file(const std::string& name) const {
  std::ifstream in(dir_ / name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> IoTest::read_lines(const std::string& name) const {
  std::vector<std::string> out;
  std::istringstream in(read_file(name));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

namespace {

constexpr Timestamp kT0 = 1765275072LL * 1000000;  // 2025-12-09T10:11:12

Entity entity(std::string id, std::string type, std::string props, Timestamp t) {
  Entity e;
  e.id = std::move(id);
  e.entity_type = std::move(type);
  e.properties = std::move(props);
  e.created_at = t;
  e.updated_at = t + 1500000;
  return e;
}

Relation relation(std::string id, std::string type, std::string s, std::string t, double w, Timestamp at) {
  Relation r;
  r.id = std::move(id);
  r.relation_type = std::move(type);
  r.source_id = std::move(s);
  r.target_id = std::move(t);
  r.weight = w;
  r.created_at = at;
  r.updated_at = at;
  return r;
}

}  // namespace

void fill_sample(Store& store, size_t scale) {
  for (const std::string tenant : {"", "acme", "beta-2"}) {
    WriteBatch b;
    for (size_t i = 0; i < 20 * scale; ++i) {
      std::string n = std::to_string(i);
      Entity e =
          entity("p" + n, i % 3 == 0 ? "Person" : "Company",
                 i % 2 ? R"({"name": "Ada \"the\" Countess, )" + n + R"(", "tags": ["math",  "engines"], "n": 1.5e-7})"
                       : R"({"nested":{"a":[1,2,{"b":null}]},"uni":"Zürich ✓ 日本","empty":""})",
                 kT0 + static_cast<Timestamp>(i) * (i % 2 ? 1000000 : 123457));
      if (i % 4 == 0) e.embedding = {0.1f, -2.5f, 3.14159274f, 1e-30f, static_cast<float>(i)};
      if (i % 3 == 1) e.source = "doc-" + n;
      if (i % 5 == 2) e.source = "";  // empty, not absent
      e.tenant_id = tenant;
      b.add_entity(e);
    }
    b.add_entity(entity("ünï-cødé,\"quoted\"\nline", "Thing", "{}", kT0));
    for (size_t i = 0; i + 1 < 20 * scale; ++i) {
      std::string n = std::to_string(i);
      Relation r = relation("r" + n, i % 2 ? "KNOWS" : "WORKS_FOR", "p" + n, "p" + std::to_string(i + 1),
                            i % 2 ? 0.9 : 1.0 / 3.0, kT0 + static_cast<Timestamp>(i));
      if (i % 3 == 0) r.properties = R"({"since": 2024, "note": "a, \"b\""})";
      if (i % 4 == 1) r.source = "extractor";
      r.tenant_id = tenant;
      b.add_relation(r);
    }
    // Parallel relations between the same pair, and one to the odd id.
    Relation p = relation("r-par-1", "KNOWS", "p0", "p1", 0.0, kT0);
    p.tenant_id = tenant;
    b.add_relation(p);
    p.id = "r-par-2";
    p.weight = 1.0;
    b.add_relation(p);
    p.id = "r-odd";
    p.target_id = "ünï-cødé,\"quoted\"\nline";
    b.add_relation(p);
    Status s = store.apply(tenant, b);
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
}

StoreSummary summary(Store& store) {
  StoreSummary out;
  Status s = summarize_store(store, &out);
  EXPECT_TRUE(s.ok()) << s.to_string();
  return out;
}

uint64_t count_entities(Store& store, const std::string& tenant) {
  Stats st;
  EXPECT_TRUE(store.get_stats(tenant, &st).ok());
  return st.entity_count;
}

uint64_t count_relations(Store& store, const std::string& tenant) {
  Stats st;
  EXPECT_TRUE(store.get_stats(tenant, &st).ok());
  return st.relation_count;
}

std::string entity_lines(size_t n, size_t first) {
  std::string out;
  for (size_t i = first; i < first + n; ++i)
    out += R"({"type": "entity", "data": {"id": "e)" + std::to_string(i) +
           R"(", "entity_type": "T"}})"
           "\n";
  return out;
}

}  // namespace graphstore::testing
