// A strict reader of the Prometheus text exposition format (0.0.4), for
// tests: it parses every line and checks the rules a scraper relies on
// (names, label syntax and escapes, TYPE before samples, histograms with
// ascending cumulative buckets ending at +Inf equal to _count, no duplicate
// series). parse_prometheus returns "" or the first problem with its line.
#ifndef GRAPHSTORE_TESTS_PROMETHEUS_TEXT_HPP
#define GRAPHSTORE_TESTS_PROMETHEUS_TEXT_HPP

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace graphstore::test {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct Exposition {
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;  // family -> type

  // The value of the one sample with this name and these labels (a subset
  // match: every given label must be equal), or NAN when none or several.
  double value(const std::string& name, const std::map<std::string, std::string>& labels) const {
    double found = NAN;
    int n = 0;
    for (const Sample& s : samples) {
      if (s.name != name) continue;
      bool match = true;
      for (const auto& [k, v] : labels) {
        auto it = s.labels.find(k);
        match = match && it != s.labels.end() && it->second == v;
      }
      if (match) {
        found = s.value;
        ++n;
      }
    }
    return n == 1 ? found : NAN;
  }
};

inline bool metric_name(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

inline bool label_name(const std::string& s) { return metric_name(s) && s.find(':') == std::string::npos; }

inline bool parse_value(const std::string& s, double* out) {
  if (s == "+Inf") return *out = INFINITY, true;
  if (s == "-Inf") return *out = -INFINITY, true;
  if (s == "NaN") return *out = NAN, true;
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

inline std::string parse_prometheus(const std::string& text, Exposition* out) {
  *out = Exposition{};
  if (!text.empty() && text.back() != '\n') return "the text does not end with a newline";
  std::set<std::string> series, sampled_families;
  size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    std::string where = "line " + std::to_string(line_no) + ": ";
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
        bool type = line[2] == 'T';
        size_t sp = line.find(' ', 7);
        std::string name = line.substr(7, sp == std::string::npos ? std::string::npos : sp - 7);
        if (!metric_name(name)) return where + "bad metric name '" + name + "'";
        if (type) {
          std::string t = sp == std::string::npos ? "" : line.substr(sp + 1);
          if (t != "counter" && t != "gauge" && t != "histogram" && t != "summary" && t != "untyped")
            return where + "bad type '" + t + "'";
          if (out->types.count(name)) return where + "second TYPE for " + name;
          if (sampled_families.count(name)) return where + "TYPE for " + name + " after its samples";
          out->types[name] = t;
        }
      }
      continue;
    }
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    if (!metric_name(s.name)) return where + "bad metric name '" + s.name + "'";
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t eq = line.find('=', i);
        if (eq == std::string::npos) return where + "label without '='";
        std::string key = line.substr(i, eq - i);
        if (!label_name(key)) return where + "bad label name '" + key + "'";
        if (eq + 1 >= line.size() || line[eq + 1] != '"') return where + "label value not quoted";
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            if (++j >= line.size()) return where + "dangling escape";
            char c = line[j];
            if (c == 'n')
              value += '\n';
            else if (c == '\\' || c == '"')
              value += c;
            else
              return where + "bad escape \\" + std::string(1, c);
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) return where + "unterminated label value";
        if (!s.labels.emplace(key, value).second) return where + "label " + key + " twice";
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return where + "unterminated label set";
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return where + "no value";
    std::string rest = line.substr(i + 1);
    size_t sp = rest.find(' ');  // an optional timestamp follows
    if (!parse_value(rest.substr(0, sp), &s.value)) return where + "bad value '" + rest + "'";
    std::string family = s.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      std::string sfx = suffix;
      if (family.size() > sfx.size() && family.compare(family.size() - sfx.size(), sfx.size(), sfx) == 0 &&
          out->types.count(family.substr(0, family.size() - sfx.size())) &&
          out->types[family.substr(0, family.size() - sfx.size())] == "histogram") {
        family = family.substr(0, family.size() - sfx.size());
        break;
      }
    }
    if (!out->types.count(family)) return where + "sample of " + s.name + " without a TYPE line";
    sampled_families.insert(family);
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "," + k + "=" + v;
    if (!series.insert(key).second) return where + "duplicate series " + key;
    out->samples.push_back(std::move(s));
  }
  // Histograms: per series (labels without le), ascending le, cumulative
  // counts, +Inf last and equal to _count, and a _sum.
  for (const auto& [family, type] : out->types) {
    if (type != "histogram") continue;
    std::map<std::string, std::vector<std::pair<double, double>>> buckets;
    std::map<std::string, double> counts, sums;
    for (const Sample& s : out->samples) {
      std::string id;
      for (const auto& [k, v] : s.labels)
        if (k != "le") id += k + "=" + v + ",";
      if (s.name == family + "_bucket") {
        auto le = s.labels.find("le");
        double bound;
        if (le == s.labels.end() || !parse_value(le->second, &bound)) return family + ": bucket without a valid le";
        buckets[id].emplace_back(bound, s.value);
      } else if (s.name == family + "_count") {
        counts[id] = s.value;
      } else if (s.name == family + "_sum") {
        sums[id] = s.value;
      }
    }
    for (const auto& [id, list] : buckets) {
      for (size_t k = 1; k < list.size(); ++k) {
        if (!(list[k].first > list[k - 1].first)) return family + "{" + id + "}: le not ascending";
        if (list[k].second < list[k - 1].second) return family + "{" + id + "}: buckets not cumulative";
      }
      if (list.empty() || !std::isinf(list.back().first)) return family + "{" + id + "}: no +Inf bucket";
      if (!counts.count(id) || counts[id] != list.back().second) return family + "{" + id + "}: _count != +Inf bucket";
      if (!sums.count(id)) return family + "{" + id + "}: no _sum";
    }
  }
  return "";
}

}  // namespace graphstore::test

#endif  // GRAPHSTORE_TESTS_PROMETHEUS_TEXT_HPP
