// Builds databases shaped as the reference system wrote them, with plain SQL
// from its documented schemas (AIECS_API.md §3.2, §3.3), and the records the
// tests expect to read back: properties as json.dumps writes them,
// embeddings packed as float32 little-endian (struct.pack / tobytes),
// weights 0.0, 0.5, 0.8 and 1.0, and explicit insertion times.
#ifndef GRAPHSTORE_TESTS_AIECS_REFERENCE_FIXTURE_HPP
#define GRAPHSTORE_TESTS_AIECS_REFERENCE_FIXTURE_HPP

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "graphstore/store.hpp"
#include "graphstore/types.hpp"

namespace graphstore::aiecs_test {

// The reference's SQLite schema, shared mode (gs/sqlite.py SCHEMA_SQL).
inline const char* kSqliteSharedDdl = R"sql(
CREATE TABLE IF NOT EXISTS entities (
    id TEXT NOT NULL,
    tenant_id TEXT,
    entity_type TEXT NOT NULL,
    properties TEXT NOT NULL,
    embedding BLOB,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id, tenant_id)
);
CREATE TABLE IF NOT EXISTS relations (
    id TEXT NOT NULL,
    tenant_id TEXT,
    relation_type TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    properties TEXT NOT NULL,
    weight REAL DEFAULT 1.0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id, tenant_id)
);
CREATE INDEX IF NOT EXISTS idx_entities_type ON entities(entity_type);
CREATE INDEX IF NOT EXISTS idx_entities_tenant ON entities(tenant_id);
CREATE INDEX IF NOT EXISTS idx_entities_tenant_type ON entities(tenant_id, entity_type);
CREATE INDEX IF NOT EXISTS idx_relations_type ON relations(relation_type);
CREATE INDEX IF NOT EXISTS idx_relations_tenant ON relations(tenant_id);
CREATE INDEX IF NOT EXISTS idx_relations_source ON relations(source_id);
CREATE INDEX IF NOT EXISTS idx_relations_target ON relations(target_id);
CREATE INDEX IF NOT EXISTS idx_relations_tenant_source ON relations(tenant_id, source_id);
CREATE INDEX IF NOT EXISTS idx_relations_tenant_target ON relations(tenant_id, target_id);
)sql";

// Separate mode: one pair of tables per tenant in the same file
// (_ensure_tenant_tables), `{t}` standing for tenant_{tid with '-' -> '_'}.
inline std::string sqlite_tenant_ddl(const std::string& t) {
  return "CREATE TABLE IF NOT EXISTS " + t +
         "_entities (id TEXT PRIMARY KEY, entity_type TEXT NOT NULL, "
         "properties TEXT NOT NULL, embedding BLOB, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, "
         "updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);\n"
         "CREATE TABLE IF NOT EXISTS " +
         t +
         "_relations (id TEXT PRIMARY KEY, relation_type TEXT NOT NULL, "
         "source_id TEXT NOT NULL, target_id TEXT NOT NULL, properties TEXT NOT NULL, weight REAL DEFAULT 1.0, "
         "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);\n"
         "CREATE INDEX IF NOT EXISTS idx_" +
         t + "_entities_type ON " + t +
         "_entities(entity_type);\n"
         "CREATE INDEX IF NOT EXISTS idx_" +
         t + "_relations_type ON " + t +
         "_relations(relation_type);\n"
         "CREATE INDEX IF NOT EXISTS idx_" +
         t + "_relations_source ON " + t +
         "_relations(source_id);\n"
         "CREATE INDEX IF NOT EXISTS idx_" +
         t + "_relations_target ON " + t + "_relations(target_id);\n";
}

