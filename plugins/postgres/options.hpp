// The postgres plugin's options: parsing and validation of the JSON a store is
// opened with, and libpq connection strings built from them.
//
// Every error names its key ("option 'KEY': ..."); unknown keys suggest the
// closest valid name. The password never appears in a message: describe()
// leaves it out and scrub() removes it from text that came from libpq.
#ifndef GRAPHSTORE_POSTGRES_OPTIONS_HPP
#define GRAPHSTORE_POSTGRES_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphstore/plugin.hpp"

namespace graphstore::postgres {

// Where and how to connect to one server (the primary or a read replica).
// Empty strings are "not set": libpq then uses its own defaults and the PG*
// environment variables.
struct ConnSettings {
  std::vector<std::pair<std::string, std::string>> dsn;  // from the dsn option, parsed by libpq
  std::string host, port, user, password, database;
  std::string sslmode, sslrootcert, sslcert, sslkey;
  std::string application_name;
  int64_t connect_timeout_s = 0;     // 0: libpq's default (wait forever)
  int64_t statement_timeout_ms = 0;  // 0: the server's default

  // The libpq keyword/value connection string, every value quoted and
  // escaped. It holds the password: never log or show it.
  std::string conninfo() const;
  // "host:port/database as user (sslmode M)" without the password, for
  // messages.
  std::string describe() const;
  // The effective value of a libpq keyword (explicit option over dsn).
  std::string get(std::string_view keyword) const;
};

// Which server a read goes to when read replicas are configured.
enum class ReadConsistency {
  kEventual,        // any replica; a read right after a write may not see it
  kReadYourWrites,  // a replica only once it has replayed this store's last write
  kPrimary,         // always the primary; replicas unused
};

struct PgOptions {
  ConnSettings primary;
  std::vector<ConnSettings> replicas;
  int64_t min_pool_size = 5;
  int64_t max_pool_size = 20;
  double acquire_timeout_s = 30.0;
  std::string pool_name;  // stores naming the same pool share its connections
  std::string schema = "public";
  bool enable_pgvector = false;
  bool row_level_security = false;
  bool reference_views = true;  // the reference's graph_entities/graph_relations views
  // Large loads into smaller tables build the secondary indexes after
  // (deferred_indexes.hpp): how many at once, with how much sort memory each.
  bool defer_indexes = true;
  int64_t index_build_connections = 2;
  int64_t index_build_memory_mb = 256;
  ReadConsistency read_consistency = ReadConsistency::kEventual;
};

// Parses and validates options_json into *out.
sdk::Status parse_options(std::string_view options_json, PgOptions* out);

// True for an identifier we accept from configuration: 1 to 63 bytes of
// ASCII letters, digits and '_', not starting with a digit.
bool valid_identifier(std::string_view name);
// name as a double-quoted SQL identifier (name must be valid).
std::string quote_identifier(std::string_view name);

// text with every occurrence of a secret (the passwords of settings) replaced
// by "***".
std::string scrub(std::string text, const ConnSettings& settings);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_OPTIONS_HPP
