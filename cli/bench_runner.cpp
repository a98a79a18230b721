#include "bench_runner.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <memory>
#include <vector>

#include "workload.hpp"

namespace graphstore::cli {
namespace {

using Clock = std::chrono::steady_clock;

bool is_persistent(const Store& store) {
  const auto& caps = store.plugin().capabilities;
  return std::find(caps.begin(), caps.end(), "persistent") != caps.end();
}

// A store ready for op.run(): opened, given its tenant, set up.
struct Prepared {
  std::unique_ptr<Store> store;
  std::string tenant;
  bool persistent = false;

  // Empties the bench tenant of a persistent store; an in-memory one simply
  // goes away with the store.
  Status finish() {
    Status s = persistent ? workload::clear_tenant(*store, tenant) : Status::Ok();
    store.reset();
    return s;
  }
};

Status prepare(Registry& registry, const std::string& backend, const std::string& options_json, workload::Operation& op,
               Prepared* out) {
  static std::atomic<uint64_t> counter{0};
  if (Status s = registry.open(backend, options_json, &out->store); !s.ok()) return s;
  out->persistent = is_persistent(*out->store);
  out->tenant = out->persistent ? bench_tenant(getpid(), counter++) : "";
  return op.setup(*out->store, out->tenant);
}

double elapsed_ns(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration<double, std::nano>(t1 - t0).count();
}

// The pid of a bench tenant's name, or -1 when the name is not one.
long bench_pid(std::string_view tenant) {
  constexpr std::string_view kPrefix = "gsbench_";
  if (tenant.substr(0, kPrefix.size()) != kPrefix) return -1;
  std::string_view rest = tenant.substr(kPrefix.size());
  size_t sep = rest.find('_');
  if (sep == 0 || sep == std::string_view::npos || sep + 1 == rest.size()) return -1;
  long pid = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + sep, pid);
  if (ec != std::errc() || end != rest.data() + sep || pid <= 0) return -1;
  uint64_t n = 0;
  auto [end2, ec2] = std::from_chars(rest.data() + sep + 1, rest.data() + rest.size(), n);
  if (ec2 != std::errc() || end2 != rest.data() + rest.size()) return -1;
  return pid;
}

// Whether a process of that pid exists (EPERM: it does, someone else's).
bool process_alive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

bool enough(const BenchBudget& budget, uint64_t runs, double timed_ns) {
  if (runs < budget.min_runs) return false;
  return runs >= budget.max_runs || timed_ns >= budget.seconds * 1e9;
}

}  // namespace

std::string bench_tenant(long pid, uint64_t n) { return "gsbench_" + std::to_string(pid) + "_" + std::to_string(n); }

Status remove_leftover_tenants(Registry& registry, const std::string& backend, const std::string& options_json,
                               std::vector<std::string>* removed) {
  std::unique_ptr<Store> store;
  if (Status s = registry.open(backend, options_json, &store); !s.ok()) return s;
  std::vector<std::string> tenants;
  if (Status s = store->list_tenants(&tenants); !s.ok()) return s;
  for (const auto& t : tenants) {
    long pid = bench_pid(t);
    // This process has made no tenant yet: one with its pid is a dead
    // process's, whose pid came round again.
    if (pid < 0 || (pid != getpid() && process_alive(pid))) continue;
    if (Status s = workload::clear_tenant(*store, t); !s.ok()) return s;
    removed->push_back(t);
  }
  return Status::Ok();
}

BenchBudget call_budget(bool quick) { return quick ? BenchBudget{50, 200, 0.01} : BenchBudget{2000, 200000, 0.5}; }

BenchBudget batch_budget(bool quick) { return quick ? BenchBudget{2, 2, 0} : BenchBudget{5, 50, 2.0}; }

Status measure(Registry& registry, const std::string& backend, const std::string& options_json, workload::Operation& op,
               bool quick, Measurement* out) {
  std::vector<double> samples;
  double timed = 0;
  Status s;
  if (op.fresh_store_per_run()) {
    BenchBudget budget = batch_budget(quick);
    for (uint64_t i = 0; !enough(budget, i, timed); ++i) {
      Prepared p;
      if (s = prepare(registry, backend, options_json, op, &p); !s.ok()) return s;
      auto t0 = Clock::now();
      s = op.run(*p.store, p.tenant, i);
      auto t1 = Clock::now();
      Status finished = p.finish();
      if (!s.ok()) return s;
      if (!finished.ok()) return finished;
      samples.push_back(elapsed_ns(t0, t1));
      timed += samples.back();
    }
  } else {
    BenchBudget budget = call_budget(quick);
    Prepared p;
    if (s = prepare(registry, backend, options_json, op, &p); !s.ok()) return s;
    // A few untimed runs warm caches and the allocator.
    for (uint64_t i = 0; i < 16 && s.ok(); ++i) s = op.run(*p.store, p.tenant, i);
    for (uint64_t i = 0; s.ok() && !enough(budget, i, timed); ++i) {
      auto t0 = Clock::now();
      s = op.run(*p.store, p.tenant, i);
      auto t1 = Clock::now();
      samples.push_back(elapsed_ns(t0, t1));
      timed += samples.back();
    }
    Status finished = p.finish();
    if (!s.ok()) return s;
    if (!finished.ok()) return finished;
  }
  std::sort(samples.begin(), samples.end());
  size_t n = samples.size();
  out->backend = backend;
  out->op = &op;
  out->runs = n;
  out->median_ns = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  out->min_ns = samples.front();
  out->max_ns = samples.back();
  return Status::Ok();
}

}  // namespace graphstore::cli
