// Fuzz target: the input is a JSON document ({"entities": [...], "relations": [...]}),
// plain or gzip, read by the importer's reader (core/src/io/json_format.cpp
// over InputFile and the record decoder). format_round_trip.hpp lists the
// invariants: bad records are reported, never fatal to the process, and
// good ones survive the exporter's json writer and a second read unchanged.
#include <cstddef>
#include <cstdint>

#include "format_round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  graphstore::fuzz::check_format_round_trip(graphstore::Format::kJson, data, size);
  return 0;
}
