// export, import, migrate: the core's streaming (graphstore/io.hpp) and
// migration (graphstore/migrate.hpp) on the configured stores, with a
// progress line on stderr and, with --json, one report document on stdout.
#include <rapidjson/document.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "graphstore/io.hpp"
#include "graphstore/migrate.hpp"
#include "output.hpp"
#include "output_paths.hpp"
#include "progress.hpp"
#include "reports.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

namespace fs = std::filesystem;

struct ExportArgs {
  std::string file;
  std::string format;
  bool gzip = false;
  std::vector<std::string> entity_types;
  uint64_t page_size = 10000;
  int gzip_level = 6;
  bool overwrite = false;
  bool csv_formula_guard = false;
  bool no_progress = false;
};

struct ImportArgs {
  std::string file;
  std::string format;
  uint64_t batch_size = ImportOptions{}.batch_size;
  std::string on_error = "abort";
  std::string on_conflict = "error";
  std::string rejects;
  uint64_t max_line_bytes = ImportOptions{}.max_line_bytes;
  std::string spool_dir;
  std::string gzip_check = "verify";
  bool overwrite = false;
  bool no_progress = false;
};

struct MigrateArgs {
  std::string to_env;
  std::string to_config;
  // A side given as a plugin and its options instead of a config section,
  // e.g. --from-backend aiecs_reference --from-options '{"sqlite_path": "graph.db"}'.
  std::string from_backend, from_options;
  std::string to_backend, to_options;
  bool verify = false;
  bool dry_run = false;
  std::string checkpoint;
  uint64_t batch_size = MigrateOptions{}.batch_size;
  bool no_progress = false;
};

std::string rate_text(uint64_t records, double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f s, %.0f records/s", seconds, seconds > 0 ? double(records) / seconds : 0.0);
  return buf;
}

// ---- export ----------------------------------------------------------------

int run_export(const GlobalOptions& global, const ExportArgs& args) {
  ExportOptions options;
  if (!args.format.empty()) {
    Format f;
    if (!parse_format(args.format, &f)) return fail(InvalidArgument("unknown format '" + args.format + "'"));
    options.format = f;
  }
  if (args.gzip) options.gzip = true;
  if (args.file == "-" && global.json)
    return fail_usage("export: --json prints the report on stdout; it cannot go with FILE '-'");
  options.entity_types = args.entity_types;
  options.page_size = args.page_size;
  options.gzip_level = args.gzip_level;
  options.csv_formula_guard = args.csv_formula_guard;
  if (global.tenant_given) options.tenant = global.tenant;
  OpenedStore store;
  auto guard = [&](const BackendConfig& config) {
    GuardedFiles guarded;
    guarded.add_store(config);
    for (const auto& f : export_files(args.file, options))
      if (Status s = check_output_file(f, "export: FILE", guarded, args.overwrite); !s.ok()) return s;
    return Status::Ok();
  };
  if (Status s = open_store(global, &store, guard); !s.ok()) return fail(s);
  ProgressLine progress("export", !args.no_progress && args.file != "-");
  options.progress = progress.fn();
  ExportReport report;
  Status s = export_store(*store, args.file, options, &report);
  progress.finish();
  if (global.json) {
    print_json([&](JsonWriter& w) { write_export_report(w, s, store->plugin().id, report); });
  }
  if (!s.ok()) {
    print_error("export: " + s.message());
    return kExitError;
  }
  if (!global.json && args.file != "-") {
    std::string files;
    for (const auto& f : report.files) files += (files.empty() ? "" : " and ") + terminal_text(f);
    std::cout << "exported " << report.entities << " entities and " << report.relations << " relations to " << files
              << " (" << rate_text(report.entities + report.relations, report.seconds) << ")\n";
  }
  return kExitOk;
}

// ---- import ----------------------------------------------------------------

