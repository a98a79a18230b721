#include "workloads.hpp"

#include <gtest/gtest.h>

#include "graphstore/write_batch.hpp"

namespace graphstore::fault_test {

bool ok_or_clear_failure(const Status& s, const std::string& call, Code expected) {
  if (s.ok()) return true;
  if (expected != Code::kOk && s.code() == expected) return true;
  bool disk_code = s.is_unavailable() || s.is_resource_exhausted() || s.is_corruption();
  bool says_what = false;
  for (const char* words : {"disk I/O error", "database or disk is full", "unable to open database file",
                            "database disk image is malformed"})
    says_what = says_what || s.message().find(words) != std::string::npos;
  if (disk_code && says_what) return true;
  ADD_FAILURE() << call << " returned " << s.to_string()
                << ": neither OK nor a clear failure of the disk (UNAVAILABLE, RESOURCE_EXHAUSTED or CORRUPTION "
                   "in SQLite's words)";
  return false;
}

namespace {

// Adds e through add_entity; into the model when acknowledged.
bool add_single(Store& store, StoreModel* model, const Entity& e) {
  Status s = store.add_entity("", e);
  if (s.ok()) model->entities[e.id] = e;
  return ok_or_clear_failure(s, "add_entity " + e.id);
}

}  // namespace

Workload bulk_import() {
  Workload w;
  w.name = "bulk_import";
  w.run = [](Store& store, StoreModel* model) {
    std::vector<Entity> entities;
    std::vector<Relation> relations;
    for (int i = 0; i < kBulkRecords; ++i) {
      entities.push_back(text_entity("b" + std::to_string(i), "Bulk"));
      relations.push_back(link("br" + std::to_string(i), "b" + std::to_string(i),
                               "b" + std::to_string((i + 1) % kBulkRecords), "BULKLINK"));
    }
    bool ok = true;
    BulkResult added;
    Status s = store.add_entities_bulk("", entities, &added);
    if (s.ok()) {
      EXPECT_EQ(added.added, entities.size());
      EXPECT_TRUE(added.skipped.empty());
      for (const Entity& e : entities) model->entities[e.id] = e;
    }
    ok = ok_or_clear_failure(s, "add_entities_bulk") && ok;
    // Relations whose endpoints the store lacks are skipped, not failed.
    uint64_t placeable = 0;
    for (const Relation& r : relations) placeable += model->has_entity(r.source_id) && model->has_entity(r.target_id);
    s = store.add_relations_bulk("", relations, &added);
    if (s.ok()) {
      EXPECT_EQ(added.added, placeable);
      for (const Relation& r : relations)
        if (model->has_entity(r.source_id) && model->has_entity(r.target_id)) model->relations[r.id] = r;
    }
    return ok_or_clear_failure(s, "add_relations_bulk") && ok;
  };
  w.probe_ids = {"b0", "b550", "b1099"};
  w.words = {word_of("b0"), word_of("b1099")};
  return w;
}

Workload single_adds() {
  Workload w;
  w.name = "single_adds";
  w.run = [](Store& store, StoreModel* model) {
    bool ok = add_single(store, model, text_entity("s0", "Single", {0, 0, -1, 0}));
    ok = add_single(store, model, text_entity("s1", "Single", {0, 0, 0, -1})) && ok;
    Relation r = link("sr0", "s0", "s1", "SLINK");
    bool placeable = model->has_entity("s0") && model->has_entity("s1");
    Status s = store.add_relation("", r);
    if (s.ok()) {
      EXPECT_TRUE(placeable) << "a relation to an entity whose add failed was accepted";
      model->relations[r.id] = r;
    }
    return ok_or_clear_failure(s, "add_relation sr0", placeable ? Code::kOk : Code::kNotFound) && ok;
  };
  w.probe_ids = {"s0", "s1"};
  w.words = {word_of("s0"), word_of("s1")};
  w.vectors = {{"s0", {0, 0, -1, 0}}, {"s1", {0, 0, 0, -1}}};
  return w;
}

Workload update_batch() {
  Workload w;
  w.name = "update_batch";
  w.run = [](Store& store, StoreModel* model) {
    Entity renamed = text_entity("p1", "Updated", {-1, 0, 0, 0}, "renamed");
    Relation relinked = model->relations.at("pr1");
    relinked.relation_type = "RELINKED";
    relinked.weight = 0.9;
    Entity added = text_entity("u0", "Batch", {0, -1, 0, 0});
    Relation added_link = link("ur0", "u0", "p2", "ULINK");
    WriteBatch batch;
    batch.update_entity(renamed);
    batch.update_relation(relinked);
    batch.add_entity(added);
    batch.add_relation(added_link);
    batch.delete_relation("pr3");
    batch.delete_entity("p6");
    Status s = store.apply("", batch);
    if (s.ok()) {
      model->entities["p1"] = renamed;
      model->relations["pr1"] = relinked;
      model->entities["u0"] = added;
      model->relations["ur0"] = added_link;
      model->relations.erase("pr3");
      model->delete_entity("p6");
    }
    return ok_or_clear_failure(s, "apply (update batch)");
  };
  StoreModel prior = prior_content(kPriorEntities, kPriorRelations);
  w.probe_ids = {"u0", "p6", "p1"};
  w.words = {"renamed", word_of("u0"), word_of("p6")};
  w.vectors = {{"p1", {-1, 0, 0, 0}}, {"u0", {0, -1, 0, 0}}, {"p6", prior.entities.at("p6").embedding}};
  return w;
}

Workload delete_cascade() {
  Workload w;
  w.name = "delete_cascade";
  w.run = [](Store& store, StoreModel* model) {
    Status s = store.delete_entity("", "p4");  // takes pr3 (p3 -> p4) and pr4 (p4 -> p5) with it
    if (s.ok()) model->delete_entity("p4");
    return ok_or_clear_failure(s, "delete_entity p4");
  };
  StoreModel prior = prior_content(kPriorEntities, kPriorRelations);
  w.probe_ids = {"p4"};
  w.words = {word_of("p4")};
  w.vectors = {{"p4", prior.entities.at("p4").embedding}};
  return w;
}

}  // namespace graphstore::fault_test
