// graphstore_bench: the standard operations (workload/operations.hpp) as
// Google Benchmark cases, one per (backend, operation), named
// "<backend>/<operation>".
//
// Backends come from $GRAPHSTORE_BENCH_BACKENDS (comma-separated plugin ids,
// default "inmemory"); each is opened through a Registry with the options in
// $GRAPHSTORE_BENCH_OPTIONS_<ID> (JSON, default "{}", and for sqlite a file
// in a fresh directory), e.g. GRAPHSTORE_BENCH_OPTIONS_SQLITE='{"path":
// ":memory:"}'. "@TMPDIR@" in the options becomes a fresh directory per
// opened store, removed when the store closes, so a persistent backend
// starts empty for every write run. GRAPHSTORE_BENCH_DEFAULTS=1 makes every
// store use the core's Tier 2 defaults instead of the plugin's native slots
// (Store::set_force_defaults), to compare the two; GRAPHSTORE_BENCH_METRICS=1
// makes every store record metrics (Store::enable_metrics), to price them.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "operations.hpp"

namespace {

using graphstore::Registry;
using graphstore::Status;
using graphstore::Store;
using graphstore::workload::Operation;

std::vector<std::string> backends_from_env() {
  const char* env = std::getenv("GRAPHSTORE_BENCH_BACKENDS");
  std::stringstream ss(env != nullptr && *env != '\0' ? env : "inmemory");
  std::vector<std::string> ids;
  for (std::string id; std::getline(ss, id, ',');)
    if (!id.empty()) ids.push_back(id);
  return ids;
}

std::string options_for(const std::string& backend) {
  std::string var = "GRAPHSTORE_BENCH_OPTIONS_";
  for (char c : backend) var += static_cast<char>(std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_');
  const char* env = std::getenv(var.c_str());
  if (env != nullptr) return env;
  return backend == "sqlite" ? R"({"path": "@TMPDIR@/bench.db"})" : "{}";
}

// A store whose "@TMPDIR@" directory goes away with it.
struct OpenStore {
  std::unique_ptr<Store> store;
  std::filesystem::path dir;
  void reset() {
    store.reset();
    if (!dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
      dir.clear();
    }
  }
  ~OpenStore() { reset(); }
};

// The options with "@TMPDIR@" replaced by a fresh directory (kept in *dir).
std::string expand_tmpdir(std::string options, std::filesystem::path* dir) {
  static std::atomic<int> counter{0};
  const std::string token = "@TMPDIR@";
  size_t pos = options.find(token);
  if (pos == std::string::npos) return options;
  *dir = std::filesystem::temp_directory_path() /
         ("graphstore-bench-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(*dir);
  for (; pos != std::string::npos; pos = options.find(token, pos)) options.replace(pos, token.size(), dir->string());
  return options;
}

// Opens a fresh store and runs the operation's setup; false (with the run
// marked as skipped) on failure.
bool open_ready(benchmark::State& state, Registry& registry, const std::string& backend, Operation& op,
                OpenStore* store) {
  store->reset();
  Status s = registry.open(backend, expand_tmpdir(options_for(backend), &store->dir), &store->store);
  if (s.ok()) {
    auto on = [](const char* var) {
      const char* v = std::getenv(var);
      return v != nullptr && std::string(v) == "1";
    };
    store->store->set_force_defaults(on("GRAPHSTORE_BENCH_DEFAULTS"));
    if (on("GRAPHSTORE_BENCH_METRICS")) store->store->enable_metrics();
    s = op.setup(*store->store, "");
  }
  if (!s.ok()) {
    state.SkipWithError(("open/setup: " + s.to_string()).c_str());
    return false;
  }
  return true;
}

void run_operation(benchmark::State& state, Registry* registry, std::string backend, Operation* op) {
  OpenStore store;
  uint64_t i = 0;
  if (!op->fresh_store_per_run()) {
    if (!open_ready(state, *registry, backend, *op, &store)) return;
    for (auto _ : state) {
      if (Status s = op->run(*store.store, "", i++); !s.ok()) {
        state.SkipWithError(s.to_string().c_str());
        break;
      }
    }
    return;
  }
  // Writes need an empty store per run; opening and closing it is not timed.
  for (auto _ : state) {
    state.PauseTiming();
    store.reset();
    bool ready = open_ready(state, *registry, backend, *op, &store);
    state.ResumeTiming();
    if (!ready) break;
    if (Status s = op->run(*store.store, "", i++); !s.ok()) {
      state.SkipWithError(s.to_string().c_str());
      break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  Registry registry;
  auto operations = graphstore::workload::standard_operations();
  for (const auto& backend : backends_from_env()) {
    for (const auto& op : operations) {
      std::string name = backend + "/" + std::string(op->key());
      auto* b = benchmark::RegisterBenchmark(name.c_str(), run_operation, &registry, backend, op.get());
      b->Unit(op->per_batch() ? benchmark::kMillisecond : benchmark::kMicrosecond);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
