// scoring.hpp's bounded text work: the bit-parallel Levenshtein agrees with
// the textbook table, and an entity's text is read within the per-entity
// limit, cut at a UTF-8 character boundary.
#include "graphstore/scoring.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace graphstore::sdk {
namespace {

std::string random_text(std::mt19937_64& rng, size_t len) {
  // A small alphabet with both cases and a non-ASCII byte, so that matches,
  // case folding and bytes >= 0x80 all occur.
  static const char kAlphabet[] = {'a', 'b', 'c', 'A', 'B', ' ', '\xC3', '\xA9'};
  std::string s;
  for (size_t i = 0; i < len; ++i) s.push_back(kAlphabet[rng() % sizeof kAlphabet]);
  return s;
}

// The textbook edit-distance table, |a| * |b| steps: the definition the
// bit-parallel LevenshteinPattern must compute.
size_t table_distance(std::string_view a, std::string_view b) {
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

TEST(Scoring, BitParallelLevenshteinEqualsTheTable) {
  std::mt19937_64 rng(7);
  // Lengths around the 64-bit word edges, where the blocks hand over.
  const size_t lengths[] = {0, 1, 2, 5, 63, 64, 65, 127, 128, 129, 200};
  for (size_t m : lengths)
    for (size_t n : lengths)
      for (int round = 0; round < 3; ++round) {
        std::string a = random_text(rng, m), b = random_text(rng, n);
        SCOPED_TRACE("m " + std::to_string(m) + " n " + std::to_string(n));
        EXPECT_EQ(LevenshteinPattern(a).distance(b), table_distance(ascii_lower(a), ascii_lower(b)));
        EXPECT_EQ(levenshtein(a, b), table_distance(a, b));
      }
}

TEST(Scoring, LevenshteinScoreKeepsItsDefinition) {
  EXPECT_DOUBLE_EQ(levenshtein_score("GRAPE", {"grape"}), 1.0);
  EXPECT_DOUBLE_EQ(levenshtein_score("graph", {"grape"}), 0.8);
  EXPECT_DOUBLE_EQ(levenshtein_score("graph", {"zzz", "graphs"}), 1.0 - 1.0 / 6.0);
  EXPECT_DOUBLE_EQ(levenshtein_score("", {""}), 0.0);
  EXPECT_DOUBLE_EQ(levenshtein_score("abc", {}), 0.0);
}

TEST(Scoring, QueryLengthLimit) {
  EXPECT_TRUE(text_query_error(std::string(kMaxTextQueryBytes, 'q')).empty());
  std::string error = text_query_error(std::string(kMaxTextQueryBytes + 1, 'q'));
  EXPECT_NE(error.find(std::to_string(kMaxTextQueryBytes)), std::string::npos) << error;
  std::vector<std::pair<size_t, double>> out;
  EXPECT_FALSE(rank_text(std::string(kMaxTextQueryBytes + 1, 'q'), 2, {{"a", R"({"t":"q"})"}}, 10, 0.0, &out));
}

TEST(Scoring, StringValuesStopAtThePerEntityLimit) {
  const size_t limit = kMaxTextBytesPerEntity;
  // The first value fills all but 3 bytes; the second is cut before its
  // 2-byte character that would straddle the limit; the third is not read.
  std::string first(limit - 3, 'a');
  std::string json = R"({"a":")" + first + R"(","b":"x\u00e9y","c":"never"})";
  std::vector<std::string> values = string_values(json);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0], first);
  EXPECT_EQ(values[1], "x\xC3\xA9");  // "é" ends exactly at the limit; "y" is past it
  std::string json2 = R"({"a":")" + std::string(limit - 1, 'a') + R"(","b":"\u00e9z"})";
  values = string_values(json2);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[1], "") << "a character that would straddle the limit is left out whole";
}

TEST(Scoring, TextJsonReadsAsTheProperties) {
  const char* json = R"({"k":"Graph \"DB\"\n","n":3,"arr":["x\u0000y",{"deep":"caf\u00e9"}],"key":{"t":""}})";
  EXPECT_EQ(string_values(text_json(json)), string_values(json));
  EXPECT_EQ(document_tokens(text_json(json)), document_tokens(json));
}

TEST(Scoring, Bm25FromCountsEqualsBm25FromTokens) {
  std::vector<std::string> terms = {"graph", "db", "none"};
  std::vector<std::string> d1 = document_tokens(R"({"t":"graph db graph x"})");
  std::vector<std::string> d2 = document_tokens(R"({"t":"db y z"})");
  Bm25Corpus by_tokens, by_counts;
  by_tokens.add(d1, terms);
  by_tokens.add(d2, terms);
  by_counts.add(bm25_doc(d1, terms), terms);
  by_counts.add(bm25_doc(d2, terms), terms);
  EXPECT_EQ(bm25_score(by_tokens, terms, d1), bm25_score(by_counts, terms, bm25_doc(d1, terms)));
  EXPECT_EQ(bm25_score(by_tokens, terms, d2), bm25_score(by_counts, terms, bm25_doc(d2, terms)));
  EXPECT_GT(bm25_score(by_tokens, terms, d1), 0.0);
}

}  // namespace
}  // namespace graphstore::sdk
