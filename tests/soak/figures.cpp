#include "figures.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace graphstore::soak {

void Figures::fail(const std::string& name, const std::string& detail) {
  // Keys are one word in the saved file; the first examples of each name are
  // kept, so one frequent failure does not hide a rarer one.
  std::string key = name;
  for (char& ch : key)
    if (ch == ' ') ch = ':';
  if (++failures[key] <= 3 && examples.size() < 30) examples.push_back(key + ": " + detail);
}

void Figures::merge(const Figures& other) {
  for (const auto& [k, v] : other.ops) ops[k] += v;
  for (const auto& [k, v] : other.retried) retried[k] += v;
  for (const auto& [k, v] : other.failures) failures[k] += v;
  writes_acknowledged += other.writes_acknowledged;
  found_committed_on_retry += other.found_committed_on_retry;
  reads_checked += other.reads_checked;
  for (const auto& e : other.examples)
    if (examples.size() < 30) examples.push_back(e);
}

uint64_t Figures::failure_count() const {
  uint64_t n = 0;
  for (const auto& [k, v] : failures) n += v;
  return n;
}

bool Figures::save(const std::string& path) const {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& [k, v] : ops) out << "op " << k << " " << v << "\n";
    for (const auto& [k, v] : retried) out << "retried " << k << " " << v << "\n";
    for (const auto& [k, v] : failures) out << "failure " << k << " " << v << "\n";
    out << "acknowledged - " << writes_acknowledged << "\n";
    out << "committed_on_retry - " << found_committed_on_retry << "\n";
    out << "reads_checked - " << reads_checked << "\n";
    for (const auto& e : examples) out << "example " << e << "\n";
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

bool Figures::load_and_add(const std::string& path) {
  std::ifstream in(path);
  if (!in) return false;
  Figures f;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string tag, key;
    s >> tag;
    if (tag == "example") {
      std::string rest;
      std::getline(s, rest);
      f.examples.push_back(rest.empty() ? rest : rest.substr(1));
      continue;
    }
    uint64_t v = 0;
    s >> key >> v;
    if (tag == "op")
      f.ops[key] += v;
    else if (tag == "retried")
      f.retried[key] += v;
    else if (tag == "failure")
      f.failures[key] += v;
    else if (tag == "acknowledged")
      f.writes_acknowledged += v;
    else if (tag == "committed_on_retry")
      f.found_committed_on_retry += v;
    else if (tag == "reads_checked")
      f.reads_checked += v;
  }
  merge(f);
  return true;
}

void print_counts(std::ostream& out, const std::map<std::string, uint64_t>& counts) {
  if (counts.empty()) {
    out << "none";
    return;
  }
  bool first = true;
  for (const auto& [k, v] : counts) {
    out << (first ? "" : ", ") << k << " " << v;
    first = false;
  }
}

}  // namespace graphstore::soak
