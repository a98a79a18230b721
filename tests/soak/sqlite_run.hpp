// The SQLite soak: several worker processes on one database file, one of
// them killed with SIGKILL midway and replaced by a process under a new
// writer identity, then the content check.
#ifndef GRAPHSTORE_TESTS_SOAK_SQLITE_RUN_HPP
#define GRAPHSTORE_TESTS_SOAK_SQLITE_RUN_HPP

#include "soak_args.hpp"

namespace graphstore::soak {

// Runs the whole soak in args.dir (emptied first) and prints the report.
// Returns the process exit code: 0 when it passed, 1 otherwise.
int run_sqlite_soak(const SoakArgs& args);

// The body of one worker process (mode "worker"): opens args.options'
// store and runs args.threads workers for args.seconds. Returns 0 when it
// ran (failures of calls are in its figures file), 1 when the store could
// not be opened.
int run_worker_process(const SoakArgs& args);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_SQLITE_RUN_HPP
