// export, import, migrate: the core's streaming (graphstore/io.hpp) and
// migration (graphstore/migrate.hpp) on the configured stores, with a
// progress line on stderr and, with --json, one report document on stdout.
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "graphstore/io.hpp"
#include "graphstore/migrate.hpp"
#include "output.hpp"
#include "output_paths.hpp"
#include "progress.hpp"
#include "results.hpp"
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

void write_tenant_key(JsonWriter& w, const std::string& tenant) {
  w.Key(tenant.empty() ? "" : tenant.c_str(), static_cast<rapidjson::SizeType>(tenant.size()));
}

void write_counts(JsonWriter& w, const std::map<std::string, TenantCounts>& tenants) {
  w.StartObject();
  for (const auto& [t, c] : tenants) {
    write_tenant_key(w, t);
    w.StartObject();
    w.Key("entities");
    w.Uint64(c.entities);
    w.Key("relations");
    w.Uint64(c.relations);
    w.EndObject();
  }
  w.EndObject();
}

void write_strings(JsonWriter& w, const std::vector<std::string>& v) {
  w.StartArray();
  for (const auto& s : v) write_string(w, s);
  w.EndArray();
}

// "ok", "code" and "error": the members every failure document has
// (failure.hpp), null on success.
void write_status(JsonWriter& w, const Status& s) {
  w.Key("ok");
  w.Bool(s.ok());
  w.Key("code");
  if (s.ok()) {
    w.Null();
  } else {
    w.String(code_name(s.code()));
  }
  w.Key("error");
  if (s.ok()) {
    w.Null();
  } else {
    write_string(w, s.message());
  }
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
  Registry registry;
  std::unique_ptr<Store> store;
  auto guard = [&](const BackendConfig& config) {
    GuardedFiles guarded;
    guarded.add_store(config);
    for (const auto& f : export_files(args.file, options))
      if (Status s = check_output_file(f, "export: FILE", guarded, args.overwrite); !s.ok()) return s;
    return Status::Ok();
  };
  if (Status s = open_configured_store(global, registry, &store, nullptr, guard); !s.ok()) return fail(s);
  ProgressLine progress("export", !args.no_progress && args.file != "-");
  options.progress = progress.fn();
  ExportReport report;
  Status s = export_store(*store, args.file, options, &report);
  progress.finish();
  if (global.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      write_status(w, s);
      w.Key("backend");
      write_string(w, store->plugin().id);
      w.Key("files");
      write_strings(w, report.files);
      w.Key("format");
      w.String(format_name(report.format));
      w.Key("gzip");
      w.Bool(report.gzip);
      w.Key("entities");
      w.Uint64(report.entities);
      w.Key("relations");
      w.Uint64(report.relations);
      w.Key("tenants");
      write_counts(w, report.tenants);
      w.Key("seconds");
      w.Double(report.seconds);
      w.EndObject();
    });
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
  Registry registry;
  std::unique_ptr<Store> store;
  auto guard = [&](const BackendConfig& config) {
    GuardedFiles guarded;
    guarded.add_input(args.file);
    if (options.format.value_or(format_from_path(args.file)) == Format::kCsv) {
      ExportOptions csv;  // the CSV pair import reads FILE as, named as export writes it
      csv.format = Format::kCsv;
      for (const auto& part : export_files(args.file, csv)) guarded.add_input(part);
    }
    guarded.add_store(config);
    Status s;
    if (options.on_error == OnError::kSkip)
      s = check_output_file(options.rejects, "import: --rejects", guarded, args.overwrite);
    if (s.ok() && !options.spool_dir.empty()) s = check_output_dir(options.spool_dir, "import: --spool-dir", guarded);
    return s;
  };
  if (Status s = open_configured_store(global, registry, &store, nullptr, guard); !s.ok()) return fail(s);
  ProgressLine progress("import", !args.no_progress);
  options.progress = progress.fn();
  ImportReport r;
  Status s = import_file(*store, args.file, options, &r);
  progress.finish();
  if (global.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      write_status(w, s);
      w.Key("backend");
      write_string(w, store->plugin().id);
      w.Key("files");
      write_strings(w, r.files);
      w.Key("format");
      w.String(format_name(r.format));
      w.Key("gzip");
      w.Bool(r.gzip);
      w.Key("records");
      w.Uint64(r.records);
      w.Key("entities_added");
      w.Uint64(r.entities_added);
      w.Key("relations_added");
      w.Uint64(r.relations_added);
      w.Key("entities_replaced");
      w.Uint64(r.entities_replaced);
      w.Key("relations_replaced");
      w.Uint64(r.relations_replaced);
      w.Key("entity_duplicates_skipped");
      w.Uint64(r.entity_duplicates);
      w.Key("relation_duplicates_skipped");
      w.Uint64(r.relation_duplicates);
      w.Key("rejected");
      w.Uint64(r.rejected);
      w.Key("rejects_file");
      if (r.rejects_file.empty()) {
        w.Null();
      } else {
        write_string(w, r.rejects_file);
      }
      w.Key("deferred_relations");
      w.Uint64(r.deferred_relations);
      w.Key("batches");
      w.Uint64(r.batches);
      w.Key("error_file");
      if (r.error_file.empty()) {
        w.Null();
      } else {
        write_string(w, r.error_file);
      }
      w.Key("error_line");
      if (r.error_line == 0) {
        w.Null();
      } else {
        w.Uint64(r.error_line);
      }
      w.Key("seconds");
      w.Double(r.seconds);
      w.EndObject();
    });
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

