// Shared helpers of the postgres tests: the shared test server started by the
// CTest fixture (its address read from PGTEST_ENV_FILE), private clusters a
// test starts itself (TLS, replicas, restarts), stores opened through the
// host API, and raw admin connections for checks.
//
// A test that cannot reach its server fails; none is ever skipped.
#ifndef GRAPHSTORE_TESTS_POSTGRES_SUPPORT_HPP
#define GRAPHSTORE_TESTS_POSTGRES_SUPPORT_HPP

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"

namespace graphstore::pgtest {

// A server's address, as the cluster script's env file records it.
struct Server {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string dir, tls_dir, env_file;

  // key=value connection string for the superuser (trusted on loopback).
  std::string admin_conninfo(const std::string& database = "graphstore") const {
    return "host=" + host + " port=" + std::to_string(port) + " user=postgres dbname=" + database;
  }
};

inline std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

inline bool load_server(const std::string& env_file, Server* out) {
  auto env = read_env_file(env_file);
  if (!env.count("PGTEST_PORT")) return false;
  out->host = env["PGTEST_HOST"];
  out->port = std::atoi(env["PGTEST_PORT"].c_str());
  out->dir = env["PGTEST_DIR"];
  out->tls_dir = env["PGTEST_TLS_DIR"];
  out->env_file = env_file;
  return true;
}

// The shared server of the postgres_server fixture.
inline Server shared_server() {
  Server s;
  if (!load_server(PGTEST_ENV_FILE, &s))
    ADD_FAILURE() << "no PostgreSQL test server: " << PGTEST_ENV_FILE
                  << " is missing (run the tests through ctest, which starts it with "
                     "scripts/pg-test-cluster.sh)";
  return s;
}

inline std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

// A cluster of its own, started by the script and removed when destroyed.
class PrivateCluster {
 public:
  // extra: "--ssl", "--standby-of PORT", ...
  explicit PrivateCluster(const std::string& extra = "") {
    env_file_ = (std::filesystem::temp_directory_path() / (unique_name("gs-pgtest-env-") + ".env")).string();
    std::string cmd = std::string(PG_CLUSTER_SCRIPT) + " start " + env_file_ + " auto " + extra + " >/dev/null";
    ok_ = std::system(cmd.c_str()) == 0 && load_server(env_file_, &server_);
  }
  ~PrivateCluster() { stop(); }
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  bool ok() const { return ok_; }
  const Server& server() const { return server_; }
  bool restart() { return script("restart"); }
  // Stops the server, keeping its data; resume starts it again.
  bool pause() { return script("pause"); }
  bool resume() { return script("resume"); }
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    std::system((std::string(PG_CLUSTER_SCRIPT) + " stop " + env_file_).c_str());
  }

 private:
  bool script(const char* command) {
    return std::system((std::string(PG_CLUSTER_SCRIPT) + " " + command + " " + env_file_).c_str()) == 0;
  }

  std::string env_file_;
  Server server_;
  bool ok_ = false;
  bool stopped_ = false;
};

// Options JSON for a store on server s in schema `schema`, plus extra members
// (",\"key\":value..." text, may be empty).
inline std::string options_for(const Server& s, const std::string& schema, const std::string& extra = "",
                               const std::string& user = "postgres") {
  return "{\"host\":\"" + s.host + "\",\"port\":" + std::to_string(s.port) + ",\"user\":\"" + user +
         "\",\"database\":\"graphstore\",\"schema\":\"" + schema + "\"" + extra + "}";
}

// The cluster's non-superuser role (scripts/pg-test-cluster.sh), for tests
// that need a role row-level security applies to.
inline const char* const kAppPassword = "gs-app-password";

inline std::string app_options(const Server& s, const std::string& schema, const std::string& extra = "") {
  return options_for(s, schema, ",\"password\":\"" + std::string(kAppPassword) + "\"" + extra, "gs_app");
}

inline Registry& registry() {
  static Registry* r = new Registry({GRAPHSTORE_PLUGIN_DIR});
  return *r;
}

inline Status open_store(const std::string& options, std::unique_ptr<Store>* out) {
  return registry().open("postgres", options, out);
}

inline Entity entity(const std::string& id, const std::string& type = "T", const std::string& props = "{}") {
  Entity e;
  e.id = id;
  e.entity_type = type;
  e.properties = props;
  return e;
}

// Connections of application_name on server s (pg_stat_activity).
inline int count_connections(const Server& s, const std::string& application_name) {
  pqxx::connection c(s.admin_conninfo());
  pqxx::nontransaction tx(c);
  return tx.exec_params("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", application_name)[0][0]
      .as<int>();
}

// count_connections once it equals expected, or after 10 s whatever it is.
// A server backend leaves pg_stat_activity a moment after its client closes
// the connection, so a count right after a close may still include it.
inline int count_connections_when_settled(const Server& s, const std::string& application_name, int expected) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int n = count_connections(s, application_name);
  while (n != expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    n = count_connections(s, application_name);
  }
  return n;
}

}  // namespace graphstore::pgtest

#endif  // GRAPHSTORE_TESTS_POSTGRES_SUPPORT_HPP
