#include "pool.hpp"

#include <poll.h>

#include <algorithm>
#include <cstdio>

#include "graphstore/scoring.hpp"

namespace graphstore::postgres {

// ---- Connection ----------------------------------------------------------------

Connection::Connection(const std::string& conninfo) : conn_(std::make_unique<pqxx::connection>(conninfo)) {
  // libpqxx 6 would otherwise silently reconnect a broken connection, losing
  // the session's state (the tenant set for row-level security).
  // (Deprecated in 6.4 because reactivation itself is going away.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  conn_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
}

const std::string& Connection::statement(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "gs" + std::to_string(prepared_.size() + 1);
  conn_->prepare(name, sql);
  return prepared_.emplace(sql, std::move(name)).first->second;
}

bool Connection::healthy_idle() const {
  if (broken || !conn_->is_open()) return false;
  int fd = conn_->sock();
  if (fd < 0) return false;
  pollfd p{fd, short(POLLIN | POLLRDHUP), 0};
  // An idle connection has nothing to read; anything there is the server's
  // farewell (a FATAL message on shutdown, or end of file).
  return ::poll(&p, 1, 0) == 0;
}

// ---- Lease ---------------------------------------------------------------------

Lease& Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    reset();
    pool_ = o.pool_;
    conn_ = std::move(o.conn_);
    o.pool_ = nullptr;
  }
  return *this;
}

Lease::~Lease() { reset(); }

void Lease::reset() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->release(std::move(conn_));
  conn_.reset();
  pool_ = nullptr;
}

// ---- Pool ----------------------------------------------------------------------

Pool::Pool(PoolConfig config) : config_(std::move(config)), conninfo_(config_.settings.conninfo()) {}

Pool::~Pool() {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.clear();
}

size_t Pool::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

Pool::Use Pool::use() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Use{total_, idle_.size(), waits_, exhausted_};
}

void Pool::log(int32_t level, const std::string& message) const {
  if (config_.host == nullptr || config_.host->log == nullptr) return;
  std::string text = "postgres: " + scrub(message, config_.settings);
  config_.host->log(config_.host->ctx, level, gs_str{text.data(), text.size()});
}

sdk::Status Pool::connect_error(const std::exception& e) const {
  std::string what = scrub(e.what(), config_.settings);
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  std::string lower = sdk::ascii_lower(what);
  gs_status code = GS_UNAVAILABLE;
  if (lower.find("password") != std::string::npos || lower.find("authentication") != std::string::npos ||
      lower.find("pg_hba.conf") != std::string::npos || lower.find("permission denied") != std::string::npos ||
      lower.find("certificate") != std::string::npos || lower.find("ssl") != std::string::npos ||
      lower.find("does not exist") != std::string::npos)
    code = GS_PERMISSION_DENIED;
  if (lower.find("too many clients") != std::string::npos || lower.find("remaining connection slots") != std::string::npos)
    code = GS_RESOURCE_EXHAUSTED;
  if (lower.find("could not connect") != std::string::npos || lower.find("connection refused") != std::string::npos ||
      lower.find("timeout expired") != std::string::npos || lower.find("the database system is") != std::string::npos)
    code = GS_UNAVAILABLE;
  return sdk::make_error(code, "postgres: cannot connect to " + config_.settings.describe() + " (" + config_.name +
                                   "): " + what);
}

sdk::Status Pool::fill_to_min() {
  std::vector<std::unique_ptr<Connection>> opened;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (total_ >= config_.min_size) break;
      ++total_;
    }
    try {
      opened.push_back(std::make_unique<Connection>(conninfo_));
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mu_);
      --total_;
      for (auto& c : opened) idle_.push_back(std::move(c));
      returned_.notify_all();
      return connect_error(e);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& c : opened) idle_.push_back(std::move(c));
  returned_.notify_all();
  return sdk::Status::Ok();
}

sdk::Status Pool::acquire(Lease* out, bool wait) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::duration_cast<clock::duration>(
                                     std::chrono::duration<double>(config_.acquire_timeout_s));
  std::unique_lock<std::mutex> lock(mu_);
  bool waited = false;
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      if (c->healthy_idle()) {
        *out = Lease(this, std::move(c));
        return sdk::Status::Ok();
      }
      // The server closed it (restart, idle timeout): replace it.
      --total_;
      lock.unlock();
      c.reset();
      log(GS_LOG_INFO, "replacing a connection the server closed (" + config_.name + ")");
      lock.lock();
    }
    if (total_ < config_.max_size) {
      ++total_;
      lock.unlock();
      try {
        auto c = std::make_unique<Connection>(conninfo_);
        *out = Lease(this, std::move(c));
        return sdk::Status::Ok();
      } catch (const std::exception& e) {
        lock.lock();
        --total_;
        returned_.notify_one();
        return connect_error(e);
      }
    }
    if (!wait) return sdk::make_error(GS_RESOURCE_EXHAUSTED, "postgres: every connection of the pool is lent");
    if (!waited) {
      waited = true;
      ++waits_;
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        total_ >= config_.max_size) {
      ++exhausted_;
      char waited[32];
      std::snprintf(waited, sizeof waited, "%g", config_.acquire_timeout_s);
      return sdk::make_error(GS_RESOURCE_EXHAUSTED,
                             "postgres: connection pool exhausted: all " + std::to_string(config_.max_size) +
                                 " connections of the " + config_.name + " pool (max_pool_size " +
                                 std::to_string(config_.max_size) + ") stayed busy for " + waited +
                                 " s (acquire_timeout); raise max_pool_size or lower the concurrency");
    }
  }
}

void Pool::release(std::unique_ptr<Connection> c) {
  std::unique_lock<std::mutex> lock(mu_);
  if (c->broken || !c->raw().is_open()) {
    --total_;
    lock.unlock();
    c.reset();  // closes it outside the lock
    lock.lock();
  } else {
    idle_.push_back(std::move(c));
  }
  returned_.notify_one();
}

// ---- Shared pools ----------------------------------------------------------------

namespace {

struct Registry {
  std::mutex mu;
  std::unordered_map<std::string, std::weak_ptr<Pool>> pools;
};

// Destroyed when the plugin is unloaded, after every store (and so every
// pool) is gone: it holds only weak references.
Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

sdk::Status get_pool(const std::string& name, PoolConfig config, std::shared_ptr<Pool>* out) {
  if (name.empty()) {
    *out = std::make_shared<Pool>(std::move(config));
    return sdk::Status::Ok();
  }
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.pools.find(name);
  if (it != r.pools.end()) {
    if (std::shared_ptr<Pool> existing = it->second.lock()) {
      const PoolConfig& have = existing->config();
      if (have.settings.conninfo() != config.settings.conninfo() || have.max_size != config.max_size ||
          have.min_size != config.min_size)
        return sdk::make_error(GS_INVALID_ARGUMENT,
                               "option 'pool': pool '" + name +
                                   "' is already open in this process with other connection settings or sizes (" +
                                   have.settings.describe() + ", min " + std::to_string(have.min_size) + ", max " +
                                   std::to_string(have.max_size) + ")");
      *out = existing;
      return sdk::Status::Ok();
    }
  }
  for (auto e = r.pools.begin(); e != r.pools.end();) e = e->second.expired() ? r.pools.erase(e) : std::next(e);
  config.name = "'" + name + "'";
  // Not make_shared: the weak reference kept here must not keep the pool's
  // memory allocated after its last store closed.
  std::shared_ptr<Pool> pool(new Pool(std::move(config)));
  r.pools[name] = pool;
  *out = pool;
  return sdk::Status::Ok();
}

}  // namespace graphstore::postgres
