#include "decode.hpp"

#include <cstring>

#include "graphstore/plugin.hpp"
#include "graphstore/quote.hpp"

namespace graphstore::aiecs_reference {
namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's
// days_from_civil.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Reads n digits at text[*pos] into *out.
bool digits(std::string_view text, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > text.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

std::string record_name(std::string_view kind, std::string_view tenant, std::string_view id) {
  std::string out = std::string(kind) + " " + sdk::quoted_prefix(id);
  out += tenant.empty() ? " of the global namespace" : " of tenant " + sdk::quoted_prefix(tenant);
  return out;
}

size_t decode_properties(const char* data, size_t len, bool is_null, std::string_view what, std::string* out) {
  if (is_null) {
    *out = "{}";
    return 0;
  }
  std::string_view text(data, len);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{')
    throw sdk::Error(GS_CORRUPTION,
                     std::string(what) + ": properties are not a JSON object: " + sdk::quoted_prefix(text, 64));
  out->clear();
  out->reserve(len);
  size_t rewritten = 0;
  bool in_string = false;
  for (size_t i = 0; i < len; ++i) {
    char c = text[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < len) {
        out->push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out->push_back(c);
      continue;
    }
    // Outside strings, json.dumps writes exactly these three non-JSON tokens.
    for (std::string_view token : {"NaN", "Infinity", "-Infinity"}) {
      if (text.substr(i, token.size()) == token) {
        out->append("null");
        i += token.size() - 1;
        ++rewritten;
        c = 0;
        break;
      }
    }
    if (c != 0) out->push_back(c);
  }
  return rewritten;
}

void decode_embedding(const void* data, size_t len, std::string_view what, std::vector<float>* out) {
  out->clear();
  if (data == nullptr || len == 0) return;
  if (len % 4 != 0)
    throw sdk::Error(GS_CORRUPTION, std::string(what) + ": embedding of " + std::to_string(len) +
                                        " bytes is not a whole number of float32 values");
  out->resize(len / 4);
  // The reference packed native floats; every machine it ran on is
  // little-endian, as is this one (the build refuses others, see CMakeLists).
  std::memcpy(out->data(), data, len);
}

bool parse_sql_time(std::string_view text, gs_time_us* out) {
  size_t pos = 0;
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(text, &pos, 4, &y) || !expect(text, &pos, '-') || !digits(text, &pos, 2, &mo) ||
      !expect(text, &pos, '-') || !digits(text, &pos, 2, &d))
    return false;
  if (pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) return false;
  ++pos;
  if (!digits(text, &pos, 2, &h) || !expect(text, &pos, ':') || !digits(text, &pos, 2, &mi) ||
      !expect(text, &pos, ':') || !digits(text, &pos, 2, &s))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100000;
    size_t n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (n < 6) micros += (text[pos] - '0') * scale, scale /= 10;
      ++pos, ++n;
    }
    if (n == 0) return false;
  }
  int64_t offset_s = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t oh = 0, om = 0;
    if (!digits(text, &pos, 2, &oh) || !expect(text, &pos, ':') || !digits(text, &pos, 2, &om)) return false;
    offset_s = sign * (oh * 3600 + om * 60);
  }
  if (pos != text.size()) return false;
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_s;
  *out = secs * 1000000 + micros;
  return true;
}

}  // namespace graphstore::aiecs_reference
