// The sqlite plugin's options, parsed from the JSON the host hands to open.
// Every error names its key ("option 'KEY': ..."), unknown keys included.
#ifndef GRAPHSTORE_SQLITE_OPTIONS_HPP
#define GRAPHSTORE_SQLITE_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "graphstore/plugin.hpp"
#include "vector_index.hpp"

namespace graphstore::sqlite {

// Reads of a large file through memory-mapped pages skip a pread and a copy
// per page that misses SQLite's cache: 1-hop neighbours at 1M/3M took 21 us
// with it and 50 us without. SQLite caps it at its compile-time maximum
// (0x7fff0000 in Debian's build).
inline constexpr int64_t kReaderMmapBytes = int64_t(1) << 31;

struct Options {
  std::string path;          // a file, or ":memory:" (required)
  double timeout_s = 30.0;   // busy timeout: how long a call waits for a lock
  std::string journal_mode;  // "" = default: WAL for files, MEMORY for :memory:
  std::string synchronous = "NORMAL";
  int64_t cache_size = -64000;         // PRAGMA cache_size, per connection
  // PRAGMA mmap_size in bytes, per connection; -1 (the default):
  // kReaderMmapBytes for the read-only connections of a file, 0 for the
  // writer (whose pages then stay out of the process's RSS during a load).
  int64_t mmap_size = -1;
  int64_t wal_autocheckpoint = 10000;  // pages of WAL that trigger a checkpoint
  bool read_only = false;
  bool check_same_thread = false;  // accepted for the seed's compatibility; no effect
  hnsw::VectorIndexOptions vectors;  // vector_index, hnsw_* (README.md, "Vector index")

  bool in_memory() const { return path == ":memory:"; }
  // The timeout in whole milliseconds for sqlite3_busy_timeout.
  int timeout_ms() const;
};

// Parses options_json into *out; INVALID_ARGUMENT naming the key on error.
sdk::Status parse_options(std::string_view options_json, Options* out);

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_OPTIONS_HPP
