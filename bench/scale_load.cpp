// graphstore_scale: builds a large graph through the full path (Registry ->
// Store -> ABI -> plugin, add_*_bulk in batches), reports the load with and
// without the first read (which builds any index the load left out), the
// peak resident memory, and then times reads on it: medians of get_entity
// and of 1-hop neighbours each way over random ids, and over 200 of them
// traverse depth 3, find_paths depth 5 and a rare-term text search. Not a
// test; bench/README.md has the commands and figures.
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
  double load_s = 0;  // the adds' wall time, when this run loaded
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
    load_s = total;
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
    // Plugins that left indexes out of the load (sqlite, postgres) build
    // them here: part of the load's cost.
    auto t = Clock::now();
    if (Status s = store->get_neighbors("", ids[0], graphstore::Direction::kOut, "", &out); !s.ok())
      return fail("get_neighbors " + ids[0], s);
    double first = seconds(t);
    std::printf("first 1-hop call (builds any index the load left to build): %.2f s\n", first);
    if (load_s > 0)
      std::printf("load including that build: %.1f s, %.0f rows/s\n", load_s + first,
                  double(n_entities + n_relations) / (load_s + first));
  }
  // Median microseconds of fn over the ids, after one untimed pass.
  size_t seen = 0;
  auto timed_median = [&](auto&& fn) -> double {
    std::vector<double> us;
    for (int pass = 0; pass < 2; ++pass) {
      us.clear();
      for (const auto& id : ids) {
        auto t = Clock::now();
        seen += fn(id);
        us.push_back(seconds(t) * 1e6);
      }
    }
    return median(us);
  };
  Status failed;
  auto check = [&failed](const Status& s) {
    if (!s.ok() && failed.ok()) failed = s;
  };
  double get_us = timed_median([&](const std::string& id) {
    check(store->get_entity("", id, &e));
    return size_t(1);
  });
  seen = 0;
  double out_us = timed_median([&](const std::string& id) {
    check(store->get_neighbors("", id, graphstore::Direction::kOut, "", &out));
    return out.size();
  });
  double out_per_call = double(seen) / double(2 * samples);
  seen = 0;
  double in_us = timed_median([&](const std::string& id) {
    check(store->get_neighbors("", id, graphstore::Direction::kIn, "", &out));
    return out.size();
  });
  double in_per_call = double(seen) / double(2 * samples);
  if (!failed.ok()) return fail("reads", failed);
  std::printf(
      "reads over %llu random ids: get_entity median %.2f us; 1-hop neighbours median %.2f us out (%.2f per "
      "call), %.2f us in (%.2f per call)\n",
      static_cast<unsigned long long>(samples), get_us, out_us, out_per_call, in_us, in_per_call);

  // Graph queries on fewer starts: traverse depth 3 (max 1,000 results),
  // find_paths depth 5 (max 10 paths) to a target 3 hops out along a random
  // walk (so a path exists), and BM25 text search for one entity's number (a
  // rare term: every description word is in a twelfth of the graph).
  std::vector<std::string> few(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), 200));
  graphstore::TraverseOptions to;
  to.max_depth = 3;
  graphstore::TraverseResult tr;
  seen = 0;
  std::swap(ids, few);
  double traverse_us = timed_median([&](const std::string& id) {
    check(store->traverse("", id, to, &tr));
    return tr.hits.size();
  });
  double traverse_hits = double(seen) / double(2 * ids.size());
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& id : ids) {
    std::string at = id;
    for (int hop = 0; hop < 3; ++hop) {
      check(store->get_neighbors("", at, graphstore::Direction::kOut, "", &out));
      if (out.empty()) break;
      at = out[pick.below(out.size())].entity.id;
    }
    if (at != id) pairs.emplace_back(id, at);
  }
  graphstore::PathOptions po;
  graphstore::PathResult pr;
  std::vector<double> path_us;
  size_t paths = 0;
  for (int pass = 0; pass < 2; ++pass) {
    path_us.clear();
    for (const auto& [from, to_id] : pairs) {
      auto t = Clock::now();
      check(store->find_paths("", from, to_id, po, &pr));
      path_us.push_back(seconds(t) * 1e6);
      paths += pr.paths.size();
    }
  }
  std::vector<graphstore::ScoredEntity> scored;
  seen = 0;
  double text_us = timed_median([&](const std::string& id) {
    graphstore::TextQuery q;
    q.text = std::to_string(std::strtoull(id.c_str() + 1, nullptr, 10));
    check(store->text_search("", q, &scored));
    return scored.size();
  });
  double text_hits = double(seen) / double(2 * ids.size());
  if (!failed.ok()) return fail("graph queries", failed);
  std::printf(
      "over %zu starts: traverse depth 3 median %.2f ms (%.1f hits); find_paths depth 5 median %.2f ms over %zu "
      "connected pairs (%.1f paths); text_search of a rare term median %.2f ms (%.1f hits)\n",
      ids.size(), traverse_us / 1000, traverse_hits, median(path_us) / 1000, pairs.size(),
      double(paths) / double(std::max<size_t>(1, 2 * pairs.size())), text_us / 1000, text_hits);
  std::printf("memory at the end: %s\n", memory_mb().c_str());
  return 0;
}
