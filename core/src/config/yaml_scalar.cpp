// Plain-scalar typing by the YAML 1.2 core schema (yaml.org/spec/1.2.2,
// 10.3.2), not YAML 1.1's: "yes", "on" and "0755" are a string, a string
// and the integer 755, as in every 1.2 parser.
#include "config/yaml_scalar.hpp"

#include <cctype>
#include <charconv>
#include <initializer_list>
#include <limits>

namespace graphstore::config {
namespace {

bool one_of(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options)
    if (s == o) return true;
  return false;
}

bool all_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok =
        base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : c >= '0' && c < static_cast<char>('0' + base);
    if (!ok) return false;
  }
  return true;
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_float(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t frac_digits = digits();
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// An unsigned magnitude in base; false on overflow.
bool parse_magnitude(std::string_view digits, int base, uint64_t* out) {
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out, base);
  return ec == std::errc() && end == digits.data() + digits.size();
}

TypedScalar integer(bool negative, uint64_t magnitude) {
  TypedScalar t;
  if (!negative && magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    t.kind = TypedScalar::kUint;
    t.u = magnitude;
  } else if (negative && magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
    t.kind = TypedScalar::kDouble;
    t.d = -static_cast<double>(magnitude);
  } else {
    t.kind = TypedScalar::kInt;
    t.i = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  }
  return t;
}

// The value of a decimal number's text (an optional sign, digits, '.', an
// exponent). from_chars rather than strtod: it ignores the C locale.
double decimal_value(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc::result_out_of_range) {
    bool tiny = text.find("e-") != std::string_view::npos || text.find("E-") != std::string_view::npos;
    d = tiny ? 0.0 : std::numeric_limits<double>::infinity();
  }
  return negative ? -d : d;
}

// The value of hex or octal digits too large for 64 bits.
double big_value(std::string_view digits, int base) {
  double d = 0;
  for (char c : digits) {
    int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    d = d * base + v;
  }
  return d;
}

TypedScalar floating(double d) {
  TypedScalar t;
  t.kind = TypedScalar::kDouble;
  t.d = d;
  return t;
}

}  // namespace

TypedScalar resolve_plain_scalar(std::string_view text) {
  TypedScalar t;
  if (one_of(text, {"", "~", "null", "Null", "NULL"})) {
    t.kind = TypedScalar::kNull;
    return t;
  }
  if (one_of(text, {"true", "True", "TRUE", "false", "False", "FALSE"})) {
    t.kind = TypedScalar::kBool;
    t.b = text[0] == 't' || text[0] == 'T';
    return t;
  }
  if (one_of(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}))
    return floating(std::numeric_limits<double>::infinity());
  if (one_of(text, {"-.inf", "-.Inf", "-.INF"})) return floating(-std::numeric_limits<double>::infinity());
  if (one_of(text, {".nan", ".NaN", ".NAN"})) return floating(std::numeric_limits<double>::quiet_NaN());

  uint64_t magnitude = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'o' || text[1] == 'x')) {
    int base = text[1] == 'o' ? 8 : 16;
    std::string_view digits = text.substr(2);
    if (all_digits(digits, base)) {
      if (parse_magnitude(digits, base, &magnitude)) return integer(false, magnitude);
      return floating(big_value(digits, base));
    }
    return t;
  }
  bool negative = text[0] == '-';
  std::string_view unsigned_part = text[0] == '-' || text[0] == '+' ? text.substr(1) : text;
  if (all_digits(unsigned_part, 10)) {
    if (parse_magnitude(unsigned_part, 10, &magnitude)) return integer(negative, magnitude);
    return floating(decimal_value(text));
  }
  if (is_float(text)) return floating(decimal_value(text));
  return t;
}

}  // namespace graphstore::config
