// Moving one tenant of a sharded store (plugins/sharded) to another shard
// while every tenant, that one included, keeps taking calls. README.md,
// "Moving a tenant", tells the steps and what callers see; in short:
//  1. copying: the catalog marks the tenant as moving; after placement_ttl +
//     move_grace every router logs the ids a write of it touches before
//     writing. The migration code (migrate(), tenants = {it}) copies it.
//  2. catching up: the logged ids are replayed from the source's current
//     records (an id absent there is deleted on the target), pass after pass,
//     until a pass finds fewer than catch_up_until; catch_up_threads at once.
//  3. switching: writes of the tenant wait; after placement_ttl + move_grace
//     the rest of the log is replayed, the counts of both shards compared,
//     and the catalog names the target. The source's copy is removed once
//     every router has seen that.
// Any failure before the switch abandons the move: the tenant stays where it
// was and the target's partial copy is removed.
#ifndef GRAPHSTORE_SHARDING_TENANT_MOVE_HPP
#define GRAPHSTORE_SHARDING_TENANT_MOVE_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/io.hpp"
#include "graphstore/registry.hpp"
#include "graphstore/status.hpp"

namespace graphstore::sharding {

struct MoveOptions {
  std::string tenant;  // "" is the global namespace
  std::string to;      // a shard named in the sharded store's options
  uint64_t batch_size = 5000;
  uint64_t catch_up_until = 1000;  // a catch-up pass that replays fewer ids than this ends copying
  unsigned catch_up_threads = 4;   // ids replayed at once (each a read of the source and a write of the target)
  ProgressFn progress;             // migrate()'s phases, then "catch-up"
};

struct MoveReport {
  std::string from, to;
  uint64_t entities = 0, relations = 0;  // copied by migrate()
  uint64_t changes_replayed = 0;         // logged ids replayed, every pass
  int catch_up_passes = 0;
  double copy_seconds = 0, catch_up_seconds = 0;
  double switch_seconds = 0;  // writes of the tenant waited this long at most
  double seconds = 0;
  bool already_there = false;  // nothing to do: the tenant is on `to`
};

// Moves options.tenant of the sharded store whose options (JSON, as in the
// config file) are sharded_options_json to shard options.to, opening the
// shards through registry. Errors: INVALID_ARGUMENT for an unknown shard or a
// tenant already moving (abandon_move clears that), the stores' and the
// catalog's statuses otherwise; on any error before the switch, the move is
// abandoned as above.
Status move_tenant(Registry& registry, std::string_view sharded_options_json, const MoveOptions& options,
                   MoveReport* report);

// Abandons a move that was interrupted (its process died): the tenant stays
// on its shard, the target's partial copy is removed. INVALID_ARGUMENT when
// the tenant is not moving.
Status abandon_move(Registry& registry, std::string_view sharded_options_json, std::string_view tenant);

// One line per placed tenant: tenant, shard, state, target.
struct PlacementRow {
  std::string tenant, shard, state, target;
};
Status list_placements(std::string_view sharded_options_json, std::vector<PlacementRow>* out);

}  // namespace graphstore::sharding

#endif  // GRAPHSTORE_SHARDING_TENANT_MOVE_HPP
