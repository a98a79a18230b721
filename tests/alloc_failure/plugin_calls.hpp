// Driving the in-memory plugin's writes through every allocation failure:
// a Workload (a store to start from and one raw ABI call) and the checks
// that each failure left the store as it was or the call complete.
#ifndef GRAPHSTORE_TESTS_ALLOC_FAILURE_PLUGIN_CALLS_HPP
#define GRAPHSTORE_TESTS_ALLOC_FAILURE_PLUGIN_CALLS_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "graphstore/abi.h"
#include "plugin_client.hpp"
#include "test_util.hpp"

namespace alloc_failure {

// Everything a store shows: per tenant (the global one and each listed) its
// records, adjacency and stats (gs_test::dump), a vector and a text search
// and an id scan; and the tenants listed.
struct Snapshot {
  std::vector<std::string> tenants;
  std::vector<gs_test::Dump> dumps;
  std::vector<gs_test::Scored> vector_hits, text_hits;
  std::vector<std::vector<std::string>> scans;
  bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(gs_test::Client& c);

// One raw ABI call on a store, with its inputs prepared beforehand so that
// it allocates nothing itself; it must not allocate inside plugin callbacks
// either (a bulk's skip sink only counts).
using RawCall = std::function<gs_status(const gs_store_api*, gs_store*, gs_errbuf*)>;

struct Workload {
  std::string options = "{}";                       // the store's open options
  std::function<void(gs_test::Client&)> fill;       // the store before the call
  std::function<RawCall(gs_test::Client&)> prepare; // the call, inputs built
  std::string operation;                            // named in an out-of-memory message
};

// Runs w once unarmed (the reference: it must succeed) and then once per
// allocation number N of that run, on a fresh store each time, making the
// Nth allocation of the call fail. Each run must return OK (the failure was
// absorbed) with the reference's result, or RESOURCE_EXHAUSTED naming the
// operation with the store exactly as it was; then the same call, unarmed,
// must give the reference's result. With stride > 1 only every stride-th N
// (from a seeded offset) is failed. Returns the allocations of the call.
uint64_t fail_every_allocation(const Workload& w, uint64_t stride = 1);

}  // namespace alloc_failure

#endif  // GRAPHSTORE_TESTS_ALLOC_FAILURE_PLUGIN_CALLS_HPP
