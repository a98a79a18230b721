// inmemory_micro: direct-vtable micro-benchmarks of the inmemory plugin for
// its performance goals (no core in the path, so these bound what the full
// host -> core -> ABI -> plugin path can reach). Not a test: prints numbers.
//
//   inmemory_micro                 all benchmarks, including the 1M/5M load
//   inmemory_micro --quick         skip the 1M entities / 5M relations load
//   inmemory_micro --repeat-large  run the 1M/5M load a second time
//   inmemory_micro --large-only    only the 1M/5M load (for A/B runs)
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "graphstore/abi.h"

namespace {

using Clock = std::chrono::steady_clock;

// prefix followed by n; spelled out because g++ 12 at -O3 reports a false
// -Wrestrict on "literal" + std::to_string(n).
std::string cat(std::string prefix, long long n) {
  prefix += std::to_string(n);
  return prefix;
}

gs_str str(const std::string& s) { return gs_str{s.data(), s.size()}; }

// The plugin's descriptor, from the built .so (INMEMORY_PLUGIN_PATH), loaded
// once: the vtable is called directly, with no core in the path.
const gs_plugin_descriptor* descriptor() {
  static const gs_plugin_descriptor* d = [] {
    void* lib = dlopen(INMEMORY_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      std::fprintf(stderr, "dlopen %s: %s\n", INMEMORY_PLUGIN_PATH, dlerror());
      std::abort();
    }
    auto entry = reinterpret_cast<gs_plugin_entry_fn>(dlsym(lib, GS_PLUGIN_ENTRY_SYMBOL));
    const gs_plugin_descriptor* out = nullptr;
    char buf[512] = {0};
    gs_errbuf err{buf, sizeof buf};
    if (entry == nullptr || entry(nullptr, &out, &err) != GS_OK) {
      std::fprintf(stderr, "%s: no usable plugin entry %s\n", INMEMORY_PLUGIN_PATH, buf);
      std::abort();
    }
    return out;
  }();
  return d;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

struct Store {
  const gs_store_api* api = descriptor()->api;
  gs_store* s = nullptr;
  char buf[512] = {0};
  gs_errbuf err{buf, sizeof buf};
  Store() {
    if (api->open(nullptr, gs_str{"{}", 2}, &s, &err) != GS_OK) std::abort();
  }
  ~Store() { api->close(s); }
  void check(gs_status st, const char* what) {
    if (st != GS_OK) {
      std::fprintf(stderr, "%s failed: %d %s\n", what, st, buf);
      std::abort();
    }
  }
};

// Owned strings behind views.
struct EntityData {
  std::string id, type, props;
};
struct RelationData {
  std::string id, type, source, target, props;
};

gs_entity entity_view(const EntityData& d) {
  gs_entity e{};
  e.struct_size = sizeof e;
  e.id = str(d.id);
  e.entity_type = str(d.type);
  e.properties_json = str(d.props);
  e.created_at = e.updated_at = 1700000000000000;
  return e;
}

gs_relation relation_view(const RelationData& d) {
  gs_relation r{};
  r.struct_size = sizeof r;
  r.id = str(d.id);
  r.relation_type = str(d.type);
  r.source_id = str(d.source);
  r.target_id = str(d.target);
  r.properties_json = str(d.props);
  r.weight = 1.0;
  r.created_at = r.updated_at = 1700000000000000;
  return r;
}

const char* kEntityTypes[] = {"person", "company", "place", "product", "event"};
const char* kRelationTypes[] = {"knows", "works_at", "located_in", "buys"};

EntityData make_entity(uint64_t i) {
  return EntityData{cat("e", i), kEntityTypes[i % 5],
                    cat(cat(R"({"name":"entity )", i) + R"(","rank":)", i % 100) + "}"};
}

RelationData make_relation(uint64_t i, uint64_t source, uint64_t target) {
  return RelationData{cat("r", i), kRelationTypes[i % 4], cat("e", source), cat("e", target),
                      cat(R"({"w":)", i % 10) + "}"};
}

int32_t ignore_skip(void*, size_t, gs_status, gs_str) { return 0; }
int32_t count_entity(void* ctx, const gs_entity*) {
  ++*static_cast<uint64_t*>(ctx);
  return 0;
}
int32_t count_path(void* ctx, const gs_entity* const*, size_t, const gs_relation* const*, size_t) {
  ++*static_cast<uint64_t*>(ctx);
  return 0;
}

void bench_add_entity() {
  std::vector<EntityData> data;
  for (int i = 0; i < 1000; ++i) data.push_back(make_entity(i));
  std::vector<double> runs;
  for (int trial = 0; trial < 20; ++trial) {
    Store st;
    auto t = Clock::now();
    for (const auto& d : data) {
      gs_entity e = entity_view(d);
      st.check(st.api->add_entity(st.s, gs_str{"", 0}, &e, &st.err), "add_entity");
    }
    runs.push_back(seconds_since(t));
  }
  std::sort(runs.begin(), runs.end());
  std::printf("add_entity x1,000 (fresh store):       median %.3f ms, best %.3f ms  (goal <= 0.5 ms)\n",
              runs[runs.size() / 2] * 1e3, runs[0] * 1e3);
}

void bench_get_entity() {
  Store st;
  const int n = 100000;
  std::vector<EntityData> data;
  for (int i = 0; i < n; ++i) data.push_back(make_entity(i));
  for (const auto& d : data) {
    gs_entity e = entity_view(d);
    st.check(st.api->add_entity(st.s, gs_str{"", 0}, &e, &st.err), "add_entity");
  }
  // Keys packed in one buffer and used in order, as a caller's id would be
  // hot in its cache: only the store's own memory accesses are measured.
  std::mt19937 rng(7);
  std::string pool;
  std::vector<std::pair<size_t, size_t>> spans;
  for (int i = 0; i < 1 << 16; ++i) {
    const std::string& id = data[rng() % n].id;
    spans.emplace_back(pool.size(), id.size());
    pool += id;
  }
  std::vector<gs_str> keys;
  for (auto [off, len] : spans) keys.push_back(gs_str{pool.data() + off, len});
  const int calls = 4000000;
  uint64_t found = 0;
  auto t = Clock::now();
  for (int i = 0; i < calls; ++i)
    st.api->get_entity(st.s, gs_str{"", 0}, keys[i & 0xffff], count_entity, &found, &st.err);
  double s = seconds_since(t);
  // A small tenant (1,000 entities, all cache-resident).
  for (int i = 0; i < 1000; ++i) {
    EntityData d{std::string(keys[i].data, keys[i].len), "person", "{}"};
    gs_entity e = entity_view(d);
    gs_status added = st.api->add_entity(st.s, str("acme"), &e, &st.err);
    if (added != GS_ALREADY_EXISTS) st.check(added, "add_entity");  // keys may repeat
  }
  uint64_t found_t = 0;
  auto t2 = Clock::now();
  for (int i = 0; i < calls; ++i)
    st.api->get_entity(st.s, str("acme"), keys[i % 1000], count_entity, &found_t, &st.err);
  double s2 = seconds_since(t2);
  if (found != uint64_t(calls) || found_t != uint64_t(calls)) std::abort();
  std::printf(
      "get_entity: %.1f ns/call (global tenant, 100k entities, random ids), %.1f ns/call (tenant of 1k entities)  "
      "(goal <= 100 ns)\n",
      s / calls * 1e9, s2 / calls * 1e9);
}

void bench_find_paths() {
  Store st;
  const int n = 1000, m = 3000;
  std::mt19937 rng(42);
  for (int i = 0; i < n; ++i) {
    EntityData d = make_entity(i);
    gs_entity e = entity_view(d);
    st.check(st.api->add_entity(st.s, gs_str{"", 0}, &e, &st.err), "add_entity");
  }
  for (int i = 0; i < m; ++i) {
    RelationData d = make_relation(i, rng() % n, rng() % n);
    gs_relation r = relation_view(d);
    st.check(st.api->add_relation(st.s, gs_str{"", 0}, &r, &st.err), "add_relation");
  }
  std::vector<std::pair<std::string, std::string>> queries;
  for (int i = 0; i < 2000; ++i) queries.emplace_back(cat("e", rng() % n), cat("e", rng() % n));
  uint64_t paths = 0, truncated_count = 0;
  std::vector<double> times;
  for (const auto& [s, t] : queries) {
    gs_paths_params p{};
    p.struct_size = sizeof p;
    p.source_id = str(s);
    p.target_id = str(t);
    p.max_depth = 5;
    p.max_paths = 10;
    int32_t truncated = 0;
    auto t0 = Clock::now();
    st.check(st.api->find_paths(st.s, gs_str{"", 0}, &p, count_path, &paths, &truncated, &st.err), "find_paths");
    times.push_back(seconds_since(t0));
    truncated_count += truncated;
  }
  std::sort(times.begin(), times.end());
  double mean = 0;
  for (double x : times) mean += x;
  mean /= double(times.size());
  std::printf(
      "find_paths depth 5, max 10 (1k entities, 3k random relations, %zu random pairs, %.1f paths/query, %.0f%% "
      "truncated):\n    mean %.1f us, median %.1f us, p99 %.1f us, max %.1f us  (goal <= 50 us)\n",
      queries.size(), double(paths) / double(queries.size()), 100.0 * double(truncated_count) / double(queries.size()),
      mean * 1e6, times[times.size() / 2] * 1e6, times[times.size() * 99 / 100] * 1e6, times.back() * 1e6);
}

void bench_bulk() {
  std::vector<EntityData> data;
  for (int i = 0; i < 10000; ++i) data.push_back(make_entity(i));
  std::vector<gs_entity> views;
  for (const auto& d : data) views.push_back(entity_view(d));
  std::vector<const gs_entity*> ptrs;
  for (const auto& v : views) ptrs.push_back(&v);
  std::vector<double> runs;
  for (int trial = 0; trial < 10; ++trial) {
    Store st;
    uint64_t added = 0;
    auto t = Clock::now();
    st.check(
        st.api->add_entities_bulk(st.s, gs_str{"", 0}, ptrs.data(), ptrs.size(), ignore_skip, nullptr, &added, &st.err),
        "add_entities_bulk");
    runs.push_back(seconds_since(t));
    if (added != 10000) std::abort();
  }
  std::sort(runs.begin(), runs.end());
  std::printf("add_entities_bulk 10,000 (fresh store):  median %.2f ms, best %.2f ms  (goal <= 4 ms)\n",
              runs[runs.size() / 2] * 1e3, runs[0] * 1e3);
}

void bench_large() {
  const uint64_t n = 1000000, m = 5000000, chunk = 10000;
  long rss_before = rss_kb();
  double plugin_seconds = 0;
  auto wall = Clock::now();
  {
    Store st;
    std::vector<EntityData> ed;
    std::vector<RelationData> rd;
    std::vector<gs_entity> ev;
    std::vector<gs_relation> rv;
    std::vector<const gs_entity*> ep;
    std::vector<const gs_relation*> rp;
    for (uint64_t base = 0; base < n; base += chunk) {
      ed.clear();
      ev.clear();
      ep.clear();
      for (uint64_t i = base; i < base + chunk; ++i) ed.push_back(make_entity(i));
      for (const auto& d : ed) ev.push_back(entity_view(d));
      for (const auto& v : ev) ep.push_back(&v);
      uint64_t added = 0;
      auto t = Clock::now();
      st.check(
          st.api->add_entities_bulk(st.s, gs_str{"", 0}, ep.data(), ep.size(), ignore_skip, nullptr, &added, &st.err),
          "add_entities_bulk");
      plugin_seconds += seconds_since(t);
    }
    double entity_seconds = plugin_seconds;
    std::mt19937_64 rng(1);
    for (uint64_t base = 0; base < m; base += chunk) {
      rd.clear();
      rv.clear();
      rp.clear();
      for (uint64_t i = base; i < base + chunk; ++i) rd.push_back(make_relation(i, rng() % n, rng() % n));
      for (const auto& d : rd) rv.push_back(relation_view(d));
      for (const auto& v : rv) rp.push_back(&v);
      uint64_t added = 0;
      auto t = Clock::now();
      st.check(
          st.api->add_relations_bulk(st.s, gs_str{"", 0}, rp.data(), rp.size(), ignore_skip, nullptr, &added, &st.err),
          "add_relations_bulk");
      plugin_seconds += seconds_since(t);
    }
    // Release the generator's buffers so RSS shows the store.
    std::vector<EntityData>().swap(ed);
    std::vector<RelationData>().swap(rd);
    std::vector<gs_entity>().swap(ev);
    std::vector<gs_relation>().swap(rv);
    long rss_after = rss_kb();
    std::printf(
        "load 1M entities + 5M relations (bulk, 10k per call): plugin time %.2f s (entities %.2f s, relations %.2f "
        "s), wall incl. generating input %.2f s  (goal <= 3 s)\n",
        plugin_seconds, entity_seconds, plugin_seconds - entity_seconds, seconds_since(wall));
    std::printf("    VmRSS %.0f MB after load (%.0f MB before the store; store share %.0f MB)  (goal <= 1.5 GB)\n",
                double(rss_after) / 1024, double(rss_before) / 1024, double(rss_after - rss_before) / 1024);

    // A few reads on the big graph.
    uint64_t found = 0;
    const int calls = 1000000;
    std::string pool;  // a million random ids, read in order
    std::vector<std::pair<size_t, size_t>> spans;
    for (int i = 0; i < calls; ++i) {
      std::string id = cat("e", rng() % n);
      spans.emplace_back(pool.size(), id.size());
      pool += id;
    }
    auto t = Clock::now();
    for (const auto& [off, len] : spans)
      st.api->get_entity(st.s, gs_str{"", 0}, gs_str{pool.data() + off, len}, count_entity, &found, &st.err);
    std::printf("    get_entity on the 1M graph (random ids): %.1f ns/call\n", seconds_since(t) / calls * 1e9);
    uint64_t paths = 0;
    std::vector<double> times;
    for (int q = 0; q < 200; ++q) {
      std::string s = cat("e", rng() % n), tt = cat("e", rng() % n);
      gs_paths_params p{};
      p.struct_size = sizeof p;
      p.source_id = str(s);
      p.target_id = str(tt);
      p.max_depth = 5;
      p.max_paths = 10;
      int32_t truncated = 0;
      auto t0 = Clock::now();
      st.check(st.api->find_paths(st.s, gs_str{"", 0}, &p, count_path, &paths, &truncated, &st.err), "find_paths");
      times.push_back(seconds_since(t0));
    }
    std::sort(times.begin(), times.end());
    std::printf("    find_paths depth 5 on the 1M graph: median %.1f us, max %.1f us (%.1f paths/query)\n",
                times[times.size() / 2] * 1e6, times.back() * 1e6, double(paths) / 200.0);
    wall = Clock::now();
  }
  std::printf("    close (frees everything): %.2f s\n", seconds_since(wall));
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  bool repeat = argc > 1 && std::strcmp(argv[1], "--repeat-large") == 0;
  if (argc > 1 && std::strcmp(argv[1], "--large-only") == 0) {
    bench_large();
    return 0;
  }
  std::printf("inmemory plugin micro-benchmarks (direct vtable calls)\n");
  bench_add_entity();
  bench_get_entity();
  bench_find_paths();
  bench_bulk();
  if (!quick) bench_large();
  // Again, now that the process has touched (and freed) that much memory:
  // on a VM, first-touch page faults are a large part of the first load.
  if (repeat) bench_large();
  return 0;
}
