// Values between graphstore records and PostgreSQL text: statement
// parameters, array literals, embeddings, the text-search index of a record,
// and gs_entity / gs_relation views over result rows.
//
// Every value reaches the server as a bound parameter in text format; floats
// and doubles are written in their shortest round-trip form and read back
// with std::from_chars, so they survive bit for bit.
#ifndef GRAPHSTORE_POSTGRES_RECORDS_HPP
#define GRAPHSTORE_POSTGRES_RECORDS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "graphstore/abi.h"
#include "pool.hpp"

namespace graphstore::postgres {

// Bound parameters of one statement; std::nullopt is SQL NULL.
class Params {
 public:
  Params& s(std::string_view v) {
    values_.emplace_back(std::string(v));
    return *this;
  }
  Params& s(gs_str v) { return s(std::string_view(v.data ? v.data : "", v.len)); }
  // NULL when v.data is NULL (an absent optional string).
  Params& opt(gs_str v) {
    if (v.data == nullptr) return null();
    return s(v);
  }
  Params& i(int64_t v) {
    values_.emplace_back(std::to_string(v));
    return *this;
  }
  Params& d(double v);
  Params& null() {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  Params& text(std::optional<std::string> v) {
    values_.emplace_back(std::move(v));
    return *this;
  }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

// True when PostgreSQL text can hold s: valid UTF-8 without NUL bytes.
// Every stored id and type is such text, so a key that is not can match
// nothing.
bool storable(std::string_view s);
// The length of the longest prefix of s that is storable.
size_t storable_prefix(std::string_view s);
// s as a bytea literal in hex format ("\x...").
std::string bytea_hex(std::string_view s);

// Runs sql, prepared once per connection, with params.
pqxx::result exec(pqxx::transaction_base& tx, Connection& c, const std::string& sql, const Params& params);

// A text[] literal ({"a","b"}) of the given strings.
std::string text_array(const std::vector<std::string>& items);
std::string text_array(const std::vector<std::string_view>& items);

// "{1.5,-0,...}" for a real[] parameter; NULL (nullopt) when dim is 0.
std::optional<std::string> format_embedding(const float* v, uint32_t dim);
std::string format_double(double v);
// Parses a real[] value; false when the text is not one.
bool parse_embedding(std::string_view text, std::vector<float>* out);
int64_t parse_int(std::string_view text);
double parse_double(std::string_view text);

// What the text-search index stores for a record's properties: the
// tsvector literal of its distinct tokens (as sdk::document_tokens makes
// them; tokens longer than 200 bytes by a hash), or nullopt when it would
// exceed PostgreSQL's tsvector size (then the record is always a
// candidate), and its number of tokens (for BM25's average length).
struct TextIndex {
  std::optional<std::string> tsvector;
  int64_t token_count = 0;
};
TextIndex index_text(std::string_view properties_json);
// The lexeme a token is indexed under.
std::string lexeme(std::string_view token);
// A tsquery matching any of the lexemes of tokens; empty when none.
std::string any_token_query(const std::vector<std::string>& tokens);

// Column lists in the order read_entity / read_relation expect.
inline constexpr const char* kEntityCols = "id, entity_type, properties, embedding, created_at, updated_at, source";
inline constexpr int kEntityColCount = 7;
inline constexpr const char* kRelationCols =
    "id, relation_type, source_id, target_id, properties, weight, created_at, updated_at, source";
inline constexpr int kRelationColCount = 9;
// The same, each column qualified by alias (e.g. "e.id, e.entity_type, ...").
std::string entity_cols(std::string_view alias);
std::string relation_cols(std::string_view alias);

// A view of the entity in row's columns [first, first + kEntityColCount);
// valid while row's result and *embedding live.
gs_entity read_entity(const pqxx::row& row, int first, std::string_view tenant, std::vector<float>* embedding);
gs_relation read_relation(const pqxx::row& row, int first, std::string_view tenant);

}  // namespace graphstore::postgres

#endif  // GRAPHSTORE_POSTGRES_RECORDS_HPP
