#include "router.hpp"

#include "graphstore/tenant.hpp"

namespace graphstore::sharded {
namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Router::Router(Catalog& catalog, std::vector<std::string> shards, double ttl_s, double wait_s)
    : catalog_(catalog),
      shards_(std::move(shards)),
      ttl_(std::chrono::nanoseconds(static_cast<int64_t>(ttl_s * 1e9))),
      wait_(std::chrono::nanoseconds(static_cast<int64_t>(wait_s * 1e9))) {}

sdk::Status Router::start() {
  // Placements are read tenant by tenant on first use; refreshes start from
  // the newest version now, not from the whole table.
  int64_t started = now_ns();
  if (sdk::Status s = catalog_.max_version(&known_version_); !s.ok()) return s;
  refreshed_at_ns_.store(started, std::memory_order_relaxed);
  fresh_until_ns_.store(started + ttl_.count(), std::memory_order_release);
  thread_ = std::thread([this] { refresher(); });
  return sdk::Status::Ok();
}

Router::~Router() {
  {
    std::lock_guard lock(stop_mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Router::refresher() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, ttl_ / 2, [this] { return stop_; })) {
    lock.unlock();
    // An exception here would end the host process: out of memory waits
    // for the next turn (a call then refreshes itself, or answers why not).
    try {
      (void)ensure_fresh();
    } catch (...) {
    }
    lock.lock();
  }
}

Route Router::to_route(const Placement& p) const {
  Route r;
  r.shard = p.shard;
  r.state = p.state;
  r.target = p.target;
  r.placed = true;
  return r;
}

void Router::remember(const Placement& p) {
  std::unique_lock lock(cache_mutex_);
  unplaced_.erase(p.tenant);
  auto [it, inserted] = cache_.try_emplace(p.tenant, p);
  if (!inserted && it->second.version < p.version) it->second = p;
}

sdk::Status Router::refresh() {
  int64_t started = now_ns();
  std::vector<Placement> changed;
  if (sdk::Status s = catalog_.changed_since(known_version_, &changed); !s.ok()) {
    std::lock_guard lock(error_mutex_);
    last_error_ = s.message;
    return s;
  }
  {
    std::unique_lock lock(cache_mutex_);
    for (const Placement& p : changed) {
      known_version_ = std::max(known_version_, p.version);
      // Only tenants this process has asked about: the others are read on
      // their first call.
      auto it = cache_.find(p.tenant);
      if (it != cache_.end()) {
        if (it->second.version < p.version) it->second = p;
      } else if (unplaced_.erase(p.tenant) != 0) {
        cache_.emplace(p.tenant, p);
      }
    }
  }
  refreshed_at_ns_.store(started, std::memory_order_relaxed);
  fresh_until_ns_.store(started + ttl_.count(), std::memory_order_release);
  return sdk::Status::Ok();
}

sdk::Status Router::ensure_fresh() {
  if (now_ns() < fresh_until_ns_.load(std::memory_order_acquire)) return sdk::Status::Ok();
  std::lock_guard lock(refresh_mutex_);
  if (now_ns() < fresh_until_ns_.load(std::memory_order_acquire)) return sdk::Status::Ok();
  if (sdk::Status s = refresh(); !s.ok())
    return sdk::make_error(GS_UNAVAILABLE, "cannot route: placements are older than placement_ttl and " + s.message);
  return sdk::Status::Ok();
}

sdk::Status Router::lookup(std::string_view tenant, Route* out) {
  {
    std::shared_lock lock(cache_mutex_);
    if (auto it = cache_.find(std::string(tenant)); it != cache_.end()) {
      *out = to_route(it->second);
      return sdk::Status::Ok();
    }
    if (unplaced_.count(std::string(tenant)) != 0) {
      *out = Route{default_shard(tenant, shards_), PlacementState::kActive, {}, false, false};
      return sdk::Status::Ok();
    }
  }
  std::optional<Placement> p;
  if (sdk::Status s = catalog_.lookup(tenant, &p); !s.ok()) return s;
  if (p) {
    remember(*p);
    *out = to_route(*p);
  } else {
    std::unique_lock lock(cache_mutex_);
    unplaced_.emplace(std::string(tenant), true);
    *out = Route{default_shard(tenant, shards_), PlacementState::kActive, {}, false, false};
  }
  return sdk::Status::Ok();
}

sdk::Status Router::route(std::string_view tenant, bool for_write, Route* out) {
  if (sdk::Status s = ensure_fresh(); !s.ok()) return s;
  if (sdk::Status s = lookup(tenant, out); !s.ok()) return s;
  if (!for_write) return sdk::Status::Ok();
  if (!out->placed) {
    Placement p;
    if (sdk::Status s = catalog_.place(tenant, out->shard, &p); !s.ok()) return s;
    remember(p);
    *out = to_route(p);
  }
  // The last step of a move: the mover catches up and switches. Ask the
  // catalog itself until it is over.
  auto deadline = std::chrono::steady_clock::now() + wait_;
  while (out->state == PlacementState::kSwitching) {
    if (std::chrono::steady_clock::now() >= deadline)
      return sdk::make_error(GS_UNAVAILABLE, sdk::describe_tenant(tenant) + " is switching from shard '" + out->shard +
                                                 "' to '" + out->target + "' for longer than move_wait; retry");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::optional<Placement> p;
    if (sdk::Status s = catalog_.lookup(tenant, &p); !s.ok()) return s;
    if (!p) return sdk::make_error(GS_INTERNAL, sdk::describe_tenant(tenant) + ": its placement vanished during a move");
    remember(*p);
    *out = to_route(*p);
  }
  out->log = out->state == PlacementState::kCopying;
  return sdk::Status::Ok();
}

size_t Router::cached() const {
  std::shared_lock lock(cache_mutex_);
  return cache_.size();
}

double Router::refresh_age_s() const {
  int64_t at = refreshed_at_ns_.load(std::memory_order_relaxed);
  return at == 0 ? -1.0 : double(now_ns() - at) / 1e9;
}

std::string Router::last_error() const {
  std::lock_guard lock(error_mutex_);
  return last_error_;
}

}  // namespace graphstore::sharded
