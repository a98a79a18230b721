// graphstore scoring: the one definition of every search score.
//
// The core's default searches and every native plugin call these functions,
// so a plugin's scores equal the default's bit for bit when it feeds them the
// same inputs in the same order. docs/scores.md explains the choices.
#ifndef GRAPHSTORE_SCORING_HPP
#define GRAPHSTORE_SCORING_HPP

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include "graphstore/quote.hpp"

namespace graphstore::sdk {

// Cosine similarity in [-1, 1], accumulated in double in index order; 0 when
// either vector has norm 0.
inline double cosine_similarity(const float* a, const float* b, uint32_t dim) {
  double dot = 0, na = 0, nb = 0;
  for (uint32_t i = 0; i < dim; ++i) {
    dot += double(a[i]) * double(b[i]);
    na += double(a[i]) * double(a[i]);
    nb += double(b[i]) * double(b[i]);
  }
  if (na == 0 || nb == 0) return 0.0;
  return dot / (std::sqrt(na) * std::sqrt(nb));
}

// Tokens: maximal runs of ASCII letters and digits and of non-ASCII bytes
// (so UTF-8 words stay whole), ASCII letters lower-cased.
inline void tokenize(std::string_view text, std::vector<std::string>* out) {
  std::string cur;
  for (unsigned char c : text) {
    bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (word) {
      cur.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c));
    } else if (!cur.empty()) {
      out->push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out->push_back(std::move(cur));
}

// Every string value in a properties object, recursively (object members and
// array elements), in document order. Keys are not values.
inline std::vector<std::string> string_values(std::string_view properties_json) {
  struct Handler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
    std::vector<std::string>* out;
    bool String(const char* s, rapidjson::SizeType n, bool) {
      out->emplace_back(s, n);
      return true;
    }
    // The base handler forwards keys to String(); keys are names, not text.
    bool Key(const char*, rapidjson::SizeType, bool) { return true; }
  };
  std::vector<std::string> values;
  Handler h;
  h.out = &values;
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(properties_json.data(), properties_json.size());
  reader.Parse<rapidjson::kParseIterativeFlag>(ms, h);
  return values;
}

// The searchable text of an entity, tokenised: the tokens of its string values.
inline std::vector<std::string> document_tokens(std::string_view properties_json) {
  std::vector<std::string> tokens;
  for (const auto& v : string_values(properties_json)) tokenize(v, &tokens);
  return tokens;
}

// Unique tokens in order of first appearance.
inline std::vector<std::string> unique_tokens(const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const auto& t : tokens)
    if (seen.insert(t).second) out.push_back(t);
  return out;
}

// BM25 with k1 = 1.2, b = 0.75 and idf = ln(1 + (N - df + 0.5) / (df + 0.5)).
// The corpus is every entity the search considers (tenant and type filter).
struct Bm25Corpus {
  uint64_t documents = 0;      // N
  uint64_t total_tokens = 0;   // sum of document lengths
  std::unordered_map<std::string, uint64_t> document_frequency;

  // Adds one document's tokens, counting only the query's terms.
  void add(const std::vector<std::string>& doc_tokens, const std::vector<std::string>& query_terms) {
    ++documents;
    total_tokens += doc_tokens.size();
    for (const auto& q : query_terms)
      if (std::find(doc_tokens.begin(), doc_tokens.end(), q) != doc_tokens.end()) ++document_frequency[q];
  }
};

inline double bm25_score(const Bm25Corpus& corpus, const std::vector<std::string>& query_terms,
                         const std::vector<std::string>& doc_tokens) {
  constexpr double k1 = 1.2, b = 0.75;
  if (corpus.documents == 0 || corpus.total_tokens == 0) return 0.0;
  double avgdl = double(corpus.total_tokens) / double(corpus.documents);
  double dl = double(doc_tokens.size());
  double score = 0.0;
  for (const auto& q : query_terms) {
    double tf = double(std::count(doc_tokens.begin(), doc_tokens.end(), q));
    if (tf == 0) continue;
    auto it = corpus.document_frequency.find(q);
    double df = it == corpus.document_frequency.end() ? 0.0 : double(it->second);
    double n = double(corpus.documents);
    double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    score += idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * dl / avgdl));
  }
  return score;
}

// |Q ∩ D| / |Q ∪ D| over token sets.
inline double jaccard_score(const std::vector<std::string>& query_tokens,
                            const std::vector<std::string>& doc_tokens) {
  std::unordered_set<std::string> q(query_tokens.begin(), query_tokens.end());
  std::unordered_set<std::string> d(doc_tokens.begin(), doc_tokens.end());
  if (q.empty() && d.empty()) return 0.0;
  size_t inter = 0;
  for (const auto& t : q) inter += d.count(t);
  return double(inter) / double(q.size() + d.size() - inter);
}