int run_import(const GlobalOptions& global, const ImportArgs& args) {
  ImportOptions options;
  if (!args.format.empty()) {
    Format f;
    if (!parse_format(args.format, &f)) return fail(InvalidArgument("unknown format '" + args.format + "'"));
    options.format = f;
  }
  options.batch_size = args.batch_size;
  options.on_error = args.on_error == "skip" ? OnError::kSkip : OnError::kAbort;
  options.on_conflict = args.on_conflict == "skip"      ? OnConflict::kSkip
                        : args.on_conflict == "replace" ? OnConflict::kReplace
                                                        : OnConflict::kError;
  options.rejects = args.rejects.empty() ? default_rejects_path(args.file) : fs::path(args.rejects);
  options.max_line_bytes = args.max_line_bytes;
  options.spool_dir = args.spool_dir;
  options.gzip_check = args.gzip_check == "stream" ? GzipCheck::kStream : GzipCheck::kVerifyFirst;
  if (global.tenant_given) options.tenant = global.tenant;
  OpenedStore store;
  auto guard = [&](const BackendConfig& config) {
    GuardedFiles guarded;
    for (const auto& f : import_files(args.file, options)) guarded.add_input(f);
    guarded.add_store(config);
    Status s;
    if (options.on_error == OnError::kSkip)
      s = check_output_file(options.rejects, "import: --rejects", guarded, args.overwrite);
    if (s.ok() && !options.spool_dir.empty()) s = check_output_dir(options.spool_dir, "import: --spool-dir", guarded);
    return s;
  };
  if (Status s = open_store(global, &store, guard); !s.ok()) return fail(s);
  ProgressLine progress("import", !args.no_progress);
  options.progress = progress.fn();
  ImportReport r;
  Status s = import_file(*store, args.file, options, &r);
  progress.finish();
  if (global.json) {
    print_json([&](JsonWriter& w) { write_import_report(w, s, store->plugin().id, r); });
  }
  if (!s.ok()) {
    print_error("import: " + s.message());
    print_error("import: stopped; " + std::to_string(r.batches) + " batches committed before (" +
                std::to_string(r.entities_added) + " entities, " + std::to_string(r.relations_added) +
                " relations), nothing of the failing batch");
    return kExitError;
  }
  if (!global.json) {
    std::cout << "imported " << r.entities_added << " entities and " << r.relations_added << " relations";
    if (r.entities_replaced + r.relations_replaced > 0)
      std::cout << ", replaced " << r.entities_replaced << " entities and " << r.relations_replaced << " relations";
    if (r.entity_duplicates + r.relation_duplicates > 0)
      std::cout << ", skipped " << r.entity_duplicates + r.relation_duplicates << " duplicates";
    std::cout << " (" << rate_text(r.records, r.seconds) << ")\n";
    if (r.rejected > 0)
      std::cout << "rejected " << r.rejected << " records: see " << terminal_text(r.rejects_file) << "\n";
  }
  return kExitOk;
}

// ---- migrate ---------------------------------------------------------------

