// postgres_bench: the plugin's PostgreSQL figures, through the full path
// Registry -> Store -> C ABI -> plugin -> server, against a server given on
// the command line (start one with scripts/pg-test-cluster.sh start ENV auto
// --durable for realistic durability). Not a test; prints one line per
// figure. Data comes from workload/, as in graphstore_bench.
//
//   postgres_bench PORT [scale_entities]
//
// Figures: the commit floor (1,000 one-row autocommit INSERTs on a raw
// connection: what every durable commit costs on this server), add_entity x
// 1,000, get_entity (mean over 20,000 random ids of the 1,000/3,000 graph),
// find_paths depth 5 (max 10 paths, connected pairs), batch insert of 10,000
// (add_entities_bulk and the next read, which runs the ANALYZE the load asks
// for, median of 5 fresh schemas), and with scale_entities N
// > 0: a bulk load of N entities and 3N relations (rows/s) and get_entity on
// it.
//
// Beside each figure, floors measured on raw connections with the plugin out
// of the way: a process round trip (two processes passing a byte through
// pipes: the machine's wake-up cost, which every query pays twice), a raw
// prepared read of the same row, and the server's own work for the plugin's
// rows: INSERT ... SELECT of already stored rows into an empty copy of the
// plugin's table, one row per autocommit transaction (add) or 10,000 in one
// (batch; also with the GIN indexes and with every secondary index dropped).
#include <sys/wait.h>
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

std::string raw_dsn() { return "host=127.0.0.1 port=" + g_port + " user=postgres dbname=graphstore"; }

