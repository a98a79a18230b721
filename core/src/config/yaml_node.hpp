// yaml-cpp helpers shared by the config reader and yaml_to_json: parsing
// into Status, locations, node descriptions and mapping entries.
#ifndef GRAPHSTORE_CONFIG_YAML_NODE_HPP
#define GRAPHSTORE_CONFIG_YAML_NODE_HPP

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "graphstore/status.hpp"

namespace graphstore::config {

// Parses one YAML document. Malformed text is INVALID_ARGUMENT
// "WHAT:LINE:COL: malformed YAML: <parser message>" (1-based).
Status parse_yaml(std::string_view text, std::string_view what, YAML::Node* out);

// The node's 1-based line (1 when the node has no position).
int line_of(const YAML::Node& node);

// "WHAT:LINE: " for node, or "WHAT:LINE: key 'KEY': " when key is non-empty.
std::string where(std::string_view what, const YAML::Node& node, std::string_view key = {});

// What a node is, for "expected X, got Y": "a mapping", "a sequence",
// "null", or for scalars "a string", "an integer", "a number", "a boolean".
std::string describe(const YAML::Node& node);

// One key of a mapping with its value.
struct MapEntry {
  std::string key;
  YAML::Node key_node;  // for the key's line
  YAML::Node value;
};

// The entries of a mapping in file order, with YAML merge keys ("<<: *base"
// or "<<: [*a, *b]") applied: keys written in the mapping win over merged
// ones, earlier merged mappings win over later ones. INVALID_ARGUMENT for a
// key that is not a scalar, a duplicate key, or a merge of a non-mapping.
Status mapping_entries(const YAML::Node& map, std::string_view what, std::vector<MapEntry>* out);

}  // namespace graphstore::config

#endif  // GRAPHSTORE_CONFIG_YAML_NODE_HPP
