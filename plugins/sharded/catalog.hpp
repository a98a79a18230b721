// The placement catalog: which shard holds each tenant, kept in a PostgreSQL
// database (README.md, "The placement catalog", has the tables). The sharded
// plugin reads it to route calls; the tenant mover (sharding/) changes it.
//
// Every placement change takes a new value of one sequence as its version, so
// a router learns every change since it last looked from one query
// (changed_since). Moves log the ids they must catch up on in move_changes.
//
// Thread-safe: one connection behind a mutex (catalog calls are rare: a
// tenant's first call in a process, a refresh per placement_ttl, and the
// writes of a tenant being moved). A lost connection is made again on the
// next call. Errors: UNAVAILABLE "placement catalog: ..." when the server
// cannot be reached or is shutting down, INTERNAL for anything else; never
// the dsn's password.
#ifndef GRAPHSTORE_SHARDED_CATALOG_HPP
#define GRAPHSTORE_SHARDED_CATALOG_HPP

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/plugin.hpp"

namespace graphstore::sharded {

// A tenant's place. While it moves, `target` names where it goes.
enum class PlacementState { kActive, kCopying, kSwitching };
const char* state_name(PlacementState state);

struct Placement {
  std::string tenant;  // "" is the global namespace
  std::string shard;
  PlacementState state = PlacementState::kActive;
  std::string target;  // set while copying or switching
  int64_t version = 0;
};

// A record a write touched while its tenant was being copied.
struct Change {
  int64_t seq = 0;
  int32_t kind = 0;  // GS_KIND_ENTITY or GS_KIND_RELATION
  std::string id;
};

// The shard a tenant without a placement goes to: rendezvous hashing (the
// name with the highest mixed FNV-1a hash of name, NUL, tenant), so every process
// picks the same one and adding a shard moves no placed tenant.
std::string default_shard(std::string_view tenant, const std::vector<std::string>& shards);

class Catalog {
 public:
  // Connects and creates the schema and its tables if absent (under an
  // advisory lock, so that processes starting together do not race).
  static sdk::Status open(std::string dsn, std::string schema, std::unique_ptr<Catalog>* out);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // The tenant's placement, or nullopt when it has none.
  sdk::Status lookup(std::string_view tenant, std::optional<Placement>* out);
  // Places the tenant on shard unless it is placed already; *out is the
  // placement that holds afterwards (this one or the earlier one).
  sdk::Status place(std::string_view tenant, std::string_view shard, Placement* out);
  // Every placement whose version is above `version`, in version order.
  sdk::Status changed_since(int64_t version, std::vector<Placement>* out);
  // The newest version any placement holds (0 when there is none).
  sdk::Status max_version(int64_t* out);
  // Every placement, by tenant.
  sdk::Status all(std::vector<Placement>* out);

  // ---- Moves (sharding/tenant_move.cpp) ----
  // active on another shard -> copying to target. FAILED_PRECONDITION-like
  // errors are INVALID_ARGUMENT naming the tenant and its state.
  sdk::Status begin_move(std::string_view tenant, std::string_view source, std::string_view target);
  sdk::Status set_switching(std::string_view tenant);
  // switching -> active on the target; its change log is dropped.
  sdk::Status finish_move(std::string_view tenant);
  // copying or switching -> active where it was; its change log is dropped.
  sdk::Status abort_move(std::string_view tenant);
  // Appends what a write of a moving tenant touched.
  sdk::Status log_changes(std::string_view tenant, const std::vector<std::pair<int32_t, std::string>>& changes);
  // Up to limit changes of the tenant after seq, in seq order.
  sdk::Status read_changes(std::string_view tenant, int64_t after_seq, size_t limit, std::vector<Change>* out);

 private:
  Catalog(std::string dsn, std::string schema);
  template <class Fn>
  sdk::Status run(const char* what, Fn fn);
  void connect_locked();

  std::string dsn_;
  std::string schema_;  // quoted
  std::mutex mutex_;
  struct Connection;  // libpqxx's, kept out of this header
  std::unique_ptr<Connection> conn_;
};

}  // namespace graphstore::sharded

#endif  // GRAPHSTORE_SHARDED_CATALOG_HPP