// A raw connection inserting one row per autocommit transaction: what every
// durable commit costs on this server.
class CommitFloor {
 public:
  CommitFloor() : c_(raw_dsn()) {
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

// The plugin's entity columns, for copying rows between its tables.
const char* const kEntityColumns =
    "tenant_id, id, entity_type, properties, embedding, text_tokens, token_count, created_at, updated_at, source";

std::string copy_rows_sql(const std::string& from, const std::string& to, const char* where) {
  return std::string("INSERT INTO ") + to + ".entities (" + kEntityColumns + ") SELECT " + kEntityColumns + " FROM " +
         from + ".entities" + where;
}

// Mean microseconds of a byte's round trip between two processes through
// pipes: the machine's cost of waking a process and being woken by it.
double process_round_trip_us() {
  int ping[2], pong[2];
  if (pipe(ping) != 0 || pipe(pong) != 0) return -1;
  const int n = 20000;
  pid_t child = fork();
  if (child == 0) {
    char c;
    for (int i = 0; i < n; ++i)
      if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1) _exit(1);
    _exit(0);
  }
  char c = 0;
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i)
    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) break;
  double us = seconds_since(t0) * 1e6 / n;
  waitpid(child, nullptr, 0);
  for (int fd : {ping[0], ping[1], pong[0], pong[1]}) close(fd);
  return us;
}

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
    // The schema floor copies these rows, stored beforehand, one per commit.
    std::string stored = fresh_schema("rows"), target = fresh_schema("rowfloor");
    BulkResult loaded;
    check(open(registry, stored)->add_entities_bulk("", entities, &loaded), "add_entities_bulk");
    open(registry, target).reset();
    pqxx::connection raw(raw_dsn());
    raw.prepare("copy_row", copy_rows_sql(stored, target, " WHERE tenant_id = '' AND id = $1"));
    auto store = open(registry, fresh_schema("add"));
    double floor = 0, schema_floor = 0, adds = 0;
    for (int round = 0; round < 10; ++round) {
      floor += floor_conn.run(100);
      auto t0 = clock_type::now();
      for (int i = round * 100; i < round * 100 + 100; ++i)
        pqxx::nontransaction(raw).exec_prepared("copy_row", entities[i].id);
      schema_floor += seconds_since(t0) * 1000;
      t0 = clock_type::now();
      for (int i = round * 100; i < round * 100 + 100; ++i) check(store->add_entity("", entities[i]), "add_entity");
      adds += seconds_since(t0) * 1000;
    }
    std::printf("process round trip (pipes, two processes): %.1f us\n", process_round_trip_us());
    std::printf("commit floor (1,000 one-row autocommit INSERTs, raw libpqxx): %.1f ms (%.0f us each)\n", floor, floor);
    std::printf(
        "schema floor (1,000 of the plugin's rows, one per autocommit INSERT ... SELECT): %.1f ms "
        "(ratio to the commit floor %.2f)\n",
        schema_floor, schema_floor / floor);
    std::printf(
        "add_entity x1,000: %.1f ms (ratio to the commit floor %.2f, goal <= 1.20; to the schema floor "
        "%.2f)\n",
        adds, adds / floor, adds / schema_floor);
  }

  {
    auto entities = workload::make_entities(1000, 0);
    auto relations = workload::make_relations(1000, 3000);
    std::string schema = fresh_schema("graph");
    auto store = open(registry, schema);
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
    {
      pqxx::connection raw(raw_dsn());
      raw.prepare("get", std::string("SELECT ") + kEntityColumns + " FROM " + schema +
                             ".entities WHERE tenant_id = '' AND id = $1");
      auto t = clock_type::now();
      for (int i = 0; i < n; ++i) pqxx::nontransaction(raw).exec_prepared("get", ids[i % ids.size()]);
      std::printf("get floor (the same reads, raw prepared SELECTs): mean %.1f us\n", seconds_since(t) * 1e6 / n);
    }

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
    std::printf(
        "find_paths depth 5, max 10 paths (1,000/3,000 graph): mean %.2f ms, p50 %.2f ms, p99 %.2f ms, "
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
    std::string loaded;
    for (int r = 0; r < 5; ++r) {
      loaded = fresh_schema("bulk");
      auto store = open(registry, loaded);
      BulkResult result;
      Entity first;
      auto t0 = clock_type::now();
      check(store->add_entities_bulk("", entities, &result), "add_entities_bulk");
      // The next read does what the load left to it (the ANALYZE a bulk
      // add of 1,000 rows or more asks for; the index build of a run of
      // loads large enough to defer them): part of the batch's cost.
      check(store->get_entity("", entities[0].id, &first), "get_entity");
      runs.push_back(seconds_since(t0) * 1000);
      if (result.added != entities.size()) {
        std::fprintf(stderr, "bulk added %zu\n", size_t(result.added));
        return 1;
      }
    }
    std::sort(runs.begin(), runs.end());
    std::printf(
        "batch insert 10,000 (add_entities_bulk and the next read, which runs the ANALYZE it asks for): median "
        "%.1f ms, "
        "min %.1f ms (goal <= 50 ms)\n",
        runs[2], runs[0]);

    // The server's own work for these rows: copied from the loaded table in
    // one transaction into an empty copy of the plugin's table.
    const char* const kGin[] = {"entities_properties", "entities_text"};
    const char* const kBtree[] = {"entities_by_type", "entities_embedded", "entities_text_unindexed"};
    pqxx::connection raw(raw_dsn());
    std::printf("batch schema floor (10,000 rows by INSERT ... SELECT in one transaction), medians of 5:");
    for (int drop = 0; drop < 3; ++drop) {
      std::vector<double> floors;
      for (int r = 0; r < 5; ++r) {
        std::string target = fresh_schema("bulkfloor");
        open(registry, target).reset();
        pqxx::work tx(raw);
        if (drop >= 1)
          for (const char* index : kGin) tx.exec("DROP INDEX " + target + "." + index);
        if (drop >= 2)
          for (const char* index : kBtree) tx.exec("DROP INDEX " + target + "." + index);
        tx.commit();
        auto t0 = clock_type::now();
        pqxx::work copy(raw);
        copy.exec(copy_rows_sql(loaded, target, ""));
        copy.commit();
        floors.push_back(seconds_since(t0) * 1000);
      }
      std::sort(floors.begin(), floors.end());
      std::printf(" %s %.1f ms%s",
                  drop == 0   ? "every index"
                  : drop == 1 ? "without the GIN indexes"
                              : "primary key only",
                  floors[2], drop < 2 ? ";" : "\n");
    }
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
