// graphstore_soak: a bounded soak of a backend under concurrent mixed load
// and one injected fault, ending with a check of the whole store against the
// workers' acknowledgement logs (README.md in this folder).
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "soak_args.hpp"
#include "sqlite_run.hpp"
#ifdef GRAPHSTORE_SOAK_POSTGRES
#include "postgres_run.hpp"
#endif

namespace {

const char* const kUsage =
    "usage:\n"
    "  graphstore_soak sqlite --dir DIR [--processes 4] [--threads 4] [--seconds 8] [--sqlite-timeout 5]\n"
    "                        [--wal-autocheckpoint PAGES] [--max-wal-mib MIB]\n"
    "  graphstore_soak sqlite --dir DIR --check-only    (check again what a run left in DIR)\n"
    "  graphstore_soak postgres --env-file ENVFILE --dir DIR [--threads 32] [--seconds 8] [--faults 1]\n"
    "options of both: [--bulk-size 100] [--plugin-dir DIR]\n"
    "Exit 0 when the content check passed and no call failed except with retried transient statuses,\n"
    "1 when the run failed, 2 for a usage error.\n";

int usage(const std::string& why) {
  std::cerr << "graphstore_soak: " << why << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using graphstore::soak::SoakArgs;
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty()) return usage("no mode");
  SoakArgs args;
  args.mode = a[0];
  args.plugin_dir = GRAPHSTORE_SOAK_PLUGIN_DIR;
  if (args.mode == "postgres") args.threads = 32;
  for (size_t i = 1; i < a.size(); i += 2) {
    if (a[i] == "--check-only") {
      args.check_only = true;
      --i;
      continue;
    }
    if (i + 1 >= a.size()) return usage("option " + a[i] + " needs a value");
    const std::string& key = a[i];
    const std::string& value = a[i + 1];
    char* end = nullptr;
    double number = std::strtod(value.c_str(), &end);
    bool numeric = end && *end == '\0' && !value.empty();
    auto need_number = [&](double min) { return numeric && number >= min; };
    if (key == "--dir")
      args.dir = value;
    else if (key == "--plugin-dir")
      args.plugin_dir = value;
    else if (key == "--env-file")
      args.env_file = value;
    else if (key == "--options")
      args.options = value;
    else if (key == "--identity")
      args.identity = value;
    else if (key == "--identities")
      args.identities = value;
    else if (key == "--processes" && need_number(1))
      args.processes = static_cast<int>(number);
    else if (key == "--threads" && need_number(1))
      args.threads = static_cast<int>(number);
    else if (key == "--seconds" && need_number(0))
      args.seconds = number;
    else if (key == "--faults" && need_number(0))
      args.faults = static_cast<int>(number);
    else if (key == "--sqlite-timeout" && need_number(0))
      args.sqlite_timeout = static_cast<int>(number);
    else if (key == "--wal-autocheckpoint" && need_number(1))
      args.wal_autocheckpoint = static_cast<int64_t>(number);
    else if (key == "--max-wal-mib" && need_number(0))
      args.max_wal_mib = number;
    else if (key == "--bulk-size" && need_number(1))
      args.bulk_size = static_cast<size_t>(number);
    else if (key == "--seed" && need_number(0))
      args.seed = static_cast<uint64_t>(number);
    else
      return usage("unknown option or bad value: " + key + " " + value);
  }
  if (args.dir.empty()) return usage("--dir is required");
  if (args.check_only && args.mode != "sqlite") return usage("--check-only is for sqlite runs");
  if (args.mode == "worker") return graphstore::soak::run_worker_process(args);
  if (args.mode == "sqlite") return graphstore::soak::run_sqlite_soak(args);
#ifdef GRAPHSTORE_SOAK_POSTGRES
  if (args.mode == "postgres") {
    if (args.env_file.empty()) return usage("--env-file is required");
    return graphstore::soak::run_postgres_soak(args);
  }
#endif
  return usage("unknown mode " + args.mode);
}
