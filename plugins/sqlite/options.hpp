// The sqlite plugin's options, parsed from the JSON the host hands to open.
// Every error names its key ("option 'KEY': ..."), unknown keys included.
#ifndef GRAPHSTORE_SQLITE_OPTIONS_HPP
#define GRAPHSTORE_SQLITE_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "graphstore/plugin.hpp"

namespace graphstore::sqlite {

struct Options {
  std::string path;          // a file, or ":memory:" (required)
  double timeout_s = 30.0;   // busy timeout: how long a call waits for a lock
  std::string journal_mode;  // "" = default: WAL for files, MEMORY for :memory:
  std::string synchronous = "NORMAL";
  int64_t cache_size = -64000;         // PRAGMA cache_size, per connection
  int64_t mmap_size = 0;               // PRAGMA mmap_size in bytes, per connection
  int64_t wal_autocheckpoint = 10000;  // pages of WAL that trigger a checkpoint
  bool read_only = false;
  bool check_same_thread = false;  // accepted for the seed's compatibility; no effect

  bool in_memory() const { return path == ":memory:"; }
  // The timeout in whole milliseconds for sqlite3_busy_timeout.
  int timeout_ms() const;
};

// Parses options_json into *out; INVALID_ARGUMENT naming the key on error.
sdk::Status parse_options(std::string_view options_json, Options* out);

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_OPTIONS_HPP
