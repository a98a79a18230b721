// ShardedStore: tenants spread over several stores (shards), each call on a
// tenant served by the one shard the placement catalog names for it
// (router.hpp), so that every query of a tenant, recursive paths included,
// runs where its data is. README.md has the options, the catalog, moves and
// what a caller sees when a shard is down.
//
// Calls that span tenants span shards: list_tenants is the union of every
// shard's, and clear of every tenant clears every shard; either answers
// UNAVAILABLE naming the first shard that cannot be reached. A shard that
// cannot be reached makes only its own tenants' calls UNAVAILABLE, with its
// name; it is opened again on a later call (at most once a second).
#ifndef GRAPHSTORE_SHARDED_STORE_HPP
#define GRAPHSTORE_SHARDED_STORE_HPP

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog.hpp"
#include "graphstore/host_store.hpp"
#include "graphstore/plugin.hpp"
#include "options.hpp"
#include "router.hpp"

namespace graphstore::sharded {

// The ids a write touches, for a moving tenant's change log.
using ChangeList = std::vector<std::pair<int32_t, std::string>>;

class ShardedStore {
 public:
  static sdk::Status open(const gs_host* host, std::string_view options_json, std::unique_ptr<ShardedStore>* out);

  // Reads on one tenant go to its shard as they came; writes are logged
  // first while the tenant is being moved. plugin.hpp checks each list
  // against the methods.
  using forwarded_slots =
      sdk::Slots<sdk::Slot::get_entity, sdk::Slot::get_relation, sdk::Slot::get_neighbors, sdk::Slot::for_each_entity,
                 sdk::Slot::for_each_relation, sdk::Slot::traverse, sdk::Slot::find_paths, sdk::Slot::subgraph,
                 sdk::Slot::scan_entities, sdk::Slot::scan_relations, sdk::Slot::vector_search,
                 sdk::Slot::text_search, sdk::Slot::get_stats>;
  using native_slots = sdk::Slots<sdk::Slot::add_entities_bulk, sdk::Slot::add_relations_bulk,
                                  sdk::Slot::collect_gauges, sdk::Slot::collect_state, sdk::Slot::clear,
                                  sdk::Slot::delete_by_source>;

  // A read on one tenant: the shard's slot with the call's arguments (all
  // but store and errbuf). A Tier 2 slot the shard lacks answers
  // UNSUPPORTED, so that the core runs its default over this store's Tier 1,
  // which routes each call.
  template <sdk::Slot S, class... A>
  sdk::Status forward_slot(gs_str tenant, A... args) {
    using Info = sdk::SlotInfo<S>;
    Route route;
    sdk::HostStore* shard = nullptr;
    if (sdk::Status s = locate(sdk::view(tenant), false, &route, &shard); !s.ok()) return s;
    if (!shard->has(Info::member, Info::end))
      return sdk::make_error(GS_UNSUPPORTED,
                             "shard '" + route.shard + "' (" + shard->plugin_id() + ") has no native " +
                                 std::string(Info::name));
    return from_shard(route.shard, shard->call(shard->api().*Info::member, tenant, args...));
  }

  // ---- Writes ----
  sdk::Status add_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status update_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status delete_entity(std::string_view tenant, std::string_view id);
  sdk::Status add_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status update_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status delete_relation(std::string_view tenant, std::string_view id);
  sdk::Status apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index);
  sdk::Status add_entities_bulk(std::string_view tenant, const gs_entity* const* items, size_t n, sdk::SkipSink skip,
                                uint64_t* added);
  sdk::Status add_relations_bulk(std::string_view tenant, const gs_relation* const* items, size_t n,
                                 sdk::SkipSink skip, uint64_t* added);
  // Refused (UNAVAILABLE) while the tenant is being moved: a removal names no
  // ids for the mover to catch up on.
  sdk::Status clear(std::string_view tenant, int32_t scope, gs_removed* removed);
  sdk::Status delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed);

  // ---- Across shards ----
  sdk::Status list_tenants(sdk::TenantSink sink);
  sdk::Status collect_gauges(sdk::GaugeSink sink);
  sdk::Status collect_state(sdk::StateSink sink);

 private:
  struct Shard {
    std::string name;
    std::string section;
    std::mutex mutex;
    std::unique_ptr<sdk::HostStore> owner;
    std::atomic<sdk::HostStore*> store{nullptr};
    std::chrono::steady_clock::time_point retry_after{};
    std::string last_error;
  };

  ShardedStore(const gs_host* host, Options options) : host_(host), options_(std::move(options)) {}

  Shard* find_shard(std::string_view name);
  // The shard's store, opening it if it is not open; UNAVAILABLE naming it
  // when it cannot be reached.
  sdk::Status open_shard(Shard& shard, sdk::HostStore** out);
  sdk::Status locate(std::string_view tenant, bool for_write, Route* route, sdk::HostStore** out);
  // A shard's answer, with failures of the shard itself named after it.
  static sdk::Status from_shard(const std::string& shard, sdk::Status s);
  using ShardCall = std::function<sdk::Status(sdk::HostStore&)>;
  sdk::Status write(std::string_view tenant, const std::function<ChangeList()>& changes, const ShardCall& call);
  // add_entities_bulk and add_relations_bulk: the shard's own, logged first
  // while the tenant moves.
  template <class Item>
  sdk::Status bulk_add(std::string_view tenant, const Item* const* items, size_t n, sdk::SkipSink skip,
                       uint64_t* added);
  sdk::Status for_every_shard(const char* what, const std::function<sdk::Status(Shard&, sdk::HostStore&)>& fn);

  const gs_host* host_;
  Options options_;
  std::unique_ptr<Catalog> catalog_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::unique_ptr<Router> router_;
};

}  // namespace graphstore::sharded

#endif  // GRAPHSTORE_SHARDED_STORE_HPP
