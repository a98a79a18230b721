// VectorIndexes: a store's HNSW graphs (vector_index: hnsw), one per tenant,
// kept in step with the database and saved beside it.
//
// In step. Every write transaction that changes a row adds one to the
// database's vector_generation (graphstore_meta), whichever store or process
// commits it; the graphs hold the generation they reflect. This store's own
// commits move them forward: TEMP triggers on the writer connection note the
// (tenant, rid) of each entity whose embedding or type changed, and after
// COMMIT those rows are read back and put into, or erased from, the graphs.
// A search whose snapshot's generation the graphs do not reflect (another
// process wrote, or nothing is loaded yet) first brings them in step: from
// the saved file when its generation matches, else by rebuilding from the
// rows. A search whose snapshot is older than the graphs scans instead.
//
// The file, `<path>.vectors`: written at close, when the graphs changed,
// to a temporary file then renamed over the old one (crash-safe). The
// database always wins: the file is used only when its database instance and
// generation equal the database's and every checksum holds; otherwise it is
// ignored and the graphs are rebuilt (README.md, "Vector index").
//
// Threads: find() on any number of threads (shared lock); the writer calls
// under the store's write lock; a catch-up takes the lock alone.
#ifndef GRAPHSTORE_SQLITE_VECTOR_INDEXES_HPP
#define GRAPHSTORE_SQLITE_VECTOR_INDEXES_HPP

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connection.hpp"
#include "graphstore/abi.h"
#include "vector_index.hpp"

namespace graphstore::sqlite {

// The database's vector_generation (0 in a file that never had one).
int64_t vector_generation(Connection& c);
// Adds one to it and returns the new value; inside the writer's transaction.
int64_t bump_vector_generation(Connection& c);

class VectorIndexes {
 public:
  // sidecar: the file beside the database ("" for ":memory:").
  VectorIndexes(const hnsw::VectorIndexOptions& options, std::string sidecar, bool writable);

  bool enabled() const { return options_.enabled; }

  // ---- the writer (under the store's write lock) ----
  // Registers the change capture on the writer connection, and brings the
  // graphs in step now when that is cheap: from the file, or at once when
  // the database holds no embeddings.
  void attach(Connection& writer);
  // After a COMMIT that moved the generation from `before` to `after`.
  // Never throws: on any failure the graphs fall out of step and the next
  // search rebuilds them.
  void committed(Connection& writer, int64_t before, int64_t after) noexcept;
  // After a ROLLBACK: forgets what the transaction noted.
  void rolled_back() noexcept;

  // ---- reads ----
  // The candidates (rid, exact score) for p from tenant's graph, when the
  // graph should answer (exact not asked, enough vectors, not too selective
  // a filter) and can fill k; *answered false means: scan. c is a reader
  // inside its read transaction.
  void find(Connection& c, std::string_view tenant, const gs_vector_params& p,
            std::vector<hnsw::ScoredKey>* out, bool* answered);

  // Writes the file when the graphs changed since it was read or written.
  // Errors are swallowed: a missing or stale file only costs a rebuild.
  void save(Connection& c) noexcept;

  // For collect_state and the gauges.
  size_t memory_bytes() const;
  size_t vectors() const;
  // Where the graphs came from: "read from <file>", "rebuilt from the
  // database", "built by this store", or "not loaded yet".
  std::string origin() const;

 private:
  void note(std::string_view tenant, int64_t rid);
  void apply(Connection& c);
  // Brings the graphs to generation `generation` (the snapshot c reads).
  void catch_up(Connection& c, int64_t generation);
  bool load_file(Connection& c, int64_t generation);
  void rebuild(Connection& c, int64_t generation);
  hnsw::TenantVectors& tenant_vectors(std::string_view tenant);

  hnsw::VectorIndexOptions options_;
  std::string sidecar_;
  bool writable_;
  mutable std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<hnsw::TenantVectors>, std::less<>> tenants_;
  int64_t synced_ = -1;  // the generation the graphs reflect; -1: none
  bool dirty_ = false;   // changed since the file was read or written
  std::string origin_ = "not loaded yet";
  // Noted by the triggers during the open write transaction.
  std::map<std::string, std::vector<int64_t>, std::less<>> pending_;
  std::vector<int64_t>* last_pending_ = nullptr;
  std::string last_tenant_;
};

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_VECTOR_INDEXES_HPP
