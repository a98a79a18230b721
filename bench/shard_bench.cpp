// shard_bench: the sharded plugin's figures against two PostgreSQL servers
// given by port (start them with scripts/pg-test-cluster.sh start ENV auto).
// Not a test; prints one line per figure. plugins/sharded/README.md has the
// commands and the figures.
//
//   shard_bench percall PORT_A PORT_B [tenants=8] [entities_per_tenant=20000]
//     The same tenants (each N entities and 3N relations from workload/) in a
//     sharded store over both servers and in one postgres store on A; then,
//     in 3 rounds alternating the two: get_entity (20,000 random calls),
//     get_neighbors both ways (5,000), find_paths depth 4 (600 connected
//     pairs, at most 10 paths). Per figure: the mean per call of each round,
//     the median round, and sharded / single.
//
//   shard_bench move PORT_A PORT_B ENTITIES
//     Loads a tenant of ENTITIES entities and 3x relations into the sharded
//     store, then moves it to the other server while one writer adds to it
//     and another adds to a second tenant, each one call at a time. Prints
//     the move's phases, each writer's acknowledged writes, failures and
//     longest call, and checks every acknowledged id on the new server.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
#include "tenant_move.hpp"
#include "workload.hpp"

using namespace graphstore;
using Clock = std::chrono::steady_clock;

namespace {

Registry& registry() {
  static Registry r({GRAPHSTORE_PLUGIN_DIR});
  return r;
}

std::string postgres_options(int port, const std::string& schema) {
  return "{\"host\":\"127.0.0.1\",\"port\":" + std::to_string(port) +
         ",\"user\":\"postgres\",\"database\":\"graphstore\",\"schema\":\"" + schema +
         "\",\"min_pool_size\":2,\"max_pool_size\":8}";
}

std::string sharded_options(int a, int b, const std::string& schema) {
  return "{\"catalog\":{\"dsn\":\"host=127.0.0.1 port=" + std::to_string(a) +
         " user=postgres dbname=graphstore\",\"schema\":\"c" + schema + "\"},\"shards\":{\"a\":{\"backend\":\"postgres\"," +
         "\"options\":" + postgres_options(a, schema) + "},\"b\":{\"backend\":\"postgres\",\"options\":" +
         postgres_options(b, schema) + "}}}";
}

void die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "shard_bench: %s: %s\n", what.c_str(), s.to_string().c_str());
  std::exit(1);
}

