#include "sqlite_run.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "checker.hpp"
#include "figures.hpp"
#include "graphstore/registry.hpp"
#include "report.hpp"
#include "run_dir.hpp"
#include "sqlite_integrity.hpp"
#include "worker_group.hpp"

namespace graphstore::soak {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> split(const std::string& csv) {
  std::vector<std::string> out;
  std::stringstream s(csv);
  std::string item;
  while (std::getline(s, item, ',')) out.push_back(item);
  return out;
}

// Starts this executable as a worker process; -1 when fork fails.
pid_t spawn_worker(const SoakArgs& args, const std::string& options, const std::string& identity,
                   const std::string& identities, double seconds, uint64_t seed) {
  std::vector<std::string> argv = {"graphstore_soak", "worker",
                                   "--options",       options,
                                   "--identity",      identity,
                                   "--threads",       std::to_string(args.threads),
                                   "--seconds",       std::to_string(seconds),
                                   "--dir",           args.dir + "/logs",
                                   "--identities",    identities,
                                   "--seed",          std::to_string(seed),
                                   "--plugin-dir",    args.plugin_dir,
                                   "--bulk-size",     std::to_string(args.bulk_size)};
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  ::execv("/proc/self/exe", raw.data());
  std::perror("graphstore_soak: exec");
  ::_exit(127);
}

// "exited 0", "killed by signal 9", ...
std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended with status " + std::to_string(status);
}

// Runs the worker processes (one killed midway and replaced) and waits for
// them. False, with the reason on stderr, when the run could not start.
bool run_processes(const SoakArgs& args, const std::string& options, Registry* registry, Figures* out,
                   std::set<std::string>* killed, std::vector<std::string>* exits, double* ran,
                   uintmax_t* largest_wal) {
  namespace fs = std::filesystem;
  std::string dir_error;
  if (!prepare_run_dir(args.dir, &dir_error)) {
    std::cerr << "graphstore_soak: " << dir_error << "\n";
    return false;
  }
  {
    // The file and its schema exist before the workers open it.
    std::unique_ptr<Store> store;
    if (Status s = registry->open("sqlite", options, &store); !s.ok()) {
      std::cerr << "graphstore_soak: open " << args.dir << ": " << s.to_string() << "\n";
      return false;
    }
  }

  // P1..Pn at the start; P(n+1) replaces the one killed.
  std::vector<std::string> identities;
  for (int p = 1; p <= args.processes + 1; ++p) identities.push_back("P" + std::to_string(p));
  std::string all;
  for (const auto& id : identities) all += (all.empty() ? "" : ",") + id;

  // The WAL's size, sampled while the workers run: it only shrinks when a
  // checkpoint completes with no reader in the way, so it shows whether
  // checkpoints keep up under constant reads.
  std::atomic<bool> sampling{true};
  std::thread wal_sampler([&] {
    for (; sampling.load(); std::this_thread::sleep_for(std::chrono::milliseconds(200))) {
      std::error_code size_ec;
      uintmax_t size = fs::file_size(args.dir + "/soak.db-wal", size_ec);
      if (!size_ec && size > *largest_wal) *largest_wal = size;
    }
  });
  auto start = Clock::now();
  std::vector<std::pair<std::string, pid_t>> running;
  for (int p = 0; p < args.processes; ++p)
    running.emplace_back(identities[p], spawn_worker(args, options, identities[p], all, args.seconds, p + 1));

  Figures& figures = *out;
  std::this_thread::sleep_until(start + std::chrono::milliseconds(static_cast<int64_t>(args.seconds * 500)));
  size_t victim = running.size() > 1 ? 1 : 0;
  if (running[victim].second > 0 && ::kill(running[victim].second, SIGKILL) == 0) {
    int status = 0;
    ::waitpid(running[victim].second, &status, 0);
    killed->insert(running[victim].first);
    exits->push_back(running[victim].first + " " + describe_exit(status) + " (killed midway)");
    running[victim].second = 0;
    double left = args.seconds - std::chrono::duration<double>(Clock::now() - start).count();
    std::string next = identities[static_cast<size_t>(args.processes)];
    running.emplace_back(next, spawn_worker(args, options, next, all, left > 0 ? left : 0, 99));
  } else {
    figures.fail("fault", "could not kill " + running[victim].first);
  }

  for (auto& [identity, pid] : running) {
    if (pid == 0) continue;
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid) {
      figures.fail("process", identity + " could not be started or waited for");
      continue;
    }
    exits->push_back(identity + " " + describe_exit(status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) figures.fail("process", identity + " " + describe_exit(status));
  }
  *ran = std::chrono::duration<double>(Clock::now() - start).count();
  sampling = false;
  wal_sampler.join();
  std::ofstream record(args.dir + "/killed");
  for (const auto& identity : *killed) record << identity << "\n";
  return true;
}

}  // namespace

