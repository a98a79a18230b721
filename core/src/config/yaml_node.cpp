// yaml-cpp behind Status: its exceptions become located messages, and
// mappings become ordered entries (yaml-cpp 0.7 keeps duplicate keys and does
// not apply merge keys, so both are handled here).
#include "config/yaml_node.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <set>
#include <sstream>

#include "config/yaml_scalar.hpp"

namespace graphstore::config {
namespace {

// Where each document of a stream starts; nothing else is kept.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::vector<YAML::Mark> marks;
};

bool is_merge_key(const YAML::Node& key) { return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<"; }

// Appends source's entries (itself possibly merging) that are not in taken.
Status merge_from(const YAML::Node& source, std::string_view what, const YAML::Node& merge_key,
                  std::set<std::string>* taken, std::vector<MapEntry>* out) {
  if (!source.IsMap())
    return InvalidArgument(where(what, merge_key, "<<") + "expected a mapping to merge, got " + describe(source));
  std::vector<MapEntry> merged;
  if (Status s = mapping_entries(source, what, &merged); !s.ok()) return s;
  for (auto& e : merged)
    if (taken->insert(e.key).second) out->push_back(std::move(e));
  return Status::Ok();
}

}  // namespace

Status parse_yaml(std::string_view text, std::string_view what, YAML::Node* out) {
  auto located = [&](const YAML::Mark& mark, const std::string& message) {
    return InvalidArgument(std::string(what) + ":" + std::to_string(mark.line + 1) + ":" +
                           std::to_string(mark.column + 1) + ": " + message);
  };
  try {
    // Documents are counted first, each required to start past the one
    // before: yaml-cpp 0.7's LoadAll never returns on some malformed text
    // (its parser hands out empty documents without moving on). Load then
    // reads the one document, which never loops.
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    DocumentStarts starts;
    size_t documents = 0;
    while (parser.HandleNextDocument(starts)) {
      ++documents;
      const auto& m = starts.marks;
      if (m.size() != documents || (documents > 1 && m[documents - 1].pos <= m[documents - 2].pos))
        return located(m.empty() ? YAML::Mark() : m.back(), "malformed YAML: no document can be read from here");
    }
    if (documents > 1)
      return InvalidArgument(std::string(what) + ":" + std::to_string(starts.marks[1].line + 1) +
                             ": expected one YAML document, found " + std::to_string(documents));
    *out = documents == 0 ? YAML::Node() : YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return located(e.mark, "malformed YAML: " + e.msg);
  }
  return Status::Ok();
}

int line_of(const YAML::Node& node) {
  int line = node.Mark().line;
  return line < 0 ? 1 : line + 1;
}

std::string where(std::string_view what, const YAML::Node& node, std::string_view key) {
  std::string s = std::string(what) + ":" + std::to_string(line_of(node)) + ": ";
  if (!key.empty()) s += "key '" + std::string(key) + "': ";
  return s;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Scalar:
      break;
    default:
      return "null";
  }
  if (node.Tag() != "?") return "a string";
  switch (resolve_plain_scalar(node.Scalar()).kind) {
    case TypedScalar::kNull:
      return "null";
    case TypedScalar::kBool:
      return "a boolean";
    case TypedScalar::kInt:
    case TypedScalar::kUint:
      return "an integer";
    case TypedScalar::kDouble:
      return "a number";
    case TypedScalar::kString:
      break;
  }
  return "a string";
}

Status mapping_entries(const YAML::Node& map, std::string_view what, std::vector<MapEntry>* out) {
  out->clear();
  // Keys written in the mapping, found first so that a merge placed before
  // them cannot take their place. Nodes are copied out of the iterator's
  // value: yaml-cpp's operator-> returns a temporary.
  std::map<std::string, int> first_line;
  std::set<std::string> taken;
  for (const auto& pair : map) {
    YAML::Node key = pair.first;
    if (is_merge_key(key)) continue;
    // yaml-cpp makes a plain "~" or "null" key a null node: not a name.
    if (!key.IsScalar())
      return InvalidArgument(where(what, key) + "a mapping key must be a string, got " + describe(key));
    if (auto [it, added] = first_line.emplace(key.Scalar(), line_of(key)); !added)
      return InvalidArgument(where(what, key, key.Scalar()) + "duplicate key (first at line " +
                             std::to_string(it->second) + ")");
    taken.insert(key.Scalar());
  }
  for (const auto& pair : map) {
    YAML::Node key = pair.first;
    YAML::Node value = pair.second;
    if (!is_merge_key(key)) {
      out->push_back(MapEntry{key.Scalar(), key, value});
      continue;
    }
    if (value.IsSequence()) {
      for (const auto& source : value)
        if (Status s = merge_from(source, what, key, &taken, out); !s.ok()) return s;
    } else if (Status s = merge_from(value, what, key, &taken, out); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace graphstore::config
