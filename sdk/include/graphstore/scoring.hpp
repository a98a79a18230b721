// graphstore scoring: the one definition of every search score.
//
// The core's default searches and every native plugin call these functions,
// so a plugin's scores equal the default's bit for bit when it feeds them the
// same inputs in the same order. docs/scores.md explains the choices.
#ifndef GRAPHSTORE_SCORING_HPP
#define GRAPHSTORE_SCORING_HPP

#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graphstore/json_string_values.hpp"
#include "graphstore/levenshtein.hpp"
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

// The limits that bound a text search's work (docs/scores.md, "Limits"). A
// query longer than kMaxTextQueryBytes is refused (text_query_error), and an
// entity's text is read up to kMaxTextBytesPerEntity bytes of string values:
// what lies past it is not scored. Both keep the work per entity O(limit) in
// time and memory whatever a property holds.
inline constexpr size_t kMaxTextQueryBytes = 4096;
inline constexpr size_t kMaxTextBytesPerEntity = size_t(1) << 20;

// Empty when query is within kMaxTextQueryBytes, else the INVALID_ARGUMENT
// message that names the limit.
inline std::string text_query_error(std::string_view query) {
  if (query.size() <= kMaxTextQueryBytes) return {};
  return "text_search: the query is " + std::to_string(query.size()) + " bytes, more than the limit of " +
         std::to_string(kMaxTextQueryBytes) + " bytes";
}

// The length of the longest prefix of s within `room` bytes that does not
// end inside a UTF-8 sequence (a cut never splits a character).
inline size_t utf8_prefix(std::string_view s, size_t room) {
  if (s.size() <= room) return s.size();
  size_t n = room;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

// Every string value in a properties object, recursively (object members and
// array elements), in document order, until their lengths add up to
// kMaxTextBytesPerEntity: the value that reaches it is cut there (at a UTF-8
// character boundary) and the rest of the document is not read. Keys are not
// values.
inline std::vector<std::string> string_values(std::string_view properties_json) {
  return json_string_values(properties_json, kMaxTextBytesPerEntity);
}

// The entity's text (string_values, within kMaxTextBytesPerEntity) as a JSON
// array of strings: every score reads it exactly as it reads the properties,
// and it takes O(limit) bytes, so a search that must hold its candidates
// holds this instead of properties of any size.
inline std::string text_json(std::string_view properties_json) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartArray();
  for (const auto& v : string_values(properties_json)) writer.String(v.data(), rapidjson::SizeType(v.size()));
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The searchable text of an entity, tokenised: the tokens of its string values
// (within kMaxTextBytesPerEntity, as string_values reads them).
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

// What BM25 reads of one document: its length in tokens and, for each query
// term (in the query's order), how often the term occurs in it. A few
// integers per document instead of its tokens, so a corpus of large
// documents is held in little memory.
struct Bm25Doc {
  uint64_t length = 0;
  std::vector<uint64_t> term_frequency;  // one per query term
};

// The Bm25Doc of a document's tokens for the given query terms.
inline Bm25Doc bm25_doc(const std::vector<std::string>& doc_tokens, const std::vector<std::string>& query_terms) {
  Bm25Doc d;
  d.length = doc_tokens.size();
  d.term_frequency.assign(query_terms.size(), 0);
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < query_terms.size(); ++i) index.emplace(query_terms[i], i);
  for (const auto& t : doc_tokens)
    if (auto it = index.find(t); it != index.end()) ++d.term_frequency[it->second];
  return d;
}

// BM25 with k1 = 1.2, b = 0.75 and idf = ln(1 + (N - df + 0.5) / (df + 0.5)).
// The corpus is every entity the search considers (tenant and type filter).
struct Bm25Corpus {
  uint64_t documents = 0;      // N
  uint64_t total_tokens = 0;   // sum of document lengths
  std::unordered_map<std::string, uint64_t> document_frequency;

