// Fuzz target: the input is a CSV file (a header naming its columns, then one record per row),
// plain or gzip, read by the importer's reader (core/src/io/csv_format.cpp
// over InputFile and the record decoder). format_round_trip.hpp lists the
// invariants: bad records are reported, never fatal to the process, and
// good ones survive the exporter's csv writer and a second read unchanged.
#include <cstddef>
#include <cstdint>

#include "format_round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  graphstore::fuzz::check_format_round_trip(graphstore::Format::kCsv, data, size);
  return 0;
}
