// The PostgreSQL soak: worker threads on one store (one process, the
// plugin's connection pool), the store's server backends terminated midway,
// then the content check.
#ifndef GRAPHSTORE_TESTS_SOAK_POSTGRES_RUN_HPP
#define GRAPHSTORE_TESTS_SOAK_POSTGRES_RUN_HPP

#include "soak_args.hpp"

namespace graphstore::soak {

// Runs the soak on the server named by args.env_file (PGTEST_HOST,
// PGTEST_PORT, as scripts/pg-test-cluster.sh writes it) in a new schema,
// with logs in args.dir (emptied first), and prints the report. The schema
// is dropped when the run passed and kept for inspection otherwise. Returns
// the exit code: 0 when it passed, 1 otherwise (a server that cannot be
// reached included).
int run_postgres_soak(const SoakArgs& args);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_POSTGRES_RUN_HPP
