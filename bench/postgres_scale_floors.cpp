// postgres_scale_floors: the server's own cost for a graph graphstore_scale
// loaded into PostgreSQL, with the plugin out of the way, to set beside
// graphstore_scale's figures (bench/README.md). Not a test.
//
//   postgres_scale_floors PORT SCHEMA [--samples N] [--reads-only] [--endpoint-floor BATCH]
//
// Load floor: the loaded rows are written to server-side files (COPY TO),
// then COPYed FROM those files into bare copies of the tables in
// SCHEMA_floor (no index), and the schema's indexes (their definitions read
// from SCHEMA) are built after, two at a time as the plugin builds the ones a
// load defers, with the same maintenance_work_mem (256 MB), then ANALYZE:
// the least the server can do to hold the same rows with the same indexes.
// --endpoint-floor BATCH adds the server's cost of the check the plugin makes
// that a COPY does not: every relation's endpoints counted against the
// entities' primary key, batch by batch (endpoint_floor below).
//
// Read floors, over the same random ids as graphstore_scale (its Rng(7)):
// a raw prepared point read of the entity columns the plugin reads, and a
// raw prepared adjacency read (each relation of the entity with the entity at
// its other end, the rows the plugin's get_neighbors returns), each way,
// taking turns id by id with the plugin's get_entity and get_neighbors
// through the full path, so that the ratios come from one run on one
// machine state; medians of the second of two passes. The plans of the raw
// statements are printed (EXPLAIN).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
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

// The server's cost of checking the endpoints of every relation batch the
// way the plugin's loads do (one count of a batch's distinct endpoints
// against the entities' primary key, the same prepared statement), one
// batch of `batch` relations at a time in id order, as graphstore_scale
// loaded them. Fetching each batch's endpoints is not timed.
void endpoint_floor(const std::string& dsn, const std::string& schema, uint64_t batch) {
  pqxx::connection c(dsn);
  c.prepare("count", "SELECT count(*) FROM " + schema + ".entities WHERE tenant_id = $1 AND id = ANY($2::text[])");
  c.prepare("page", "SELECT id, source_id, target_id FROM " + schema +
                        ".relations WHERE tenant_id = '' AND id > $1 ORDER BY id LIMIT $2");
  std::string last;
  double counting = 0;
  uint64_t relations = 0, batches = 0;
  for (;;) {
    std::vector<std::string> endpoints;
    {
      pqxx::nontransaction tx(c);
      pqxx::result r = tx.exec_prepared("page", last, batch);
      if (r.empty()) break;
      for (const auto& row : r) {
        endpoints.emplace_back(row[1].c_str());
        endpoints.emplace_back(row[2].c_str());
      }
      last = r[r.size() - 1][0].c_str();
      relations += r.size();
    }
    std::sort(endpoints.begin(), endpoints.end());
    endpoints.erase(std::unique(endpoints.begin(), endpoints.end()), endpoints.end());
    std::string array = "{";
    for (size_t i = 0; i < endpoints.size(); ++i) array += (i ? ",\"" : "\"") + endpoints[i] + "\"";
    array += "}";
    auto t = Clock::now();
    pqxx::nontransaction tx(c);
    uint64_t found = tx.exec_prepared("count", "", array)[0][0].as<uint64_t>();
    counting += seconds(t);
    ++batches;
    if (found != endpoints.size()) throw std::runtime_error("a batch has endpoints that are not stored");
  }
  std::printf("endpoint check floor: %llu relations in %llu batches of %llu: %.1f s counting (%.0f ms a batch)\n",
              static_cast<unsigned long long>(relations), static_cast<unsigned long long>(batches),
              static_cast<unsigned long long>(batch), counting,
              counting * 1000 / double(std::max<uint64_t>(1, batches)));
}

// Median microseconds of each of fns over the ids, the fns taking turns id
// by id so that both see the same machine; the second of two passes.
std::vector<double> interleaved_medians(const std::vector<std::string>& ids,
                                        const std::vector<std::function<size_t(const std::string&)>>& fns,
                                        std::vector<double>* rows_per_call) {
  std::vector<std::vector<double>> us(fns.size());
  rows_per_call->assign(fns.size(), 0);
  for (int pass = 0; pass < 2; ++pass) {
    for (auto& v : us) v.clear();
    for (const auto& id : ids)
      for (size_t f = 0; f < fns.size(); ++f) {
        auto t = Clock::now();
        size_t rows = fns[f](id);
        us[f].push_back(seconds(t) * 1e6);
        if (pass == 1) (*rows_per_call)[f] += double(rows) / double(ids.size());
      }
  }
  std::vector<double> out;
  for (auto& v : us) out.push_back(median(v));
  return out;
}

