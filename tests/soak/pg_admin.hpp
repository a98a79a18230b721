// What the PostgreSQL soak does to the server beside the plugin, over its
// own superuser connection: terminate the store's backends (the fault) and
// drop the run's schema afterwards.
#ifndef GRAPHSTORE_TESTS_SOAK_PG_ADMIN_HPP
#define GRAPHSTORE_TESTS_SOAK_PG_ADMIN_HPP

#include <string>

namespace graphstore::soak {

// pg_terminate_backend on every backend whose application_name is
// application_name. True with *terminated the count; false with *error.
bool terminate_backends(const std::string& conninfo, const std::string& application_name, int* terminated,
                        std::string* error);

// DROP SCHEMA ... CASCADE. False with *error when it fails.
bool drop_schema(const std::string& conninfo, const std::string& schema, std::string* error);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_PG_ADMIN_HPP
