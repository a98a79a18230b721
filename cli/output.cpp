#include "output.hpp"

#include <rapidjson/document.h>

#include <cstdio>
#include <iostream>

#include "context.hpp"
#include "terminal_text.hpp"

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
  std::string label = terminal_text(e.id) + " (" + terminal_text(e.entity_type) + ")";
  std::string name = display_name(e);
  if (!name.empty()) label += " \"" + terminal_text(name) + "\"";
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

std::string optional_text(const std::optional<std::string>& s) { return s ? terminal_text(*s) : "-"; }

std::string weight_text(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", w);
  return buf;
}

}  // namespace

void print_entity(const Entity& e) {
  std::cout << "id:          " << terminal_text(e.id) << '\n'
            << "entity_type: " << terminal_text(e.entity_type) << '\n'
            << "properties:  " << terminal_json(e.properties) << '\n'
            << "embedding:   " << embedding_summary(e.embedding) << '\n'
            << "created_at:  " << format_timestamp(e.created_at) << '\n'
            << "updated_at:  " << format_timestamp(e.updated_at) << '\n'
            << "source:      " << optional_text(e.source) << '\n'
            << "tenant_id:   " << tenant_label(e.tenant_id) << '\n';
}

void print_relation(const Relation& r) {
  std::cout << "id:            " << terminal_text(r.id) << '\n'
            << "relation_type: " << terminal_text(r.relation_type) << '\n'
            << "source_id:     " << terminal_text(r.source_id) << '\n'
            << "target_id:     " << terminal_text(r.target_id) << '\n'
            << "properties:    " << terminal_json(r.properties) << '\n'
            << "weight:        " << weight_text(r.weight) << '\n'
            << "created_at:    " << format_timestamp(r.created_at) << '\n'
            << "updated_at:    " << format_timestamp(r.updated_at) << '\n'
            << "source:        " << optional_text(r.source) << '\n'
            << "tenant_id:     " << tenant_label(r.tenant_id) << '\n';
}

std::string relation_arrow(const Relation& r, std::string_view from) {
  std::string edge = terminal_text(r.relation_type) + " " + terminal_text(r.id) + " w=" + weight_text(r.weight);
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
