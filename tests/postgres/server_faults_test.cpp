// Real server faults under the postgres plugin's loads: sessions ended with
// pg_terminate_backend at a random moment of a COPY bulk add or a batch,
// statements cancelled by statement_timeout while another session holds a
// lock, and the server restarted mid-load. Each time the call answers
// UNAVAILABLE naming the call, leaves none of its rows, a retry writes every
// row once, and the store keeps working on fresh connections.
#include <random>

#include "graphstore/write_batch.hpp"
#include "server_fault_support.hpp"

namespace graphstore::pgtest {
namespace {

Entity node(const std::string& id) {
  Entity e = entity(id, "Node", "{\"name\":\"" + id + "\",\"text\":\"alpha beta " + id + "\"}");
  e.embedding = {1.0f, 0.5f, float(id.size())};
  return e;
}

Relation edge(const std::string& id, const std::string& from, const std::string& to) {
  Relation r;
  r.id = id;
  r.relation_type = "LINKS";
  r.source_id = from;
  r.target_id = to;
  r.properties = "{\"w\":1}";
  r.weight = 0.25;
  return r;
}

std::string num(const std::string& prefix, int round, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%02d_%06d", prefix.c_str(), round, i);
  return buf;
}

// A failed call must say it is the server: which call failed at it, or,
// when the call could not get a session at all (a restart under way), that
// it cannot connect, to where.
void expect_clear_unavailable(const Status& s, const std::string& call) {
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.to_string();
  bool names_call = s.message().find(call) != std::string::npos;
  bool cannot_connect = s.message().find("cannot connect to") != std::string::npos;
  EXPECT_TRUE(names_call || cannot_connect) << "the message names the call or the connection: " << s.message();
}

class PostgresServerFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = shared_server();
    ASSERT_NE(server_.port, 0);
  }
  // A store on the shared server whose sessions carry application_name app_.
  std::unique_ptr<Store> open(const std::string& extra = "") {
    std::unique_ptr<Store> store;
    Status s = open_store(
        options_for(server_, schema_, ",\"min_pool_size\":2,\"max_pool_size\":6,\"application_name\":\"" + app_ + "\"" + extra),
        &store);
    EXPECT_TRUE(s.ok()) << s.to_string();
    return store;
  }
  int64_t rows(const std::string& table, const std::string& prefix = "") {
    return count_rows(server_, schema_, table, "", prefix);
  }

  Server server_;
  std::string schema_ = unique_name("faults_");
  std::string app_ = schema_;
  uint64_t seed_ = fault_seed();
  std::mt19937_64 rng_{seed_};
};

