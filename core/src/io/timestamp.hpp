// Timestamps as the reference prints them, without allocating: the exporter
// formats two per record.
#ifndef GRAPHSTORE_IO_TIMESTAMP_HPP
#define GRAPHSTORE_IO_TIMESTAMP_HPP

#include <cstddef>

#include "graphstore/types.hpp"

namespace graphstore::io {

// Room for any formatted timestamp, years beyond 9999 included.
inline constexpr size_t kTimestampChars = 40;

// Writes format_timestamp(us) into buf (no NUL) and returns its length.
size_t format_timestamp_to(Timestamp us, char* buf);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_TIMESTAMP_HPP
