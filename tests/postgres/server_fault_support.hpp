// Server faults for the postgres fault tests: a seed that makes the random
// moments reproducible, a thread that ends the plugin's sessions with
// pg_terminate_backend or restarts a private cluster once the plugin is
// seen writing, and row counts read straight from the tables.
//
// The moments are random (a delay drawn from the seed after the plugin's
// write shows up in pg_stat_activity); GRAPHSTORE_FAULT_SEED replays a run.
#ifndef GRAPHSTORE_TESTS_POSTGRES_SERVER_FAULT_SUPPORT_HPP
#define GRAPHSTORE_TESTS_POSTGRES_SERVER_FAULT_SUPPORT_HPP

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pg_test_support.hpp"

namespace graphstore::pgtest {

// The seed of this test: GRAPHSTORE_FAULT_SEED when set, else a fresh one.
// Printed, so a failing run can be replayed.
inline uint64_t fault_seed() {
  uint64_t seed = 0;
  if (const char* env = std::getenv("GRAPHSTORE_FAULT_SEED"); env && *env)
    seed = std::strtoull(env, nullptr, 10);
  else
    seed = (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
  std::printf("[ seed     ] GRAPHSTORE_FAULT_SEED=%llu\n", static_cast<unsigned long long>(seed));
  ::testing::Test::RecordProperty("fault_seed", std::to_string(seed));
  return seed;
}

// Rows of schema.table in tenant whose id starts with prefix, counted by the
// superuser past the plugin.
inline int64_t count_rows(const Server& s, const std::string& schema, const std::string& table,
                          const std::string& tenant, const std::string& prefix = "") {
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  return tx
      .exec_params("SELECT count(*) FROM " + tx.quote_name(schema) + "." + tx.quote_name(table) +
                       " WHERE tenant_id = $1 AND starts_with(id, $2)",
                   tenant, prefix)[0][0]
      .as<int64_t>();
}

// The ids of schema.table in tenant, in order, and how many rows hold each
// (a doubled id would show as a 2).
inline std::vector<std::string> stored_ids(const Server& s, const std::string& schema, const std::string& table,
                                           const std::string& tenant) {
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  std::vector<std::string> out;
  for (const auto& row : tx.exec_params("SELECT id, count(*) FROM " + tx.quote_name(schema) + "." +
                                            tx.quote_name(table) + " WHERE tenant_id = $1 GROUP BY id ORDER BY id",
                                        tenant))
    out.push_back(row[0].as<std::string>() + (row[1].as<int>() == 1 ? "" : " x" + row[1].as<std::string>()));
  return out;
}

// A fault fired from its own thread once a backend of application_name runs
// a write (COPY, INSERT, UPDATE, DELETE), after a delay of up to max_delay_ms
// drawn from rng. The fault is `act`; fired() says whether it ran. The
// destructor stops the watch and joins; a fault already past its watch
// still runs (it then meets the pool's idle connections).
class FaultAtWrite {
 public:
  FaultAtWrite(const Server& s, std::string app, std::mt19937_64& rng, int max_delay_ms, std::function<void()> act)
      : server_(s), app_(std::move(app)), delay_ms_(int(rng() % uint64_t(max_delay_ms + 1))), act_(std::move(act)) {
    thread_ = std::thread([this] { watch(); });
  }
  ~FaultAtWrite() {
    stop_ = true;
    thread_.join();
  }
  FaultAtWrite(const FaultAtWrite&) = delete;
  FaultAtWrite& operator=(const FaultAtWrite&) = delete;

  bool fired() const { return fired_; }
  int delay_ms() const { return delay_ms_; }

 private:
  void watch() {
    try {
      {
        std::unique_ptr<pqxx::connection> conn;  // closed before the fault: a restart would end it
        while (!conn) {  // the server may still be starting
          try {
            conn = std::make_unique<pqxx::connection>(server_.admin_conninfo());
          } catch (const pqxx::broken_connection&) {
            if (stop_) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }
        pqxx::connection& c = *conn;
        for (;;) {
          pqxx::nontransaction tx(c);
          bool writing = tx.exec_params("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = $1 "
                                        "AND state = 'active' AND query ~* '^\\s*(copy|insert|update|delete)')",
                                        app_)[0][0]
                             .as<bool>();
          tx.commit();
          if (writing) break;
          if (stop_) return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
      // Set before acting: the call the fault cuts can return (and the test
      // read fired()) before act_ does.
      fired_ = true;
      act_();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "the fault thread failed: " << e.what();
    }
  }

  Server server_;
  std::string app_;
  int delay_ms_;
  std::function<void()> act_;
  std::atomic<bool> stop_{false}, fired_{false};
  std::thread thread_;
};

// Ends every session of application_name (the busy one and the pool's idle
// ones); how many it ended.
inline int terminate_sessions(const Server& s, const std::string& app) {
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  return tx.exec_params("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = $1",
                        app)[0][0]
      .as<int>();
}

}  // namespace graphstore::pgtest

#endif  // GRAPHSTORE_TESTS_POSTGRES_SERVER_FAULT_SUPPORT_HPP
