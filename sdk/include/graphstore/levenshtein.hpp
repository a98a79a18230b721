// Levenshtein (edit) distance over bytes: the one implementation the SDK
// uses, for text search scores (scoring.hpp) and for "did you mean"
// suggestions (options.hpp).
#ifndef GRAPHSTORE_LEVENSHTEIN_HPP
#define GRAPHSTORE_LEVENSHTEIN_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace graphstore::sdk {

// A byte lower-cased if it is an ASCII capital, else unchanged.
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// s with each ASCII capital lower-cased.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

// Levenshtein distance over bytes from one pattern to many texts, by default
// with ASCII letters compared case-insensitively. Myers' bit-vector algorithm in
// its blocked form (Hyyro 2003, as edlib computes it): one column of the
// edit-distance table is a bit vector of vertical deltas, 64 rows per word,
// so a text of n bytes costs ceil(m / 64) * n word operations and no memory
// beyond the pattern's table, where the textbook table costs m * n.
class LevenshteinPattern {
 public:
  // fold_case false compares bytes exactly.
  explicit LevenshteinPattern(std::string_view pattern, bool fold_case = true)
      : m_(pattern.size()), words_((pattern.size() + 63) / 64), peq_(256 * words_, 0) {
    for (size_t i = 0; i < m_; ++i) {
      uint64_t bit = uint64_t(1) << (i % 64);
      auto c = static_cast<unsigned char>(fold_case ? ascii_lower(pattern[i]) : pattern[i]);
      peq_[size_t(c) * words_ + i / 64] |= bit;
      // An upper-case byte matches too.
      if (fold_case && c >= 'a' && c <= 'z') peq_[size_t(c - 'a' + 'A') * words_ + i / 64] |= bit;
    }
  }

  size_t size() const { return m_; }

  // The distance between the pattern and text.
  size_t distance(std::string_view text) const {
    if (m_ == 0) return text.size();
    std::vector<uint64_t> pv(words_, ~uint64_t(0)), mv(words_, 0);
    const uint64_t last = uint64_t(1) << ((m_ - 1) % 64);  // the pattern's last row in its last word
    size_t score = m_;                                     // D[m][0]
    for (unsigned char c : text) {
      const uint64_t* eq_of = &peq_[size_t(c) * words_];
      int hin = 1;  // D[0][j] - D[0][j-1]: the top row grows by one per column
      for (size_t w = 0; w < words_; ++w) {
        uint64_t eq = eq_of[w], p = pv[w], n = mv[w];
        uint64_t hin_neg = hin < 0 ? 1 : 0;
        uint64_t xv = eq | n;
        eq |= hin_neg;
        uint64_t xh = (((eq & p) + p) ^ p) | eq;
        uint64_t ph = n | ~(xh | p);
        uint64_t mh = p & xh;
        uint64_t out_bit = w + 1 == words_ ? last : uint64_t(1) << 63;
        int hout = (ph & out_bit) ? 1 : (mh & out_bit) ? -1 : 0;
        ph <<= 1;
        mh <<= 1;
        mh |= hin_neg;
        ph |= hin > 0 ? 1 : 0;
        pv[w] = mh | ~(xv | ph);
        mv[w] = ph & xv;
        hin = hout;
      }
      score = size_t(std::ptrdiff_t(score) + hin);
    }
    return score;
  }

 private:
  size_t m_;
  size_t words_;
  std::vector<uint64_t> peq_;  // [byte][word]: the pattern positions holding that byte
};

// The distance between a and b, bytes compared exactly.
inline size_t levenshtein(std::string_view a, std::string_view b) { return LevenshteinPattern(a, false).distance(b); }

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_LEVENSHTEIN_HPP
