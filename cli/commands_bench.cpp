// bench: the reference's performance table, measured through the full path
// for each backend, printed beside the reference's own figures.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <iostream>
#include <memory>

#include "bench_runner.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "reports.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

struct BenchArgs {
  std::vector<std::string> backends;
  bool quick = false;
  bool configured_store = false;
};

struct Target {
  std::string backend;
  std::string options_json;
  bool configured_store = false;  // the configured store itself, not a scratch one
};

constexpr std::string_view kScratchPrefix = "graphstore-bench-";

// The directory for the scratch stores' files, removed when the bench ends.
// One left by a killed run (its pid no longer alive) is removed by the next.
struct ScratchDir {
  std::filesystem::path path;
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
  const std::filesystem::path& get() {
    if (path.empty()) {
      path = std::filesystem::temp_directory_path() / (std::string(kScratchPrefix) + std::to_string(getpid()));
      std::filesystem::create_directories(path);
    }
    return path;
  }
};

void remove_dead_scratch_dirs() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path(ec), ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kScratchPrefix, 0) != 0) continue;
    std::string digits = name.substr(kScratchPrefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    long pid = std::stol(digits);
    if (pid == getpid() || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
      std::error_code rm;
      std::filesystem::remove_all(entry.path(), rm);
    }
  }
}

bool has_capability(Registry& registry, const std::string& backend, std::string_view cap) {
  PluginInfo info;
  if (!registry.describe(backend, &info).ok()) return false;
  return std::find(info.capabilities.begin(), info.capabilities.end(), cap) != info.capabilities.end();
}

bool is_path_key(std::string_view key) {
  return key == "path" || (key.size() > 5 && key.substr(key.size() - 5) == "_path");
}

// Points every file option of a backend section (options named "path" or
// "*_path", also in nested sections) at a new file in the scratch
// directory, and says whether the result is a scratch store: every
// persistent backend in it, but a decorator, had a file to redirect. A
// persistent backend without one keeps its data in a server (PostgreSQL).
bool redirect_to_scratch(Registry& registry, const std::string& backend, rapidjson::Value& options,
                         rapidjson::Document::AllocatorType& alloc, ScratchDir& scratch, int* counter) {
  bool own_file = false, nested_scratch = true;
  if (options.IsObject()) {
    for (auto it = options.MemberBegin(); it != options.MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (it->value.IsString() && is_path_key(key)) {
        own_file = true;
        if (std::string_view(it->value.GetString()) == ":memory:") continue;
        std::string file = (scratch.get() / ("store" + std::to_string((*counter)++))).string();
        it->value.SetString(file.c_str(), static_cast<rapidjson::SizeType>(file.size()), alloc);
      } else if (it->value.IsObject() && it->value.HasMember("backend") && it->value["backend"].IsString()) {
        std::string inner = it->value["backend"].GetString();
        if (!it->value.HasMember("options"))
          it->value.AddMember("options", rapidjson::Value(rapidjson::kObjectType), alloc);
        nested_scratch &= redirect_to_scratch(registry, inner, it->value["options"], alloc, scratch, counter);
      }
    }
  }
  bool persistent = has_capability(registry, backend, "persistent");
  bool decorator = has_capability(registry, backend, "decorator");
  return nested_scratch && (!persistent || decorator || own_file);
}

// --backend as given, else the configured backend plus inmemory. The
// configured backend gets its configured options, others their defaults (a
// sqlite file). Without --configured-store, every file option is pointed at
// the scratch directory; a backend that has no file to point there (its data
// is in a server) is refused when named by --backend, skipped otherwise.
Status choose_targets(const GlobalOptions& global, const BenchArgs& args, Registry& registry, ScratchDir& scratch,
                      std::vector<Target>* out) {
  BackendConfig config;
  Status resolved = resolve_backend(global, &config);
  // A backend named by --backend needs no config file; the configured one does.
  if (!resolved.ok() && (args.backends.empty() || !global.config.empty() || args.configured_store)) return resolved;
  for (const auto& dir : config.plugin_paths) registry.add_search_path(dir);
  std::vector<std::string> ids = args.backends;
  if (ids.empty()) {
    ids.push_back(config.backend);
    std::vector<PluginInfo> plugins;
    (void)registry.list(&plugins);  // always OK: unloadable files are left out
    bool have_inmemory = std::any_of(plugins.begin(), plugins.end(), [](const auto& p) { return p.id == "inmemory"; });
    if (have_inmemory && config.backend != "inmemory") ids.push_back("inmemory");
  }
  int counter = 0;
  for (const auto& id : ids) {
    bool configured = resolved.ok() && id == config.backend;
    std::string options = configured ? config.options_json : id == "sqlite" ? R"({"path": "bench.db"})" : "{}";
    if (configured && args.configured_store) {
      out->push_back({id, options, true});
      continue;
    }
    rapidjson::Document doc;
    doc.Parse(options.c_str(), options.size());
    if (doc.HasParseError() || !doc.IsObject()) doc.SetObject();
    if (!redirect_to_scratch(registry, id, doc, doc.GetAllocator(), scratch, &counter)) {
      std::string why = id +
                        ": its data lives in a server database, so it has no scratch store; "
                        "--configured-store benches the configured store itself";
      if (!args.backends.empty()) return InvalidArgument(why);
      print_error("bench: skipped " + why);
      continue;
    }
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc.Accept(w);
    out->push_back({id, buf.GetString(), false});
  }
  return Status::Ok();
}

