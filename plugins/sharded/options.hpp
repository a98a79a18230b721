// The sharded plugin's options (README.md lists them), shared by the plugin
// and the tenant mover, which opens the same shards from the same section.
#ifndef GRAPHSTORE_SHARDED_OPTIONS_HPP
#define GRAPHSTORE_SHARDED_OPTIONS_HPP

#include <string>
#include <string_view>
#include <vector>

#include "graphstore/plugin.hpp"

namespace graphstore::sharded {

struct ShardSection {
  std::string name;     // 1 to 63 of [A-Za-z0-9_-]
  std::string section;  // JSON {"backend": ..., "options": ...}
};

struct Options {
  // The placement catalog: a PostgreSQL database (libpq keyword/value string
  // or URI) and the schema its tables live in. The dsn may hold a password:
  // it never appears in a message.
  std::string catalog_dsn;
  std::string catalog_schema = "graphstore_placement";
  std::vector<ShardSection> shards;  // in the order written; names unique
  // How long a placement read from the catalog is used before it is read
  // again, and how long a mover waits after changing one so that every
  // router has seen the change (placement_ttl + move_grace).
  double placement_ttl_s = 1.0;
  double move_grace_s = 2.0;
  // How long a write to a tenant in the last step of a move waits for the
  // move to finish before it answers UNAVAILABLE.
  double move_wait_s = 30.0;
};

// Parses and validates json into *out. Errors name the key
// ("option 'shards': ...").
sdk::Status parse_options(std::string_view json, Options* out);

// True for a shard name we accept: 1 to 63 ASCII letters, digits, '_', '-'.
bool valid_shard_name(std::string_view name);

}  // namespace graphstore::sharded

#endif  // GRAPHSTORE_SHARDED_OPTIONS_HPP
