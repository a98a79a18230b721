// YAML nodes to JSON text, the form in which options reach a plugin.
#ifndef GRAPHSTORE_CONFIG_YAML_JSON_HPP
#define GRAPHSTORE_CONFIG_YAML_JSON_HPP

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "graphstore/status.hpp"

namespace graphstore::config {

// Writes node as JSON text into *out: plain scalars typed by the YAML 1.2
// core schema, quoted and block scalars as strings, sequences as arrays,
// mappings as objects (merge keys applied). With expand, ${VAR} references
// are expanded in every scalar value before it is typed. key names the node
// in messages (may be empty); errors are INVALID_ARGUMENT starting with
// "WHAT:LINE: key 'K': ", K being the innermost key (items as "list[2]").
Status node_to_json(const YAML::Node& node, std::string_view what, std::string_view key, bool expand, std::string* out);

// A scalar's text with ${VAR} expanded, for values read as plain strings
// (a backend name). Errors as node_to_json's.
Status expand_scalar(const YAML::Node& node, std::string_view what, std::string_view key, std::string* out);

}  // namespace graphstore::config

#endif  // GRAPHSTORE_CONFIG_YAML_JSON_HPP
