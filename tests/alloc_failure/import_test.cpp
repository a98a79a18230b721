// Every allocation an import makes on the calling thread, failed in turn
// (a seeded sample where every one would take too long): import_file
// returns OK with the whole file in the store, or RESOURCE_EXHAUSTED with a
// message; it never throws; the store holds exactly the batches the report
// says were committed, each record whole; and importing again with
// OnConflict::kSkip completes the store. The import's reading thread is not
// failed (failing_new.hpp counts the arming thread only).
#include <gtest/gtest.h>

#include <random>

#include "failing_new.hpp"
#include "io_fixture.hpp"

namespace graphstore::testing {
namespace {

// Entities of two tenants, relations some of which come before their
// entities (they wait in the spool), a duplicate id, across batches of 4.
std::string jsonl_file() {
  std::string out;
  auto entity = [&](const std::string& id, const std::string& type, const std::string& tenant, bool vector) {
    out += R"({"type": "entity", "data": {"id": ")" + id + R"(", "entity_type": ")" + type +
           R"(", "properties": {"name": "alpha )" + id + R"("}, )" +
           (vector ? R"("embedding": [0.5, 0.25, 1.0], )" : "") +
           R"("created_at": "2026-01-05T09:30:00.250000", "updated_at": "2026-01-05T09:31:00", "source": "doc-1", )" +
           R"("tenant_id": )" + (tenant.empty() ? "null" : "\"" + tenant + "\"") + "}}\n";
  };
  auto relation = [&](const std::string& id, const std::string& s, const std::string& t, const std::string& tenant) {
    out += R"({"type": "relation", "data": {"id": ")" + id + R"(", "relation_type": "KNOWS", "source_id": ")" + s +
           R"(", "target_id": ")" + t + R"(", "properties": {"since": 2024}, "weight": 0.5, )" +
           R"("created_at": "2026-01-05T09:30:01", "source": null, "tenant_id": )" +
           (tenant.empty() ? "null" : "\"" + tenant + "\"") + "}}\n";
  };
  // A batch of relations before their entities: deferred to the spool.
  for (int i = 0; i < 4; ++i) relation("early" + std::to_string(i), "p0", "p" + std::to_string(7 - i), "");
  for (int i = 0; i < 8; ++i) entity("p" + std::to_string(i), i % 2 ? "Person" : "Company", "", i % 3 == 0);
  for (int i = 0; i < 6; ++i) relation("r" + std::to_string(i), "p" + std::to_string(i), "p" + std::to_string(i + 1), "");
  for (int i = 0; i < 5; ++i) entity("q" + std::to_string(i), "Person", "acme", i == 0);
  for (int i = 0; i < 4; ++i) relation("s" + std::to_string(i), "q" + std::to_string(i), "q" + std::to_string(i + 1), "acme");
  entity("p3", "Person", "", false);  // a duplicate: skipped under kSkip
  relation("late", "p2", "p5", "");
  return out;
}

class ImportAllocFailure : public IoTest {
 protected:
  // Imports file into a fresh store once per sampled allocation number of
  // the calling thread (every stride-th, from a seeded offset).
  // With deferrals, the file must make the import defer relations and skip
  // a duplicate (the JSONL file does; the CSV export lists entities first).
  void fail_every_allocation(const std::string& file, uint64_t stride, bool deferrals);

  static ImportOptions options() {
    ImportOptions o;
    o.batch_size = 4;
    o.on_conflict = OnConflict::kSkip;
    return o;
  }
};

// The records of every tenant of store, each checked against reference.
uint64_t records_matching(Store& store, Store& reference, const std::string& tenant) {
  uint64_t n = 0;
  EXPECT_TRUE(store
                  .for_each_entity(tenant,
                                   [&](const Entity& e) {
                                     Entity want;
                                     EXPECT_TRUE(reference.get_entity(tenant, e.id, &want).ok()) << e.id;
                                     EXPECT_TRUE(e == want) << "entity " << e.id << " is not whole";
                                     ++n;
                                     return true;
                                   })
                  .ok());
  EXPECT_TRUE(store
                  .for_each_relation(tenant,
                                     [&](const Relation& r) {
                                       Relation want;
                                       EXPECT_TRUE(reference.get_relation(tenant, r.id, &want).ok()) << r.id;
                                       EXPECT_TRUE(r == want) << "relation " << r.id << " is not whole";
                                       ++n;
                                       return true;
                                     })
                  .ok());
  return n;
}

void ImportAllocFailure::fail_every_allocation(const std::string& file, uint64_t stride, bool deferrals) {
  std::unique_ptr<Store> reference = open("inmemory");
  ImportReport report;
  const fs::path input = path(file);
  const ImportOptions o = options();
  alloc_failure::arm(0);
  Status s = import_file(*reference, input, o, &report);
  uint64_t total = alloc_failure::disarm().allocations;
  ASSERT_TRUE(s.ok()) << s.to_string();
  if (deferrals) {
    ASSERT_GT(report.deferred_relations, 0u);
    ASSERT_GT(report.entity_duplicates, 0u);
  }
  StoreSummary want = summary(*reference);
  std::mt19937_64 seeded(20261231);
  for (uint64_t n = stride > 1 ? 1 + seeded() % stride : 1; n <= total; n += stride) {
    SCOPED_TRACE("allocation " + std::to_string(n) + " of about " + std::to_string(total) + " failed");
    std::unique_ptr<Store> store = open("inmemory");
    report = ImportReport{};
    bool threw = false;
    const fs::path input = path(file);
    const ImportOptions o = options();
    alloc_failure::arm(n);
    try {
      s = import_file(*store, input, o, &report);
    } catch (...) {
      threw = true;
    }
    alloc_failure::disarm();
    ASSERT_FALSE(threw) << "import_file threw";
    if (s.ok()) {
      EXPECT_TRUE(compare_summaries(want, summary(*store)).empty()) << "reported OK but the store differs";
    } else {
      EXPECT_TRUE(s.is_resource_exhausted()) << s.to_string();
      EXPECT_NE(s.message().find("out of memory"), std::string::npos) << s.to_string();
      // No half batch: the store holds what the report counts as committed,
      // every record whole.
      uint64_t held = records_matching(*store, *reference, "") + records_matching(*store, *reference, "acme");
      EXPECT_EQ(held, report.entities_added + report.relations_added) << s.to_string();
      ImportReport again;
      Status r = import_file(*store, path(file), options(), &again);
      EXPECT_TRUE(r.ok()) << "resuming: " << r.to_string();
      EXPECT_TRUE(compare_summaries(want, summary(*store)).empty()) << "the resumed import differs";
    }
    if (HasFailure()) break;
  }
}

TEST_F(ImportAllocFailure, Jsonl) {
  write_file("graph.jsonl", jsonl_file());
  fail_every_allocation("graph.jsonl", 1, true);
}

TEST_F(ImportAllocFailure, Csv) {
  write_file("graph.jsonl", jsonl_file());
  std::unique_ptr<Store> source = open("inmemory");
  ImportReport report;
  ASSERT_TRUE(import_file(*source, path("graph.jsonl"), options(), &report).ok());
  ExportReport exported;
  ASSERT_TRUE(export_store(*source, path("graph.csv"), ExportOptions{}, &exported).ok());
  fail_every_allocation("graph.csv", 1, false);
}

}  // namespace
}  // namespace graphstore::testing
