// demo: loads the bundled example knowledge graph into the configured store
// and shows what the store answers (neighbours, a traversal, paths, text and
// vector search, stats), each with its time.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "graphstore/io.hpp"
#include "output.hpp"
#include "results.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDataFile = "knowledge_graph.jsonl";
constexpr size_t kShown = 8;

struct DemoArgs {
  std::string data;
  std::string start = "person_001";
  std::string target = "topic_001";
  std::string query = "knowledge graph embeddings";
};

// ./examples, then the build tree's <bin>/../../examples, then the install
// tree's <bin>/../share/graphstore/examples.
Status find_data_file(const std::string& explicit_path, fs::path* out) {
  if (!explicit_path.empty()) {
    *out = explicit_path;
    return Status::Ok();
  }
  std::vector<fs::path> candidates = {fs::path("examples") / kDataFile};
  std::error_code ec;
  fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (!ec) {
    candidates.push_back((exe_dir / ".." / ".." / "examples" / kDataFile).lexically_normal());
    candidates.push_back((exe_dir / ".." / "share" / "graphstore" / "examples" / kDataFile).lexically_normal());
  }
  std::string tried;
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c, ec)) {
      *out = c;
      return Status::Ok();
    }
    tried += (tried.empty() ? "" : ", ") + c.string();
  }
  return NotFound("example data not found (tried " + tried + "); pass --data FILE");
}

// Microseconds spent in fn.
template <typename Fn>
double time_us(Fn&& fn) {
  auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
}

std::string us_text(double us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f µs", us);
  return buf;
}

struct LoadReport {
  uint64_t added = 0;
  uint64_t already_present = 0;
  uint64_t skipped = 0;  // for any other reason
};

void write_load(JsonWriter& w, const LoadReport& r, double us) {
  w.StartObject();
  w.Key("added");
  w.Uint64(r.added);
  w.Key("already_present");
  w.Uint64(r.already_present);
  w.Key("skipped");
  w.Uint64(r.skipped);
  w.Key("time_us");
  w.Double(us);
  w.EndObject();
}

// The demo's answers, gathered first so that --json prints one document.
struct DemoRun {
  fs::path data_file;
  std::string start, target;
  LoadReport entities, relations;
  double read_us = 0, entities_us = 0, relations_us = 0;
  std::vector<Neighbor> neighbors;
  double neighbors_us = 0;
  TraverseResult traversal;
  double traversal_us = 0;
  PathResult paths;
  double paths_us = 0;
  std::vector<ScoredEntity> text;
  double text_us = 0;
  std::optional<Entity> vector_query;  // the entity whose embedding is the query
  std::vector<ScoredEntity> vector;
  double vector_us = 0;
  Stats stats;
  double stats_us = 0;
};

constexpr uint32_t kTraverseDepth = 2;
constexpr uint32_t kPathDepth = 4;

// Picks id when present in the store, else the fallback (with a note).
std::string present_or(Store& store, const std::string& tenant, const std::string& id, const std::string& fallback) {
  Entity e;
  if (store.get_entity(tenant, id, &e).ok() || fallback.empty()) return id;
  print_error("note: entity '" + id + "' is not in the data; using '" + fallback + "'");
  return fallback;
}

// The first and the last id of the first entities in id order: the
// fallbacks for --start and --target.
void first_ids(Store& store, const std::string& tenant, std::string* first, std::string* last) {
  ScanOptions scan;
  scan.limit = 1000;
  // A failed scan leaves the ids empty, and the steps then report the
  // store's failure themselves.
  (void)store.scan_entities(tenant, scan, [&](const Entity& e) {
    if (first->empty()) *first = e.id;
    *last = e.id;
    return true;
  });
}

