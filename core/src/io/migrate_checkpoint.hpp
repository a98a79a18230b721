// The migration checkpoint file (docs/streaming.md, "Checkpoint"): what it
// holds, reading and writing it, and the checks a resumed run makes with it
// (the same stores, the same source tenants, a target that still holds what
// it held at the last committed batch).
#ifndef GRAPHSTORE_IO_MIGRATE_CHECKPOINT_HPP
#define GRAPHSTORE_IO_MIGRATE_CHECKPOINT_HPP

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "graphstore/io.hpp"
#include "graphstore/migrate.hpp"
#include "graphstore/status.hpp"

namespace graphstore::io {

inline constexpr uint64_t kCheckpointVersion = 2;

// One side of a migration: its identity and its plugin id.
struct CheckpointStore {
  StoreIdentity identity;
  std::string backend;
  bool operator==(const CheckpointStore&) const = default;
};

struct Checkpoint {
  CheckpointStore source, target;
  std::vector<std::string> tenants;  // the source's, "" (global) first, when the migration started
  uint64_t batch_size = 0;           // of the run that wrote it: at most one such batch may follow it
  std::string tenant;
  std::string phase = "entities";  // "entities", "relations" or "done"
  std::string after_id;
  uint64_t entities = 0, relations = 0;  // copied so far, over every run
  // What the target held after the last committed batch, for every tenant
  // of `tenants`.
  std::map<std::string, TenantCounts> target_held;
};

// Reads path into *out. *exists false (and OK) when there is no file.
// INVALID_ARGUMENT "PATH: not a migration checkpoint: WHY" when it cannot be
// read as one, or is of an older version that lacks the stores' identities.
Status read_checkpoint(const std::filesystem::path& path, Checkpoint* out, bool* exists);

// Writes c to PATH.tmp and renames it over path, so a checkpoint is always
// whole. INTERNAL naming the file when either step fails.
Status write_checkpoint(const std::filesystem::path& path, const Checkpoint& c);

// What differs between the stores a checkpoint was written for and the ones
// at hand, one phrase each ("target environment 'b' in the checkpoint, 'd'
// now"), and between the source tenants then and now; empty when the same.
std::vector<std::string> checkpoint_mismatches(const Checkpoint& recorded, const Checkpoint& now);

// What differs between what the target held at the checkpoint and what it
// holds now (`held`, for the checkpoint's tenants), one phrase each
// ("tenant global: 0 entities, the checkpoint recorded 554"); empty when it
// fits. `allow_one_batch`: the target may hold up to recorded.batch_size more
// records of one tenant and kind (a batch that committed after the last
// checkpoint was written, before a crash), never fewer.
std::vector<std::string> target_mismatches(const Checkpoint& recorded, const std::map<std::string, TenantCounts>& held,
                                           bool allow_one_batch);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_MIGRATE_CHECKPOINT_HPP
