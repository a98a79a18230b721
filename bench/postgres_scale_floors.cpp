// postgres_scale_floors: the server's own cost for a graph graphstore_scale
// loaded into PostgreSQL, with the plugin out of the way, to set beside
// graphstore_scale's figures (bench/README.md). Not a test.
//
//   postgres_scale_floors PORT SCHEMA [--samples N] [--reads-only]
//
// Load floor: the loaded rows are written to server-side files (COPY TO),
// then COPYed FROM those files into bare copies of the tables in
// SCHEMA_floor (no index), and the schema's indexes (their definitions read
// from SCHEMA) are built after, two at a time as the plugin builds the ones a
// load defers, with the same maintenance_work_mem (256 MB), then ANALYZE:
// the least the server can do to hold the same rows with the same indexes.
//
// Read floors, over the same random ids as graphstore_scale (its Rng(7)):
// a raw prepared point read of the entity columns the plugin reads, and a
// raw prepared adjacency read (each relation of the entity with the entity at
// its other end, the rows the plugin's get_neighbors returns), each way;
// medians of the second of two passes, as graphstore_scale times them. The
// plans of the read statements are printed (EXPLAIN).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "workload.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string id_of(char prefix, uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%010llu", prefix, static_cast<unsigned long long>(i));
  return buf;
}

const char* const kEntityColumns =
    "tenant_id, id, entity_type, properties, embedding, text_tokens, token_count, created_at, updated_at, source";
const char* const kRelationColumns =
    "tenant_id, id, relation_type, source_id, target_id, properties, weight, created_at, updated_at, source";

// Builds the statements in `todo` on `connections` connections at once.
void build_all(const std::string& dsn, const std::vector<std::string>& todo, int connections) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    pqxx::connection c(dsn);
    pqxx::nontransaction tx(c);
    tx.exec("SET maintenance_work_mem = '256MB'");
    for (size_t i; (i = next.fetch_add(1)) < todo.size();) tx.exec(todo[i]);
  };
  std::vector<std::thread> threads;
  for (int k = 0; k < connections; ++k) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
}

void load_floor(const std::string& dsn, const std::string& schema) {
  const std::string floor = schema + "_floor";
  const std::string files = "/tmp/graphstore_floor_" + schema;
  pqxx::connection c(dsn);
  uint64_t rows = 0;
  {
    pqxx::nontransaction tx(c);
    tx.exec("COPY (SELECT " + std::string(kEntityColumns) + " FROM " + schema + ".entities) TO '" + files +
            "_entities'");
    tx.exec("COPY (SELECT " + std::string(kRelationColumns) + " FROM " + schema + ".relations) TO '" + files +
            "_relations'");
    tx.exec("DROP SCHEMA IF EXISTS " + floor + " CASCADE");
    tx.exec("CREATE SCHEMA " + floor);
    for (const char* t : {"entities", "relations"})
      tx.exec("CREATE TABLE " + floor + "." + t + " (LIKE " + schema + "." + t +
              " INCLUDING DEFAULTS INCLUDING GENERATED)");
    tx.exec("CHECKPOINT");
  }
  // Every index of the loaded tables, primary keys included, as the same
  // definitions on the floor's tables.
  std::vector<std::string> builds;
  {
    pqxx::nontransaction tx(c);
    pqxx::result r = tx.exec_params(
        "SELECT pg_get_indexdef(x.indexrelid), x.indisprimary, t.relname FROM pg_index x "
        "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = $1 AND t.relname IN ('entities', 'relations') ORDER BY pg_relation_size(x.indexrelid) DESC",
        schema);
    for (const auto& row : r) {
      if (row[1].as<bool>()) {
        builds.push_back("ALTER TABLE " + floor + "." + row[2].c_str() + " ADD PRIMARY KEY (tenant_id, id)");
        continue;
      }
      std::string def = row[0].c_str();
      std::string from = " ON " + schema + ".", to = " ON " + floor + ".";
      def.replace(def.find(from), from.size(), to);
      builds.push_back(def);
    }
  }
  auto t0 = Clock::now();
  {
    pqxx::nontransaction tx(c);
    tx.exec("COPY " + floor + ".entities (" + kEntityColumns + ") FROM '" + files + "_entities'");
    rows += tx.exec("SELECT count(*) FROM " + floor + ".entities")[0][0].as<uint64_t>();
  }
  double entities_s = seconds(t0);
  {
    pqxx::nontransaction tx(c);
    tx.exec("COPY " + floor + ".relations (" + kRelationColumns + ") FROM '" + files + "_relations'");
  }
  double copy_s = seconds(t0);
  build_all(dsn, builds, 2);
  double built_s = seconds(t0);
  {
    pqxx::nontransaction tx(c);
    tx.exec("ANALYZE " + floor + ".entities, " + floor + ".relations");
    rows += tx.exec("SELECT count(*) FROM " + floor + ".relations")[0][0].as<uint64_t>();
  }
  double total_s = seconds(t0);
  std::printf(
      "load floor: %llu rows: COPY %.1f s (entities %.1f s), %zu index builds %.1f s, ANALYZE %.1f s; total %.1f "
      "s, %.0f rows/s\n",
      static_cast<unsigned long long>(rows), copy_s, entities_s, builds.size(), built_s - copy_s, total_s - built_s,
      total_s, double(rows) / total_s);
  pqxx::nontransaction tx(c);
  tx.exec("DROP SCHEMA " + floor + " CASCADE");
  std::remove((files + "_entities").c_str());
  std::remove((files + "_relations").c_str());
}

