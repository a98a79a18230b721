// YAML to JSON with ${VAR} expansion and core-schema typing: how a config
// section's options become the JSON text a plugin parses. A plain scalar
// holding a ${VAR} reference becomes the string it expands to, never a
// number, boolean or null taken from the variable's value (a password of
// 123456 or "true" stays text; "port: ${DB_PORT:-5432}" is the text "5432",
// which a plugin's numeric option converts), unless an explicit tag types
// it (!!int ${DB_PORT}); the escape "$${" is documented in
// env_expand.cpp. YAML itself forbids '{' and '}' in plain scalars inside
// flow collections: there ({port: ${P}}) a reference must be quoted, or the
// mapping written in block style.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <string>
#include <vector>

#include "config/env_expand.hpp"
#include "config/yaml_json.hpp"
#include "config/yaml_node.hpp"
#include "config/yaml_scalar.hpp"
#include "graphstore/config.hpp"

namespace graphstore {
namespace config {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

// Aliases make a small document able to describe an exponential tree (the
// "billion laughs"); the converter refuses to write more values than this.
constexpr size_t kMaxValues = 1'000'000;

// "$A" or "$A, $B" for messages.
std::string variable_list(const std::vector<std::string>& variables) {
  std::string out;
  for (const auto& v : variables) out += (out.empty() ? "$" : ", $") + v;
  return out;
}

struct Converter {
  std::string_view what;
  bool expand;
  JsonWriter* writer;
  size_t values = 0;

  Status error(const YAML::Node& node, std::string_view key, const std::string& message) const {
    return InvalidArgument(where(what, node, key) + message);
  }

  Status scalar_text(const YAML::Node& node, std::string_view key, std::string* text,
                     std::vector<std::string>* variables = nullptr) const {
    if (!expand) {
      *text = node.Scalar();
      return Status::Ok();
    }
    Status s = expand_env(node.Scalar(), text, variables);
    return s.ok() ? s : error(node, key, s.message());
  }

  void write_string(const std::string& text) {
    writer->String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }

  Status write_typed(const YAML::Node& node, std::string_view key, const TypedScalar& t) {
    switch (t.kind) {
      case TypedScalar::kNull:
        writer->Null();
        break;
      case TypedScalar::kBool:
        writer->Bool(t.b);
        break;
      case TypedScalar::kInt:
        writer->Int64(t.i);
        break;
      case TypedScalar::kUint:
        writer->Uint64(t.u);
        break;
      case TypedScalar::kDouble:
        if (!std::isfinite(t.d))
          return error(node, key, "'" + node.Scalar() + "' (infinite or NaN) cannot be represented in JSON");
        writer->Double(t.d);
        break;
      case TypedScalar::kString:
        break;  // handled by the caller, which has the text
    }
    return Status::Ok();
  }

  // Checks a plain scalar's type against an explicit core tag (!!int,
  // !!float, !!bool, !!null); a whole number tagged !!float becomes a double.
  Status apply_tag(const YAML::Node& node, std::string_view key, const std::string& text, TypedScalar* t) const {
    const std::string& tag = node.Tag();
    std::string_view name;
    if (std::string_view(tag).substr(0, kTagPrefix.size()) == kTagPrefix)
      name = std::string_view(tag).substr(kTagPrefix.size());
    bool whole = t->kind == TypedScalar::kInt || t->kind == TypedScalar::kUint;
    bool fits;
    if (name == "int") {
      fits = whole;
    } else if (name == "float") {
      fits = whole || t->kind == TypedScalar::kDouble;
    } else if (name == "bool") {
      fits = t->kind == TypedScalar::kBool;
    } else if (name == "null") {
      fits = t->kind == TypedScalar::kNull;
    } else {
      return error(node, key, "unsupported tag '" + tag + "'");
    }
    if (!fits) return error(node, key, "'" + text + "' is not a valid !!" + std::string(name));
    if (name == "float" && whole) {
      t->d = t->kind == TypedScalar::kInt ? static_cast<double>(t->i) : static_cast<double>(t->u);
      t->kind = TypedScalar::kDouble;
    }
    return Status::Ok();
  }

  Status scalar(const YAML::Node& node, std::string_view key) {
    std::string text;
    std::vector<std::string> variables;
    if (Status s = scalar_text(node, key, &text, &variables); !s.ok()) return s;
    // yaml-cpp tags quoted and block scalars "!": always strings. A value
    // built from ${VAR} is the variable's text whatever it looks like
    // (a password 123456, true or ~ stays that text); an option that needs a
    // number converts the text, or an explicit tag (!!int ${PORT}) does.
    bool from_variables = !variables.empty();
    if (node.Tag() == "!" || node.Tag() == std::string(kTagPrefix) + "str" || (from_variables && node.Tag() == "?")) {
      write_string(text);
      return Status::Ok();
    }
    TypedScalar t = resolve_plain_scalar(text);
    if (node.Tag() != "?")
      if (Status s = apply_tag(node, key, text, &t); !s.ok()) {
        if (!from_variables) return s;
        return Status(s.code(), s.message() + " (the value of " + variable_list(variables) + ")");
      }
    if (t.kind != TypedScalar::kString) return write_typed(node, key, t);
    write_string(text);
    return Status::Ok();
  }

  Status value(const YAML::Node& node, std::string_view key) {
    if (++values > kMaxValues)
      return error(node, key, "the document expands to more than " + std::to_string(kMaxValues) + " values");
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return scalar(node, key);
      case YAML::NodeType::Sequence: {
        writer->StartArray();
        size_t index = 0;
        for (const auto& item : node) {
          std::string item_key = std::string(key.empty() ? "item" : key) + "[" + std::to_string(index++) + "]";
          if (Status s = value(item, item_key); !s.ok()) return s;
        }
        writer->EndArray();
        return Status::Ok();
      }
      case YAML::NodeType::Map: {
        std::vector<MapEntry> entries;
        if (Status s = mapping_entries(node, what, &entries); !s.ok()) return s;
        writer->StartObject();
        for (const auto& e : entries) {
          writer->Key(e.key.data(), static_cast<rapidjson::SizeType>(e.key.size()));
          if (Status s = value(e.value, e.key); !s.ok()) return s;
        }
        writer->EndObject();
        return Status::Ok();
      }
      default:
        // An empty value; "x: !!str" (tagged, no text) is the empty string.
        if (node.Tag() == "!" || node.Tag() == std::string(kTagPrefix) + "str")
          write_string("");
        else
          writer->Null();
        return Status::Ok();
    }
  }
};

}  // namespace

Status node_to_json(const YAML::Node& node, std::string_view what, std::string_view key, bool expand,
                    std::string* out) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  Converter converter{what, expand, &writer};
  if (Status s = converter.value(node, key); !s.ok()) return s;
  out->assign(buffer.GetString(), buffer.GetSize());
  return Status::Ok();
}

Status expand_scalar(const YAML::Node& node, std::string_view what, std::string_view key, std::string* out) {
  Converter converter{what, true, nullptr};
  return converter.scalar_text(node, key, out);
}

}  // namespace config

Status yaml_to_json(std::string_view yaml_text, std::string_view what, std::string* json_out) {
  YAML::Node root;
  if (Status s = config::parse_yaml(yaml_text, what, &root); !s.ok()) return s;
  return config::node_to_json(root, what, {}, /*expand=*/true, json_out);
}

}  // namespace graphstore
