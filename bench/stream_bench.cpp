// stream_bench: throughput and memory of export, import and migration
// (graphstore/io.hpp, graphstore/migrate.hpp) on a generated graph of N
// entities and 3N relations. One leg per run, so that each run's peak RSS
// (VmHWM) is its own:
//
//   stream_bench export    N DIR   inmemory -> DIR/graph.jsonl (and graph.jsonl.gz)
//   stream_bench import    N DIR   DIR/graph.jsonl -> inmemory
//   stream_bench import-gz N DIR   DIR/graph.jsonl.gz -> sqlite (DIR/bench.db)
//   stream_bench migrate   N DIR   inmemory -> sqlite (DIR/migrate.db)
//   stream_bench migrate-inmemory N DIR   inmemory -> inmemory: the migrator's own cost
//   stream_bench store     N DIR   inmemory filled directly: the store's own memory
//
// Each prints one JSON line: records, seconds, records/s, and RSS figures in
// MiB (rss_before, rss_after, peak: VmHWM, reset before the timed part).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "graphstore/io.hpp"
#include "graphstore/migrate.hpp"
#include "graphstore/registry.hpp"

using namespace graphstore;
namespace fs = std::filesystem;

namespace {

double status_mib(const char* key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::strlen(key))) / 1024.0;
  return 0;
}
double rss() { return status_mib("VmRSS:"); }
double peak() { return status_mib("VmHWM:"); }
// Resets VmHWM to the current RSS (Linux >= 4.0).
void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }

void die(const Status& s, const char* what) {
  if (s.ok()) return;
  std::cerr << "stream_bench: " << what << ": " << s.to_string() << "\n";
  std::exit(1);
}

// N entities of 5 types with small properties (an embedding on one in ten),
// 3N relations between random entities.
void generate(Store& store, uint64_t n) {
  std::mt19937_64 rng(42);
  const char* types[] = {"Person", "Company", "Paper", "Topic", "Place"};
  const char* rtypes[] = {"KNOWS", "WORKS_FOR", "CITES", "ABOUT"};
  char id[32];
  WriteBatch b;
  const Timestamp t0 = 1765275072LL * 1000000;
  for (uint64_t i = 0; i < n; ++i) {
    Entity e;
    std::snprintf(id, sizeof id, "e%09llu", static_cast<unsigned long long>(i));
    e.id = id;
    e.entity_type = types[i % 5];
    e.properties = R"({"name":"Entity )" + std::to_string(i) + R"(","score":)" + std::to_string(i % 1000) +
                   R"(,"tags":["alpha","beta"],"active":true})";
    if (i % 10 == 0)
      for (int d = 0; d < 8; ++d) e.embedding.push_back(static_cast<float>((rng() % 2000) / 1000.0 - 1.0));
    e.created_at = t0 + static_cast<Timestamp>(i) * 1000;
    e.updated_at = e.created_at;
    if (i % 3 == 0) e.source = "doc-" + std::to_string(i % 977);
    b.add_entity(std::move(e));
    if (b.size() == 10000) {
      die(store.apply("", b), "generate entities");
      b.clear();
    }
  }
  for (uint64_t i = 0; i < 3 * n; ++i) {
    Relation r;
    std::snprintf(id, sizeof id, "r%09llu", static_cast<unsigned long long>(i));
    r.id = id;
    r.relation_type = rtypes[i % 4];
    std::snprintf(id, sizeof id, "e%09llu", static_cast<unsigned long long>(rng() % n));
    r.source_id = id;
    std::snprintf(id, sizeof id, "e%09llu", static_cast<unsigned long long>(rng() % n));
    r.target_id = id;
    if (i % 2 == 0) r.properties = R"({"since":2024})";
    r.weight = static_cast<double>(rng() % 1000) / 1000.0;
    r.created_at = t0 + static_cast<Timestamp>(i);
    r.updated_at = r.created_at;
    b.add_relation(std::move(r));
    if (b.size() == 10000) {
      die(store.apply("", b), "generate relations");
      b.clear();
    }
  }
  die(store.apply("", b), "generate");
}

// CPU seconds (user + system, every thread) of the process so far.
double cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
double g_cpu0 = 0;
// CPU seconds of the calling thread alone; the rest of cpu() is the other
// threads' (the import's reader).
double thread_cpu() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
double g_thread0 = 0;