void drop_schemas(int port, const std::vector<std::string>& schemas) {
  pqxx::connection c("host=127.0.0.1 port=" + std::to_string(port) + " user=postgres dbname=graphstore");
  pqxx::nontransaction tx(c);
  for (const auto& s : schemas) tx.exec("DROP SCHEMA IF EXISTS \"" + s + "\" CASCADE");
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct TenantData {
  std::string name;
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  std::vector<std::pair<std::string, std::string>> pairs;
};

// Mean microseconds per call of fn(i) over n calls.
template <class Fn>
double mean_us(size_t n, Fn fn) {
  auto t = Clock::now();
  for (size_t i = 0; i < n; ++i) fn(i);
  return seconds_since(t) * 1e6 / double(n);
}

int percall(int a, int b, size_t tenants, size_t per_tenant) {
  const std::string schema = "bench_sh_" + std::to_string(getpid());
  const std::string single_schema = "bench_single_" + std::to_string(getpid());
  std::unique_ptr<Store> sharded, single;
  if (Status s = registry().open("sharded", sharded_options(a, b, schema), &sharded); !s.ok()) die("open sharded", s);
  if (Status s = registry().open("postgres", postgres_options(a, single_schema), &single); !s.ok())
    die("open single", s);
  std::vector<TenantData> data(tenants);
  for (size_t t = 0; t < tenants; ++t) {
    data[t].name = "tenant" + std::to_string(t);
    data[t].entities = workload::make_entities(per_tenant, 0, 42 + t);
    data[t].relations = workload::make_relations(per_tenant, 3 * per_tenant, 42 + t);
    data[t].pairs = workload::connected_pairs(per_tenant, data[t].relations, 600, 4, 7 + t);
    for (Store* store : {sharded.get(), single.get()})
      if (Status s = workload::load(*store, data[t].name, data[t].entities, data[t].relations); !s.ok())
        die("load", s);
  }
  std::printf("percall: %zu tenants of %zu entities and %zu relations, on 2 shards and on 1 server\n", tenants,
              per_tenant, 3 * per_tenant);
  struct Figure {
    const char* name;
    size_t calls;
    std::vector<double> single_us, sharded_us;
  };
  std::vector<Figure> figures = {{"get_entity", 20000, {}, {}}, {"get_neighbors", 5000, {}, {}},
                                 {"find_paths d4", 600, {}, {}}};
  workload::Rng rng(99);
  for (int round = 0; round < 3; ++round) {
    for (int which = 0; which < 2; ++which) {
      Store& store = which == 0 ? *single : *sharded;
      double g = mean_us(figures[0].calls, [&](size_t) {
        const auto& d = data[rng.below(tenants)];
        Entity e;
        if (Status s = store.get_entity(d.name, d.entities[rng.below(per_tenant)].id, &e); !s.ok()) die("get", s);
      });
      double n = mean_us(figures[1].calls, [&](size_t) {
        const auto& d = data[rng.below(tenants)];
        std::vector<Neighbor> out;
        if (Status s = store.get_neighbors(d.name, d.entities[rng.below(per_tenant)].id, Direction::kBoth, "", &out);
            !s.ok())
          die("neighbors", s);
      });
      double p = mean_us(figures[2].calls, [&](size_t i) {
        const auto& d = data[i % tenants];
        const auto& pair = d.pairs[(i / tenants) % d.pairs.size()];
        PathOptions po;
        po.max_depth = 4;
        po.max_paths = 10;
        PathResult out;
        if (Status s = store.find_paths(d.name, pair.first, pair.second, po, &out); !s.ok()) die("paths", s);
      });
      for (auto [f, v] : {std::pair{&figures[0], g}, {&figures[1], n}, {&figures[2], p}})
        (which == 0 ? f->single_us : f->sharded_us).push_back(v);
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  for (const auto& f : figures) {
    std::printf("%-14s single %7.1f us (rounds:", f.name, median(f.single_us));
    for (double v : f.single_us) std::printf(" %.1f", v);
    std::printf(")  sharded %7.1f us (rounds:", median(f.sharded_us));
    for (double v : f.sharded_us) std::printf(" %.1f", v);
    std::printf(")  ratio %.2f\n", median(f.sharded_us) / median(f.single_us));
  }
  sharded.reset();
  single.reset();
  drop_schemas(a, {schema, single_schema, "c" + schema});
  drop_schemas(b, {schema});
  return 0;
}

struct WriterStats {
  std::atomic<uint64_t> acked{0}, failed{0};
  std::atomic<int64_t> longest_us{0};
  std::string first_failure;
  std::vector<bool> ok;  // by call, written by the writer's thread only
};

void writer(Store& store, const std::string& tenant, const std::string& prefix, std::atomic<bool>& stop,
            WriterStats& stats) {
  for (uint64_t i = 0; !stop.load(); ++i) {
    Entity e;
    e.id = prefix + std::to_string(i);
    e.entity_type = "W";
    e.properties = "{\"i\":" + std::to_string(i) + "}";
    auto t = Clock::now();
    Status s = store.add_entity(tenant, e);
    int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count();
    if (us > stats.longest_us.load()) stats.longest_us = us;
    stats.ok.push_back(s.ok());
    if (s.ok()) {
      ++stats.acked;
    } else if (stats.failed++ == 0) {
      stats.first_failure = s.to_string();
    }
  }
}

int move(int a, int b, size_t n) {
  const std::string schema = "bench_mv_" + std::to_string(getpid());
  const std::string options = sharded_options(a, b, schema);
  std::unique_ptr<Store> store, other_router;
  if (Status s = registry().open("sharded", options, &store); !s.ok()) die("open sharded", s);
  if (Status s = registry().open("sharded", options, &other_router); !s.ok()) die("open sharded", s);
  auto t = Clock::now();
  {
    auto entities = workload::make_entities(n, 0);
    if (Status s = workload::load(*store, "big", entities, {}); !s.ok()) die("load entities", s);
  }
  {
    auto relations = workload::make_relations(n, 3 * n);
    if (Status s = workload::load(*store, "big", {}, relations); !s.ok()) die("load relations", s);
  }
  if (Status s = store->add_entity("small", workload::make_entities(1, 0)[0]); !s.ok()) die("small", s);
  std::printf("move: loaded %zu entities and %zu relations in %.1f s\n", n, 3 * n, seconds_since(t));
  std::vector<sharding::PlacementRow> rows;
  if (Status s = sharding::list_placements(options, &rows); !s.ok()) die("placements", s);
  std::string from;
  for (const auto& r : rows)
    if (r.tenant == "big") from = r.shard;
  std::string to = from == "a" ? "b" : "a";

  std::atomic<bool> stop{false};
  WriterStats big_w, small_w;
  std::thread w1([&] { writer(*other_router, "big", "w", stop, big_w); });
  std::thread w2([&] { writer(*other_router, "small", "s", stop, small_w); });
  sharding::MoveOptions mo;
  mo.tenant = "big";
  mo.to = to;
  sharding::MoveReport report;
  Status s = sharding::move_tenant(registry(), options, mo, &report);
  stop = true;
  w1.join();
  w2.join();
  if (!s.ok()) die("move", s);
  std::printf(
      "move: %s -> %s: %.1f s in all: copy %.1f s (%llu entities, %llu relations: %.0f records/s), catch-up %.1f s "
      "(%d passes, %llu ids), switch %.2f s\n",
      report.from.c_str(), report.to.c_str(), report.seconds, report.copy_seconds,
      (unsigned long long)report.entities, (unsigned long long)report.relations,
      double(report.entities + report.relations) / report.copy_seconds, report.catch_up_seconds,
      report.catch_up_passes, (unsigned long long)report.changes_replayed, report.switch_seconds);
  for (auto [name, w] : {std::pair{"moving tenant", &big_w}, {"other tenant", &small_w}})
    std::printf("move: writer on the %s: %llu writes acknowledged, %llu failed%s%s, longest call %.3f s\n", name,
                (unsigned long long)w->acked.load(), (unsigned long long)w->failed.load(),
                w->failed ? ": " : "", w->first_failure.c_str(), double(w->longest_us.load()) / 1e6);
  // Every acknowledged write is on the new shard.
  std::unique_ptr<Store> direct;
  if (Status st = registry().open("postgres", postgres_options(to == "a" ? a : b, schema), &direct); !st.ok())
    die("open direct", st);
  uint64_t missing = 0;
  for (size_t i = 0; i < big_w.ok.size(); ++i) {
    Entity e;
    if (big_w.ok[i] && !direct->get_entity("big", "w" + std::to_string(i), &e).ok()) ++missing;
  }
  std::printf("move: acknowledged writes missing on the new shard: %llu (of %llu)\n", (unsigned long long)missing,
              (unsigned long long)big_w.acked.load());
  store.reset();
  other_router.reset();
  direct.reset();
  drop_schemas(a, {schema, "c" + schema});
  drop_schemas(b, {schema});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "percall")
    return percall(std::atoi(argv[2]), std::atoi(argv[3]), argc > 4 ? std::stoul(argv[4]) : 8,
                   argc > 5 ? std::stoul(argv[5]) : 20000);
  if (argc == 5 && std::string(argv[1]) == "move")
    return move(std::atoi(argv[2]), std::atoi(argv[3]), std::stoul(argv[4]));
  std::fprintf(stderr,
               "usage: shard_bench percall PORT_A PORT_B [tenants] [entities_per_tenant]\n"
               "       shard_bench move PORT_A PORT_B ENTITIES\n");
  return 2;
}
