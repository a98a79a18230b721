// The benchmarked operations, defined once for `graphstore bench` and for
// graphstore_bench (Google Benchmark), so both time exactly the same calls.
//
// An Operation owns its pre-generated input (generated in the constructor, so
// never timed). A runner opens a store, calls setup() once, then times run()
// calls: one run() is one unit of the reported figure — a single call for
// per-call operations, the whole batch for per-batch ones. Operations that
// write (fresh_store_per_run) need a new, empty store before every run().
#ifndef GRAPHSTORE_WORKLOAD_OPERATIONS_HPP
#define GRAPHSTORE_WORKLOAD_OPERATIONS_HPP

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/store.hpp"

namespace graphstore::workload {

// The reference system's published figures for an operation, in ns per
// reported unit (docs: BACKEND_CONFIGURATION.md, "Performance Comparison").
struct SeedFigures {
  double inmemory_ns;
  double sqlite_ns;
  double postgres_ns;
};

class Operation {
 public:
  virtual ~Operation() = default;

  // Stable key used in JSON output and benchmark names, e.g. "get_entity".
  virtual std::string_view key() const = 0;
  // Row label of the table, e.g. "find_paths (depth=5)".
  virtual std::string_view label() const = 0;
  // True when one run() is a whole batch (the figure is per batch).
  virtual bool per_batch() const { return false; }
  // True when every run() needs a new, empty store (it adds records).
  virtual bool fresh_store_per_run() const { return false; }
  // The reference figures, when the reference published some.
  virtual std::optional<SeedFigures> seed() const { return std::nullopt; }

  // Loads what run() reads into an empty tenant of a store.
  virtual Status setup(Store& store, std::string_view tenant) = 0;
  // One measured unit of work. `i` counts runs and varies the input so that
  // repeated runs do not hit one hot record.
  virtual Status run(Store& store, std::string_view tenant, uint64_t i) = 0;
};

// The standard set, in table order: add_entity x1000, get_entity,
// find_paths depth 5 (1,000 entities / 3,000 relations, at most 10 paths),
// batch insert 10K, neighbors (1 hop), traverse (depth 3), vector search
// (k=10 over 10,000 64-dim embeddings).
std::vector<std::unique_ptr<Operation>> standard_operations();

}  // namespace graphstore::workload

#endif  // GRAPHSTORE_WORKLOAD_OPERATIONS_HPP