// cpu_s beside seconds: on a shared machine the wall clock also counts the
// time other processes held the cores.
void report(const char* leg, uint64_t n, uint64_t records, double seconds, double before, double after, double pk) {
  double cpu_s = cpu() - g_cpu0;
  double main_s = thread_cpu() - g_thread0;
  // With two cores and nothing else running, the busier thread bounds the
  // time: records / max(calling thread, other threads) is that bound.
  double bound = std::max(main_s, cpu_s - main_s);
  std::printf(
      "{\"leg\":\"%s\",\"entities\":%llu,\"records\":%llu,\"seconds\":%.3f,\"records_per_s\":%.0f,"
      "\"cpu_s\":%.3f,\"cpu_calling_thread_s\":%.3f,\"cpu_other_threads_s\":%.3f,"
      "\"records_per_s_two_idle_cores\":%.0f,"
      "\"rss_before_mib\":%.1f,\"rss_after_mib\":%.1f,\"peak_mib\":%.1f,\"peak_above_before_mib\":%.1f}\n",
      leg, static_cast<unsigned long long>(n), static_cast<unsigned long long>(records), seconds,
      seconds > 0 ? double(records) / seconds : 0.0, cpu_s, main_s, cpu_s - main_s,
      bound > 0 ? double(records) / bound : 0.0, before, after, pk, pk - before);
  std::fflush(stdout);
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: stream_bench export|import|import-gz|migrate|migrate-inmemory|store N DIR [plugin_dir] "
                 "[--to BACKEND OPTIONS_JSON]\n";
    return 2;
  }
  std::string leg = argv[1];
  uint64_t n = std::stoull(argv[2]);
  fs::path dir = argv[3];
  fs::create_directories(dir);
  Registry registry;
  if (argc > 4) registry.add_search_path(argv[4]);
  std::unique_ptr<Store> mem;
  die(registry.open("inmemory", "{}", &mem), "open inmemory");

  if (leg == "store" || leg == "export" || leg == "migrate" || leg == "migrate-inmemory") {
    double before = rss();
    reset_peak();
    g_cpu0 = cpu();
    g_thread0 = thread_cpu();
    auto t0 = std::chrono::steady_clock::now();
    generate(*mem, n);
    if (leg == "store") {
      report("store (generate into inmemory)", n, 4 * n, since(t0), before, rss(), peak());
      return 0;
    }
  }
  if (leg == "export") {
    for (const char* name : {"graph.jsonl", "graph.jsonl.gz"}) {
      double before = rss();
      reset_peak();
      ExportOptions o;
      o.gzip_level = 1;
      ExportReport r;
      g_cpu0 = cpu();
      g_thread0 = thread_cpu();
      auto t0 = std::chrono::steady_clock::now();
      die(export_store(*mem, dir / name, o, &r), "export");
      report(std::string("export inmemory -> ").append(name).c_str(), n, r.entities + r.relations, since(t0), before,
             rss(), peak());
    }
    return 0;
  }
  if (leg == "import") {
    double before = rss();
    reset_peak();
    ImportOptions o;
    ImportReport r;
    g_cpu0 = cpu();
    g_thread0 = thread_cpu();
    auto t0 = std::chrono::steady_clock::now();
    die(import_file(*mem, dir / "graph.jsonl", o, &r), "import");
    report("import graph.jsonl -> inmemory", n, r.records, since(t0), before, rss(), peak());
    return 0;
  }
  if (leg == "migrate-inmemory") {
    std::unique_ptr<Store> to;
    die(registry.open("inmemory", "{}", &to), "open inmemory");
    double before = rss();
    reset_peak();
    g_cpu0 = cpu();
    g_thread0 = thread_cpu();
    auto t0 = std::chrono::steady_clock::now();
    MigrateOptions o;
    MigrateReport r;
    die(migrate(*mem, *to, o, &r), "migrate");
    report("migrate inmemory -> inmemory", n, r.entities + r.relations, since(t0), before, rss(), peak());
    return 0;
  }
  if (leg == "import-gz" || leg == "migrate") {
    // The target: sqlite in DIR, or the backend and options after --to.
    std::string backend = "sqlite", options;
    for (int i = 4; i + 2 < argc; ++i)
      if (std::string(argv[i]) == "--to") {
        backend = argv[i + 1];
        options = argv[i + 2];
      }
    if (backend == "sqlite") {
      fs::path db = dir / (leg == "migrate" ? "migrate.db" : "bench.db");
      fs::remove(db);
      fs::remove(db.string() + "-wal");
      fs::remove(db.string() + "-shm");
      options = "{\"path\": \"" + db.string() + "\"}";
    }
    std::unique_ptr<Store> sql;
    die(registry.open(backend, options, &sql), ("open " + backend).c_str());
    // One read ends the leg: a store that left indexes out of the load
    // (sqlite, postgres) builds them there, so they count as the load's. A
    // neighbours call, because sqlite answers a point read without them.
    auto finish = [&] {
      std::vector<Neighbor> around;
      (void)sql->get_neighbors("", "no such entity", Direction::kBoth, "", &around);
    };
    double before = rss();
    reset_peak();
    g_cpu0 = cpu();
    g_thread0 = thread_cpu();
    auto t0 = std::chrono::steady_clock::now();
    if (leg == "import-gz") {
      ImportOptions o;
      ImportReport r;
      die(import_file(*sql, dir / "graph.jsonl.gz", o, &r), "import");
      finish();
      report(("import graph.jsonl.gz -> " + backend).c_str(), n, r.records, since(t0), before, rss(), peak());
    } else {
      MigrateOptions o;
      MigrateReport r;
      die(migrate(*mem, *sql, o, &r), "migrate");
      finish();
      report(("migrate inmemory -> " + backend).c_str(), n, r.entities + r.relations, since(t0), before, rss(),
             peak());
    }
    return 0;
  }
  std::cerr << "stream_bench: unknown leg " << leg << "\n";
  return 2;
}