Status run_steps(Store& store, const std::string& tenant, const DemoArgs& args, DemoRun* run) {
  // The core's importer; records land in the chosen tenant whatever the
  // file says, and records already present are counted, not errors.
  ImportOptions options;
  options.tenant = tenant;
  options.on_conflict = OnConflict::kSkip;
  ImportReport report;
  Status s = import_file(store, run->data_file, options, &report);
  if (!s.ok()) return s;
  run->read_us = report.seconds * 1e6;
  run->entities.added = report.entities_added;
  run->entities.already_present = report.entity_duplicates;
  run->relations.added = report.relations_added;
  run->relations.already_present = report.relation_duplicates;

  std::string first, last;
  first_ids(store, tenant, &first, &last);
  run->start = present_or(store, tenant, args.start, first);
  run->target = present_or(store, tenant, args.target, last);

  run->neighbors_us =
      time_us([&] { s = store.get_neighbors(tenant, run->start, Direction::kBoth, "", &run->neighbors); });
  if (!s.ok()) return s;

  TraverseOptions traverse;
  traverse.max_depth = kTraverseDepth;
  run->traversal_us = time_us([&] { s = store.traverse(tenant, run->start, traverse, &run->traversal); });
  if (!s.ok()) return s;

  PathOptions paths;
  paths.max_depth = kPathDepth;
  paths.max_paths = 5;
  run->paths_us = time_us([&] { s = store.find_paths(tenant, run->start, run->target, paths, &run->paths); });
  if (!s.ok()) return s;

  TextQuery text;
  text.text = args.query;
  text.k = 5;
  run->text_us = time_us([&] { s = store.text_search(tenant, text, &run->text); });
  if (!s.ok()) return s;

  // The target's embedding as the query, so "similar to X" is visible.
  Entity target;
  if (store.get_entity(tenant, run->target, &target).ok() && !target.embedding.empty()) {
    run->vector_query = target;
    VectorQuery vq;
    vq.vector = target.embedding;
    vq.k = 5;
    run->vector_us = time_us([&] { s = store.vector_search(tenant, vq, &run->vector); });
    if (!s.ok()) return s;
  }

  run->stats_us = time_us([&] { s = store.get_stats(tenant, &run->stats); });
  return s;
}

void print_human(const Store& store, const std::string& tenant, const DemoArgs& args, const DemoRun& run) {
  const PluginInfo& p = store.plugin();
  std::cout << "graphstore demo: backend " << terminal_text(p.id) << " " << terminal_text(p.version) << " (ABI "
            << p.abi_major << "." << p.abi_minor << "), tenant " << tenant_label(tenant) << "\n"
            << "data: " << terminal_text(run.data_file.string()) << " (read in " << us_text(run.read_us) << ")\n\n";

  std::cout << "Loaded " << run.entities.added << " entities and " << run.relations.added << " relations in "
            << us_text(run.read_us) << " (graphstore import)";
  if (run.entities.already_present + run.relations.already_present > 0)
    std::cout << "; already present: " << run.entities.already_present << " entities, " << run.relations.already_present
              << " relations";
  if (run.entities.skipped + run.relations.skipped > 0)
    std::cout << "; skipped: " << run.entities.skipped + run.relations.skipped;
  std::cout << "\n\n";

  std::cout << "Neighbours of " << terminal_text(run.start) << " (both directions): " << run.neighbors.size() << "  ["
            << us_text(run.neighbors_us) << "]\n";
  print_neighbors(run.start, run.neighbors, kShown);

  std::cout << "\nTraversal from " << terminal_text(run.start) << " (out, depth <= " << kTraverseDepth
            << "): " << run.traversal.hits.size() << " entities  [" << us_text(run.traversal_us) << "]\n";
  print_traverse(run.traversal, kShown);

  std::cout << "\nPaths " << terminal_text(run.start) << " -> " << terminal_text(run.target) << " (at most "
            << kPathDepth << " hops, first 5): " << run.paths.paths.size() << "  [" << us_text(run.paths_us) << "]\n";
  print_paths(run.paths);

  std::cout << "\nText search (bm25) \"" << terminal_text(args.query) << "\": " << run.text.size() << " results  ["
            << us_text(run.text_us) << "]\n";
  print_scored(run.text);

  if (run.vector_query) {
    std::cout << "\nVector search: nearest to the embedding of " << entity_label(*run.vector_query) << "  ["
              << us_text(run.vector_us) << "]\n";
    print_scored(run.vector);
  } else {
    std::cout << "\nVector search: skipped (" << terminal_text(run.target) << " has no embedding)\n";
  }

  std::cout << "\nStats  [" << us_text(run.stats_us) << "]\n  entities:  " << run.stats.entity_count << "  (";
  const char* sep = "";
  for (const auto& [type, n] : run.stats.entities_by_type) {
    std::cout << sep << terminal_text(type) << " " << n;
    sep = ", ";
  }
  std::cout << ")\n  relations: " << run.stats.relation_count << "  (";
  sep = "";
  for (const auto& [type, n] : run.stats.relations_by_type) {
    std::cout << sep << terminal_text(type) << " " << n;
    sep = ", ";
  }
  std::cout << ")\n";
}

