// The command line of graphstore_soak (soak_main.cpp has the usage text).
#ifndef GRAPHSTORE_TESTS_SOAK_ARGS_HPP
#define GRAPHSTORE_TESTS_SOAK_ARGS_HPP

#include <cstdint>
#include <string>

namespace graphstore::soak {

struct SoakArgs {
  std::string mode;         // sqlite, postgres, or worker (a child process of a sqlite run)
  std::string dir;          // the run's directory: database file, logs, figures
  std::string plugin_dir;   // where the backend plugins are
  int processes = 4;        // sqlite: worker processes at once
  int threads = 4;          // worker threads per process
  double seconds = 8;       // how long the workers run
  int faults = 1;           // postgres: backend terminations, evenly spaced
  int sqlite_timeout = 5;   // sqlite: busy timeout, seconds
  int64_t wal_autocheckpoint = 0;  // sqlite: the plugin's option when above 0, else its default
  double max_wal_mib = 0;   // sqlite: fail when the WAL grew past this many MiB (0: report only)
  size_t bulk_size = 100;   // entities per bulk add
  std::string env_file;     // postgres: the server's address (scripts/pg-test-cluster.sh)
  bool check_only = false;  // sqlite: check the store and logs an earlier run left in dir, run nothing
  // worker only:
  std::string options;     // the store's options JSON
  std::string identity;    // this process's writer identity
  std::string identities;  // every identity of the run, comma-separated
  uint64_t seed = 1;
};

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_ARGS_HPP