// Opens a store from a plugin id (or path) and its options' JSON text given
// on the command line, with no config file: what --from-backend and
// --to-backend name. `label` stands for the environment in reports and in
// the checkpoint.
Status open_direct_store(const std::string& backend, const std::string& options, const std::string& option_name,
                         const std::string& label, OpenedStore* out, const BeforeOpen& before_open = {}) {
  out->config = BackendConfig{};
  out->config.environment = label;
  out->config.backend = backend;
  out->config.options_json = options.empty() ? "{}" : options;
  rapidjson::Document doc;
  doc.Parse(out->config.options_json.c_str(), out->config.options_json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return InvalidArgument(option_name + ": expected the options as a JSON object, e.g. '{\"path\": \"graph.db\"}'");
  if (before_open)
    if (Status s = before_open(out->config); !s.ok()) return s;
  Status s = open_backend(out->registry, out->config, &out->store);
  // A missing plugin or file is a usage problem here, not a "not found" answer.
  if (!s.ok() && s.is_not_found()) return Status(Code::kInvalidArgument, s.message());
  return s;
}

// The notes a source store gives about what a migration brought across
// (state lines "note.*", e.g. aiecs_reference's: what the reference never
// stored, how tenant names were recovered, values it could not keep),
// printed on stderr.
void print_source_notes(Store& source) {
  std::vector<std::pair<std::string, std::string>> state;
  if (!source.state(&state).ok()) return;
  for (const auto& [key, value] : state)
    if (key.rfind("note.", 0) == 0) print_error("note: " + value);
}

int run_migrate(const GlobalOptions& global, const MigrateArgs& args) {
  if (args.to_env.empty() == args.to_backend.empty())
    return fail_usage(
        "migrate: name the target with --to-env NAME (a config section) or --to-backend ID "
        "(with --to-options JSON), one of the two");
  if (!args.from_options.empty() && args.from_backend.empty())
    return fail_usage("migrate: --from-options goes with --from-backend");
  if (!args.to_options.empty() && args.to_backend.empty())
    return fail_usage("migrate: --to-options goes with --to-backend");
  GlobalOptions to = global;
  to.env = args.to_env;
  if (!args.to_config.empty()) to.config = args.to_config;
  if (args.from_backend.empty() && args.to_backend.empty() && to.env == choose_environment(global.env) &&
      to.config == global.config)
    return fail_usage("migrate: --to-env names the source environment itself");
  OpenedStore source, target;
  const BackendConfig& source_config = source.config;
  const BackendConfig& target_config = target.config;
  Status opened = args.from_backend.empty() ? open_store(global, &source)
                                            : open_direct_store(args.from_backend, args.from_options, "--from-options",
                                                                "(--from-backend)", &source);
  if (!opened.ok()) return fail(opened);
  auto guard = [&](const BackendConfig& config) {
    GuardedFiles guarded;
    guarded.add_store(source_config);
    guarded.add_store(config);
    return args.checkpoint.empty() ? Status::Ok()
                                   : check_rewritten_file(args.checkpoint, "migrate: --checkpoint", guarded);
  };
  opened = args.to_backend.empty()
               ? open_store(to, &target, guard)
               : open_direct_store(args.to_backend, args.to_options, "--to-options", "(--to-backend)", &target, guard);
  if (!opened.ok()) return fail(opened);
  MigrateOptions options;
  options.batch_size = args.batch_size;
  options.dry_run = args.dry_run;
  options.verify = args.verify;
  options.checkpoint = args.checkpoint;
  options.source_identity = store_identity(source_config);
  options.target_identity = store_identity(target_config);
  ProgressLine progress("migrate", !args.no_progress && !args.dry_run);
  options.progress = progress.fn();
  MigrateReport r;
  Status s = migrate(*source, *target, options, &r);
  progress.finish();
  // After the copy: a source's notes may count what the reads met.
  print_source_notes(*source);
  if (global.json) {
    print_json([&](JsonWriter& w) {
      write_migrate_report(w, s, {source_config.environment, source->plugin().id},
                           {target_config.environment, target->plugin().id}, args.dry_run, r);
    });
  }
  if (!s.ok()) {
    print_error("migrate: " + s.message());
    for (size_t i = 1; i < r.mismatches.size(); ++i) print_error("migrate: " + r.mismatches[i]);
    return kExitError;
  }
  if (global.json) return kExitOk;
  if (args.dry_run) {
    std::cout << "dry run: would copy from " << terminal_text(source->plugin().id) << " ("
              << terminal_text(source_config.environment) << ") to " << terminal_text(target->plugin().id) << " ("
              << terminal_text(target_config.environment) << "):\n";
    if (r.source_stats.empty()) std::cout << "  nothing: the source is empty\n";
    for (const auto& [t, st] : r.source_stats) {
      std::cout << "  tenant " << tenant_label(t) << ": " << st.entity_count << " entities, " << st.relation_count
                << " relations\n";
      for (const auto& [type, n] : st.entities_by_type)
        std::cout << "    entity " << terminal_text(type) << ": " << n << "\n";
      for (const auto& [type, n] : st.relations_by_type)
        std::cout << "    relation " << terminal_text(type) << ": " << n << "\n";
    }
    if (r.resumed)
      std::cout << "  (the checkpoint "
                << (r.already_complete ? "says the migration is complete"
                                       : "resumes at tenant " + tenant_label(r.resumed_tenant) + ", " +
                                             r.resumed_phase + " after '" + terminal_text(r.resumed_after_id) + "'")
                << ")\n";
    return kExitOk;
  }
  if (r.already_complete) {
    std::cout << "migration already complete (checkpoint " << terminal_text(args.checkpoint) << ")\n";
    return kExitOk;
  }
  std::cout << "migrated " << r.entities << " entities and " << r.relations << " relations in " << r.batches
            << " batches (" << rate_text(r.entities + r.relations, r.seconds) << ")"
            << (r.resumed ? ", resumed from the checkpoint" : "") << "\n";
  if (r.verified) std::cout << "verified: counts per tenant and type and content checksums are equal\n";
  return kExitOk;
}

// --format: one of the format table's names (graphstore/io.hpp).
void add_format_option(CLI::App* cmd, std::string* format) {
  const std::vector<std::string> names = format_names();
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  cmd->add_option("--format", *format, list + " (default: from FILE's extension, else " + names.front() + ")")
      ->check(CLI::IsMember(names));
}

}  // namespace

