// postgres_bench: the PostgreSQL figures, through the full path
// Registry -> Store -> C ABI -> plugin -> server, against a server given on
// the command line (start one with scripts/pg-test-cluster.sh start ENV auto
// --durable for realistic durability). Not a test; prints one line per
// figure. Data comes from bench/workload, as in graphstore_bench.
//
//   postgres_bench PORT [scale_entities]
//
// Figures: the commit floor (1,000 one-row autocommit INSERTs on a raw
// connection: what every durable commit costs on this server), add_entity x
// 1,000, get_entity (mean over 20,000 random ids of the 1,000/3,000 graph),
// find_paths depth 5 (max 10 paths, connected pairs), batch insert of 10,000
// (add_entities_bulk, median of 5 fresh schemas), and with scale_entities N
// > 0: a bulk load of N entities and 3N relations (rows/s) and get_entity on
// it.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
#include "workload.hpp"

using namespace graphstore;
using clock_type = std::chrono::steady_clock;

namespace {

std::string g_port;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

std::string options(const std::string& schema, const std::string& extra = "") {
  return "{\"host\":\"127.0.0.1\",\"port\":" + g_port +
         ",\"user\":\"postgres\",\"database\":\"graphstore\",\"schema\":\"" + schema + "\"" + extra + "}";
}

std::string fresh_schema(const char* what) {
  static int n = 0;
  return std::string("bench_") + what + "_" + std::to_string(getpid()) + "_" + std::to_string(n++);
}

std::unique_ptr<Store> open(Registry& registry, const std::string& schema) {
  std::unique_ptr<Store> store;
  Status s = registry.open("postgres", options(schema), &store);
  if (!s.ok()) {
    std::fprintf(stderr, "open: %s\n", s.to_string().c_str());
    std::exit(1);
  }
  return store;
}

void check(const Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.to_string().c_str());
  std::exit(1);
}

// A raw connection inserting one row per autocommit transaction: what every
// durable commit costs on this server.
class CommitFloor {
 public:
  CommitFloor() : c_("host=127.0.0.1 port=" + g_port + " user=postgres dbname=graphstore") {
    pqxx::nontransaction tx(c_);
    tx.exec("DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (i int)");
    c_.prepare("ins", "INSERT INTO bench_floor VALUES ($1)");
  }
  // Runs n commits; returns their time in ms.
  double run(int n) {
    auto t0 = clock_type::now();
    for (int i = 0; i < n; ++i) {
      pqxx::nontransaction tx(c_);
      tx.exec_prepared("ins", i);
    }
    return seconds_since(t0) * 1000;
  }

