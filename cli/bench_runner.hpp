// Times the standard operations (workload/) through a Registry-opened
// store: the full host -> core -> ABI -> plugin path.
#ifndef GRAPHSTORE_CLI_BENCH_RUNNER_HPP
#define GRAPHSTORE_CLI_BENCH_RUNNER_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "graphstore/registry.hpp"
#include "graphstore/status.hpp"
#include "operations.hpp"

namespace graphstore::cli {

// How long to measure one operation: at least min_runs timed runs, then
// more until `seconds` of timed work or max_runs.
struct BenchBudget {
  uint64_t min_runs;
  uint64_t max_runs;
  double seconds;
};

// The budgets for per-call and per-batch operations; quick is for tests.
BenchBudget call_budget(bool quick);
BenchBudget batch_budget(bool quick);

struct Measurement {
  std::string backend;
  const workload::Operation* op = nullptr;
  uint64_t runs = 0;  // timed runs
  double median_ns = 0, min_ns = 0, max_ns = 0;
};

// Measures op on a store of `backend` opened with options_json. Every
// measurement gets a fresh store (per run for writing operations), and on a
// persistent backend a fresh tenant that is emptied afterwards, so earlier
// data neither helps nor hinders and none is left behind. Each run is timed
// alone with std::chrono::steady_clock.
Status measure(Registry& registry, const std::string& backend, const std::string& options_json, workload::Operation& op,
               bool quick, Measurement* out);

// The tenant a bench run of process `pid` gives its n-th store:
// "gsbench_<pid>_<n>".
std::string bench_tenant(long pid, uint64_t n);

// Removes, from the store of `backend` opened with options_json, the data of
// every tenant "gsbench_<pid>_<n>" whose process is no longer alive on this
// machine: the leftovers of a bench run that was killed before it emptied
// its tenants. Their names go to *removed. Tenants of live processes (another
// bench running now) are left alone.
Status remove_leftover_tenants(Registry& registry, const std::string& backend, const std::string& options_json,
                               std::vector<std::string>* removed);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_BENCH_RUNNER_HPP
