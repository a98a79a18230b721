#include "consistency_checks.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <set>

#include "graphstore/scoring.hpp"

namespace graphstore::fault_test {
namespace {

bool has_token(const std::string& properties, const std::string& word) {
  std::vector<std::string> tokens;
  sdk::tokenize(properties, &tokens);
  for (const std::string& t : tokens)
    if (t == word) return true;
  return false;
}

bool same_entity(const Entity& a, const Entity& b) {
  return a.id == b.id && a.entity_type == b.entity_type && a.properties == b.properties && a.embedding == b.embedding;
}

bool same_relation(const Relation& a, const Relation& b) {
  return a.id == b.id && a.relation_type == b.relation_type && a.source_id == b.source_id &&
         a.target_id == b.target_id && a.properties == b.properties && a.weight == b.weight;
}

// The rows of a one-column integer query.
std::set<int64_t> integers(sqlite3* db, const char* sql, bool* ok) {
  std::set<int64_t> out;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    *ok = false;
    return out;
  }
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.insert(sqlite3_column_int64(s, 0));
  if (rc != SQLITE_DONE) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    *ok = false;
  }
  sqlite3_finalize(s);
  return out;
}

// (kind, type) -> count, from a query of three columns.
std::map<std::pair<int, std::string>, int64_t> typed_counts(sqlite3* db, const char* sql, bool* ok) {
  std::map<std::pair<int, std::string>, int64_t> out;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    *ok = false;
    return out;
  }
  while (sqlite3_step(s) == SQLITE_ROW)
    out[{sqlite3_column_int(s, 0), reinterpret_cast<const char*>(sqlite3_column_text(s, 1))}] =
        sqlite3_column_int64(s, 2);
  sqlite3_finalize(s);
  return out;
}

}  // namespace

bool store_matches(Store& store, const StoreModel& model) {
  bool ok = true;
  std::map<std::string, Entity> entities;
  Status s = store.for_each_entity("", [&](const Entity& e) {
    entities[e.id] = e;
    return true;
  });
  if (!s.ok()) {
    ADD_FAILURE() << "for_each_entity: " << s.to_string();
    return false;
  }
  for (const auto& [id, e] : model.entities) {
    auto it = entities.find(id);
    if (it == entities.end()) {
      ADD_FAILURE() << "acknowledged entity " << id << " is missing";
      ok = false;
    } else if (!same_entity(it->second, e)) {
      ADD_FAILURE() << "entity " << id << " differs: stored " << it->second.entity_type << " "
                    << it->second.properties << ", acknowledged " << e.entity_type << " " << e.properties;
      ok = false;
    }
  }
  for (const auto& [id, e] : entities)
    if (!model.has_entity(id)) {
      ADD_FAILURE() << "entity " << id << " is stored but its write was not acknowledged";
      ok = false;
    }
  std::map<std::string, Relation> relations;
  s = store.for_each_relation("", [&](const Relation& r) {
    relations[r.id] = r;
    return true;
  });
  if (!s.ok()) {
    ADD_FAILURE() << "for_each_relation: " << s.to_string();
    return false;
  }
  for (const auto& [id, r] : model.relations) {
    auto it = relations.find(id);
    if (it == relations.end() || !same_relation(it->second, r)) {
      ADD_FAILURE() << "acknowledged relation " << id << (it == relations.end() ? " is missing" : " differs");
      ok = false;
    }
  }
  for (const auto& [id, r] : relations)
    if (model.relations.count(id) == 0) {
      ADD_FAILURE() << "relation " << id << " is stored but its write was not acknowledged";
      ok = false;
    }
  Stats stats;
  s = store.get_stats("", &stats);
  if (!s.ok() || !(stats == model.stats())) {
    ADD_FAILURE() << "get_stats " << s.to_string() << ": " << stats.entity_count << " entities, "
                  << stats.relation_count << " relations; the model holds " << model.entities.size() << " and "
                  << model.relations.size();
    ok = false;
  }
  return ok;
}

