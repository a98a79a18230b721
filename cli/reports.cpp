#include "reports.hpp"

#include <cstdio>
#include <map>

#include "results.hpp"

namespace graphstore::cli {
namespace {

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

// A string member that is null when empty.
void write_string_or_null(JsonWriter& w, const std::string& s) {
  if (s.empty()) {
    w.Null();
  } else {
    write_string(w, s);
  }
}

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

void write_migrate_end(JsonWriter& w, const MigrateEnd& end) {
  w.StartObject();
  w.Key("environment");
  write_string(w, end.environment);
  w.Key("backend");
  write_string(w, end.backend);
  w.EndObject();
}

// The members export and import reports open with: status, backend, files,
// format and gzip.
void write_stream_head(JsonWriter& w, const Status& s, std::string_view backend, const std::vector<std::string>& files,
                       Format format, bool gzip) {
  write_status_members(w, s);
  w.Key("backend");
  write_string(w, backend);
  w.Key("files");
  write_strings(w, files);
  w.Key("format");
  w.String(format_name(format));
  w.Key("gzip");
  w.Bool(gzip);
}

}  // namespace

void write_failure_members(JsonWriter& w, std::string_view code, std::string_view message) {
  w.Key("ok");
  w.Bool(false);
  w.Key("code");
  write_string(w, code);
  w.Key("error");
  write_string(w, message);
}

void write_status_members(JsonWriter& w, const Status& s) {
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

void write_state(JsonWriter& w, const StoreState& state) {
  w.StartObject();
  for (const auto& [key, value] : state) {
    write_string(w, key);
    write_string(w, value);
  }
  w.EndObject();
}

void write_export_report(JsonWriter& w, const Status& s, std::string_view backend, const ExportReport& r) {
  w.StartObject();
  write_stream_head(w, s, backend, r.files, r.format, r.gzip);
  w.Key("entities");
  w.Uint64(r.entities);
  w.Key("relations");
  w.Uint64(r.relations);
  w.Key("tenants");
  write_counts(w, r.tenants);
  w.Key("seconds");
  w.Double(r.seconds);
  w.EndObject();
}

void write_import_report(JsonWriter& w, const Status& s, std::string_view backend, const ImportReport& r) {
  w.StartObject();
  write_stream_head(w, s, backend, r.files, r.format, r.gzip);
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
  write_string_or_null(w, r.rejects_file);
  w.Key("deferred_relations");
  w.Uint64(r.deferred_relations);
  w.Key("batches");
  w.Uint64(r.batches);
  w.Key("error_file");
  write_string_or_null(w, r.error_file);
  w.Key("error_line");
  if (r.error_line == 0) {
    w.Null();
  } else {
    w.Uint64(r.error_line);
  }
  w.Key("seconds");
  w.Double(r.seconds);
  w.EndObject();
}

void write_migrate_report(JsonWriter& w, const Status& s, const MigrateEnd& source, const MigrateEnd& target,
                          bool dry_run, const MigrateReport& r) {
  w.StartObject();
  write_status_members(w, s);
  w.Key("source");
  write_migrate_end(w, source);
  w.Key("target");
  write_migrate_end(w, target);
  w.Key("dry_run");
  w.Bool(dry_run);
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
}

void write_stats_report(JsonWriter& w, std::string_view backend, std::string_view tenant, const Stats& stats,
                        const StoreState& state) {
  w.StartObject();
  w.Key("backend");
  write_string(w, backend);
  w.Key("tenant_id");
  if (tenant.empty()) {
    w.Null();
  } else {
    write_string(w, tenant);
  }
  write_stats_members(w, stats);
  if (!state.empty()) {
    w.Key("state");
    write_state(w, state);
  }
  w.EndObject();
}

void write_health_report(JsonWriter& w, const Status& s, std::string_view backend, double seconds,
                         std::string_view mode) {
  w.StartObject();
  // "ok" and, when unhealthy, "code" and "error": the shape of every failure
  // document (failure.hpp).
  w.Key("ok");
  w.Bool(s.ok());
  w.Key("backend");
  write_string(w, backend);
  w.Key("healthy");
  w.Bool(s.ok());
  if (s.ok()) {
    w.Key("latency_ms");
    w.Double(seconds * 1e3);
    if (!mode.empty()) {
      w.Key("mode");
      write_string(w, mode);
    }
  } else {
    w.Key("code");
    w.String(code_name(s.code()));
    w.Key("error");
    write_string(w, s.to_string());
  }
  w.EndObject();
}

void write_metrics_report(JsonWriter& w, std::string_view text) {
  // The exposition itself, as a string: what a script scraping through the
  // CLI hands to a Prometheus parser.
  w.StartObject();
  w.Key("format");
  w.String("prometheus-text-0.0.4");
  w.Key("text");
  write_string(w, text);
  w.EndObject();
}

void write_plugins_report(JsonWriter& w, const std::vector<PluginInfo>& plugins) {
  w.StartArray();
  for (const auto& p : plugins) {
    w.StartObject();
    w.Key("id");
    write_string(w, p.id);
    w.Key("name");
    write_string(w, p.name);
    w.Key("version");
    write_string(w, p.version);
    w.Key("abi_major");
    w.Uint(p.abi_major);
    w.Key("abi_minor");
    w.Uint(p.abi_minor);
    w.Key("thread_safe");
    w.Bool(p.thread_safe);
    w.Key("path");
    write_string(w, p.path);
    w.Key("capabilities");
    write_strings(w, p.capabilities);
    w.EndObject();
  }
  w.EndArray();
}

void write_bench_report(JsonWriter& w, const std::vector<Measurement>& results) {
  w.StartArray();
  for (const auto& m : results) {
    w.StartObject();
    w.Key("backend");
    write_string(w, m.backend);
    w.Key("op");
    write_string(w, m.op->key());
    w.Key("label");
    write_string(w, m.op->label());
    w.Key("unit");
    w.String(m.op->per_batch() ? "batch" : "call");
    w.Key("median_ns");
    w.Double(m.median_ns);
    w.Key("min_ns");
    w.Double(m.min_ns);
    w.Key("max_ns");
    w.Double(m.max_ns);
    w.Key("iterations");
    w.Uint64(m.runs);
    w.Key("seed_ns");
    if (auto seed = m.op->seed()) {
      w.StartObject();
      w.Key("inmemory");
      w.Double(seed->inmemory_ns);
      w.Key("sqlite");
      w.Double(seed->sqlite_ns);
      w.Key("postgres");
      w.Double(seed->postgres_ns);
      w.EndObject();
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
}

void write_removal_report(JsonWriter& w, const Removed& removed) {
  w.StartObject();
  w.Key("removed_entities");
  w.Uint64(removed.entities);
  w.Key("removed_relations");
  w.Uint64(removed.relations);
  w.EndObject();
}

}  // namespace graphstore::cli