// A file from before multi-tenancy: no tenant_id, id is the key.
inline const char* kSqliteLegacyDdl = R"sql(
CREATE TABLE entities (id TEXT PRIMARY KEY, entity_type TEXT NOT NULL, properties TEXT NOT NULL, embedding BLOB,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE relations (id TEXT PRIMARY KEY, relation_type TEXT NOT NULL, source_id TEXT NOT NULL,
    target_id TEXT NOT NULL, properties TEXT NOT NULL, weight REAL DEFAULT 1.0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
)sql";

// The reference's packing of an embedding: float32, native (little) endian.
inline std::string pack(const std::vector<float>& v) {
  std::string out(v.size() * 4, '\0');
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

// 2025-12-09 10:11:12 UTC plus `minutes`, as text and as microseconds.
inline std::string time_text(int minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2025-12-09 %02d:%02d:12", 10 + minutes / 60, 11 + minutes % 60);
  return buf;
}
inline Timestamp time_us(int minutes) { return (1765275072LL + minutes * 60LL) * 1000000LL; }

// One namespace's records as the test writes and expects them.
struct Dataset {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
};

// Entities p1..p4 and relations between them for one namespace, tagged with
// `tag` so that tenants hold different data under the same ids.
inline Dataset make_dataset(const std::string& tag) {
  Dataset d;
  auto entity = [&](const std::string& id, const std::string& type, const std::string& props, std::vector<float> emb,
                    int minute) {
    Entity e;
    e.id = id;
    e.entity_type = type;
    e.properties = props;
    e.embedding = std::move(emb);
    e.created_at = time_us(minute);
    e.updated_at = time_us(minute + 1);
    d.entities.push_back(e);
  };
  entity("p1", "Person", "{\"name\": \"Alice " + tag + "\", \"age\": 30, \"tags\": [\"a\", \"b\"]}",
         {0.5f, -1.25f, 3.0f}, 0);
  entity("p2", "Person", "{\"name\": \"Bob " + tag + "\", \"nested\": {\"x\": 1.5}}", {0.1f, 0.2f, 0.3f}, 2);
  entity("c1", "Company", "{\"name\": \"Acme \\u00e9 " + tag + "\"}", {}, 4);
  entity("p3", "Person", "{}", {1.0f, 0.0f, 0.0f}, 6);
  auto relation = [&](const std::string& id, const std::string& type, const std::string& s, const std::string& t,
                      double w, const std::string& props, int minute) {
    Relation r;
    r.id = id;
    r.relation_type = type;
    r.source_id = s;
    r.target_id = t;
    r.weight = w;
    r.properties = props;
    r.created_at = time_us(minute);
    r.updated_at = time_us(minute + 1);
    d.relations.push_back(r);
  };
  relation("r1", "KNOWS", "p1", "p2", 0.0, "{\"since\": 2020}", 10);
  relation("r2", "WORKS_AT", "p1", "c1", 0.5, "{}", 12);
  relation("r3", "KNOWS", "p2", "p1", 1.0, "{\"note\": \"" + tag + "\"}", 14);
  relation("r4", "WORKS_AT", "p2", "c1", 0.8, "{}", 16);
  relation("r5", "KNOWS", "p3", "p3", 0.25, "{}", 18);  // a self-loop
  return d;
}

// Every record of `expected` is in `store`'s tenant, field for field (the
// reference stored no source: it stays absent), and nothing else is.
inline void expect_tenant_holds(Store& store, const std::string& tenant, const Dataset& expected) {
  Stats stats;
  ASSERT_TRUE(store.get_stats(tenant, &stats).ok());
  EXPECT_EQ(stats.entity_count, expected.entities.size()) << "tenant '" << tenant << "'";
  EXPECT_EQ(stats.relation_count, expected.relations.size()) << "tenant '" << tenant << "'";
  for (Entity want : expected.entities) {
    want.tenant_id = tenant;
    Entity got;
    Status s = store.get_entity(tenant, want.id, &got);
    ASSERT_TRUE(s.ok()) << "entity " << want.id << " of '" << tenant << "': " << s.message();
    EXPECT_EQ(got.entity_type, want.entity_type);
    EXPECT_EQ(got.properties, want.properties) << want.id;
    EXPECT_EQ(got.embedding, want.embedding) << want.id;
    EXPECT_EQ(got.created_at, want.created_at) << want.id;
    EXPECT_EQ(got.updated_at, want.updated_at) << want.id;
    EXPECT_FALSE(got.source.has_value()) << want.id;
    EXPECT_EQ(got.tenant_id, tenant);
  }
  for (Relation want : expected.relations) {
    Relation got;
    Status s = store.get_relation(tenant, want.id, &got);
    ASSERT_TRUE(s.ok()) << "relation " << want.id << " of '" << tenant << "': " << s.message();
    EXPECT_EQ(got.relation_type, want.relation_type);
    EXPECT_EQ(got.source_id, want.source_id);
    EXPECT_EQ(got.target_id, want.target_id);
    EXPECT_EQ(got.weight, want.weight) << want.id;  // exactly: 0.0 stays 0.0, 0.8 stays 0.8
    EXPECT_EQ(got.properties, want.properties) << want.id;
    EXPECT_EQ(got.created_at, want.created_at) << want.id;
    EXPECT_EQ(got.updated_at, want.updated_at) << want.id;
    EXPECT_FALSE(got.source.has_value()) << want.id;
  }
}

}  // namespace graphstore::aiecs_test

#endif  // GRAPHSTORE_TESTS_AIECS_REFERENCE_FIXTURE_HPP
