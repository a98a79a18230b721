// Mapping PostgreSQL's errors to graphstore statuses.
//
// SQLSTATE classes decide: 23505 unique_violation -> ALREADY_EXISTS; class
// 22 (data exception, e.g. a NUL byte text cannot hold) -> INVALID_ARGUMENT;
// 28 and 42501 -> PERMISSION_DENIED; 08, 57P0x (shutdown), 57014 (statement
// timeout), 40001/40P01 (serialization, deadlock), 55P03 (lock not
// available), 25006 (read-only transaction) -> UNAVAILABLE; 53 (insufficient
// resources) -> RESOURCE_EXHAUSTED; XX001/XX002 -> CORRUPTION; anything else
// INTERNAL. A broken connection is UNAVAILABLE and marks the connection
// broken so the pool replaces it.
#ifndef GRAPHSTORE_POSTGRES_ERRORS_HPP
#define GRAPHSTORE_POSTGRES_ERRORS_HPP

#include <string>
#include <string_view>

#include "graphstore/checks.hpp"
#include "graphstore/plugin.hpp"

namespace graphstore::postgres {

class Connection;
struct ConnSettings;

// The status for the exception being handled (call inside a catch block).
// Marks conn broken when the failure was at the connection level. The
// message names where (e.g. "add_entity") and is scrubbed of the password.
sdk::Status current_exception_status(std::string_view where, Connection* conn, const ConnSettings& settings);

// The status for a SQLSTATE (exposed for tests).
gs_status status_for_sqlstate(std::string_view sqlstate);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_ERRORS_HPP