int run_worker_process(const SoakArgs& args) {
  Registry registry({args.plugin_dir});
  std::unique_ptr<Store> store;
  if (Status s = registry.open("sqlite", args.options, &store); !s.ok()) {
    std::cerr << "graphstore_soak worker " << args.identity << ": open: " << s.to_string() << "\n";
    return 1;
  }
  GroupConfig config;
  config.identity = args.identity;
  config.threads = args.threads;
  config.deadline = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(args.seconds * 1000));
  config.dir = args.dir;
  config.identities = split(args.identities);
  config.seed = args.seed;
  config.bulk_size = args.bulk_size;
  (void)run_worker_group(store.get(), config);  // its figures are in the file it saved
  return 0;
}

int run_sqlite_soak(const SoakArgs& args) {
  std::string db = args.dir + "/soak.db";
  std::string options = "{\"path\":\"" + db + "\",\"timeout\":" + std::to_string(args.sqlite_timeout) +
                        (args.wal_autocheckpoint > 0
                             ? ",\"wal_autocheckpoint\":" + std::to_string(args.wal_autocheckpoint)
                             : std::string()) +
                        "}";
  Registry registry({args.plugin_dir});
  Figures figures;
  std::set<std::string> killed;
  std::vector<std::string> exits;
  double ran = 0;
  uintmax_t largest_wal = 0;
  if (!args.check_only && !run_processes(args, options, &registry, &figures, &killed, &exits, &ran, &largest_wal))
    return 1;
  if (args.check_only) {
    std::ifstream in(args.dir + "/killed");
    for (std::string identity; in >> identity;) killed.insert(identity);
  }
  for (int p = 1; p <= args.processes + 1; ++p) {
    std::string path = args.dir + "/logs/P" + std::to_string(p) + ".figures";
    if (std::filesystem::exists(path) && !figures.load_and_add(path)) figures.fail("figures", "cannot read " + path);
  }

  // Readers of several processes must not keep the log from starting over
  // (plugins/sqlite/connection.cpp, on_wal_commit).
  if (args.max_wal_mib > 0 && double(largest_wal) > args.max_wal_mib * 1024 * 1024)
    figures.fail("wal_size", "the WAL grew to " + std::to_string(largest_wal / (1024 * 1024)) + " MiB, over " +
                                 std::to_string(static_cast<int64_t>(args.max_wal_mib)) + " MiB");
  std::string integrity;
  if (!sqlite_integrity_ok(db, &integrity)) figures.fail("integrity_check", integrity);
  std::unique_ptr<Store> store;
  CheckResult check;
  if (Status s = registry.open("sqlite", options, &store); !s.ok())
    check.read_error = "reopen: " + s.to_string();
  else
    check = check_store(store.get(), args.dir + "/logs", killed);

  std::string faults = std::to_string(killed.size()) + " SIGKILL (";
  for (size_t i = 0; i < exits.size(); ++i) faults += (i ? "; " : "") + exits[i];
  faults += ")";
  std::ostringstream title;
  title << "sqlite: " << args.processes << " processes x " << args.threads << " threads on " << db
        << " (largest WAL seen: " << largest_wal / (1024 * 1024) << " MiB)";
  return print_report(std::cout, title.str(), figures, faults, check, ran) ? 0 : 1;
}

}  // namespace graphstore::soak