 private:
  pqxx::connection c_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: postgres_bench PORT [scale_entities]\n");
    return 2;
  }
  g_port = argv[1];
  size_t scale = argc > 2 ? std::stoul(argv[2]) : 0;
  Registry registry({GRAPHSTORE_PLUGIN_DIR});

  {
    // Interleaved in rounds of 100, so both see the same disk: other
    // processes' I/O moves fsync times by several times within minutes.
    CommitFloor floor_conn;
    auto entities = workload::make_entities(1000, 0);
    auto store = open(registry, fresh_schema("add"));
    double floor = 0, adds = 0;
    for (int round = 0; round < 10; ++round) {
      floor += floor_conn.run(100);
      auto t0 = clock_type::now();
      for (int i = round * 100; i < round * 100 + 100; ++i) check(store->add_entity("", entities[i]), "add_entity");
      adds += seconds_since(t0) * 1000;
    }
    std::printf("commit floor (1,000 one-row autocommit INSERTs, raw libpqxx): %.1f ms (%.0f us each)\n", floor,
                floor);
    std::printf("add_entity x1,000: %.1f ms (ratio to the floor %.2f, goal <= 1.20)\n", adds, adds / floor);
  }

  {
    auto entities = workload::make_entities(1000, 0);
    auto relations = workload::make_relations(1000, 3000);
    auto store = open(registry, fresh_schema("graph"));
    check(workload::load(*store, "", entities, relations), "load");
    workload::Rng rng(7);
    std::vector<std::string> ids;
    for (int i = 0; i < 4096; ++i) ids.push_back(workload::entity_id(rng.below(1000)));
    Entity out;
    for (int i = 0; i < 2000; ++i) check(store->get_entity("", ids[i % ids.size()], &out), "get_entity");  // warm
    const int n = 20000;
    std::vector<double> lat(n);
    auto t0 = clock_type::now();
    for (int i = 0; i < n; ++i) {
      auto a = clock_type::now();
      check(store->get_entity("", ids[i % ids.size()], &out), "get_entity");
      lat[i] = std::chrono::duration<double, std::micro>(clock_type::now() - a).count();
    }
    double mean = seconds_since(t0) * 1e6 / n;
    std::sort(lat.begin(), lat.end());
    std::printf("get_entity (1,000/3,000 graph): mean %.1f us, p50 %.1f us, p99 %.1f us (goal <= 60 us)\n", mean,
                lat[n / 2], lat[n * 99 / 100]);

    auto pairs = workload::connected_pairs(1000, relations, 256, 5);
    PathOptions po;
    po.max_depth = 5;
    po.max_paths = 10;
    PathResult pr;
    for (int i = 0; i < 32; ++i) check(store->find_paths("", pairs[i].first, pairs[i].second, po, &pr), "find_paths");
    std::vector<double> pl;
    size_t found = 0;
    auto t1 = clock_type::now();
    for (int round = 0; round < 4; ++round)
      for (const auto& [s, t] : pairs) {
        auto a = clock_type::now();
        check(store->find_paths("", s, t, po, &pr), "find_paths");
        pl.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - a).count());
        found += pr.paths.size();
      }
    double pmean = seconds_since(t1) * 1000 / double(pl.size());
    std::sort(pl.begin(), pl.end());
    std::printf("find_paths depth 5, max 10 paths (1,000/3,000 graph): mean %.2f ms, p50 %.2f ms, p99 %.2f ms, "
                "%.1f paths/query (goal <= 3 ms)\n",
                pmean, pl[pl.size() / 2], pl[pl.size() * 99 / 100], double(found) / double(pl.size()));

    TraverseOptions to;
    to.max_depth = 3;
    TraverseResult tr;
    auto t2 = clock_type::now();
    for (int i = 0; i < 1000; ++i) check(store->traverse("", ids[i], to, &tr), "traverse");
    std::printf("traverse depth 3: mean %.2f ms\n", seconds_since(t2));
  }

  {
    auto entities = workload::make_entities(10000, 0);
    std::vector<double> runs;
    for (int r = 0; r < 5; ++r) {
      auto store = open(registry, fresh_schema("bulk"));
      BulkResult result;
      auto t0 = clock_type::now();
      check(store->add_entities_bulk("", entities, &result), "add_entities_bulk");
      runs.push_back(seconds_since(t0) * 1000);
      if (result.added != entities.size()) {
        std::fprintf(stderr, "bulk added %zu\n", size_t(result.added));
        return 1;
      }
    }
    std::sort(runs.begin(), runs.end());
    std::printf("batch insert 10,000 (add_entities_bulk): median %.1f ms, min %.1f ms (goal <= 50 ms)\n", runs[2],
                runs[0]);
  }

  if (scale > 0) {
    auto store = open(registry, fresh_schema("scale"));
    const size_t batch = 10000;
    auto t0 = clock_type::now();
    size_t rows = 0;
    for (size_t first = 0; first < scale; first += batch) {
      std::vector<Entity> es;
      for (size_t i = first; i < std::min(scale, first + batch); ++i) {
        Entity e;
        e.id = workload::entity_id(i);
        e.entity_type = i % 2 ? "Person" : "Paper";
        e.properties = "{\"name\":\"entity " + std::to_string(i) + "\",\"n\":" + std::to_string(i) + "}";
        e.created_at = e.updated_at = 1700000000000000 + int64_t(i);
        es.push_back(std::move(e));
      }
      BulkResult r;
      check(store->add_entities_bulk("", es, &r), "bulk entities");
      rows += r.added;
    }
    double te = seconds_since(t0);
    std::printf("scale: %zu entities in %.1f s: %.0f rows/s\n", scale, te, double(scale) / te);
    workload::Rng rng(11);
    auto t1 = clock_type::now();
    for (size_t first = 0; first < 3 * scale; first += batch) {
      std::vector<Relation> rs;
      for (size_t i = first; i < std::min(3 * scale, first + batch); ++i) {
        Relation r;
        char id[32];
        std::snprintf(id, sizeof id, "r%09zu", i);
        r.id = id;
        r.relation_type = i % 3 == 0 ? "KNOWS" : i % 3 == 1 ? "CITES" : "WORKS_FOR";
        r.source_id = workload::entity_id(rng.below(scale));
        r.target_id = workload::entity_id(rng.below(scale));
        r.weight = 0.5;
        r.created_at = r.updated_at = 1700000000000000 + int64_t(i);
        rs.push_back(std::move(r));
      }
      BulkResult r;
      check(store->add_relations_bulk("", rs, &r), "bulk relations");
      rows += r.added;
    }
    double tr = seconds_since(t1);
    std::printf("scale: %zu relations in %.1f s: %.0f rows/s; overall %.0f rows/s\n", 3 * scale, tr,
                double(3 * scale) / tr, double(rows) / (te + tr));
    Entity out;
    const int n = 20000;
    for (int i = 0; i < 2000; ++i) check(store->get_entity("", workload::entity_id(rng.below(scale)), &out), "get");
    auto t2 = clock_type::now();
    for (int i = 0; i < n; ++i) check(store->get_entity("", workload::entity_id(rng.below(scale)), &out), "get");
    std::printf("scale: get_entity on %zu entities: mean %.1f us (goal <= 100 us)\n", scale,
                seconds_since(t2) * 1e6 / n);
  }
  return 0;
}