void write_summary(JsonWriter& w, const StoreSummary& summary) {
  w.StartObject();
  for (const auto& [t, ts] : summary) {
    write_tenant_key(w, t);
    w.StartObject();
    for (const auto* kind : {&ts.entities, &ts.relations}) {
      w.Key(kind == &ts.entities ? "entities" : "relations");
      w.StartObject();
      w.Key("count");
      w.Uint64(kind->count);
      w.Key("by_type");
      w.StartObject();
      for (const auto& [type, n] : kind->by_type) {
        write_string(w, type);
        w.Uint64(n);
      }
      w.EndObject();
      char hex[20];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(kind->checksum));
      w.Key("checksum");
      w.String(hex);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
}

int run_migrate(const GlobalOptions& global, const MigrateArgs& args) {
  GlobalOptions to = global;
  to.env = args.to_env;
  if (!args.to_config.empty()) to.config = args.to_config;
  if (to.env == choose_environment(global.env) && to.config == global.config)
    return fail_usage("migrate: --to-env names the source environment itself");
  Registry registry;
  std::unique_ptr<Store> source, target;
  BackendConfig source_config, target_config;
  if (Status s = open_configured_store(global, registry, &source, &source_config); !s.ok()) return fail(s);
  auto guard = [&](const BackendConfig& config) {
    GuardedFiles guarded;
    guarded.add_store(source_config);
    guarded.add_store(config);
    return args.checkpoint.empty() ? Status::Ok()
                                   : check_rewritten_file(args.checkpoint, "migrate: --checkpoint", guarded);
  };
  if (Status s = open_configured_store(to, registry, &target, &target_config, guard); !s.ok()) return fail(s);
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
  if (global.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      write_status(w, s);
      w.Key("source");
      w.StartObject();
      w.Key("environment");
      write_string(w, source_config.environment);
      w.Key("backend");
      write_string(w, source->plugin().id);
      w.EndObject();
      w.Key("target");
      w.StartObject();
      w.Key("environment");
      write_string(w, target_config.environment);
      w.Key("backend");
      write_string(w, target->plugin().id);
      w.EndObject();
      w.Key("dry_run");
      w.Bool(args.dry_run);
      w.Key("plan");
      w.StartObject();
      for (const auto& [t, st] : r.source_stats) {
        write_tenant_key(w, t);
        w.StartObject();
        write_stats_members(w, st);
        w.EndObject();
      }
      w.EndObject();
      w.Key("resumed");
      w.Bool(r.resumed);
      if (r.resumed) {
        w.Key("resumed_from");
        w.StartObject();
        w.Key("tenant");
        write_string(w, r.resumed_tenant);
        w.Key("phase");
        write_string(w, r.resumed_phase);
        w.Key("after_id");
        write_string(w, r.resumed_after_id);
        w.EndObject();
      }
      w.Key("already_complete");
      w.Bool(r.already_complete);
      w.Key("entities");
      w.Uint64(r.entities);
      w.Key("relations");
      w.Uint64(r.relations);
      w.Key("batches");
      w.Uint64(r.batches);
      w.Key("copied");
      write_counts(w, r.copied);
      w.Key("verified");
      w.Bool(r.verified);
      if (r.verified) {
        w.Key("verify");
        w.StartObject();
        w.Key("equal");
        w.Bool(r.mismatches.empty());
        w.Key("mismatches");
        write_strings(w, r.mismatches);
        w.Key("source");
        write_summary(w, r.source_summary);
        w.Key("target");
        write_summary(w, r.target_summary);
        w.EndObject();
      }
      w.Key("seconds");
      w.Double(r.seconds);
      w.EndObject();
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

}  // namespace

void add_stream_commands(CLI::App& app, Context& ctx) {
  {
    auto args = std::make_shared<ExportArgs>();
    auto* cmd = app.add_subcommand(
        "export", "Write every entity and relation to a file: JSONL (default), JSON or CSV, optionally gzip");
    cmd->add_option("FILE", args->file, "Output file ('-': stdout); CSV writes FILE's .entities.csv and .relations.csv")
        ->required();
    cmd->add_option("--format", args->format, "jsonl, json or csv (default: from FILE's extension, else jsonl)")
        ->check(CLI::IsMember({"jsonl", "json", "csv"}));
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
    cmd->add_option("--format", args->format, "jsonl, json or csv (default: from FILE's extension, else jsonl)")
        ->check(CLI::IsMember({"jsonl", "json", "csv"}));
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
        "migrate", "Copy every tenant's entities and relations from the --env store to the --to-env store");
    cmd->add_option("--to-env", args->to_env, "The target environment")->required();
    cmd->add_option("--to-config", args->to_config, "The target's config file (default: the source's)");
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
