// graphstore_vector_bench: vector search through a store (Registry -> Store
// -> ABI -> plugin) with `vector_index: hnsw`, beside the same store's exact
// scan (`exact = true`) in the same run. Vectors come from
// bench/vectors/make_vectors.py; entity i gets type "t<i % types>", so a
// type filter keeps 1/types of them.
//
//   graphstore_vector_bench --backend inmemory --data /tmp/vec
//   graphstore_vector_bench --backend sqlite --path /tmp/v.db --data /tmp/vec [--reopen-only]
//
// Reports: the load (bulk adds in batches of 100,000, index linking
// included), recall@k of the index against the exact scan and the median
// query time of each, unfiltered and filtered, the fewest results a filtered
// search returned, the index's bytes (the store's gauge). With sqlite, the
// store is then closed (saving its index) and reopened: the time until the
// first search has answered. --reopen-only skips the load and measures the
// reopen of an existing file.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"
#include "vectors/vector_file.hpp"

namespace {

using graphstore::bench::Clock;
using graphstore::bench::median;
using graphstore::bench::read_vectors;
using graphstore::bench::seconds_since;
using graphstore::bench::Vectors;

void die(const graphstore::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.to_string().c_str());
  std::exit(1);
}

double gauge(graphstore::Store& s, const std::string& name) {
  std::string text;
  die(s.metrics_text(&text), "metrics");
  // The sample line: `graphstore_<name>{backend="..."} value` (HELP and
  // TYPE lines name it without the brace).
  size_t at = text.find(name + "{");
  if (at == std::string::npos) return 0;
  size_t space = text.find("} ", at) + 1;
  return std::stod(text.substr(space + 1));
}

int run(int argc, char** argv) {
  std::string backend = "inmemory", path = "/tmp/graphstore_vector_bench.db", data = "/tmp/vec";
  size_t n = 1000000, nq = 200;
  uint32_t k = 10, types = 10;
  std::string extra;
  bool reopen_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return std::string(i + 1 < argc ? argv[++i] : ""); };
    if (a == "--backend") backend = next();
    else if (a == "--path") path = next();
    else if (a == "--data") data = next();
    else if (a == "--n") n = std::stoul(next());
    else if (a == "--queries") nq = std::stoul(next());
    else if (a == "--k") k = uint32_t(std::stoul(next()));
    else if (a == "--types") types = uint32_t(std::stoul(next()));
    else if (a == "--options") extra = next();  // more JSON members, e.g. "hnsw_ef_search": 64
    else if (a == "--reopen-only") reopen_only = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  Vectors queries = read_vectors(data + "/queries.f32", nq);
  std::string options = R"({"vector_index": "hnsw")";
  if (backend == "sqlite") options += R"(, "path": ")" + path + "\"";
  if (!extra.empty()) options += ", " + extra;
  options += "}";
  graphstore::Registry registry({GRAPHSTORE_PLUGIN_DIR});
  auto query = [&](graphstore::Store& s, size_t q, const std::string& type, bool exact,
                   std::vector<graphstore::ScoredEntity>* out) {
    graphstore::VectorQuery vq;
    vq.vector.assign(queries.data.begin() + q * queries.dim, queries.data.begin() + (q + 1) * queries.dim);
    vq.k = k;
    vq.entity_type = type;
    vq.exact = exact;
    die(s.vector_search("", vq, out), "vector_search");
  };

  if (!reopen_only) {
    if (backend == "sqlite") {
      for (const char* suffix : {"", "-wal", "-shm", ".vectors"}) std::remove((path + suffix).c_str());
    }
    Vectors base = read_vectors(data + "/base.f32", n);
    std::printf("%s: %u x %u vectors, %u queries, k %u, filter keeps 1/%u, options %s\n", backend.c_str(), base.n,
                base.dim, queries.n, k, types, options.c_str());
    std::unique_ptr<graphstore::Store> s;
    die(registry.open(backend, options, &s), "open");
    auto t0 = Clock::now();
    constexpr size_t kBatch = 100000;
    for (size_t lo = 0; lo < base.n; lo += kBatch) {
      std::vector<graphstore::Entity> batch;
      for (size_t i = lo; i < std::min<size_t>(base.n, lo + kBatch); ++i) {
        graphstore::Entity e;
        e.id = "e" + std::to_string(i);
        e.entity_type = "t" + std::to_string(i % types);
        e.embedding.assign(base.data.begin() + i * base.dim, base.data.begin() + (i + 1) * base.dim);
        batch.push_back(std::move(e));
      }
      graphstore::BulkResult r;
      die(s->add_entities_bulk("", batch, &r), "add_entities_bulk");
    }
    double load = seconds_since(t0);
    // The first search brings a store that deferred its index in step.
    std::vector<graphstore::ScoredEntity> out;
    auto t1 = Clock::now();
    query(*s, 0, "", false, &out);
    double first = seconds_since(t1);
    double bytes = gauge(*s, "vector_index_bytes");
    double raw = double(base.n) * base.dim * sizeof(float);
    std::printf("load %.1f s (%.0f vectors/s), first search %.3f s, index %.1f MB = %.2fx the raw vectors\n", load,
                base.n / load, first, bytes / 1048576.0, bytes / raw);
    base.data.clear();
    base.data.shrink_to_fit();
    for (int filtered = 0; filtered < 2; ++filtered) {
      std::string type = filtered ? "t0" : "";
      std::vector<double> exact_ms, approx_ms, recall;
      size_t fewest = SIZE_MAX;
      for (size_t q = 0; q < queries.n; ++q) {
        std::vector<graphstore::ScoredEntity> exact, approx;
        auto t = Clock::now();
        query(*s, q, type, true, &exact);
        exact_ms.push_back(seconds_since(t) * 1e3);
        t = Clock::now();
        query(*s, q, type, false, &approx);
        approx_ms.push_back(seconds_since(t) * 1e3);
        size_t hit = 0;
        for (const auto& a : approx)
          for (const auto& e : exact) hit += a.entity.id == e.entity.id;
        recall.push_back(exact.empty() ? 1.0 : double(hit) / double(exact.size()));
        fewest = std::min(fewest, approx.size());
      }
      double r = 0;
      for (double x : recall) r += x;
      r /= double(recall.size());
      std::printf("  %-9s recall@%u %.4f; index median %.3f ms, exact scan median %.2f ms: %.0fx; fewest results %zu\n",
                  filtered ? "filtered" : "any type", k, r, median(approx_ms), median(exact_ms),
                  median(exact_ms) / median(approx_ms), fewest);
    }
  }
  if (backend == "sqlite") {
    auto t = Clock::now();
    std::unique_ptr<graphstore::Store> s;
    die(registry.open(backend, options, &s), "reopen");
    std::vector<graphstore::ScoredEntity> out;
    query(*s, 1, "", false, &out);
    double ready = seconds_since(t);
    std::vector<std::pair<std::string, std::string>> state;
    die(s->state(&state), "state");
    std::string origin;
    for (auto& [key, value] : state)
      if (key == "vector_index_origin") origin = value;
    std::printf("reopen: ready (open + first search) in %.2f s; index %s\n", ready, origin.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return graphstore::bench::guarded_main("graphstore_vector_bench", run, argc, argv); }