TEST_F(PostgresServerFaults, BulkAddsCutByATerminatedSessionWriteAllOrNothingAndARetryWritesEachRowOnce) {
  auto store = open();
  ASSERT_TRUE(store);
  const int kRounds = 4, kEntities = 2500, kRelations = 6000;  // 6,000 >= the plugin's count-beside size
  int faults = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<Entity> entities;
    for (int i = 0; i < kEntities; ++i) entities.push_back(node(num("e", round, i)));
    std::vector<Relation> relations;
    for (int i = 0; i < kRelations; ++i)
      relations.push_back(edge(num("r", round, i), num("e", round, int(rng_() % kEntities)),
                               num("e", round, int(rng_() % kEntities))));
    for (bool of_entities : {true, false}) {
      const std::string table = of_entities ? "entities" : "relations";
      const std::string call = of_entities ? "add_entities_bulk" : "add_relations_bulk";
      const std::string prefix = (of_entities ? "e" : "r") + num("", round, 0).substr(0, 2);
      const int64_t n = of_entities ? kEntities : kRelations;
      BulkResult result;
      Status s;
      bool fired = false;
      {
        FaultAtWrite fault(server_, app_, rng_, 40, [&] { terminate_sessions(server_, app_); });
        s = of_entities ? store->add_entities_bulk("", entities, &result)
                        : store->add_relations_bulk("", relations, &result);
        fired = fault.fired();
      }
      if (s.ok()) {
        EXPECT_EQ(result.added, uint64_t(n)) << call << " round " << round;
        EXPECT_EQ(rows(table, prefix), n) << call << " round " << round;
        continue;
      }
      ++faults;
      EXPECT_TRUE(fired) << "failed without a fault: " << s.to_string();
      expect_clear_unavailable(s, call);
      EXPECT_EQ(rows(table, prefix), 0) << call << " round " << round << " failed but left rows: " << s.to_string();
      // The caller retries: every row once, no skips.
      result = BulkResult{};
      s = of_entities ? store->add_entities_bulk("", entities, &result)
                      : store->add_relations_bulk("", relations, &result);
      ASSERT_TRUE(s.ok()) << "retry of " << call << " round " << round << ": " << s.to_string();
      EXPECT_EQ(result.added, uint64_t(n));
      EXPECT_TRUE(result.skipped.empty()) << result.skipped.front().status.to_string();
      EXPECT_EQ(rows(table, prefix), n);
    }
  }
  std::printf("[ faults   ] %d of %d bulk adds cut by a terminated session\n", faults, kRounds * 2);
  EXPECT_GE(faults, 1) << "no fault reached a bulk add: the test exercised nothing";
  EXPECT_EQ(rows("entities"), int64_t(kRounds) * kEntities);
  EXPECT_EQ(rows("relations"), int64_t(kRounds) * kRelations);
  for (const auto& id : stored_ids(server_, schema_, "relations", "")) ASSERT_EQ(id.find(" x"), std::string::npos) << id;
  // Usable afterwards, on connections the pool made anew.
  Entity e;
  EXPECT_TRUE(store->get_entity("", num("e", 0, 7), &e).ok());
  EXPECT_TRUE(store->add_entity("", node("after")).ok());
  Stats st;
  ASSERT_TRUE(store->get_stats("", &st).ok());
  EXPECT_EQ(st.entity_count, uint64_t(kRounds) * kEntities + 1);
  EXPECT_EQ(st.relation_count, uint64_t(kRounds) * kRelations);
}

TEST_F(PostgresServerFaults, ABatchCutByATerminatedSessionWritesAllOrNothingAndARetryWritesItOnce) {
  auto store = open();
  ASSERT_TRUE(store);
  const int kRounds = 4, kEntities = 1500, kRelations = 1500;
  int faults = 0;
  for (int round = 0; round < kRounds; ++round) {
    // A run of entity adds, other ops, a run of relation adds: one transaction.
    WriteBatch b;
    for (int i = 0; i < kEntities; ++i) b.add_entity(node(num("e", round, i)));
    b.update_entity(entity(num("e", round, 0), "Node", "{\"updated\":true}"));
    for (int i = 0; i < kRelations; ++i)
      b.add_relation(edge(num("r", round, i), num("e", round, int(rng_() % kEntities)),
                          num("e", round, int(rng_() % kEntities))));
    b.delete_entity(num("e", round, kEntities - 1));
    size_t failed = 999;
    Status s;
    {
      FaultAtWrite fault(server_, app_, rng_, 60, [&] { terminate_sessions(server_, app_); });
      s = store->apply("", b, &failed);
    }
    const std::string e_prefix = "e" + num("", round, 0).substr(0, 2), r_prefix = "r" + num("", round, 0).substr(0, 2);
    if (!s.ok()) {
      ++faults;
      expect_clear_unavailable(s, "apply_batch");
      EXPECT_EQ(rows("entities", e_prefix), 0) << "round " << round << " failed but left entities: " << s.to_string();
      EXPECT_EQ(rows("relations", r_prefix), 0) << "round " << round << " failed but left relations";
      s = store->apply("", b, &failed);
      ASSERT_TRUE(s.ok()) << "retry of round " << round << ": " << s.to_string();
    }
    EXPECT_EQ(rows("entities", e_prefix), kEntities - 1) << "round " << round;
    Entity first;
    ASSERT_TRUE(store->get_entity("", num("e", round, 0), &first).ok());
    EXPECT_EQ(first.properties, "{\"updated\":true}");
    int64_t cascaded = 0;
    for (const auto& op : b.ops())
      if (op.kind == WriteBatch::Kind::kAddRelation &&
          (op.relation.source_id == num("e", round, kEntities - 1) ||
           op.relation.target_id == num("e", round, kEntities - 1)))
        ++cascaded;
    EXPECT_EQ(rows("relations", r_prefix), kRelations - cascaded) << "round " << round;
  }
  // A batch whose session ends is run again op by op on a fresh connection
  // by the plugin itself, so most faults end in OK here; the checks above
  // hold either way.
  std::printf("[ faults   ] %d of %d batches answered UNAVAILABLE after a terminated session\n", faults, kRounds);
  for (const auto& id : stored_ids(server_, schema_, "entities", "")) ASSERT_EQ(id.find(" x"), std::string::npos) << id;
  EXPECT_TRUE(store->add_entity("", node("after")).ok());
}