// Cosine of term-frequency vectors.
inline double tf_cosine_score(const std::vector<std::string>& query_tokens,
                              const std::vector<std::string>& doc_tokens) {
  std::unordered_map<std::string, double> q, d;
  for (const auto& t : query_tokens) q[t] += 1;
  for (const auto& t : doc_tokens) d[t] += 1;
  double dot = 0, nq = 0, nd = 0;
  // Sum in the order of the query's first appearances, then the document's,
  // so every caller adds the same numbers in the same order.
  for (const auto& t : unique_tokens(query_tokens)) {
    double qv = q[t];
    nq += qv * qv;
    auto it = d.find(t);
    if (it != d.end()) dot += qv * it->second;
  }
  for (const auto& t : unique_tokens(doc_tokens)) nd += d[t] * d[t];
  if (nq == 0 || nd == 0) return 0.0;
  return dot / (std::sqrt(nq) * std::sqrt(nd));
}

// Levenshtein distance over bytes.
inline size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

// The best 1 - distance / max(length) between the lower-cased query and any
// lower-cased string value of the entity; 0 when it has none.
inline double levenshtein_score(std::string_view query, const std::vector<std::string>& values) {
  std::string q = ascii_lower(query);
  double best = 0.0;
  for (const auto& v : values) {
    std::string lv = ascii_lower(v);
    size_t longest = std::max(q.size(), lv.size());
    if (longest == 0) continue;
    double s = 1.0 - double(levenshtein(q, lv)) / double(longest);
    best = std::max(best, s);
  }
  return best;
}

// Result order for every search: score descending, then id ascending.
template <class Hit>
bool better_hit(double score_a, const Hit& id_a, double score_b, const Hit& id_b) {
  if (score_a != score_b) return score_a > score_b;
  return id_a < id_b;
}

// One candidate of a text search: its id and its properties' JSON text.
struct TextDoc {
  std::string_view id;
  std::string_view properties_json;
};

// Ranks docs for a text search with method GS_TEXT_* (1 bm25, 2 jaccard,
// 3 cosine, 4 levenshtein): keeps scores > 0 and >= min_score, orders them by
// score descending then id ascending, and returns at most k (index, score).
// Returns false for an unknown method.
inline bool rank_text(std::string_view query, int32_t method, const std::vector<TextDoc>& docs, uint32_t k,
                      double min_score, std::vector<std::pair<size_t, double>>* out) {
  out->clear();
  if (method < 1 || method > 4) return false;
  std::vector<std::string> query_tokens;
  tokenize(query, &query_tokens);
  std::vector<std::string> query_terms = unique_tokens(query_tokens);
  std::vector<std::vector<std::string>> doc_tokens;
  Bm25Corpus corpus;
  if (method == 1) {
    doc_tokens.reserve(docs.size());
    for (const auto& d : docs) {
      doc_tokens.push_back(document_tokens(d.properties_json));
      corpus.add(doc_tokens.back(), query_terms);
    }
  }
  for (size_t i = 0; i < docs.size(); ++i) {
    double s = 0.0;
    switch (method) {
      case 1: s = bm25_score(corpus, query_terms, doc_tokens[i]); break;
      case 2: s = jaccard_score(query_tokens, document_tokens(docs[i].properties_json)); break;
      case 3: s = tf_cosine_score(query_tokens, document_tokens(docs[i].properties_json)); break;
      default: s = levenshtein_score(query, string_values(docs[i].properties_json)); break;
    }
    if (s > 0.0 && s >= min_score) out->emplace_back(i, s);
  }
  auto by_rank = [&](const std::pair<size_t, double>& a, const std::pair<size_t, double>& b) {
    return better_hit(a.second, docs[a.first].id, b.second, docs[b.first].id);
  };
  if (out->size() > k) {
    std::partial_sort(out->begin(), out->begin() + k, out->end(), by_rank);
    out->resize(k);
  } else {
    std::sort(out->begin(), out->end(), by_rank);
  }
  return true;
}

// The message for a tenant id that valid_tenant refuses, quoting at most its
// first 64 bytes, escaped.
inline std::string invalid_tenant_message(std::string_view t) {
  return "invalid tenant id " + quoted_prefix(t) + ": use 1 to 255 letters, digits, '-' or '_'";
}

// Tenant ids: 1 to 255 letters, digits, '-' and '_' (empty: global).
inline bool valid_tenant(std::string_view t) {
  if (t.size() > 255) return false;
  for (char c : t) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_SCORING_HPP
