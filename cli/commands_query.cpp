// Graph queries: neighbors, traverse, paths, search-text, search-vector.
#include <charconv>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <memory>

#include "commands.hpp"
#include "output.hpp"
#include "results.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

const std::map<std::string, Direction> kDirections = {
    {"out", Direction::kOut}, {"in", Direction::kIn}, {"both", Direction::kBoth}};
const std::map<std::string, TextMethod> kMethods = {{"bm25", TextMethod::kBm25},
                                                    {"jaccard", TextMethod::kJaccard},
                                                    {"cosine", TextMethod::kCosine},
                                                    {"levenshtein", TextMethod::kLevenshtein}};

struct QueryArgs {
  std::string id, target, text, vector;
  std::string direction = "out";
  std::string relation_type, entity_type;
  std::string method = "bm25";
  uint32_t max_depth = 0;
  uint64_t max_results = 0;
  uint32_t k = 10;
  uint64_t max_result_mb = kDefaultMaxResultBytes >> 20;  // paths: the answer's memory budget
  bool truncate = false;                                  // paths: past the budget, keep what fits
  bool exact = false;                                     // search-vector: scan even with a vector index
  double threshold = -std::numeric_limits<double>::infinity();
};

// Parses "x,y,z" (commas and/or spaces) into floats.
bool parse_vector(std::string_view text, std::vector<float>* out, std::string* error) {
  out->clear();
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ',' || text[pos] == ' ')) ++pos;
    if (pos == text.size()) break;
    size_t end = text.find_first_of(", ", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(pos, end - pos);
    float f = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), f);
    if (ec != std::errc() || ptr != item.data() + item.size() || !std::isfinite(f)) {
      *error = "search-vector: '" + std::string(item) + "' is not a number";
      return false;
    }
    out->push_back(f);
    pos = end;
  }
  if (out->empty()) {
    *error = "search-vector: the vector is empty";
    return false;
  }
  return true;
}

// CLI11 reads "nan" and "inf" as numbers; a score bound must be a real one.
const CLI::Validator kFiniteNumber(
    [](std::string& text) {
      double d = 0;
      if (CLI::detail::lexical_cast(text, d) && std::isfinite(d)) return std::string();
      return "'" + text + "' is not a finite number";
    },
    "NUMBER");

int with_store(const GlobalOptions& global, const std::function<int(Store&)>& fn) {
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  return fn(*store);
}

int run_neighbors(const GlobalOptions& global, const QueryArgs& a) {
  return with_store(global, [&](Store& store) {
    std::vector<Neighbor> out;
    if (Status s = store.get_neighbors(global.tenant, a.id, kDirections.at(a.direction), a.relation_type, &out);
        !s.ok())
      return fail(s);
    if (global.json) {
      print_json([&](JsonWriter& w) { write_neighbors(w, out); });
    } else {
      std::cout << out.size() << (out.size() == 1 ? " neighbour" : " neighbours") << " of " << terminal_text(a.id)
                << " (" << a.direction << ")\n";
      print_neighbors(a.id, out);
    }
    return kExitOk;
  });
}

int run_traverse(const GlobalOptions& global, const QueryArgs& a) {
  return with_store(global, [&](Store& store) {
    TraverseOptions options;
    options.direction = kDirections.at(a.direction);
    options.relation_type = a.relation_type;
    options.max_depth = a.max_depth;
    options.max_results = a.max_results;
    TraverseResult out;
    if (Status s = store.traverse(global.tenant, a.id, options, &out); !s.ok()) return fail(s);
    if (global.json) {
      print_json([&](JsonWriter& w) { write_traverse(w, out); });
    } else {
      std::cout << out.hits.size() << " entities within depth " << a.max_depth << " of " << terminal_text(a.id) << '\n';
      print_traverse(out);
    }
    return kExitOk;
  });
}

int run_paths(const GlobalOptions& global, const QueryArgs& a) {
  return with_store(global, [&](Store& store) {
    PathOptions options;
    options.relation_type = a.relation_type;
    options.max_depth = a.max_depth;
    options.max_paths = a.max_results;
    options.max_result_bytes = a.max_result_mb << 20;
    options.truncate_to_budget = a.truncate;
    PathResult out;
    if (Status s = store.find_paths(global.tenant, a.id, a.target, options, &out); !s.ok()) {
      // The store names its options; say which flags set them.
      if (s.code() == Code::kResourceExhausted)
        s = Status(s.code(), s.message() + " (flags: --max-paths, --max-result-mb, --truncate)");
      return fail(s);
    }
    if (global.json) {
      print_json([&](JsonWriter& w) { write_paths(w, out); });
    } else {
      std::cout << out.paths.size() << (out.paths.size() == 1 ? " path" : " paths") << " from " << terminal_text(a.id)
                << " to " << terminal_text(a.target) << " (at most " << a.max_depth << " hops)\n";
      print_paths(out);
    }
    return kExitOk;
  });
}

int print_search(const GlobalOptions& global, const std::vector<ScoredEntity>& out, const std::string& what) {
  if (global.json) {
    print_json([&](JsonWriter& w) { write_scored(w, out); });
  } else {
    std::cout << out.size() << (out.size() == 1 ? " result" : " results") << " for " << terminal_text(what) << '\n';
    print_scored(out);
  }
  return kExitOk;
}

