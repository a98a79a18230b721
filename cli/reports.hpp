// The --json documents of the commands' reports, one function per result
// type, so that every command printing a result writes it the same way (the
// query results, shared with the demo and serve, are in results.hpp).
// Member order is part of the output: scripts and tests compare documents.
#ifndef GRAPHSTORE_CLI_REPORTS_HPP
#define GRAPHSTORE_CLI_REPORTS_HPP

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_runner.hpp"
#include "graphstore/io.hpp"
#include "graphstore/migrate.hpp"
#include "graphstore/registry.hpp"
#include "graphstore/status.hpp"
#include "graphstore/types.hpp"
#include "json_writer.hpp"

namespace graphstore::cli {

// A store's key/value state (Store::state), e.g. a degradation store's mode.
using StoreState = std::vector<std::pair<std::string, std::string>>;

// The members "ok": false, "code" and "error" of an object the caller has
// started: the shape of every failure document (failure.hpp).
void write_failure_members(JsonWriter& w, std::string_view code, std::string_view message);

// The members "ok", "code" and "error" of an object the caller has started,
// "code" and "error" null on success: the head of the export, import and
// migrate reports, which are failure documents when s is not OK.
void write_status_members(JsonWriter& w, const Status& s);

// {"key": "value", ...} in state's order.
void write_state(JsonWriter& w, const StoreState& state);

// export --json: status members, "backend", "files", "format", "gzip",
// "entities", "relations", "tenants" (per tenant counts), "seconds".
void write_export_report(JsonWriter& w, const Status& s, std::string_view backend, const ExportReport& r);

// import --json: status members, "backend", the report's counters,
// "rejects_file" and "error_file" (null when unset), "seconds".
void write_import_report(JsonWriter& w, const Status& s, std::string_view backend, const ImportReport& r);

// Which store a migration read or wrote, as the report names it.
struct MigrateEnd {
  std::string environment;
  std::string backend;  // plugin id
};

// migrate --json: status members, "source" and "target", "dry_run", "plan"
// (the source's stats per tenant), the resume point, the counters, the
// verification when it ran, "seconds".
void write_migrate_report(JsonWriter& w, const Status& s, const MigrateEnd& source, const MigrateEnd& target,
                          bool dry_run, const MigrateReport& r);

// stats --json: "backend", "tenant_id" (null for the global namespace), the
// counts (write_stats_members) and "state" when the store has one.
void write_stats_report(JsonWriter& w, std::string_view backend, std::string_view tenant, const Stats& stats,
                        const StoreState& state);

// health --json: "ok", "backend", "healthy", then "latency_ms" and "mode"
// (when not empty) if healthy, else "code" and "error".
void write_health_report(JsonWriter& w, const Status& s, std::string_view backend, double seconds,
                         std::string_view mode);

// metrics --json: {"format": "prometheus-text-0.0.4", "text": text}.
void write_metrics_report(JsonWriter& w, std::string_view text);

// plugins --json: one object per plugin, in the registry's order.
void write_plugins_report(JsonWriter& w, const std::vector<PluginInfo>& plugins);

// bench --json: one object per measurement, with the reference's figures
// ("seed_ns", null where it has none).
void write_bench_report(JsonWriter& w, const std::vector<Measurement>& results);

// A clear's or delete-source's counts: {"removed_entities", "removed_relations"}.
void write_removal_report(JsonWriter& w, const Removed& removed);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_REPORTS_HPP