// With --configured-store: the data a killed run left in the configured
// store goes before this run adds its own.
Status remove_leftovers(Registry& registry, const std::vector<Target>& targets) {
  for (const auto& t : targets) {
    if (!t.configured_store) continue;
    std::vector<std::string> removed;
    if (Status s = remove_leftover_tenants(registry, t.backend, t.options_json, &removed); !s.ok()) return s;
    for (const auto& tenant : removed)
      print_error("bench: " + t.backend + ": removed tenant " + tenant + ", left by a bench run that was killed");
  }
  return Status::Ok();
}

// Display width: "µ" is two bytes but one column.
size_t columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& text, size_t width) {
  size_t w = columns(text);
  return text + std::string(width > w ? width - w : 0, ' ');
}

void print_table(const std::vector<Target>& targets, const std::vector<Measurement>& results,
                 const std::vector<std::unique_ptr<workload::Operation>>& ops, bool quick) {
  std::vector<std::string> header = {"Operation"};
  for (const auto& t : targets) header.push_back(terminal_text(t.backend));
  for (const char* seed : {"seed InMemory", "seed SQLite", "seed PostgreSQL"}) header.push_back(seed);

  std::vector<std::vector<std::string>> rows;
  for (const auto& op : ops) {
    std::vector<std::string> row = {std::string(op->label())};
    for (const auto& t : targets) {
      auto it = std::find_if(results.begin(), results.end(),
                             [&](const Measurement& m) { return m.op == op.get() && m.backend == t.backend; });
      row.push_back(it == results.end() ? "failed" : format_ns(it->median_ns));
    }
    auto seed = op->seed();
    for (double ns : {seed ? seed->inmemory_ns : -1, seed ? seed->sqlite_ns : -1, seed ? seed->postgres_ns : -1})
      row.push_back(ns < 0 ? "-" : format_ns(ns));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = columns(header[c]);
    for (const auto& row : rows) width[c] = std::max(width[c], columns(row[c]));
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size(); ++c)
      std::cout << (c ? " | " : "") << (c + 1 < row.size() ? pad(row[c], width[c]) : row[c]);
    std::cout << '\n';
  };
  print_row(header);
  for (size_t c = 0; c < header.size(); ++c) std::cout << (c ? "-|-" : "") << std::string(width[c], '-');
  std::cout << '\n';
  for (const auto& row : rows) print_row(row);
  std::cout << "\nMedians through host -> core -> ABI -> plugin"
            << (quick ? " (--quick: few runs, not a measurement)" : "")
            << ".\n"
               "Per call, except add_entity (1K) = 1,000 add_entity calls and Batch insert (10K) = one\n"
               "add_entities_bulk of 10,000 entities, each on a fresh store. Graph reads: 1,000 entities and\n"
               "3,000 random relations. Seed columns: the reference's published figures.\n";
}

int run_bench(const GlobalOptions& global, const BenchArgs& args) {
  Registry registry;
  ScratchDir scratch;
  std::vector<Target> targets;
  remove_dead_scratch_dirs();
  Status chosen = choose_targets(global, args, registry, scratch, &targets);
  if (chosen.ok()) chosen = remove_leftovers(registry, targets);
  if (!chosen.ok()) return report_failure(code_name(chosen.code()), chosen.message(), kExitError);
  auto ops = workload::standard_operations();
  std::vector<Measurement> results;
  int exit_code = kExitOk;
  Status first_failure;
  // Progress only for a person watching; logs and pipes get the result alone.
  bool progress = !global.json && isatty(STDERR_FILENO);
  for (const auto& t : targets) {
    for (const auto& op : ops) {
      if (progress) std::cerr << "  " << terminal_text(t.backend) << ": " << op->label() << "...\r" << std::flush;
      Measurement m;
      if (Status s = measure(registry, t.backend, t.options_json, *op, args.quick, &m); !s.ok()) {
        print_error(t.backend + ": " + std::string(op->label()) + ": " + s.message());
        if (first_failure.ok()) first_failure = Status(s.code(), t.backend + ": " + s.message());
        exit_code = kExitError;
        continue;
      }
      results.push_back(m);
    }
  }
  if (progress) std::cerr << std::string(60, ' ') << '\r' << std::flush;
  if (global.json && results.empty() && !first_failure.ok()) {
    // Nothing measured: the failure, in the shape of every failure (the
    // messages are on stderr already).
    print_failure_document(code_name(first_failure.code()), first_failure.message());
  } else if (global.json) {
    print_json([&](JsonWriter& w) { write_bench_report(w, results); });
  } else {
    print_table(targets, results, ops, args.quick);
  }
  return exit_code;
}

}  // namespace

void add_bench_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand(
      "bench", "Time the reference's operations on each backend, on scratch stores, beside the reference's figures");
  cmd->add_option("--backend", args->backends, "Backend id to bench (repeatable; default: configured + inmemory)");
  cmd->add_flag("--quick", args->quick, "Few runs per operation (a smoke test, not a measurement)");
  cmd->add_flag("--configured-store", args->configured_store,
                "Bench the configured backend in the configured store itself (tenants gsbench_<pid>_<n>, "
                "emptied afterwards) instead of a scratch store");
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_bench(ctx.global, *args); }; });
}

}  // namespace graphstore::cli