void add_stream_commands(CLI::App& app, Context& ctx) {
  {
    auto args = std::make_shared<ExportArgs>();
    auto* cmd = app.add_subcommand(
        "export", "Write every entity and relation to a file: JSONL (default), JSON or CSV, optionally gzip");
    cmd->add_option("FILE", args->file, "Output file ('-': stdout); CSV writes FILE's .entities.csv and .relations.csv")
        ->required();
    add_format_option(cmd, &args->format);
    cmd->add_flag("--gzip", args->gzip, "Compress with gzip (default: when FILE ends in .gz)");
    cmd->add_option("--gzip-level", args->gzip_level, "zlib level, 1 (fast) to 9 (small)")
        ->check(CLI::Range(1, 9))
        ->capture_default_str();
    cmd->add_option("--entity-type", args->entity_types,
                    "Only entities of this type (repeatable), and relations between exported entities");
    cmd->add_option("--page-size", args->page_size, "Records per scan call")
        ->check(CLI::Range(uint64_t(1), uint64_t(1) << 30))
        ->capture_default_str();
    cmd->add_flag("--overwrite", args->overwrite, "Replace FILE (CSV: its two files) when it exists");
    cmd->add_flag("--csv-formula-guard", args->csv_formula_guard,
                  "CSV for spreadsheets: prefix ' to cells starting with = + - @ TAB CR (not byte-exact)");
    cmd->add_flag("--no-progress", args->no_progress, "No progress line on stderr");
    cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_export(ctx.global, *args); }; });
  }
  {
    auto args = std::make_shared<ImportArgs>();
    auto* cmd = app.add_subcommand(
        "import", "Read entities and relations from a JSONL, JSON or CSV file (gzip detected) into the store");
    cmd->add_option("FILE", args->file, "Input file ('-': stdin); for CSV, FILE or its .entities/.relations pair")
        ->required();
    add_format_option(cmd, &args->format);
    cmd->add_option("--batch-size", args->batch_size, "Records per transaction")
        ->check(CLI::Range(uint64_t(1), uint64_t(1) << 24))
        ->capture_default_str();
    cmd->add_option("--on-error", args->on_error, "abort: stop at the first bad record; skip: reject it and go on")
        ->check(CLI::IsMember({"abort", "skip"}))
        ->capture_default_str();
    cmd->add_option("--rejects", args->rejects, "With --on-error skip: the rejects file (default FILE.rejected.jsonl)");
    cmd->add_option("--on-conflict", args->on_conflict, "An id that exists: error, skip (keep the stored) or replace")
        ->check(CLI::IsMember({"error", "skip", "replace"}))
        ->capture_default_str();
    cmd->add_option("--max-line-bytes", args->max_line_bytes,
                    "Longest line (record) accepted, at most " + std::to_string(kMaxLineBytesLimit) +
                        " (the largest record a backend stores)")
        ->check(CLI::Range(uint64_t(1), kMaxLineBytesLimit))
        ->capture_default_str();
    cmd->add_option("--spool-dir", args->spool_dir,
                    "Where relations read before their entities wait, and a piped gzip input is copied to be "
                    "checked (default: the temp directory)");
    cmd->add_option("--gzip-check", args->gzip_check,
                    "verify: check gzip input whole before writing any record; stream: decode as it arrives "
                    "(records of a damaged member may be committed)")
        ->check(CLI::IsMember({"verify", "stream"}))
        ->capture_default_str();
    cmd->add_flag("--overwrite", args->overwrite, "Replace the rejects file when it exists");
    cmd->add_flag("--no-progress", args->no_progress, "No progress line on stderr");
    cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_import(ctx.global, *args); }; });
  }
  {
    auto args = std::make_shared<MigrateArgs>();
    auto* cmd = app.add_subcommand(
        "migrate",
        "Copy every tenant's entities and relations from the --env (or --from-backend) store to the --to-env (or "
        "--to-backend) store");
    cmd->add_option("--to-env", args->to_env, "The target environment (or --to-backend)");
    cmd->add_option("--to-config", args->to_config, "The target's config file (default: the source's)");
    cmd->add_option("--from-backend", args->from_backend,
                    "The source as a plugin id or path instead of --env, e.g. aiecs_reference");
    cmd->add_option("--from-options", args->from_options,
                    "With --from-backend: its options as JSON, e.g. '{\"sqlite_path\": \"graph.db\"}'");
    cmd->add_option("--to-backend", args->to_backend, "The target as a plugin id or path instead of --to-env");
    cmd->add_option("--to-options", args->to_options, "With --to-backend: its options as JSON");
    cmd->add_flag("--verify", args->verify, "Compare counts per tenant and type and content checksums afterwards");
    cmd->add_flag("--dry-run", args->dry_run, "Report what would move; write nothing");
    cmd->add_option("--checkpoint", args->checkpoint, "Checkpoint file: written per batch, resumed from when present");
    cmd->add_option("--batch-size", args->batch_size, "Records per transaction")
        ->check(CLI::Range(uint64_t(1), uint64_t(1) << 24))
        ->capture_default_str();
    cmd->add_flag("--no-progress", args->no_progress, "No progress line on stderr");
    cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return run_migrate(ctx.global, *args); }; });
  }
}

}  // namespace graphstore::cli
