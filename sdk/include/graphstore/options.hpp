// graphstore plugin options: reads the JSON options a plugin receives at open.
//
// Every error message starts with "option 'KEY': " so the host can point at
// the key's line in the YAML config it came from. Unknown keys are errors and
// suggest the closest valid name.
#ifndef GRAPHSTORE_OPTIONS_HPP
#define GRAPHSTORE_OPTIONS_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/levenshtein.hpp"
#include "graphstore/plugin.hpp"
#include "graphstore/quote.hpp"

namespace graphstore::sdk {

// The candidate closest to name, or "" when none is reasonably close.
inline std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    size_t d = levenshtein(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best_d <= std::max<size_t>(2, name.size() / 3) ? best : std::string();
}

// Parsed options with typed getters. Construct, then call check_known().
class Options {
 public:
  // Parses text; an empty text is an empty object.
  static Status parse(std::string_view text, Options* out) {
    if (text.empty()) text = "{}";
    out->doc_.Parse(text.data(), text.size());
    if (out->doc_.HasParseError())
      return make_error(GS_INVALID_ARGUMENT,
                        std::string("options: malformed JSON: ") +
                            rapidjson::GetParseError_En(out->doc_.GetParseError()));
    if (!out->doc_.IsObject()) return make_error(GS_INVALID_ARGUMENT, "options: expected a JSON object");
    return Status::Ok();
  }

  // INVALID_ARGUMENT naming the first key not in known, with a suggestion.
  Status check_known(std::initializer_list<const char*> known) const {
    std::vector<std::string> names(known.begin(), known.end());
    for (auto it = doc_.MemberBegin(); it != doc_.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      if (std::find(names.begin(), names.end(), key) != names.end()) continue;
      std::string msg = "option '" + key + "': unknown option";
      std::string near = closest_name(key, names);
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      return make_error(GS_INVALID_ARGUMENT, msg);
    }
    return Status::Ok();
  }

  bool has(const char* key) const { return doc_.HasMember(key) && !doc_[key].IsNull(); }

  Status get_string(const char* key, std::string* out) const {
    if (!has(key)) return Status::Ok();
    const auto& v = doc_[key];
    if (!v.IsString()) return type_error(key, "a string");
    out->assign(v.GetString(), v.GetStringLength());
    return Status::Ok();
  }
  // A boolean, or its text ("true" or "false" in any case): a value from a
  // ${VAR} in the YAML config arrives as text.
  Status get_bool(const char* key, bool* out) const {
    if (!has(key)) return Status::Ok();
    const auto& v = doc_[key];
    if (v.IsBool()) {
      *out = v.GetBool();
      return Status::Ok();
    }
    if (v.IsString()) {
      std::string t(v.GetString(), v.GetStringLength());
      for (char& c : t) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if (t == "true" || t == "false") {
        *out = t == "true";
        return Status::Ok();
      }
    }
    return type_error(key, "true or false");
  }
  // A number, or the text of one (from a ${VAR}).
  Status get_double(const char* key, double* out) const {
    if (!has(key)) return Status::Ok();
    const auto& v = doc_[key];
    if (v.IsNumber()) {
      *out = v.GetDouble();
      return Status::Ok();
    }
    if (v.IsString()) {
      const char* begin = v.GetString();
      const char* end = begin + v.GetStringLength();
      double x = 0;
      auto [stop, ec] = std::from_chars(begin, end, x);
      if (ec == std::errc() && stop == end && begin != end) {
        *out = x;
        return Status::Ok();
      }
    }
    return type_error(key, "a number");
  }
  // A whole number in [lo, hi], or the text of one (from a ${VAR}).
  Status get_int(const char* key, int64_t* out, int64_t lo = INT64_MIN, int64_t hi = INT64_MAX) const {
    if (!has(key)) return Status::Ok();
    const auto& v = doc_[key];
    int64_t x = 0;
    if (v.IsInt64()) {
      x = v.GetInt64();
    } else if (v.IsString()) {
      const char* begin = v.GetString();
      const char* end = begin + v.GetStringLength();
      auto [stop, ec] = std::from_chars(begin, end, x);
      if (ec == std::errc::result_out_of_range && stop == end)
        return make_error(GS_INVALID_ARGUMENT, std::string("option '") + key + "': " +
                                                   std::string(begin, std::min<size_t>(end - begin, 32)) +
                                                   " is out of range [" + std::to_string(lo) + ", " +
                                                   std::to_string(hi) + "]");
      if (ec != std::errc() || stop != end || begin == end) return type_error(key, "a whole number");
    } else {
      return type_error(key, "a whole number");
    }
    if (x < lo || x > hi)
      return make_error(GS_INVALID_ARGUMENT, std::string("option '") + key + "': " + std::to_string(x) +
                                                 " is out of range [" + std::to_string(lo) + ", " +
                                                 std::to_string(hi) + "]");
    *out = x;
    return Status::Ok();
  }

  const rapidjson::Document& document() const { return doc_; }

 private:
  Status type_error(const char* key, const char* expected) const {
    const auto& v = doc_[key];
    const char* got = v.IsString() ? "a string"
                      : v.IsBool() ? "a boolean"
                      : v.IsNumber() ? "a number"
                      : v.IsArray() ? "a list"
                      : v.IsObject() ? "a mapping"
                                     : "null";
    std::string text =
        v.IsString() ? " " + quoted_prefix(std::string_view(v.GetString(), v.GetStringLength()), 32) : std::string();
    return make_error(GS_INVALID_ARGUMENT,
                      std::string("option '") + key + "': expected " + expected + ", got " + got + text);
  }

  rapidjson::Document doc_;
};

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_OPTIONS_HPP
