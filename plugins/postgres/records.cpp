#include "records.hpp"

#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "graphstore/scoring.hpp"
#include "graphstore/utf8.hpp"

namespace graphstore::postgres {
namespace {

// Tokens longer than this are indexed by a hash: a lexeme must stay under
// 2 KiB, and long ones only bloat the index.
constexpr size_t kLongToken = 200;
// PostgreSQL refuses a tsvector of 1 MiB or more; stay well below.
constexpr size_t kMaxTsvectorBytes = 900 * 1024;

std::string_view field_view(const pqxx::field& f) { return std::string_view(f.c_str(), f.size()); }

gs_str field_str(const pqxx::field& f) { return gs_str{f.c_str(), f.size()}; }

void append_quoted_element(std::string* out, std::string_view item) {
  out->push_back('"');
  for (char c : item) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

size_t storable_prefix(std::string_view s) { return sdk::utf8_prefix(s, true); }

bool storable(std::string_view s) { return storable_prefix(s) == s.size(); }

std::string bytea_hex(std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + 2 * s.size());
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

Params& Params::d(double v) {
  values_.emplace_back(format_double(v));
  return *this;
}

pqxx::result exec(pqxx::transaction_base& tx, Connection& c, const std::string& sql, const Params& params) {
  return tx.exec_prepared(c.statement(sql), pqxx::prepare::make_dynamic_params(params.values()));
}

std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    append_quoted_element(&out, items[i]);
  }
  out.push_back('}');
  return out;
}

std::string text_array(const std::vector<std::string_view>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    append_quoted_element(&out, items[i]);
  }
  out.push_back('}');
  return out;
}

std::optional<std::string> format_embedding(const float* v, uint32_t dim) {
  if (dim == 0 || v == nullptr) return std::nullopt;
  std::string out;
  out.reserve(size_t(dim) * 12 + 2);
  out.push_back('{');
  char buf[64];
  for (uint32_t i = 0; i < dim; ++i) {
    if (i) out.push_back(',');
    auto r = std::to_chars(buf, buf + sizeof buf, v[i]);
    out.append(buf, r.ptr);
  }
  out.push_back('}');
  return out;
}

std::string format_double(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

bool parse_embedding(std::string_view text, std::vector<float>* out) {
  out->clear();
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
  const char* p = text.data() + 1;
  const char* end = text.data() + text.size() - 1;
  if (p == end) return true;
  while (p <= end) {
    const char* comma = p;
    while (comma < end && *comma != ',') ++comma;
    const char* start = p;
    if (start < comma && *start == '+') ++start;
    float x = 0;
    auto r = std::from_chars(start, comma, x);
    if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) return false;
    if (r.ec == std::errc::result_out_of_range) {
      // A denormal such as 1e-45: strtof rounds it like the server did.
      std::string tmp(start, comma);
      x = std::strtof(tmp.c_str(), nullptr);
    }
    out->push_back(x);
    p = comma + 1;
  }
  return true;
}

int64_t parse_int(std::string_view text) {
  int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc()) throw std::runtime_error("postgres: not an integer: " + std::string(text.substr(0, 40)));
  return v;
}

double parse_double(std::string_view text) {
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc()) {
    std::string tmp(text);
    v = std::strtod(tmp.c_str(), nullptr);
  }
  return v;
}

std::string lexeme(std::string_view token) {
  if (token.size() <= kLongToken) return std::string(token);
  // FNV-1a 64: '#' never occurs in a token, so a hashed lexeme never equals
  // a real one.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : token) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "#%016llx", static_cast<unsigned long long>(h));
  return buf;
}

TextIndex index_text(std::string_view properties_json) {
  TextIndex out;
  std::vector<std::string> tokens = sdk::document_tokens(properties_json);
  out.token_count = int64_t(tokens.size());
  std::string tsv;
  // Tokens hold only ASCII letters, digits and bytes >= 0x80: no quote,
  // backslash or space needs escaping inside '...'.
  for (const std::string& t : sdk::unique_tokens(tokens)) {
    if (!tsv.empty()) tsv.push_back(' ');
    tsv.push_back('\'');
    tsv += lexeme(t);
    tsv.push_back('\'');
    if (tsv.size() > kMaxTsvectorBytes) return out;  // nullopt: always a candidate
  }
  out.tsvector = std::move(tsv);
  return out;
}

std::string any_token_query(const std::vector<std::string>& tokens) {
  std::string q;
  for (const std::string& t : sdk::unique_tokens(tokens)) {
    if (!q.empty()) q += " | ";
    q += '\'' + lexeme(t) + '\'';
  }
  return q;
}

std::string entity_cols(std::string_view a) {
  std::string p = std::string(a) + ".";
  return p + "id, " + p + "entity_type, " + p + "properties, " + p + "embedding, " + p + "created_at, " + p +
         "updated_at, " + p + "source";
}

std::string relation_cols(std::string_view a) {
  std::string p = std::string(a) + ".";
  return p + "id, " + p + "relation_type, " + p + "source_id, " + p + "target_id, " + p + "properties, " + p +
         "weight, " + p + "created_at, " + p + "updated_at, " + p + "source";
}

gs_entity read_entity(const pqxx::row& row, int first, std::string_view tenant, std::vector<float>* embedding) {
  gs_entity e{};
  e.struct_size = sizeof e;
  e.id = field_str(row[first]);
  e.entity_type = field_str(row[first + 1]);
  e.properties_json = field_str(row[first + 2]);
  if (!row[first + 3].is_null()) {
    if (!parse_embedding(field_view(row[first + 3]), embedding))
      throw sdk::Error(GS_CORRUPTION, "postgres: entity '" + std::string(field_view(row[first])) +
                                          "': the stored embedding is not a real[]");
    e.embedding = embedding->empty() ? nullptr : embedding->data();
    e.embedding_dim = uint32_t(embedding->size());
  }
  e.created_at = parse_int(field_view(row[first + 4]));
  e.updated_at = parse_int(field_view(row[first + 5]));
  e.source = row[first + 6].is_null() ? gs_str{nullptr, 0} : field_str(row[first + 6]);
  e.tenant_id = gs_str{tenant.data(), tenant.size()};
  return e;
}

gs_relation read_relation(const pqxx::row& row, int first, std::string_view tenant) {
  gs_relation r{};
  r.struct_size = sizeof r;
  r.id = field_str(row[first]);
  r.relation_type = field_str(row[first + 1]);
  r.source_id = field_str(row[first + 2]);
  r.target_id = field_str(row[first + 3]);
  r.properties_json = field_str(row[first + 4]);
  r.weight = parse_double(field_view(row[first + 5]));
  r.created_at = parse_int(field_view(row[first + 6]));
  r.updated_at = parse_int(field_view(row[first + 7]));
  r.source = row[first + 8].is_null() ? gs_str{nullptr, 0} : field_str(row[first + 8]);
  r.tenant_id = gs_str{tenant.data(), tenant.size()};
  return r;
}

}  // namespace graphstore::postgres
