#include "output.hpp"

#include <rapidjson/document.h>

#include <cstdio>
#include <iostream>

namespace graphstore::cli {

void print_json(const std::function<void(JsonWriter&)>& fn) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  fn(w);
  std::cout << std::string_view(buf.GetString(), buf.GetSize()) << '\n';
}

std::string display_name(const Entity& e) {
  rapidjson::Document doc;
  doc.Parse(e.properties.data(), e.properties.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  for (const char* key : {"name", "title"}) {
    auto it = doc.FindMember(key);
    if (it != doc.MemberEnd() && it->value.IsString()) return it->value.GetString();
  }
  return "";
}

std::string entity_label(const Entity& e) {
  std::string label = e.id + " (" + e.entity_type + ")";
  std::string name = display_name(e);
  if (!name.empty()) label += " \"" + name + "\"";
  return label;
}

namespace {

std::string embedding_summary(const std::vector<float>& v) {
  if (v.empty()) return "-";
  std::string s = "[";
  char buf[32];
  for (size_t i = 0; i < v.size() && i < 4; ++i) {
    std::snprintf(buf, sizeof buf, "%s%.4g", i ? ", " : "", double(v[i]));
    s += buf;
  }
  return s + (v.size() > 4 ? ", ...]" : "]") + " (" + std::to_string(v.size()) + " dims)";
}

std::string optional_text(const std::optional<std::string>& s) { return s ? *s : "-"; }

std::string weight_text(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", w);
  return buf;
}

}  // namespace

void print_entity(const Entity& e) {
  std::cout << "id:          " << e.id << '\n'
            << "entity_type: " << e.entity_type << '\n'
            << "properties:  " << e.properties << '\n'
            << "embedding:   " << embedding_summary(e.embedding) << '\n'
            << "created_at:  " << format_timestamp(e.created_at) << '\n'
            << "updated_at:  " << format_timestamp(e.updated_at) << '\n'
            << "source:      " << optional_text(e.source) << '\n'
            << "tenant_id:   " << (e.tenant_id.empty() ? "-" : e.tenant_id) << '\n';
}

void print_relation(const Relation& r) {
  std::cout << "id:            " << r.id << '\n'
            << "relation_type: " << r.relation_type << '\n'
            << "source_id:     " << r.source_id << '\n'
            << "target_id:     " << r.target_id << '\n'
            << "properties:    " << r.properties << '\n'
            << "weight:        " << weight_text(r.weight) << '\n'
            << "created_at:    " << format_timestamp(r.created_at) << '\n'
            << "updated_at:    " << format_timestamp(r.updated_at) << '\n'
            << "source:        " << optional_text(r.source) << '\n'
            << "tenant_id:     " << (r.tenant_id.empty() ? "-" : r.tenant_id) << '\n';
}

std::string relation_arrow(const Relation& r, std::string_view from) {
  std::string edge = r.relation_type + " " + r.id + " w=" + weight_text(r.weight);
  if (r.source_id == from) return "-[" + edge + "]->";
  return "<-[" + edge + "]-";
}

std::string format_ns(double ns) {
  char buf[32];
  if (ns < 1e3) {
    std::snprintf(buf, sizeof buf, "%.0f ns", ns);
  } else if (ns < 1e6) {
    std::snprintf(buf, sizeof buf, "%.3g µs", ns / 1e3);
  } else if (ns < 1e9) {
    std::snprintf(buf, sizeof buf, "%.3g ms", ns / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g s", ns / 1e9);
  }
  return buf;
}

}  // namespace graphstore::cli
