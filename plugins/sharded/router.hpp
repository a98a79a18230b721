// Router: which shard serves a call on a tenant, from the placement catalog,
// cached for placement_ttl.
//
// A placement read from the catalog is used until placement_ttl has passed
// since the last refresh began; then the next call (or the refresher thread,
// every half ttl) reads every placement changed since, in one query. When the
// catalog cannot be reached past that, calls answer UNAVAILABLE rather than
// route on a placement a move may have changed: a mover waits placement_ttl
// plus move_grace after each change before it relies on every router having
// seen it.
//
// A tenant with no placement is read from its default shard (default_shard)
// and placed there by its first write. While a tenant is copied to another
// shard its calls still go to its shard, and writes say so (Route::log): the
// caller logs what they touch before writing, for the mover to catch up on.
// While the move switches, writes wait (up to move_wait) for it to finish.
#ifndef GRAPHSTORE_SHARDED_ROUTER_HPP
#define GRAPHSTORE_SHARDED_ROUTER_HPP

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "catalog.hpp"
#include "graphstore/plugin.hpp"

namespace graphstore::sharded {

struct Route {
  std::string shard;
  PlacementState state = PlacementState::kActive;
  std::string target;
  bool placed = false;
  bool log = false;  // a write while the tenant is copied: log its ids first
};

class Router {
 public:
  Router(Catalog& catalog, std::vector<std::string> shards, double ttl_s, double wait_s);
  ~Router();
  Router(const Router&) = delete;
  // Reads the catalog's newest version and starts the refresher thread.
  sdk::Status start();
  Router& operator=(const Router&) = delete;

  // The route of a call on tenant; for_write places an unplaced tenant and
  // waits out a switching move. Errors: UNAVAILABLE from the catalog, or when
  // a switch outlasts move_wait.
  sdk::Status route(std::string_view tenant, bool for_write, Route* out);

  // For gauges and state: placements cached, and seconds since the last
  // successful refresh.
  size_t cached() const;
  double refresh_age_s() const;
  std::string last_error() const;

 private:
  sdk::Status ensure_fresh();
  sdk::Status refresh();
  sdk::Status lookup(std::string_view tenant, Route* out);
  void remember(const Placement& p);
  Route to_route(const Placement& p) const;
  void refresher();

  Catalog& catalog_;
  const std::vector<std::string> shards_;
  const std::chrono::nanoseconds ttl_;
  const std::chrono::nanoseconds wait_;

  mutable std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, Placement> cache_;  // placed tenants, by tenant
  std::unordered_map<std::string, bool> unplaced_;    // tenants the catalog had no placement for
  int64_t known_version_ = 0;                         // under refresh_mutex_

  std::mutex refresh_mutex_;
  std::atomic<int64_t> fresh_until_ns_{0};  // steady clock
  std::atomic<int64_t> refreshed_at_ns_{0};
  mutable std::mutex error_mutex_;
  std::string last_error_;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace graphstore::sharded

#endif  // GRAPHSTORE_SHARDED_ROUTER_HPP
