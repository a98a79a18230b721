// The sharded store over two PostgreSQL servers: where tenants land, that a
// tenant's queries run on its server, what a down server does to its tenants
// and to the others, operations across tenants, and moving a tenant under
// writers without losing an acknowledged write.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "graphstore/migrate.hpp"
#include "pg_test_support.hpp"
#include "tenant_move.hpp"

namespace graphstore {
namespace {

using pgtest::PrivateCluster;
using pgtest::Server;

class Sharded : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { b_cluster_ = new PrivateCluster(); }
  static void TearDownTestSuite() {
    delete b_cluster_;
    b_cluster_ = nullptr;
  }

  void SetUp() override {
    a_ = pgtest::shared_server();
    ASSERT_TRUE(b_cluster_->ok()) << "the second PostgreSQL server did not start (scripts/pg-test-cluster.sh)";
    b_ = b_cluster_->server();
    schema_ = pgtest::unique_name("sh_");
  }

  // Shard 'a' on the fixture's server (which holds the catalog too), 'b' on
  // the private one; the catalog and both shards in schemas of this test.
  std::string options(double ttl = 0.2, double grace = 0.2) const {
    return "{\"catalog\": {\"dsn\": \"host=127.0.0.1 port=" + std::to_string(a_.port) +
           " user=postgres dbname=graphstore\", \"schema\": \"c" + schema_ + "\"}, \"placement_ttl\": " +
           std::to_string(ttl) + ", \"move_grace\": " + std::to_string(grace) +
           ", \"shards\": {\"a\": {\"backend\": \"postgres\", \"options\": " +
           pgtest::options_for(a_, schema_, ",\"min_pool_size\":1") +
           "}, \"b\": {\"backend\": \"postgres\", \"options\": " +
           pgtest::options_for(b_, schema_, ",\"min_pool_size\":1,\"connect_timeout\":2") + "}}}";
  }
  void open(std::unique_ptr<Store>* out) const {
    Status s = pgtest::registry().open("sharded", options(), out);
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
  // A postgres store straight on one server's shard schema.
  void open_direct(const Server& server, std::unique_ptr<Store>* out) const {
    Status s = pgtest::open_store(pgtest::options_for(server, schema_, ",\"min_pool_size\":1"), out);
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
  // Entities of tenant held by server's shard schema, read with SQL.
  int64_t rows_on(const Server& server, const std::string& tenant) const {
    pqxx::connection c(server.admin_conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec_params("SELECT count(*) FROM \"" + schema_ + "\".entities WHERE tenant_id = $1", tenant)[0][0]
        .as<int64_t>();
  }
  std::map<std::string, std::string> placements() const {
    std::vector<sharding::PlacementRow> rows;
    Status s = sharding::list_placements(options(), &rows);
    EXPECT_TRUE(s.ok()) << s.to_string();
    std::map<std::string, std::string> out;
    for (const auto& r : rows) out[r.tenant] = r.shard;
    return out;
  }
  static void add_pair(Store& store, const std::string& tenant) {
    ASSERT_TRUE(store.add_entity(tenant, pgtest::entity("e1", "P", "{\"t\":\"" + tenant + "\"}")).ok());
    ASSERT_TRUE(store.add_entity(tenant, pgtest::entity("e2", "P")).ok());
    Relation r;
    r.id = "r1";
    r.relation_type = "knows";
    r.source_id = "e1";
    r.target_id = "e2";
    ASSERT_TRUE(store.add_relation(tenant, r).ok());
  }

  static PrivateCluster* b_cluster_;
  Server a_, b_;
  std::string schema_;
};
PrivateCluster* Sharded::b_cluster_ = nullptr;

std::string tenant_n(int i) { return "tenant" + std::to_string(i); }

TEST_F(Sharded, EveryTenantLivesOnTheOneServerItsPlacementNames) {
  std::unique_ptr<Store> store;
  open(&store);
  for (int i = 0; i < 16; ++i) add_pair(*store, tenant_n(i));
  auto placed = placements();
  ASSERT_EQ(placed.size(), 16u);
  int on_a = 0, on_b = 0;
  for (int i = 0; i < 16; ++i) {
    const std::string t = tenant_n(i);
    int64_t a = rows_on(a_, t), b = rows_on(b_, t);
    EXPECT_EQ(a + b, 2) << t;
    EXPECT_EQ(placed[t] == "a" ? a : b, 2) << t << " is placed on " << placed[t];
    (placed[t] == "a" ? on_a : on_b)++;
  }
  // Rendezvous hashing spreads 16 tenants over both (all on one: 2^-15).
  EXPECT_GT(on_a, 0);
  EXPECT_GT(on_b, 0);
  // A second store (another router) finds every tenant where the first put it.
  std::unique_ptr<Store> other;
  open(&other);
  for (int i = 0; i < 16; ++i) {
    Entity e;
    ASSERT_TRUE(other->get_entity(tenant_n(i), "e1", &e).ok()) << tenant_n(i);
    EXPECT_EQ(e.properties, "{\"t\":\"" + tenant_n(i) + "\"}");
  }
}

TEST_F(Sharded, PathsAndNeighboursAreTheTenantServersOwnAnswers) {
  std::unique_ptr<Store> store;
  open(&store);
  const std::string t = "graph";
  // A ladder: two routes from n0 to n4 and a branch.
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(store->add_entity(t, pgtest::entity("n" + std::to_string(i))).ok());
  auto rel = [&](const std::string& id, const std::string& s, const std::string& d) {
    Relation r;
    r.id = id;
    r.relation_type = "next";
    r.source_id = s;
    r.target_id = d;
    ASSERT_TRUE(store->add_relation(t, r).ok());
  };
  rel("r01", "n0", "n1");
  rel("r12", "n1", "n2");
  rel("r24", "n2", "n4");
  rel("r03", "n0", "n3");
  rel("r34", "n3", "n4");
  rel("r45", "n4", "n5");
  const Server& home = placements()[t] == "a" ? a_ : b_;
  const Server& away = placements()[t] == "a" ? b_ : a_;
  EXPECT_EQ(rows_on(home, t), 6);
  EXPECT_EQ(rows_on(away, t), 0);
  std::unique_ptr<Store> direct;
  open_direct(home, &direct);
  PathOptions po;
  po.max_depth = 4;
  PathResult via, own;
  ASSERT_TRUE(store->find_paths(t, "n0", "n5", po, &via).ok());
  ASSERT_TRUE(direct->find_paths(t, "n0", "n5", po, &own).ok());
  ASSERT_EQ(via.paths.size(), 2u);
  EXPECT_EQ(via.paths, own.paths);
  std::vector<Neighbor> nv, no;
  ASSERT_TRUE(store->get_neighbors(t, "n4", Direction::kBoth, "", &nv).ok());
  ASSERT_TRUE(direct->get_neighbors(t, "n4", Direction::kBoth, "", &no).ok());
  EXPECT_EQ(nv.size(), 3u);
  EXPECT_EQ(nv, no);
}

TEST_F(Sharded, ADownServerMakesOnlyItsOwnTenantsUnavailableAndNamesIt) {
  std::unique_ptr<Store> store;
  open(&store);
  for (int i = 0; i < 16; ++i) add_pair(*store, tenant_n(i));
  auto placed = placements();
  std::string on_a, on_b;
  for (const auto& [t, s] : placed) (s == "a" ? on_a : on_b) = t;
  ASSERT_FALSE(on_a.empty());
  ASSERT_FALSE(on_b.empty());

  ASSERT_TRUE(b_cluster_->pause());
  Entity e;
  Status down = store->get_entity(on_b, "e1", &e);
  EXPECT_TRUE(down.is_unavailable()) << down.to_string();
  EXPECT_NE(down.message().find("shard 'b'"), std::string::npos) << down.message();
  Status write_down = store->add_entity(on_b, pgtest::entity("x"));
  EXPECT_TRUE(write_down.is_unavailable()) << write_down.to_string();
  // The other server's tenants read and write as before.
  EXPECT_TRUE(store->get_entity(on_a, "e1", &e).ok());
  EXPECT_TRUE(store->add_entity(on_a, pgtest::entity("during")).ok());
  std::vector<std::string> tenants;
  Status listing = store->list_tenants(&tenants);
  EXPECT_TRUE(listing.is_unavailable()) << listing.to_string();
  EXPECT_NE(listing.message().find("shard 'b'"), std::string::npos) << listing.message();

  ASSERT_TRUE(b_cluster_->resume());
  // The same store reaches the server again: its pool reconnects.
  Status back;
  for (int i = 0; i < 50; ++i) {
    back = store->get_entity(on_b, "e1", &e);
    if (back.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(back.ok()) << back.to_string();
  EXPECT_TRUE(store->add_entity(on_b, pgtest::entity("after")).ok());
}

TEST_F(Sharded, ListingSummariesAndMigrationCoverEveryServer) {
  std::unique_ptr<Store> store;
  open(&store);
  for (int i = 0; i < 16; ++i) add_pair(*store, tenant_n(i));
  ASSERT_TRUE(store->add_entity("", pgtest::entity("g1")).ok());
  std::vector<std::string> tenants;
  ASSERT_TRUE(store->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants.size(), 16u);
  StoreSummary summary;
  ASSERT_TRUE(summarize_store(*store, &summary).ok());
  uint64_t entities = 0;
  for (const auto& [t, s] : summary) entities += s.entities.count;
  EXPECT_EQ(entities, 33u);
  // Out of the sharded store into one in memory, and compared.
  std::unique_ptr<Store> copy;
  ASSERT_TRUE(pgtest::registry().open("inmemory", "{}", &copy).ok());
  MigrateOptions mo;
  mo.verify = true;
  MigrateReport report;
  Status s = migrate(*store, *copy, mo, &report);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(report.entities, 33u);
  EXPECT_EQ(report.relations, 16u);
  EXPECT_TRUE(report.mismatches.empty());
}

// What a writer was told: the content it expects of each id (nullopt:
// deleted), for every call that returned OK.
struct Acked {
  std::mutex mutex;
  std::map<std::string, std::optional<std::string>> entities;
  uint64_t failures = 0;
  std::string first_failure;
};

void write_until(Store& store, const std::string& tenant, std::atomic<bool>& stop, Acked& acked, int seed) {
  int i = 0;
  while (!stop.load()) {
    std::string id = "w" + std::to_string(seed) + "_" + std::to_string(i);
    std::string props = "{\"i\":" + std::to_string(i) + "}";
    Status s;
    int op = i % 4;
    std::string target = id;
    if (op == 3 && i >= 4) {
      // Update an entity written three calls ago.
      target = "w" + std::to_string(seed) + "_" + std::to_string(i - 3);
      props = "{\"updated\":" + std::to_string(i) + "}";
      s = store.update_entity(tenant, pgtest::entity(target, "W", props));
    } else if (op == 2 && i >= 8) {
      // Delete one written six calls ago (and its relation).
      target = "w" + std::to_string(seed) + "_" + std::to_string(i - 6);
      s = store.delete_entity(tenant, target);
    } else {
      s = store.add_entity(tenant, pgtest::entity(id, "W", props));
      if (s.ok() && i > 0) {
        Relation r;
        r.id = "rel_" + id;
        r.relation_type = "after";
        r.source_id = id;
        r.target_id = "base0";
        (void)store.add_relation(tenant, r);
      }
    }
    std::lock_guard lock(acked.mutex);
    if (s.ok()) {
      if (op == 2 && i >= 8)
        acked.entities[target] = std::nullopt;
      else
        acked.entities[target] = props;
    } else if (!(s.is_not_found() && (op == 2 || op == 3))) {  // its target was deleted already
      if (acked.failures++ == 0) acked.first_failure = s.to_string();
    }
    ++i;
  }
}

TEST_F(Sharded, MovingATenantUnderWritersLosesNoAcknowledgedWriteAndStopsNoOtherTenant) {
  std::unique_ptr<Store> store;
  open(&store);
  const std::string moving = "moving", other = "other";
  // 3,000 entities and 2,999 relations to copy.
  std::vector<Entity> base;
  for (int i = 0; i < 3000; ++i) base.push_back(pgtest::entity("base" + std::to_string(i), "B", "{}"));
  BulkResult added;
  ASSERT_TRUE(store->add_entities_bulk(moving, base, &added).ok());
  std::vector<Relation> links;
  for (int i = 1; i < 3000; ++i) {
    Relation r;
    r.id = "link" + std::to_string(i);
    r.relation_type = "link";
    r.source_id = "base" + std::to_string(i);
    r.target_id = "base" + std::to_string(i - 1);
    links.push_back(r);
  }
  ASSERT_TRUE(store->add_relations_bulk(moving, links, &added).ok());
  add_pair(*store, other);
  const std::string from = placements()[moving];
  const std::string to = from == "a" ? "b" : "a";

  // Each writer through a store of its own: another router, as another
  // process would be.
  std::unique_ptr<Store> writer_store, other_store;
  open(&writer_store);
  open(&other_store);
  std::atomic<bool> stop{false};
  Acked moving_acked, other_acked;
  std::thread w1([&] { write_until(*writer_store, moving, stop, moving_acked, 1); });
  std::thread w2([&] { write_until(*other_store, other, stop, other_acked, 2); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  sharding::MoveOptions mo;
  mo.tenant = moving;
  mo.to = to;
  mo.batch_size = 500;
  sharding::MoveReport report;
  Status s = sharding::move_tenant(pgtest::registry(), options(), mo, &report);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  w1.join();
  w2.join();
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(report.from, from);
  EXPECT_EQ(report.entities + report.relations > 5999u, true) << report.entities << " + " << report.relations;
  EXPECT_EQ(moving_acked.failures, 0u) << moving_acked.first_failure;
  EXPECT_EQ(other_acked.failures, 0u) << other_acked.first_failure;
  EXPECT_GT(moving_acked.entities.size(), 10u) << "the writer barely ran during the move";

  EXPECT_EQ(placements()[moving], to);
  const Server& old_home = from == "a" ? a_ : b_;
  const Server& new_home = from == "a" ? b_ : a_;
  EXPECT_EQ(rows_on(old_home, moving), 0) << "the source's copy was not removed";
  // Every acknowledged write, read from the new server directly.
  std::unique_ptr<Store> direct;
  open_direct(new_home, &direct);
  size_t present = 0;
  for (const auto& [id, props] : moving_acked.entities) {
    Entity e;
    Status g = direct->get_entity(moving, id, &e);
    if (props) {
      ASSERT_TRUE(g.ok()) << id << ": " << g.to_string();
      EXPECT_EQ(e.properties, *props) << id;
      ++present;
    } else {
      EXPECT_TRUE(g.is_not_found()) << id << " was deleted, yet " << g.to_string();
    }
  }
  Stats st;
  ASSERT_TRUE(direct->get_stats(moving, &st).ok());
  EXPECT_EQ(st.entity_count, 3000 + present);
  // And through the writer's router, which has seen the switch.
  Entity e;
  EXPECT_TRUE(writer_store->get_entity(moving, "base2999", &e).ok());
}

TEST_F(Sharded, AStoppedMoveIsAbandonedAndLeavesTheTenantWhereItWas) {
  std::unique_ptr<Store> store;
  open(&store);
  std::vector<Entity> base;
  for (int i = 0; i < 2000; ++i) base.push_back(pgtest::entity("e" + std::to_string(i)));
  BulkResult added;
  ASSERT_TRUE(store->add_entities_bulk("t", base, &added).ok());
  const std::string from = placements()["t"];
  sharding::MoveOptions mo;
  mo.tenant = "t";
  mo.to = from == "a" ? "b" : "a";
  mo.batch_size = 500;
  int calls = 0;
  mo.progress = [&](const Progress&) { return ++calls < 2; };  // stop after the first batch
  sharding::MoveReport report;
  Status s = sharding::move_tenant(pgtest::registry(), options(), mo, &report);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("abandoned"), std::string::npos) << s.message();
  EXPECT_EQ(placements()["t"], from);
  EXPECT_EQ(rows_on(from == "a" ? b_ : a_, "t"), 0) << "the partial copy was left on the target";
  EXPECT_EQ(rows_on(from == "a" ? a_ : b_, "t"), 2000);
  EXPECT_TRUE(store->add_entity("t", pgtest::entity("after")).ok());
  Status again = sharding::abandon_move(pgtest::registry(), options(), "t");
  EXPECT_TRUE(again.is_invalid_argument()) << again.to_string();
  mo.to = "nowhere";
  mo.progress = nullptr;
  Status unknown = sharding::move_tenant(pgtest::registry(), options(), mo, &report);
  EXPECT_TRUE(unknown.is_invalid_argument()) << unknown.to_string();
}

TEST_F(Sharded, AnUnreachableCatalogIsUnavailableAndNeverShowsItsPassword) {
  std::string opts = options();
  const std::string dsn = "host=127.0.0.1 port=" + std::to_string(a_.port) + " user=postgres dbname=graphstore";
  opts.replace(opts.find(dsn), dsn.size(), "host=127.0.0.1 port=1 user=u password=s3cret-pw connect_timeout=2");
  std::unique_ptr<Store> store;
  Status s = pgtest::registry().open("sharded", opts, &store);
  EXPECT_TRUE(s.is_unavailable()) << s.to_string();
  EXPECT_NE(s.message().find("catalog"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("s3cret-pw"), std::string::npos) << s.message();
}

TEST(ShardedOptions, EachMistakeIsInvalidArgumentNamingItsKey) {
  const std::string shard = R"({"backend": "inmemory"})";
  const std::string catalog = R"("catalog": {"dsn": "host=127.0.0.1 port=1"})";
  const std::pair<std::string, std::string> cases[] = {
      {R"({"shards": {"a": )" + shard + "}}", "option 'catalog'"},
      {"{" + catalog + "}", "option 'shards'"},
      {"{" + catalog + R"(, "shards": {}})", "option 'shards'"},
      {"{" + catalog + R"(, "shards": {"bad name": )" + shard + "}}", "shard name"},
      {"{" + catalog + R"(, "shards": {"a": {"backend": "sharded"}}})", "cannot wrap another"},
      {"{" + catalog + R"(, "shards": {"a": {"backend": "inmemory", "extra": 1}}})", "unknown key 'extra'"},
      {R"({"catalog": {"dsn": "x", "schema": "1bad"}, "shards": {"a": )" + shard + "}}", "key 'schema'"},
      {R"({"catalog": {"dsn": ""}, "shards": {"a": )" + shard + "}}", "key 'dsn'"},
      {"{" + catalog + R"(, "shards": {"a": )" + shard + R"(}, "placement_ttl": 0})", "option 'placement_ttl'"},
      {"{" + catalog + R"(, "shards": {"a": )" + shard + R"(}, "placemnt_ttl": 1})", "placement_ttl"},
  };
  for (const auto& [options, expected] : cases) {
    std::unique_ptr<Store> store;
    Status s = pgtest::registry().open("sharded", options, &store);
    EXPECT_TRUE(s.is_invalid_argument()) << options << ": " << s.to_string();
    EXPECT_NE(s.message().find(expected), std::string::npos) << options << ": " << s.message();
  }
}

}  // namespace
}  // namespace graphstore