  // Adds one document's tokens, counting only the query's terms.
  void add(const std::vector<std::string>& doc_tokens, const std::vector<std::string>& query_terms) {
    add(bm25_doc(doc_tokens, query_terms), query_terms);
  }
  // Adds one document by its counts for query_terms.
  void add(const Bm25Doc& doc, const std::vector<std::string>& query_terms) {
    ++documents;
    total_tokens += doc.length;
    count_terms(doc, query_terms);
  }
  // Counts the query terms the document holds in document_frequency only,
  // for a caller that has N and the total length from elsewhere.
  void count_terms(const Bm25Doc& doc, const std::vector<std::string>& query_terms) {
    for (size_t i = 0; i < query_terms.size(); ++i)
      if (doc.term_frequency[i] != 0) ++document_frequency[query_terms[i]];
  }
};

// The BM25 score of a document given by its counts for query_terms (the same
// terms, in the same order, as built it).
inline double bm25_score(const Bm25Corpus& corpus, const std::vector<std::string>& query_terms,
                         const Bm25Doc& doc) {
  constexpr double k1 = 1.2, b = 0.75;
  if (corpus.documents == 0 || corpus.total_tokens == 0) return 0.0;
  double avgdl = double(corpus.total_tokens) / double(corpus.documents);
  double dl = double(doc.length);
  double score = 0.0;
  for (size_t i = 0; i < query_terms.size(); ++i) {
    double tf = double(doc.term_frequency[i]);
    if (tf == 0) continue;
    auto it = corpus.document_frequency.find(query_terms[i]);
    double df = it == corpus.document_frequency.end() ? 0.0 : double(it->second);
    double n = double(corpus.documents);
    double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    score += idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * dl / avgdl));
  }
  return score;
}

// The BM25 score of a document given by its tokens.
inline double bm25_score(const Bm25Corpus& corpus, const std::vector<std::string>& query_terms,
                         const std::vector<std::string>& doc_tokens) {
  return bm25_score(corpus, query_terms, bm25_doc(doc_tokens, query_terms));
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

// The best 1 - distance / max(length) between the lower-cased query and any
// lower-cased string value of the entity; 0 when it has none.
inline double levenshtein_score(const LevenshteinPattern& query, const std::vector<std::string>& values) {
  double best = 0.0;
  for (const auto& v : values) {
    size_t longest = std::max(query.size(), v.size());
    if (longest == 0) continue;
    double s = 1.0 - double(query.distance(v)) / double(longest);
    best = std::max(best, s);
  }
  return best;
}

inline double levenshtein_score(std::string_view query, const std::vector<std::string>& values) {
  return levenshtein_score(LevenshteinPattern(query), values);
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
// Returns false for an unknown method or a query that text_query_error
// refuses. Each document is read within kMaxTextBytesPerEntity, and BM25 keeps
// only its counts, so memory stays O(limit) per document.
inline bool rank_text(std::string_view query, int32_t method, const std::vector<TextDoc>& docs, uint32_t k,
                      double min_score, std::vector<std::pair<size_t, double>>* out) {
  out->clear();
  if (method < 1 || method > 4 || !text_query_error(query).empty()) return false;
  std::vector<std::string> query_tokens;
  tokenize(query, &query_tokens);
  std::vector<std::string> query_terms = unique_tokens(query_tokens);
  std::vector<Bm25Doc> bm25_docs;
  Bm25Corpus corpus;
  if (method == 1) {
    bm25_docs.reserve(docs.size());
    for (const auto& d : docs) {
      bm25_docs.push_back(bm25_doc(document_tokens(d.properties_json), query_terms));
      corpus.add(bm25_docs.back(), query_terms);
    }
  }
  std::optional<LevenshteinPattern> pattern;
  if (method == 4) pattern.emplace(query);
  for (size_t i = 0; i < docs.size(); ++i) {
    double s = 0.0;
    switch (method) {
      case 1: s = bm25_score(corpus, query_terms, bm25_docs[i]); break;
      case 2: s = jaccard_score(query_tokens, document_tokens(docs[i].properties_json)); break;
      case 3: s = tf_cosine_score(query_tokens, document_tokens(docs[i].properties_json)); break;
      default: s = levenshtein_score(*pattern, string_values(docs[i].properties_json)); break;
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

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_SCORING_HPP