void read_floors(const std::string& dsn, const std::string& port, const std::string& schema, uint64_t samples) {
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
  for (auto [name, mine, other] :
       {std::tuple{"adj_out", "source_id", "target_id"}, {"adj_in", "target_id", "source_id"}})
    c.prepare(name, "SELECT " + r_cols + ", " + e_cols + " FROM " + schema + ".relations r JOIN " + schema +
                        ".entities e ON e.tenant_id = r.tenant_id AND e.id = r." + other +
                        " WHERE r.tenant_id = $1 AND r." + mine + " = $2 ORDER BY r.id");
  auto raw = [&](const char* statement) {
    return [&c, statement](const std::string& id) {
      pqxx::nontransaction tx(c);
      return size_t(tx.exec_prepared(statement, "", id).size());
    };
  };
  // The plugin on the same schema, through the full path.
  graphstore::Registry registry({GRAPHSTORE_PLUGIN_DIR});
  std::unique_ptr<graphstore::Store> store;
  graphstore::Status opened =
      registry.open("postgres",
                    "{\"host\":\"127.0.0.1\",\"port\":" + port +
                        ",\"user\":\"postgres\",\"database\":\"graphstore\",\"schema\":\"" + schema + "\"}",
                    &store);
  if (!opened.ok()) throw std::runtime_error("open: " + opened.to_string());
  graphstore::Entity e;
  std::vector<graphstore::Neighbor> out;
  auto plugin_get = [&](const std::string& id) {
    if (graphstore::Status s = store->get_entity("", id, &e); !s.ok()) throw std::runtime_error(s.to_string());
    return size_t(1);
  };
  auto plugin_neighbours = [&](graphstore::Direction d) {
    return [&, d](const std::string& id) {
      if (graphstore::Status s = store->get_neighbors("", id, d, "", &out); !s.ok())
        throw std::runtime_error(s.to_string());
      return out.size();
    };
  };
  std::vector<double> rows;
  std::vector<double> get = interleaved_medians(ids, {raw("get"), plugin_get}, &rows);
  std::vector<double> out_us =
      interleaved_medians(ids, {raw("adj_out"), plugin_neighbours(graphstore::Direction::kOut)}, &rows);
  double out_rows = rows[0];
  std::vector<double> in_us =
      interleaved_medians(ids, {raw("adj_in"), plugin_neighbours(graphstore::Direction::kIn)}, &rows);
  double in_rows = rows[0];
  std::printf(
      "reads over %llu random ids, raw and plugin taking turns: get_entity %.2f us against the raw prepared point "
      "read's %.2f us (ratio %.2f); 1-hop neighbours out %.2f us against the raw adjacency read's %.2f us (ratio "
      "%.2f, %.2f rows), in %.2f us against %.2f us (ratio %.2f, %.2f rows)\n",
      static_cast<unsigned long long>(samples), get[1], get[0], get[1] / get[0], out_us[1], out_us[0],
      out_us[1] / out_us[0], out_rows, in_us[1], in_us[0], in_us[1] / in_us[0], in_rows);
  pqxx::nontransaction tx(c);
  for (const char* statement : {"get", "adj_out", "adj_in"}) {
    std::printf("plan of the raw %s read:\n", statement);
    for (const auto& row : tx.exec("EXPLAIN EXECUTE " + std::string(statement) + "('', '" + ids[0] + "')"))
      std::printf("  %s\n", row[0].c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: postgres_scale_floors PORT SCHEMA [--samples N] [--reads-only] [--endpoint-floor BATCH]\n");
    return 2;
  }
  std::string dsn = std::string("host=127.0.0.1 port=") + argv[1] + " user=postgres dbname=graphstore";
  std::string schema = argv[2];
  uint64_t samples = 20000, endpoint_batch = 0;
  bool reads_only = false;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--samples" && i + 1 < argc)
      samples = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--reads-only")
      reads_only = true;
    else if (a == "--endpoint-floor" && i + 1 < argc)
      endpoint_batch = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr, "postgres_scale_floors: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  try {
    if (endpoint_batch > 0) endpoint_floor(dsn, schema, endpoint_batch);
    if (!reads_only) load_floor(dsn, schema);
    if (samples > 0) read_floors(dsn, argv[1], schema, samples);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "postgres_scale_floors: %s\n", e.what());
    return 1;
  }
  return 0;
}