void read_floors(const std::string& dsn, const std::string& schema, uint64_t samples) {
  pqxx::connection c(dsn);
  uint64_t n_entities = 0;
  {
    pqxx::nontransaction tx(c);
    n_entities = tx.exec("SELECT count(*) FROM " + schema + ".entities")[0][0].as<uint64_t>();
  }
  graphstore::workload::Rng pick(7);
  std::vector<std::string> ids;
  for (uint64_t i = 0; i < samples; ++i) ids.push_back(id_of('e', pick.below(n_entities)));
  const std::string e_cols = "e.id, e.entity_type, e.properties, e.embedding, e.created_at, e.updated_at, e.source";
  const std::string r_cols =
      "r.id, r.relation_type, r.source_id, r.target_id, r.properties, r.weight, r.created_at, r.updated_at, r.source";
  c.prepare("get", "SELECT " + e_cols + " FROM " + schema + ".entities e WHERE e.tenant_id = $1 AND e.id = $2");
  for (auto [name, mine, other] : {std::tuple{"adj_out", "source_id", "target_id"}, {"adj_in", "target_id", "source_id"}})
    c.prepare(name, "SELECT " + r_cols + ", " + e_cols + " FROM " + schema + ".relations r JOIN " + schema +
                        ".entities e ON e.tenant_id = r.tenant_id AND e.id = r." + other +
                        " WHERE r.tenant_id = $1 AND r." + mine + " = $2 ORDER BY r.id");
  size_t rows = 0;
  auto timed = [&](const char* statement) {
    std::vector<double> us;
    for (int pass = 0; pass < 2; ++pass) {
      us.clear();
      for (const auto& id : ids) {
        auto t = Clock::now();
        pqxx::nontransaction tx(c);
        rows += tx.exec_prepared(statement, "", id).size();
        us.push_back(seconds(t) * 1e6);
      }
    }
    return median(us);
  };
  double get_us = timed("get");
  rows = 0;
  double out_us = timed("adj_out");
  double out_rows = double(rows) / double(2 * samples);
  rows = 0;
  double in_us = timed("adj_in");
  double in_rows = double(rows) / double(2 * samples);
  std::printf(
      "read floors over %llu random ids: raw prepared point read median %.2f us; raw adjacency read median %.2f "
      "us out (%.2f rows), %.2f us in (%.2f rows)\n",
      static_cast<unsigned long long>(samples), get_us, out_us, out_rows, in_us, in_rows);
  pqxx::nontransaction tx(c);
  for (const char* statement : {"get", "adj_out", "adj_in"}) {
    std::printf("plan of the %s read:\n", statement);
    for (const auto& row : tx.exec("EXPLAIN EXECUTE " + std::string(statement) + "('', '" + ids[0] + "')"))
      std::printf("  %s\n", row[0].c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: postgres_scale_floors PORT SCHEMA [--samples N] [--reads-only]\n");
    return 2;
  }
  std::string dsn = std::string("host=127.0.0.1 port=") + argv[1] + " user=postgres dbname=graphstore";
  std::string schema = argv[2];
  uint64_t samples = 20000;
  bool reads_only = false;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--samples" && i + 1 < argc)
      samples = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--reads-only")
      reads_only = true;
    else {
      std::fprintf(stderr, "postgres_scale_floors: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  try {
    if (!reads_only) load_floor(dsn, schema);
    if (samples > 0) read_floors(dsn, schema, samples);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "postgres_scale_floors: %s\n", e.what());
    return 1;
  }
  return 0;
}
