#include "postgres_run.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "checker.hpp"
#include "graphstore/registry.hpp"
#include "pg_admin.hpp"
#include "report.hpp"
#include "run_dir.hpp"
#include "worker_group.hpp"

namespace graphstore::soak {

namespace {

using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

const char* const kApplicationName = "graphstore_soak";

}  // namespace

int run_postgres_soak(const SoakArgs& args) {
  auto env = read_env_file(args.env_file);
  if (!env.count("PGTEST_PORT") || !env.count("PGTEST_HOST")) {
    std::cerr << "graphstore_soak: no PostgreSQL server: " << args.env_file
              << " has no PGTEST_HOST/PGTEST_PORT (start one with scripts/pg-test-cluster.sh)\n";
    return 1;
  }
  std::string dir_error;
  if (!prepare_run_dir(args.dir, &dir_error)) {
    std::cerr << "graphstore_soak: " << dir_error << "\n";
    return 1;
  }
  std::string host = env["PGTEST_HOST"], port = env["PGTEST_PORT"];
  std::string schema = "soak_" + std::to_string(::getpid());
  std::string options = "{\"host\":\"" + host + "\",\"port\":" + port +
                        ",\"user\":\"postgres\",\"database\":\"graphstore\",\"schema\":\"" + schema +
                        "\",\"application_name\":\"" + kApplicationName + "\"}";
  std::string admin = "host=" + host + " port=" + port + " user=postgres dbname=graphstore";

  Registry registry({args.plugin_dir});
  std::unique_ptr<Store> store;
  if (Status s = registry.open("postgres", options, &store); !s.ok()) {
    std::cerr << "graphstore_soak: open postgres at " << host << ":" << port << ": " << s.to_string() << "\n";
    return 1;
  }

  Figures figures;
  std::atomic<int> terminated{0};
  std::vector<std::string> fault_notes;
  auto start = Clock::now();
  std::vector<std::pair<Clock::time_point, std::function<void()>>> faults;
  for (int i = 1; i <= args.faults; ++i)
    faults.emplace_back(
        start + std::chrono::milliseconds(static_cast<int64_t>(args.seconds * 1000 * i / (args.faults + 1))), [&] {
          int n = 0;
          std::string error;
          if (terminate_backends(admin, kApplicationName, &n, &error))
            fault_notes.push_back(std::to_string(n) + " backends");
          else
            figures.fail("fault", "pg_terminate_backend: " + error);
          terminated += n;
        });

  GroupConfig config;
  config.identity = "G1";
  config.threads = args.threads;
  config.deadline = start + std::chrono::milliseconds(static_cast<int64_t>(args.seconds * 1000));
  config.dir = args.dir + "/logs";
  config.identities = {"G1"};
  config.seed = 7;
  config.bulk_size = args.bulk_size;
  figures.merge(run_worker_group(store.get(), config, faults));
  double ran = std::chrono::duration<double>(Clock::now() - start).count();
  store.reset();

  // A new store (a new pool) for the check: it sees only what the server holds.
  CheckResult check;
  if (Status s = registry.open("postgres", options, &store); !s.ok())
    check.read_error = "reopen: " + s.to_string();
  else
    check = check_store(store.get(), args.dir + "/logs", {});
  store.reset();

  std::string fault_text = std::to_string(fault_notes.size()) + " backend terminations (";
  for (size_t i = 0; i < fault_notes.size(); ++i) fault_text += (i ? ", " : "") + fault_notes[i];
  fault_text += ")";
  if (static_cast<int>(fault_notes.size()) < args.faults) figures.fail("fault", "not every fault was injected");
  std::string title = "postgres: " + std::to_string(args.threads) + " threads on one store, schema " + schema + " at " +
                      host + ":" + port;
  bool pass = print_report(std::cout, title, figures, fault_text, check, ran);
  std::string error;
  if (pass && !drop_schema(admin, schema, &error))
    std::cerr << "graphstore_soak: could not drop schema " << schema << ": " << error << "\n";
  return pass ? 0 : 1;
}

}  // namespace graphstore::soak
