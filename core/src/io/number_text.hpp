// Decimal numbers in records (JSON and CSV text), read the same way by every
// format: as std::from_chars reads them (no locale, no hex), except that a
// value too small for a double reads as zero, as JSON parsers and the
// reference (Python's float) read it, instead of failing as out of range.
#ifndef GRAPHSTORE_IO_NUMBER_TEXT_HPP
#define GRAPHSTORE_IO_NUMBER_TEXT_HPP

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace graphstore::io {

// The power of ten of the first nonzero digit of a decimal number's text
// ([-]digits[.digits][(e|E)[+-]digits]): 2 for 123, -3 for 0.001, -400 for
// 1e-400; -1 when every digit is zero. Exponents saturate far beyond any
// double's range, so no text overflows the count.
inline long long leading_power_of_ten(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  long long int_digits = 0, index = 0, first = -1;
  bool point = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      point = true;
      continue;
    }
    if (!point) ++int_digits;
    if (text[i] != '0' && first < 0) first = index;
    ++index;
  }
  if (first < 0) return -1;
  long long exponent = 0;
  bool negative = false;
  if (i < text.size()) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
      exponent = std::min(exponent * 10 + (text[i] - '0'), 1'000'000'000'000LL);
  }
  return int_digits - 1 - first + (negative ? -exponent : exponent);
}

// Reads all of text as a finite double into *out. False, leaving *out alone,
// for anything else: not a number, text after it, nan or inf, a magnitude
// beyond the double range. A magnitude below the smallest subnormal reads as
// zero (with text's sign).
inline bool parse_finite_double(std::string_view text, double* out) {
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (end != text.data() + text.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    if (leading_power_of_ten(text) >= 0) return false;
    d = text.front() == '-' ? -0.0 : 0.0;
  } else if (ec != std::errc()) {
    return false;
  }
  if (!std::isfinite(d)) return false;
  *out = d;
  return true;
}

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_NUMBER_TEXT_HPP
