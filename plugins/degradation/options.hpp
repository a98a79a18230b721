// The degradation plugin's options (README.md lists them).
#ifndef GRAPHSTORE_DEGRADATION_OPTIONS_HPP
#define GRAPHSTORE_DEGRADATION_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "graphstore/plugin.hpp"

namespace graphstore::degradation {

struct Options {
  std::string primary_section;                             // JSON {"backend": ..., "options": ...}
  std::string fallback_section = R"({"backend":"inmemory"})";
  std::string journal_path;
  uint32_t max_failures = 3;   // consecutive UNAVAILABLE answers before degrading
  double health_interval_s = 5;  // between probes of the primary
};

sdk::Status parse_options(std::string_view json, Options* out);

}  // namespace graphstore::degradation

#endif  // GRAPHSTORE_DEGRADATION_OPTIONS_HPP