void print_json_run(const Store& store, const std::string& tenant, const DemoArgs& args, const DemoRun& run) {
  print_json([&](JsonWriter& w) {
    w.StartObject();
    w.Key("backend");
    write_string(w, store.plugin().id);
    w.Key("tenant_id");
    if (tenant.empty()) {
      w.Null();
    } else {
      write_string(w, tenant);
    }
    w.Key("data_file");
    write_string(w, run.data_file.string());
    w.Key("load");
    w.StartObject();
    w.Key("read_us");
    w.Double(run.read_us);
    w.Key("entities");
    write_load(w, run.entities, run.entities_us);
    w.Key("relations");
    write_load(w, run.relations, run.relations_us);
    w.EndObject();

    w.Key("neighbors");
    w.StartObject();
    w.Key("entity_id");
    write_string(w, run.start);
    w.Key("direction");
    w.String("both");
    w.Key("time_us");
    w.Double(run.neighbors_us);
    w.Key("results");
    write_neighbors(w, run.neighbors);
    w.EndObject();

    w.Key("traversal");
    w.StartObject();
    w.Key("start_id");
    write_string(w, run.start);
    w.Key("max_depth");
    w.Uint(kTraverseDepth);
    w.Key("time_us");
    w.Double(run.traversal_us);
    w.Key("result");
    write_traverse(w, run.traversal);
    w.EndObject();

    w.Key("paths");
    w.StartObject();
    w.Key("source_id");
    write_string(w, run.start);
    w.Key("target_id");
    write_string(w, run.target);
    w.Key("max_depth");
    w.Uint(kPathDepth);
    w.Key("time_us");
    w.Double(run.paths_us);
    w.Key("result");
    write_paths(w, run.paths);
    w.EndObject();

    w.Key("text_search");
    w.StartObject();
    w.Key("query");
    write_string(w, args.query);
    w.Key("method");
    w.String("bm25");
    w.Key("time_us");
    w.Double(run.text_us);
    w.Key("results");
    write_scored(w, run.text);
    w.EndObject();

    w.Key("vector_search");
    w.StartObject();
    w.Key("query_entity_id");
    if (run.vector_query) {
      write_string(w, run.vector_query->id);
    } else {
      w.Null();
    }
    w.Key("time_us");
    w.Double(run.vector_us);
    w.Key("results");
    write_scored(w, run.vector);
    w.EndObject();

    w.Key("stats");
    w.StartObject();
    w.Key("time_us");
    w.Double(run.stats_us);
    write_stats_members(w, run.stats);
    w.EndObject();
    w.EndObject();
  });
}

int run_demo(const GlobalOptions& global, const DemoArgs& args) {
  DemoRun run;
  // A missing file or record here is an error of the demo (exit 1), not a
  // "not found" answer about data.
  if (Status s = find_data_file(args.data, &run.data_file); !s.ok())
    return report_failure(code_name(s.code()), s.message(), kExitError);
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  if (Status s = run_steps(*store, global.tenant, args, &run); !s.ok())
    return report_failure(code_name(s.code()), "demo: " + s.message(), kExitError);
  if (global.json) {
    print_json_run(*store, global.tenant, args, run);
  } else {
    print_human(*store, global.tenant, args, run);
  }
  return kExitOk;
}

}  // namespace

void add_demo_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand("demo", "Load the example knowledge graph and show queries with their timings");
  cmd->add_option("--data", args->data, "JSONL file to load instead of examples/knowledge_graph.jsonl");
  cmd->add_option("--start", args->start, "Entity for neighbours, traversal and paths")->capture_default_str();
  cmd->add_option("--target", args->target, "Path target, and the entity whose embedding is the vector query")
      ->capture_default_str();
  cmd->add_option("--query", args->query, "Text search query")->capture_default_str();
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_demo(ctx.global, *args); }; });
}

}  // namespace graphstore::cli
