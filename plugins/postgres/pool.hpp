// Server connections and the pool that lends them out.
//
// A Connection is one libpqxx connection plus its session state: the prepared
// statements it holds (by SQL text) and the tenant last set for row-level
// security. A Pool keeps min_pool_size connections open from the start,
// opens more on demand up to max_pool_size, and makes a caller wait up to
// acquire_timeout for one to come back before answering RESOURCE_EXHAUSTED.
// A connection that broke is closed, never lent again; an idle one whose
// server went away (a restart) is noticed before it is lent and replaced.
//
// Pools may be shared: stores of one process that name the same pool
// (option 'pool') get the same Pool object, as long as they connect to the
// same server with the same settings.
//
// Thread-safety: Pool is safe from any thread; a Connection is used by one
// thread at a time (the one holding its Lease).
#ifndef GRAPHSTORE_POSTGRES_POOL_HPP
#define GRAPHSTORE_POSTGRES_POOL_HPP

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <pqxx/pqxx>

#include "graphstore/abi.h"
#include "graphstore/plugin.hpp"
#include "options.hpp"

namespace graphstore::postgres {

class Connection {
 public:
  // Connects; throws pqxx::broken_connection (or another pqxx::failure).
  explicit Connection(const std::string& conninfo);

  pqxx::connection& raw() { return *conn_; }
  // The name of the prepared statement for sql on this connection,
  // registered on first use (libpqxx prepares it on the first execution).
  const std::string& statement(const std::string& sql);
  // True unless the idle connection has heard from its server (an error
  // message or end of file: the server went away) or has been closed.
  bool healthy_idle() const;

  // Set when an operation on it failed at the connection level; the pool
  // then closes it instead of lending it again.
  bool broken = false;
  // The value of graphstore.tenant in this session (row-level security),
  // empty optional when unknown.
  std::optional<std::string> tenant_setting;

 private:
  std::unique_ptr<pqxx::connection> conn_;
  std::unordered_map<std::string, std::string> prepared_;
};

struct PoolConfig {
  std::string name;        // for messages: "primary", "replica 1", or the shared pool's name
  ConnSettings settings;   // where to connect
  size_t min_size = 0;
  size_t max_size = 1;
  double acquire_timeout_s = 30;
  const gs_host* host = nullptr;  // for log messages, may be NULL
};

class Pool;

// A borrowed connection; goes back to its pool when destroyed.
class Lease {
 public:
  Lease() = default;
  Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), conn_(std::move(c)) {}
  Lease(Lease&& o) noexcept = default;
  Lease& operator=(Lease&& o) noexcept;
  ~Lease();
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }
  explicit operator bool() const { return conn_ != nullptr; }
  void reset();

 private:
  Pool* pool_ = nullptr;
  std::unique_ptr<Connection> conn_;
};

class Pool {
 public:
  explicit Pool(PoolConfig config);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Opens connections until min_size exist. Fails with the first connection
  // error (UNAVAILABLE, PERMISSION_DENIED, ...), password scrubbed.
  sdk::Status fill_to_min();
  // Lends a connection: an idle one, a new one while fewer than max_size
  // exist, or the first one returned within acquire_timeout; else
  // RESOURCE_EXHAUSTED naming the pool size. With wait false it never
  // waits: RESOURCE_EXHAUSTED at once when every connection is lent.
  sdk::Status acquire(Lease* out, bool wait = true);

  const PoolConfig& config() const { return config_; }
  // Connections open or being opened, lent or idle.
  size_t size() const;
  // What the pool holds and how often callers waited, for gauges.
  struct Use {
    size_t open = 0;  // lent, idle or being opened
    size_t idle = 0;
    uint64_t waits = 0;      // acquisitions that found every connection busy
    uint64_t exhausted = 0;  // of those, the ones that timed out
  };
  Use use() const;
  // The error of a failed connection attempt, as a status.
  sdk::Status connect_error(const std::exception& e) const;

 private:
  friend class Lease;
  void release(std::unique_ptr<Connection> c);
  void log(int32_t level, const std::string& message) const;

  PoolConfig config_;
  std::string conninfo_;
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t total_ = 0;  // idle + lent + being opened
  uint64_t waits_ = 0;
  uint64_t exhausted_ = 0;
};

// The process-wide pool for a store: a private one when name is empty, else
// the shared pool of that name (created on first use; INVALID_ARGUMENT when
// it exists with other connection settings or sizes).
sdk::Status get_pool(const std::string& name, PoolConfig config, std::shared_ptr<Pool>* out);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_POOL_HPP
