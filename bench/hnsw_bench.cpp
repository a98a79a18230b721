// hnsw_bench: the HNSW index of plugins/hnsw on its own, beside an exact scan
// and (when built with hnswlib's headers) hnswlib 0.6.2 on the same vectors:
// build time on N threads, memory, and per ef_search recall@k against the
// exact top k and the median query time, unfiltered and with a type filter
// keeping 1/types of the vectors. Vectors come from bench/vectors/make_vectors.py.
//
//   hnsw_bench --data /tmp/vec --n 1000000 --queries 200 --threads 2 --ef 32,64,128 [--hnswlib]
//
// Recall counts how many of the exact top k (by sdk::cosine_similarity, ties
// by key) the index's top k holds, averaged over the queries.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "graphstore/scoring.hpp"
#include "vectors/vector_file.hpp"
#include "hnsw_index.hpp"
#ifdef GRAPHSTORE_BENCH_HNSWLIB
#include <hnswlib/hnswlib.h>
#endif

namespace {

using graphstore::bench::Clock;
using graphstore::bench::median;
using graphstore::bench::read_vectors;
using graphstore::bench::seconds_since;
using graphstore::bench::Vectors;

size_t peak_rss_kib() {
  std::ifstream s("/proc/self/status");
  std::string line;
  while (std::getline(s, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6));
  return 0;
}

std::vector<uint32_t> parse_list(const std::string& s) {
  std::vector<uint32_t> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(',', pos);
    out.push_back(uint32_t(std::stoul(s.substr(pos, end - pos))));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

// The exact top k of q among base rows whose tag matches (tag < 0: all).
std::vector<uint64_t> exact_top(const Vectors& base, const float* q, uint32_t k, int tag, uint32_t types) {
  std::vector<std::pair<double, uint64_t>> hits;
  hits.reserve(base.n);
  for (uint32_t i = 0; i < base.n; ++i)
    if (tag < 0 || int(i % types) == tag) hits.emplace_back(-graphstore::sdk::cosine_similarity(q, base.row(i), base.dim), i);
  size_t keep = std::min<size_t>(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + keep, hits.end());
  std::vector<uint64_t> out;
  for (size_t i = 0; i < keep; ++i) out.push_back(hits[i].second);
  return out;
}

double overlap(const std::vector<uint64_t>& truth, const std::vector<uint64_t>& got) {
  size_t hit = 0;
  for (uint64_t t : truth) hit += std::find(got.begin(), got.end(), t) != got.end();
  return truth.empty() ? 1.0 : double(hit) / double(truth.size());
}

int run(int argc, char** argv) {
  std::string data = "/tmp/vec";
  size_t n = 1000000, nq = 200;
  unsigned threads = 2;
  uint32_t k = 10, types = 10, m = 16, efc = 100;
  std::vector<uint32_t> efs = {32, 64, 128};
  bool with_hnswlib = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return std::string(i + 1 < argc ? argv[++i] : ""); };
    if (a == "--data") data = next();
    else if (a == "--n") n = std::stoul(next());
    else if (a == "--queries") nq = std::stoul(next());
    else if (a == "--threads") threads = unsigned(std::stoul(next()));
    else if (a == "--k") k = uint32_t(std::stoul(next()));
    else if (a == "--types") types = uint32_t(std::stoul(next()));
    else if (a == "--m") m = uint32_t(std::stoul(next()));
    else if (a == "--efc") efc = uint32_t(std::stoul(next()));
    else if (a == "--ef") efs = parse_list(next());
    else if (a == "--hnswlib") with_hnswlib = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  Vectors base = read_vectors(data + "/base.f32", n);
  Vectors queries = read_vectors(data + "/queries.f32", nq);
  std::printf("vectors %u x %u, queries %u, k %u, filter keeps 1/%u, m %u, ef_construction %u, threads %u\n", base.n,
              base.dim, queries.n, k, types, m, efc, threads);

  // Ground truth and the exact scan's cost, on one thread.
  std::vector<std::vector<uint64_t>> truth(queries.n), truth_f(queries.n);
  std::vector<double> scan_ms;
  for (uint32_t q = 0; q < queries.n; ++q) {
    auto t = Clock::now();
    truth[q] = exact_top(base, queries.row(q), k, -1, types);
    scan_ms.push_back(seconds_since(t) * 1e3);
    truth_f[q] = exact_top(base, queries.row(q), k, 0, types);
  }
  double scan = median(scan_ms);
  std::printf("exact scan: median %.2f ms per query\n", scan);

  graphstore::hnsw::Params p;
  p.m = m;
  p.ef_construction = efc;
  graphstore::hnsw::Index index(base.dim, p);
  std::vector<uint64_t> keys(base.n);
  std::vector<uint32_t> tags(base.n);
  std::vector<const float*> rows(base.n);
  for (uint32_t i = 0; i < base.n; ++i) {
    keys[i] = i;
    tags[i] = i % types;
    rows[i] = base.row(i);
  }
  size_t rss0 = peak_rss_kib();
  auto t0 = Clock::now();
  index.insert_batch(keys.data(), tags.data(), rows.data(), base.n, threads);
  double build = seconds_since(t0);
  double raw_mb = double(base.n) * base.dim * sizeof(float) / 1048576.0;
  std::printf("graphstore hnsw: build %.1f s, index %.1f MB = %.2fx the raw vectors (%.1f MB), peak RSS +%.1f MB\n",
              build, index.memory_bytes() / 1048576.0, index.memory_bytes() / 1048576.0 / raw_mb, raw_mb,
              (peak_rss_kib() - rss0) / 1024.0);
  std::vector<graphstore::hnsw::Candidate> found;
  for (uint32_t ef : efs) {
    for (int filtered = 0; filtered < 2; ++filtered) {
      std::vector<double> ms, recall;
      size_t fewest = SIZE_MAX;
      for (uint32_t q = 0; q < queries.n; ++q) {
        auto t = Clock::now();
        index.search(queries.row(q), k, ef, filtered ? 0 : graphstore::hnsw::kAnyTag, &found);
        // What a store does next: rescore the candidates exactly, keep k.
        std::vector<std::pair<double, uint64_t>> scored;
        for (const auto& c : found)
          scored.emplace_back(-graphstore::sdk::cosine_similarity(queries.row(q), index.vector(c.node), base.dim),
                              index.key(c.node));
        size_t keep = std::min<size_t>(k, scored.size());
        std::partial_sort(scored.begin(), scored.begin() + keep, scored.end());
        ms.push_back(seconds_since(t) * 1e3);
        std::vector<uint64_t> got;
        for (size_t i = 0; i < keep; ++i) got.push_back(scored[i].second);
        fewest = std::min(fewest, got.size());
        recall.push_back(overlap(filtered ? truth_f[q] : truth[q], got));
      }
      double r = std::accumulate(recall.begin(), recall.end(), 0.0) / double(recall.size());
      std::printf("  ef %4u %-10s recall@%u %.4f, median %.3f ms (%.0fx faster than the scan), fewest results %zu\n",
                  ef, filtered ? "filtered" : "any type", k, r, median(ms), scan / median(ms), fewest);
    }
  }

#ifdef GRAPHSTORE_BENCH_HNSWLIB
  if (with_hnswlib) {
    // hnswlib 0.6.2 has no cosine space: inner product on unit vectors is the
    // same ranking, so it gets normalised copies (which we do not count).
    std::vector<float> unit(base.data);
    for (uint32_t i = 0; i < base.n; ++i) {
      float* r = unit.data() + size_t(i) * base.dim;
      double s = 0;
      for (uint32_t d = 0; d < base.dim; ++d) s += double(r[d]) * r[d];
      float inv = s > 0 ? float(1 / std::sqrt(s)) : 0.f;
      for (uint32_t d = 0; d < base.dim; ++d) r[d] *= inv;
    }
    hnswlib::InnerProductSpace space(base.dim);
    size_t rss1 = peak_rss_kib();
    hnswlib::HierarchicalNSW<float> h(&space, base.n, m, efc, 100);
    auto t1 = Clock::now();
    std::atomic<size_t> cursor{0};
    auto work = [&] {
      for (size_t i; (i = cursor.fetch_add(1)) < base.n;) h.addPoint(unit.data() + i * base.dim, i);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    double hb = seconds_since(t1);
    std::printf("hnswlib 0.6.2: build %.1f s, peak RSS +%.1f MB (index and its own vector copy)\n", hb,
                (peak_rss_kib() - rss1) / 1024.0);
    for (uint32_t ef : efs) {
      h.setEf(ef);
      std::vector<double> ms, recall;
      for (uint32_t q = 0; q < queries.n; ++q) {
        std::vector<float> uq(queries.row(q), queries.row(q) + base.dim);
        auto t = Clock::now();
        auto res = h.searchKnn(uq.data(), k);
        ms.push_back(seconds_since(t) * 1e3);
        std::vector<uint64_t> got;
        while (!res.empty()) {
          got.push_back(res.top().second);
          res.pop();
        }
        recall.push_back(overlap(truth[q], got));
      }
      double r = std::accumulate(recall.begin(), recall.end(), 0.0) / double(recall.size());
      std::printf("  ef %4u any type   recall@%u %.4f, median %.3f ms (no filter in 0.6.2)\n", ef, k, r, median(ms));
    }
  }
#endif
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return graphstore::bench::guarded_main("hnsw_bench", run, argc, argv); }
