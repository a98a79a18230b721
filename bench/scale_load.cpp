// graphstore_scale: builds a large graph through the full path (Registry ->
// Store -> ABI -> plugin, add_*_bulk in batches) and then times point reads
// on it: the median of get_entity and of 1-hop out-neighbours over random
// ids. Not a test; bench/README.md has the commands and figures.
//
//   graphstore_scale --backend sqlite --options '{"path": "/tmp/big.db"}'
//       --entities 10000000 --relations 30000000 [--batch 100000] [--samples 20000]
//   graphstore_scale ... --reads-only      (time reads on a file built before)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
#include "workload.hpp"

namespace {

using graphstore::BulkResult;
using graphstore::Entity;
using graphstore::Relation;
using graphstore::Status;
using Clock = std::chrono::steady_clock;

constexpr const char* kTypes[] = {"Person", "Company", "Paper", "Topic"};
constexpr const char* kRelationTypes[] = {"KNOWS", "CITES", "WORKS_FOR"};
constexpr const char* kWords[] = {"graph", "storage", "vector", "search", "plugin", "query",
                                  "index", "tenant",  "path",   "batch",  "node",   "edge"};

std::string id_of(char prefix, uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%010llu", prefix, static_cast<unsigned long long>(i));
  return buf;
}

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int fail(const std::string& what, const Status& s) {
  std::cerr << "graphstore_scale: " << what << ": " << s.to_string() << "\n";
  return 1;
}

// Resident and peak resident memory of this process, in MB (/proc/self/status).
std::string memory_mb() {
  std::ifstream status("/proc/self/status");
  std::string out;
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0 || line.rfind("VmHWM:", 0) == 0)
      out += line.substr(0, 6) + " " + std::to_string(std::stoll(line.substr(6)) / 1024) + " MB  ";
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string backend = "sqlite", options = R"({"path": "graphstore_scale.db"})";
  uint64_t n_entities = 1000000, n_relations = 3000000, batch = 100000, samples = 20000;
  bool reads_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--backend")
      backend = next();
    else if (a == "--options")
      options = next();
    else if (a == "--entities")
      n_entities = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--relations")
      n_relations = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--batch")
      batch = std::max<uint64_t>(1, std::strtoull(next().c_str(), nullptr, 10));
    else if (a == "--samples")
      samples = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--reads-only")
      reads_only = true;
    else {
      std::cerr << "usage: graphstore_scale [--backend ID] [--options JSON] [--entities N] [--relations M]\n"
                   "                        [--batch B] [--samples S] [--reads-only]\n";
      return 2;
    }
  }
  // Relations join two distinct random entities, and reads pick random ones.
  if (n_entities < 2 && (n_relations > 0 || samples > 0)) {
    std::cerr << "graphstore_scale: --entities must be at least 2 for relations and reads (or pass --relations 0 "
                 "--samples 0)\n";
    return 2;
  }
  graphstore::Registry registry;
  std::unique_ptr<graphstore::Store> store;
  if (Status s = registry.open(backend, options, &store); !s.ok()) return fail("open", s);
  std::cout << "backend " << backend << " " << options << ": " << n_entities << " entities, " << n_relations
            << " relations, batches of " << batch << "\n"
            << std::flush;

  graphstore::workload::Rng rng(42);
  if (!reads_only) {
    // The store's time is summed over the add_*_bulk calls alone, so that
    // generating the rows (string formatting) does not count as loading them.
    double in_store_s = 0;
    auto timed = [&in_store_s](auto&& call) {
      auto t = Clock::now();
      Status s = call();
      in_store_s += seconds(t);
      return s;
    };
    auto t0 = Clock::now();
    std::vector<Entity> entities;
    for (uint64_t start = 0; start < n_entities; start += batch) {
      uint64_t end = std::min(n_entities, start + batch);
      entities.assign(end - start, Entity{});
      for (uint64_t i = start; i < end; ++i) {
        Entity& e = entities[i - start];
        e.id = id_of('e', i);
        e.entity_type = kTypes[i % 4];
        e.properties = "{\"name\":\"item " + std::to_string(i) + "\",\"description\":\"" + kWords[rng.below(12)] + " " +
                       kWords[rng.below(12)] + "\",\"rank\":" + std::to_string(rng.below(1000)) + "}";
      }
      BulkResult r;
      if (Status s = timed([&] { return store->add_entities_bulk("", entities, &r); }); !s.ok())
        return fail("entities", s);
      if (r.added != entities.size()) return fail("entities", graphstore::Internal("items were skipped"));
      if ((end / batch) % 10 == 0 || end == n_entities)
        std::cout << "  entities " << end << "  " << uint64_t(double(end) / seconds(t0)) << " rows/s\n" << std::flush;
    }
    double entity_s = seconds(t0), entity_store_s = in_store_s;
    auto t1 = Clock::now();
    std::vector<Relation> relations;
    for (uint64_t start = 0; start < n_relations; start += batch) {
      uint64_t end = std::min(n_relations, start + batch);
      relations.assign(end - start, Relation{});
      for (uint64_t i = start; i < end; ++i) {
        Relation& r = relations[i - start];
        uint64_t src = rng.below(n_entities), dst = rng.below(n_entities - 1);
        if (dst >= src) ++dst;
        r.id = id_of('r', i);
        r.relation_type = kRelationTypes[i % 3];
        r.source_id = id_of('e', src);
        r.target_id = id_of('e', dst);
        r.properties = "{}";
        r.weight = double(rng.below(100) + 1) / 100.0;
      }
      BulkResult r;
      if (Status s = timed([&] { return store->add_relations_bulk("", relations, &r); }); !s.ok())
        return fail("relations", s);
      if (r.added != relations.size()) return fail("relations", graphstore::Internal("items were skipped"));
      if ((end / batch) % 10 == 0 || end == n_relations)
        std::cout << "  relations " << end << "  " << uint64_t(double(end) / seconds(t1)) << " rows/s\n" << std::flush;
    }
    double relation_s = seconds(t1);
    double total = entity_s + relation_s;
    std::printf("build: %.1f s (entities %.1f s, %.0f rows/s; relations %.1f s, %.0f rows/s); overall %.0f rows/s\n",
                total, entity_s, double(n_entities) / entity_s, relation_s, double(n_relations) / relation_s,
                double(n_entities + n_relations) / total);
    std::printf("in the store (add_*_bulk calls alone): %.2f s, %.0f rows/s (entities %.2f s, relations %.2f s)\n",
                in_store_s, double(n_entities + n_relations) / in_store_s, entity_store_s, in_store_s - entity_store_s);
    std::printf("memory after build: %s\n", memory_mb().c_str());
  }

  if (samples == 0) return 0;
  // Reads on random ids: a warm-up pass, then the timed one.
  graphstore::workload::Rng pick(7);
  std::vector<std::string> ids;
  for (uint64_t i = 0; i < samples; ++i) ids.push_back(id_of('e', pick.below(n_entities)));
  Entity e;
  std::vector<graphstore::Neighbor> out;
  {
    // The sqlite plugin builds the relation indexes a bulk load left out here.
    auto t = Clock::now();
    if (Status s = store->get_neighbors("", ids[0], graphstore::Direction::kOut, "", &out); !s.ok())
      return fail("get_neighbors " + ids[0], s);
    std::printf("first 1-hop call (builds any index the load left to build): %.2f s\n", seconds(t));
  }
  std::vector<double> get_us, neighbors_us;
  size_t neighbours_seen = 0;
  for (int pass = 0; pass < 2; ++pass) {
    get_us.clear();
    neighbors_us.clear();
    for (const auto& id : ids) {
      auto t = Clock::now();
      if (Status s = store->get_entity("", id, &e); !s.ok()) return fail("get_entity " + id, s);
      get_us.push_back(seconds(t) * 1e6);
    }
    for (const auto& id : ids) {
      auto t = Clock::now();
      if (Status s = store->get_neighbors("", id, graphstore::Direction::kOut, "", &out); !s.ok())
        return fail("get_neighbors " + id, s);
      neighbors_us.push_back(seconds(t) * 1e6);
      neighbours_seen += out.size();
    }
  }
  std::printf(
      "reads over %llu random ids: get_entity median %.2f us; 1-hop out-neighbours median %.2f us (%.2f per "
      "call)\n",
      static_cast<unsigned long long>(samples), median(get_us), median(neighbors_us),
      double(neighbours_seen) / double(2 * samples));
  return 0;
}
