// A migration into PostgreSQL (migrate() with a checkpoint, as `graphstore
// migrate` runs it) whose target sessions are ended at random moments: each
// run cut short answers UNAVAILABLE, the next run with the same checkpoint
// resumes, and the target ends holding exactly the source (counts, ids,
// content checksums), nothing doubled. (Restarts mid-load:
// server_faults_test.cpp and replay_faults_test.cpp.)
#include <random>

#include "graphstore/migrate.hpp"
#include "server_fault_support.hpp"

namespace graphstore::pgtest {
namespace {

std::unique_ptr<Store> source_graph(std::mt19937_64& rng) {
  std::unique_ptr<Store> src;
  EXPECT_TRUE(registry().open("inmemory", "{}", &src).ok());
  for (const std::string tenant : {"", "acme"}) {
    const int kEntities = 1500, kRelations = 2500;
    std::vector<Entity> entities;
    for (int i = 0; i < kEntities; ++i)
      entities.push_back(entity("n" + std::to_string(100000 + i), i % 3 ? "Person" : "Company",
                                "{\"i\":" + std::to_string(i) + ",\"tenant\":\"" + tenant + "\"}"));
    std::vector<Relation> relations;
    for (int i = 0; i < kRelations; ++i) {
      Relation r;
      r.id = "m" + std::to_string(100000 + i);
      r.relation_type = "KNOWS";
      r.source_id = entities[rng() % kEntities].id;
      r.target_id = entities[rng() % kEntities].id;
      r.properties = "{}";
      r.weight = double(i % 10) / 10;
      relations.push_back(r);
    }
    BulkResult a, b;
    EXPECT_TRUE(src->add_entities_bulk(tenant, entities, &a).ok());
    EXPECT_TRUE(src->add_relations_bulk(tenant, relations, &b).ok());
  }
  return src;
}

TEST(PostgresMigrationFaults, AMigrationCutByEndedSessionsResumesToExactlyTheSource) {
  Server server = shared_server();
  ASSERT_NE(server.port, 0);
  std::mt19937_64 rng(fault_seed());
  const std::string schema = unique_name("migrated_"), app = schema;
  auto src = source_graph(rng);
  std::unique_ptr<Store> dst;
  ASSERT_TRUE(open_store(options_for(server, schema,
                                     ",\"min_pool_size\":1,\"connect_timeout\":2,\"application_name\":\"" + app + "\""),
                         &dst)
                  .ok());
  MigrateOptions o;
  o.batch_size = 250;
  o.checkpoint = std::filesystem::temp_directory_path() / (unique_name("gs-migrate-faults-") + ".checkpoint");
  o.source_identity = {"", "memory"};
  o.target_identity = {"", "postgres schema " + schema};
  std::filesystem::remove(o.checkpoint);

  // Runs 0-3 meet a fault; later runs none. A run the fault does not stop
  // finishes, and the loop ends. A migration of a few thousand rows can end
  // (under ASan, say) before the watcher sees it write: when the first run
  // ends that way, the target is emptied and the migration starts over, up
  // to eight times, so that the resume is exercised.
  int runs = 0, cut = 0, restarts = 0;
  Status s;
  MigrateReport report;
  for (; runs < 30; ++runs) {
    std::unique_ptr<FaultAtWrite> fault;
    if (runs < 4)
      fault = std::make_unique<FaultAtWrite>(server, app, rng, 15, [&] { terminate_sessions(server, app); });
    o.verify = runs >= 4;
    s = migrate(*src, *dst, o, &report);
    fault.reset();
    if (s.ok() && cut == 0 && restarts < 8) {
      ++restarts;
      runs = -1;
      ASSERT_TRUE(dst->clear("", ClearScope::kAllTenants).ok());
      std::filesystem::remove(o.checkpoint);
      continue;
    }
    if (s.ok()) break;
    ++cut;
    ASSERT_EQ(s.code(), Code::kUnavailable) << "run " << runs << ": " << s.to_string();
  }
  std::printf("[ faults   ] %d migration runs, %d cut short, %d uncut starts emptied\n", runs + 1, cut, restarts);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_GE(cut, 1) << "no fault stopped a run: the resume was not exercised";
  for (const std::string tenant : {"", "acme"}) {
    EXPECT_EQ(count_rows(server, schema, "entities", tenant), 1500) << "tenant '" << tenant << "'";
    EXPECT_EQ(count_rows(server, schema, "relations", tenant), 2500) << "tenant '" << tenant << "'";
  }
  // Content equal, record by record (the summaries' checksums).
  StoreSummary a, b;
  ASSERT_TRUE(summarize_store(*src, &a).ok());
  ASSERT_TRUE(summarize_store(*dst, &b).ok());
  std::vector<std::string> diff = compare_summaries(a, b);
  EXPECT_TRUE(diff.empty()) << diff.front();
  std::filesystem::remove(o.checkpoint);
}

}  // namespace
}  // namespace graphstore::pgtest
