// text_search_bench: the cost of one text search over one entity whose
// properties hold a single large string value. One search per run, so that
// the run's peak RSS (VmHWM) is that search's:
//
//   text_search_bench BACKEND METHOD PROPERTY_MB QUERY_BYTES [default]
//
// BACKEND is inmemory or sqlite (":memory:"), METHOD bm25, jaccard, cosine or
// levenshtein; "default" forces the core's Tier 2 default instead of the
// plugin's slot. Prints one JSON line: status, hits, seconds, and RSS figures
// in MiB (rss_before the search, peak: VmHWM reset before the search).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>

#include "graphstore/registry.hpp"

using namespace graphstore;

namespace {

double status_mib(const char* key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::strlen(key))) / 1024.0;
  return 0;
}
// Resets VmHWM to the current RSS (Linux >= 4.0).
void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }

// Words of 3 to 9 lower-case letters separated by spaces, as prose has.
std::string words(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out;
  out.reserve(bytes);
  while (out.size() < bytes) {
    size_t len = 3 + rng() % 7;
    for (size_t i = 0; i < len && out.size() < bytes; ++i) out.push_back(char('a' + rng() % 26));
    if (out.size() < bytes) out.push_back(' ');
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: text_search_bench inmemory|sqlite bm25|jaccard|cosine|levenshtein PROPERTY_MB QUERY_BYTES "
                 "[default]\n";
    return 2;
  }
  const std::string backend = argv[1], method = argv[2];
  const size_t property_bytes = size_t(std::stod(argv[3]) * 1024 * 1024);
  const size_t query_bytes = std::stoul(argv[4]);
  const bool force_default = argc > 5 && std::string(argv[5]) == "default";
  const std::map<std::string, TextMethod> methods = {{"bm25", TextMethod::kBm25},
                                                     {"jaccard", TextMethod::kJaccard},
                                                     {"cosine", TextMethod::kCosine},
                                                     {"levenshtein", TextMethod::kLevenshtein}};

  Registry registry;
  std::unique_ptr<Store> store;
  Status s = registry.open(backend, backend == "sqlite" ? R"({"path":":memory:"})" : "{}", &store);
  if (!s.ok()) {
    std::cerr << "text_search_bench: open: " << s.to_string() << "\n";
    return 1;
  }
  store->set_force_defaults(force_default);
  {
    Entity big;
    big.id = "big";
    big.entity_type = "Doc";
    big.properties = "{\"body\":\"" + words(property_bytes, 1) + "\"}";
    if (s = store->add_entity("", big); !s.ok()) {
      std::cerr << "text_search_bench: add: " << s.to_string() << "\n";
      return 1;
    }
  }
  TextQuery q;
  q.text = words(query_bytes, 2);
  q.method = methods.at(method);
  q.k = 10;
  std::vector<ScoredEntity> out;
  double before = status_mib("VmRSS:");
  reset_peak();
  auto t0 = std::chrono::steady_clock::now();
  s = store->text_search("", q, &out);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "{\"backend\":\"%s\",\"method\":\"%s\",\"default\":%s,\"property_mb\":%s,\"query_bytes\":%zu,"
      "\"status\":\"%s\",\"hits\":%zu,\"seconds\":%.3f,\"rss_before\":%.0f,\"peak\":%.0f}\n",
      backend.c_str(), method.c_str(), force_default ? "true" : "false", argv[3], query_bytes,
      s.ok() ? "OK" : s.to_string().c_str(), out.size(), seconds, before, status_mib("VmHWM:"));
  return 0;
}