TEST_F(PostgresServerFaults, StatementsCancelledByStatementTimeoutLeaveNothingOfTheirBatchOrBulkAdd) {
  auto store = open(",\"statement_timeout\":0.2");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add_entity("", node("seed")).ok());  // the schema exists before the lock
  // The lock is on one of the two tables, chosen by the seed: locking the
  // relations means the batch's entities were already COPYed in its
  // transaction when the cancel comes, and must go with it.
  const bool lock_relations = rng_() % 2 == 0;
  const int kEntities = 200 + int(rng_() % 800), kRelations = 200 + int(rng_() % 800);
  std::printf("[ faults   ] lock on %s; %d entities, %d relations\n", lock_relations ? "relations" : "entities",
              kEntities, kRelations);
  WriteBatch b;
  std::vector<Relation> relations;
  for (int i = 0; i < kEntities; ++i) b.add_entity(node(num("e", 0, i)));
  for (int i = 0; i < kRelations; ++i) {
    relations.push_back(edge(num("r", 0, i), num("e", 0, i % kEntities), num("e", 0, (i * 7 + 3) % kEntities)));
    b.add_relation(relations.back());
  }
  {
    // SHARE: reads go on, every write to the table waits for the lock.
    pqxx::connection admin(server_.admin_conninfo());
    pqxx::work lock(admin);
    lock.exec("LOCK TABLE " + lock.quote_name(schema_) + "." + (lock_relations ? "relations" : "entities") +
              " IN SHARE MODE");
    size_t failed = 999;
    Status s = store->apply("", b, &failed);
    expect_clear_unavailable(s, "apply_batch");
    EXPECT_NE(s.message().find("statement timeout"), std::string::npos) << s.message();
    EXPECT_EQ(rows("entities", "e"), 0) << "the cancelled batch left entities";
    EXPECT_EQ(rows("relations"), 0) << "the cancelled batch left relations";
    if (lock_relations) {
      // Entities go in; the relations' COPY waits and is cancelled.
      std::vector<Entity> entities;
      for (const auto& op : b.ops())
        if (op.kind == WriteBatch::Kind::kAddEntity) entities.push_back(op.entity);
      BulkResult er;
      ASSERT_TRUE(store->add_entities_bulk("", entities, &er).ok());
    }
    BulkResult result;
    s = lock_relations ? store->add_relations_bulk("", relations, &result)
                       : store->add_entities_bulk("", std::vector<Entity>{node("x1"), node("x2")}, &result);
    expect_clear_unavailable(s, lock_relations ? "add_relations_bulk" : "add_entities_bulk");
    EXPECT_NE(s.message().find("statement timeout"), std::string::npos) << s.message();
    EXPECT_EQ(result.added, 0u);
    EXPECT_EQ(rows("relations"), 0);
    EXPECT_EQ(rows("entities", "x"), 0);
    lock.commit();
  }
  // The lock gone, the same calls succeed on the same pool.
  if (lock_relations) {
    BulkResult result;
    ASSERT_TRUE(store->add_relations_bulk("", relations, &result).ok());
    EXPECT_EQ(result.added, uint64_t(kRelations));
  } else {
    ASSERT_TRUE(store->apply("", b).ok());
  }
  EXPECT_EQ(rows("entities", "e"), kEntities);
  EXPECT_EQ(rows("relations"), kRelations);
}

