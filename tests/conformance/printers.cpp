// GoogleTest printers for the host types, so a failed comparison shows the
// records instead of their bytes.
#include <ostream>

#include "conformance.hpp"

namespace graphstore {
namespace {

void print_text(std::ostream* os, const std::string& s) {
  constexpr size_t kMax = 200;  // a 1 MiB property would drown the report
  *os << '"' << s.substr(0, kMax) << (s.size() > kMax ? "...(" + std::to_string(s.size()) + " bytes)" : "") << '"';
}

void print_source(std::ostream* os, const std::optional<std::string>& source) {
  if (source)
    print_text(os, *source);
  else
    *os << "null";
}

}  // namespace

void PrintTo(const Entity& e, std::ostream* os) {
  *os << "Entity{id=";
  print_text(os, e.id);
  *os << " type=";
  print_text(os, e.entity_type);
  *os << " properties=";
  print_text(os, e.properties);
  *os << " embedding=[";
  for (size_t i = 0; i < e.embedding.size(); ++i) *os << (i ? "," : "") << e.embedding[i];
  *os << "] created_at=" << e.created_at << " updated_at=" << e.updated_at << " source=";
  print_source(os, e.source);
  *os << " tenant=";
  print_text(os, e.tenant_id);
  *os << "}";
}

void PrintTo(const Relation& r, std::ostream* os) {
  *os << "Relation{id=";
  print_text(os, r.id);
  *os << " type=";
  print_text(os, r.relation_type);
  *os << " ";
  print_text(os, r.source_id);
  *os << "->";
  print_text(os, r.target_id);
  *os << " properties=";
  print_text(os, r.properties);
  *os << " weight=" << r.weight << " created_at=" << r.created_at << " updated_at=" << r.updated_at << " source=";
  print_source(os, r.source);
  *os << " tenant=";
  print_text(os, r.tenant_id);
  *os << "}";
}

void PrintTo(const Stats& s, std::ostream* os) {
  *os << "Stats{entities=" << s.entity_count << " relations=" << s.relation_count << " by type:";
  for (const auto& [type, n] : s.entities_by_type) *os << " E:" << type << "=" << n;
  for (const auto& [type, n] : s.relations_by_type) *os << " R:" << type << "=" << n;
  *os << "}";
}

void PrintTo(const Status& s, std::ostream* os) { *os << s.to_string(); }

}  // namespace graphstore
