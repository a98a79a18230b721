// The worker threads of one process under one writer identity: started
// together on one store, their counts saved to "<dir>/<identity>.figures"
// twice a second (so a killed process leaves its counts up to then) and at
// the end.
#ifndef GRAPHSTORE_TESTS_SOAK_WORKER_GROUP_HPP
#define GRAPHSTORE_TESTS_SOAK_WORKER_GROUP_HPP

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "figures.hpp"
#include "graphstore/store.hpp"

namespace graphstore::soak {

struct GroupConfig {
  std::string identity;
  int threads = 4;
  std::chrono::steady_clock::time_point deadline;
  std::string dir;                      // logs "<identity>.t<n>.log" and the figures file go here
  std::vector<std::string> identities;  // every identity of the run, for reads of others' records
  uint64_t seed = 1;
  size_t bulk_size = 100;
};

// Runs config.threads workers on store until the deadline and returns their
// summed counts. at_times: (when, what) pairs run on a separate thread while
// the workers run (the fault injections of an in-process run); each runs once
// at its time, or not at all when the deadline comes first. Never throws.
Figures run_worker_group(
    Store* store, const GroupConfig& config,
    const std::vector<std::pair<std::chrono::steady_clock::time_point, std::function<void()>>>& at_times = {});

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_WORKER_GROUP_HPP
