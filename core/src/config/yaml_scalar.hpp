// The YAML 1.2 core schema's resolution of plain scalars.
#ifndef GRAPHSTORE_CONFIG_YAML_SCALAR_HPP
#define GRAPHSTORE_CONFIG_YAML_SCALAR_HPP

#include <cstdint>
#include <string_view>

namespace graphstore::config {

struct TypedScalar {
  enum Kind { kNull, kBool, kInt, kUint, kDouble, kString } kind = kString;
  bool b = false;
  int64_t i = 0;   // kInt
  uint64_t u = 0;  // kUint: a non-negative integer above INT64_MAX
  double d = 0;    // kDouble, also non-finite (.inf, .nan)
};

// Types a plain scalar's text: null (null, Null, NULL, ~, empty), booleans
// (true/True/TRUE, false/...), integers (decimal with sign, 0o octal, 0x
// hex), floats (incl. .inf and .nan), else a string. An integer too large
// for 64 bits becomes a double.
TypedScalar resolve_plain_scalar(std::string_view text);

}  // namespace graphstore::config

#endif  // GRAPHSTORE_CONFIG_YAML_SCALAR_HPP
