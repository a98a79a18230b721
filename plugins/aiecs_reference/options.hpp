// The aiecs_reference plugin's options: which reference database to read
// (its SQLite file, or a PostgreSQL connection) and which tenants. Every
// error names its key ("option 'KEY': ..."); the password never appears in
// a message.
#ifndef GRAPHSTORE_AIECS_REFERENCE_OPTIONS_HPP
#define GRAPHSTORE_AIECS_REFERENCE_OPTIONS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/plugin.hpp"

namespace graphstore::aiecs_reference {

// A PostgreSQL connection. Empty strings are "not set": libpq then uses its
// defaults and the PG* environment variables.
struct PgConnection {
  std::string dsn, host, port, user, password, database, sslmode;
  int64_t connect_timeout_s = 0;  // 0: libpq's default

  // The libpq keyword/value string, values quoted. Holds the password:
  // never show it.
  std::string conninfo() const;
  // "host:port/database as user" without the password, for messages.
  std::string describe() const;
};

struct Options {
  std::string sqlite_path;         // the reference's SQLite file; empty: PostgreSQL
  std::optional<PgConnection> pg;  // set when the source is PostgreSQL
  std::string schema = "public";   // PostgreSQL: the schema of the shared tables
  // The tenants to read, as the reference's users named them; empty: every
  // tenant found. A name also finds its separate-mode tables ('-' as '_').
  std::vector<std::string> tenants;
};

// Parses options_json into *out: exactly one of sqlite_path and a
// PostgreSQL connection (dsn, host, ...). INVALID_ARGUMENT naming the key.
sdk::Status parse_options(std::string_view options_json, Options* out);

}  // namespace graphstore::aiecs_reference

#endif  // GRAPHSTORE_AIECS_REFERENCE_OPTIONS_HPP