int run_search_text(const GlobalOptions& global, const QueryArgs& a) {
  return with_store(global, [&](Store& store) {
    TextQuery query;
    query.text = a.text;
    query.method = kMethods.at(a.method);
    query.k = a.k;
    query.entity_type = a.entity_type;
    std::vector<ScoredEntity> out;
    if (Status s = store.text_search(global.tenant, query, &out); !s.ok()) return fail(s);
    return print_search(global, out, a.method + " \"" + a.text + "\"");
  });
}

int run_search_vector(const GlobalOptions& global, const QueryArgs& a) {
  VectorQuery query;
  std::string error;
  if (!parse_vector(a.vector, &query.vector, &error)) return fail_usage(error);
  query.k = a.k;
  query.entity_type = a.entity_type;
  query.min_score = a.threshold;
  query.exact = a.exact;
  return with_store(global, [&](Store& store) {
    std::vector<ScoredEntity> out;
    if (Status s = store.vector_search(global.tenant, query, &out); !s.ok()) return fail(s);
    return print_search(global, out, "a " + std::to_string(query.vector.size()) + "-dim vector");
  });
}

using Runner = int (*)(const GlobalOptions&, const QueryArgs&);

CLI::App* add_query(CLI::App& app, Context& ctx, const char* name, const char* help,
                    const std::shared_ptr<QueryArgs>& args, Runner run) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->callback([&ctx, args, run] { ctx.action = [&ctx, args, run] { return run(ctx.global, *args); }; });
  return cmd;
}

void add_direction(CLI::App* cmd, QueryArgs& a) {
  cmd->add_option("--direction", a.direction, "out, in or both")
      ->check(CLI::IsMember({"out", "in", "both"}))
      ->capture_default_str();
  cmd->add_option("--relation-type", a.relation_type, "Follow only relations of this type");
}

}  // namespace

void add_query_commands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<QueryArgs>();
  auto* cmd = add_query(app, ctx, "neighbors", "Relations around an entity and the entities at their other end", a,
                        run_neighbors);
  cmd->add_option("id", a->id, "Entity id")->required();
  add_direction(cmd, *a);

  a = std::make_shared<QueryArgs>();
  a->max_depth = 3;
  a->max_results = 1000;
  cmd = add_query(app, ctx, "traverse", "Breadth-first traversal from an entity", a, run_traverse);
  cmd->add_option("id", a->id, "Start entity id")->required();
  cmd->add_option("--max-depth", a->max_depth, "Hops from the start")->capture_default_str();
  cmd->add_option("--max-results", a->max_results, "At most this many entities")->capture_default_str();
  add_direction(cmd, *a);

  a = std::make_shared<QueryArgs>();
  a->max_depth = 5;
  a->max_results = 10;
  cmd = add_query(app, ctx, "paths", "Simple directed paths between two entities, shortest first", a, run_paths);
  cmd->add_option("source", a->id, "Source entity id")->required();
  cmd->add_option("target", a->target, "Target entity id")->required();
  cmd->add_option("--max-depth", a->max_depth, "At most this many relations per path")->capture_default_str();
  cmd->add_option("--max-paths", a->max_results, "At most this many paths")->capture_default_str();
  cmd->add_option("--relation-type", a->relation_type, "Follow only relations of this type");
  cmd->add_option("--max-result-mb", a->max_result_mb,
                  "Memory budget of the answer in MiB: past it the command fails, or with --truncate prints the "
                  "paths that fit")
      ->check(CLI::Range(uint64_t(1), uint64_t(1) << 40))
      ->capture_default_str();
  cmd->add_flag("--truncate", a->truncate, "Past --max-result-mb, print the paths that fit and mark them truncated");

  a = std::make_shared<QueryArgs>();
  cmd = add_query(app, ctx, "search-text", "Rank entities by the text of their string properties", a, run_search_text);
  cmd->add_option("query", a->text, "Query text")->required();
  cmd->add_option("--method", a->method, "bm25, jaccard, cosine or levenshtein")
      ->check(CLI::IsMember({"bm25", "jaccard", "cosine", "levenshtein"}))
      ->capture_default_str();
  cmd->add_option("--k", a->k, "At most this many results")->capture_default_str();
  cmd->add_option("--type", a->entity_type, "Only entities of this type");

  a = std::make_shared<QueryArgs>();
  cmd = add_query(app, ctx, "search-vector", "Nearest entities by cosine similarity of their embeddings", a,
                  run_search_vector);
  cmd->add_option("vector", a->vector, "Comma-separated components, e.g. \"0.1,0.2,0.3\"")->required();
  cmd->add_option("--k", a->k, "At most this many results")->capture_default_str();
  cmd->add_option("--threshold", a->threshold, "Keep only scores >= this")->check(kFiniteNumber);
  cmd->add_option("--type", a->entity_type, "Only entities of this type");
  cmd->add_flag("--exact", a->exact, "Scan every embedding even where the store keeps an approximate index");
}

}  // namespace graphstore::cli