bool searches_agree(Store& store, const StoreModel& model, const std::vector<std::string>& words,
                    const std::map<std::string, std::vector<float>>& vectors) {
  bool ok = true;
  for (const std::string& word : words) {
    std::set<std::string> expected;
    for (const auto& [id, e] : model.entities)
      if (has_token(e.properties, word)) expected.insert(id);
    TextQuery q;
    q.text = word;
    q.k = uint32_t(expected.size() + 2);
    std::vector<ScoredEntity> found;
    Status s = store.text_search("", q, &found);
    std::set<std::string> got;
    for (const ScoredEntity& f : found) got.insert(f.entity.id);
    if (!s.ok() || got != expected) {
      ADD_FAILURE() << "text search for '" << word << "' (" << s.to_string() << ") found " << got.size()
                    << " entities, the model holds " << expected.size();
      ok = false;
    }
  }
  for (const auto& [id, vector] : vectors) {
    VectorQuery q;
    q.vector = vector;
    q.k = 5;
    std::vector<ScoredEntity> found;
    Status s = store.vector_search("", q, &found);
    if (!s.ok()) {
      ADD_FAILURE() << "vector search for " << id << "'s vector: " << s.to_string();
      ok = false;
      continue;
    }
    auto held = model.entities.find(id);
    bool expect_first = held != model.entities.end() && held->second.embedding == vector;
    if (expect_first && (found.empty() || found[0].entity.id != id)) {
      ADD_FAILURE() << "vector search for " << id << "'s vector does not rank it first";
      ok = false;
    }
    if (!expect_first && !found.empty() && found[0].entity.id == id && std::abs(found[0].score - 1.0) < 1e-6) {
      ADD_FAILURE() << "vector search finds " << id << " with a vector it does not hold";
      ok = false;
    }
    for (const ScoredEntity& f : found) {
      auto it = model.entities.find(f.entity.id);
      if (it == model.entities.end()) {
        ADD_FAILURE() << "vector search returns " << f.entity.id << ", which the model does not hold";
        ok = false;
        continue;
      }
      double exact = sdk::cosine_similarity(vector.data(), it->second.embedding.data(), uint32_t(vector.size()));
      if (std::abs(exact - f.score) > 1e-5) {
        ADD_FAILURE() << "vector search scores " << f.entity.id << " " << f.score << ", its stored vector gives "
                      << exact;
        ok = false;
      }
    }
  }
  return ok;
}

bool endpoints_agree(Store& store, StoreModel* model, const std::vector<std::string>& ids) {
  bool ok = true;
  for (const std::string& id : ids) {
    Relation r = link("probe-" + id, "p0", id, "PROBE");
    Status s = store.add_relation("", r);
    if (model->has_entity(id)) {
      if (!s.ok()) {
        ADD_FAILURE() << "a relation to acknowledged entity " << id << " is refused: " << s.to_string();
        ok = false;
      } else {
        model->relations[r.id] = r;
      }
    } else if (!s.is_not_found()) {
      ADD_FAILURE() << "a relation to entity " << id << ", which the store does not hold, returned "
                    << s.to_string();
      ok = false;
    }
  }
  return ok;
}

bool file_matches(const std::string& path, const StoreModel& model) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close_v2(db);
    return false;
  }
  bool ok = true;
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr);
  std::string verdict = sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "";
  sqlite3_finalize(s);
  if (verdict != "ok") {
    ADD_FAILURE() << "integrity_check of " << path << ": " << verdict;
    ok = false;
  }
  char* error = nullptr;
  if (sqlite3_exec(db, "INSERT INTO entity_text(entity_text) VALUES('integrity-check')", nullptr, nullptr, &error) !=
      SQLITE_OK) {
    ADD_FAILURE() << "the text index's integrity check: " << (error ? error : "?");
    ok = false;
  }
  sqlite3_free(error);

  std::map<std::pair<int, std::string>, int64_t> expected;
  for (const auto& [type, n] : model.stats().entities_by_type) expected[{1, type}] = int64_t(n);
  for (const auto& [type, n] : model.stats().relations_by_type) expected[{2, type}] = int64_t(n);
  auto rows = typed_counts(db,
                           "SELECT 1, entity_type, count(*) FROM entities GROUP BY entity_type UNION ALL "
                           "SELECT 2, relation_type, count(*) FROM relations GROUP BY relation_type",
                           &ok);
  auto counters = typed_counts(db, "SELECT kind, type, count FROM type_counts WHERE count <> 0", &ok);
  if (rows != expected || counters != expected) {
    ADD_FAILURE() << "the file's rows (" << rows.size() << " types) or type_counts (" << counters.size()
                  << " types) differ from the acknowledged writes (" << expected.size() << " types)";
    ok = false;
  }
  std::set<int64_t> tokens_rows = integers(db, "SELECT sum(tokens) FROM entities", &ok);
  std::set<int64_t> tokens_counted = integers(db, "SELECT sum(tokens) FROM type_counts WHERE kind = 1", &ok);
  if (tokens_rows != tokens_counted) {
    ADD_FAILURE() << "type_counts' token total differs from the entities'";
    ok = false;
  }
  if (!integers(db,
                "SELECT rid FROM relations WHERE source_rid NOT IN (SELECT rid FROM entities) "
                "OR target_rid NOT IN (SELECT rid FROM entities)",
                &ok)
           .empty()) {
    ADD_FAILURE() << "a relation points at a missing entity";
    ok = false;
  }
  std::set<int64_t> with_text = integers(db, "SELECT rid FROM entities WHERE tokens > 0", &ok);
  std::set<int64_t> indexed = integers(db, "SELECT rowid FROM entity_text WHERE entity_text MATCH 'shared'", &ok);
  std::set<int64_t> pending = integers(db, "SELECT rid FROM text_pending", &ok);
  std::set<int64_t> both;
  for (int64_t rid : pending)
    if (!indexed.insert(rid).second) both.insert(rid);
  if (indexed != with_text || !both.empty()) {
    ADD_FAILURE() << "the text index holds " << indexed.size() << " rows (" << both.size()
                  << " of them twice) for " << with_text.size() << " entities with text";
    ok = false;
  }
  sqlite3_close_v2(db);
  return ok;
}

}  // namespace graphstore::fault_test