TEST(PostgresServerRestart, LoadsCutByARestartAreAllOrNothingAndRetriesWriteEachRowOnce) {
  PrivateCluster cluster;
  ASSERT_TRUE(cluster.ok()) << "could not start a private PostgreSQL cluster";
  const Server& server = cluster.server();
  uint64_t seed = fault_seed();
  std::mt19937_64 rng(seed);
  const std::string schema = "restart_load", app = "restart_load";
  std::unique_ptr<Store> store;
  ASSERT_TRUE(open_store(options_for(server, schema,
                                     ",\"min_pool_size\":2,\"connect_timeout\":2,\"application_name\":\"" + app + "\""),
                         &store)
                  .ok());
  const int kRounds = 2, kEntities = 3000, kRelations = 3000;
  int faults = 0;
  // Retries UNAVAILABLE while the server is away; other answers end it.
  auto until_up = [](const std::function<Status()>& call) {
    Status s = call();
    for (int i = 0; i < 100 && s.code() == Code::kUnavailable; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      s = call();
    }
    return s;
  };
  for (int round = 0; round < kRounds; ++round) {
    std::vector<Entity> entities;
    for (int i = 0; i < kEntities; ++i) entities.push_back(node(num("e", round, i)));
    WriteBatch relations;  // the relations as a batch: both write paths meet a restart
    for (int i = 0; i < kRelations; ++i)
      relations.add_relation(edge(num("r", round, i), num("e", round, int(rng() % kEntities)),
                                  num("e", round, int(rng() % kEntities))));
    for (bool of_entities : {true, false}) {
      Status s;
      BulkResult result;
      {
        // A load of a few thousand rows can end before pg_ctl gets going:
        // every other time another session holds the table in SHARE mode, so
        // the COPY is surely still running when the server goes down.
        std::unique_ptr<pqxx::connection> locker;
        std::unique_ptr<pqxx::work> lock;
        if (rng() % 2 == 0) {
          locker = std::make_unique<pqxx::connection>(server.admin_conninfo());
          lock = std::make_unique<pqxx::work>(*locker);
          lock->exec("LOCK TABLE " + schema + (of_entities ? ".entities" : ".relations") + " IN SHARE MODE");
        }
        FaultAtWrite fault(server, app, rng, 30, [&] { EXPECT_TRUE(cluster.restart()); });
        s = of_entities ? store->add_entities_bulk("", entities, &result) : store->apply("", relations);
      }
      if (s.ok()) continue;
      ++faults;
      expect_clear_unavailable(s, of_entities ? "add_entities_bulk" : "apply_batch");
      // The server is back (the restart returned); a retry writes each row
      // once. A commit whose answer the restart cut may have landed: then
      // the retry finds every row stored, never some.
      if (of_entities) {
        result = BulkResult{};
        s = until_up([&] { return store->add_entities_bulk("", entities, &result); });
        ASSERT_TRUE(s.ok()) << s.to_string();
        EXPECT_TRUE(result.added == uint64_t(kEntities) || (result.added == 0 && result.skipped.size() == size_t(kEntities)))
            << "a partial bulk add: the retry added " << result.added;
      } else {
        size_t failed = 999;
        s = until_up([&] { return store->apply("", relations, &failed); });
        EXPECT_TRUE(s.ok() || (s.code() == Code::kAlreadyExists && failed == 0))
            << "a partial batch: the retry failed at op " << failed << ": " << s.to_string();
      }
    }
  }
  std::printf("[ faults   ] %d of %d loads cut by a server restart\n", faults, kRounds * 2);
  EXPECT_GE(faults, 1) << "no restart reached a load: the test exercised nothing";
  EXPECT_EQ(count_rows(server, schema, "entities", ""), int64_t(kRounds) * kEntities);
  EXPECT_EQ(count_rows(server, schema, "relations", ""), int64_t(kRounds) * kRelations);
  Stats st;
  ASSERT_TRUE(store->get_stats("", &st).ok());
  EXPECT_EQ(st.relation_count, uint64_t(kRounds) * kRelations);
  EXPECT_TRUE(store->add_entity("", node("after")).ok());
}

}  // namespace
}  // namespace graphstore::pgtest
