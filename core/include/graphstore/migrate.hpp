// Migration between any two stores (any pair of plugins), and the content
// summary that verifies it. docs/streaming.md has the details.
//
// migrate() copies every tenant's entities, then its relations, in id order
// and in batches (one Store::apply each), holding one batch in memory. With
// a checkpoint file it records, after every committed batch, the tenant, the
// phase and the last id written, which stores it runs between and what the
// target held; a run with the same checkpoint resumes after that id, so an
// interrupted migration finishes without duplicates, and a checkpoint that
// does not fit the stores at hand is refused.
#ifndef GRAPHSTORE_MIGRATE_HPP
#define GRAPHSTORE_MIGRATE_HPP

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "graphstore/config.hpp"
#include "graphstore/io.hpp"
#include "graphstore/status.hpp"
#include "graphstore/store.hpp"

namespace graphstore {

// What one kind of record of one tenant holds: counts per type and a
// checksum of the content. The checksum is FNV-1a 64 over the canonical
// form of every record in id order (docs/streaming.md): two stores holding
// the same records give the same value, whatever the plugin.
struct KindSummary {
  uint64_t count = 0;
  std::map<std::string, uint64_t> by_type;
  uint64_t checksum = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis: nothing hashed
  bool operator==(const KindSummary&) const = default;
};
struct TenantSummary {
  KindSummary entities;
  KindSummary relations;
  bool operator==(const TenantSummary&) const = default;
};
// By tenant ("" is the global namespace), every tenant that holds data.
using StoreSummary = std::map<std::string, TenantSummary>;

// Scans every record of every tenant (the global one and list_tenants).
// With `progress`, calls it every few thousand records (phase "verify"), on
// the calling thread and possibly from inside a callback of store, so it
// must not call store (store.hpp). Errors: the store's statuses; *out then
// holds the tenants summarised so far.
Status summarize_store(Store& store, StoreSummary* out, const ProgressFn& progress = nullptr);

// The differences between two summaries, one line each ("tenant acme:
// entities of type Person: 10 vs 9", "tenant global: relations checksum
// differs"); empty when equal.
std::vector<std::string> compare_summaries(const StoreSummary& source, const StoreSummary& target);

// Which store a migration reads or writes, as its checkpoint records it:
// enough to tell two stores apart, never a secret. The backend (plugin id)
// is not here: migrate() takes it from the store itself.
struct StoreIdentity {
  std::string environment;  // the config section; empty when not from a config
  // Where the data lives, from the options: "path=/data/graph.db" (made
  // absolute), "dsn=postgresql://user@db/kg" (without its password), "host=db,
  // port=5432, database=kg, user=app, schema=s", a decorator's sections in
  // brackets. Never a password. Empty for a store without such options.
  std::string location;
  bool operator==(const StoreIdentity&) const = default;
};

// The identity of a configured backend: its environment and the location
// options above, read from config.options_json. Relative paths are resolved
// against the current directory, as the plugins open them. Options it cannot
// read give an empty location.
StoreIdentity store_identity(const BackendConfig& config);

struct MigrateOptions {
  uint64_t batch_size = 5000;
  // Empty: every tenant of the source (the global namespace, then
  // list_tenants). Otherwise only these, in name order ("" is the global
  // namespace): moving one tenant between shards copies just that tenant.
  std::vector<std::string> tenants;
  // Report what would move (counts per tenant and type, from get_stats)
  // and write nothing, neither the target nor the checkpoint.
  bool dry_run = false;
  // After copying, summarize both stores and compare (report->mismatches);
  // a difference makes migrate() return CORRUPTION.
  bool verify = false;
  std::filesystem::path checkpoint;  // empty: no checkpoint, no resume
  // Written into the checkpoint and compared on resume (with each store's
  // plugin id, the source's tenants and the target's counts).
  StoreIdentity source_identity, target_identity;
  // The source takes writes while it is copied (StoreHandle::swap, which
  // records them and catches up afterwards): relations are added in bulk,
  // and one whose endpoint the copy has not brought (added after the scan
  // passed it) is left to the catch-up instead of failing the migration.
  bool live_source = false;
  // Called after every committed batch (and its checkpoint): phase
  // "entities" or "relations", records done and total. Returning false
  // stops the migration there; migrate() returns UNAVAILABLE and a run with
  // the same checkpoint resumes.
  ProgressFn progress;
};

struct MigrateReport {
  std::map<std::string, TenantCounts> copied;  // by this run
  uint64_t entities = 0, relations = 0;        // copied by this run
  uint64_t relations_left = 0;                 // live_source: skipped for want of an endpoint
  uint64_t batches = 0;
  // What the source holds (from get_stats), by tenant and type: the plan.
  std::map<std::string, Stats> source_stats;
  bool resumed = false;  // started from a checkpoint
  std::string resumed_tenant, resumed_phase, resumed_after_id;
  bool already_complete = false;  // the checkpoint says the migration had finished
  bool verified = false;
  StoreSummary source_summary, target_summary;  // when verified
  std::vector<std::string> mismatches;
  double seconds = 0;
};

// Copies source into target. The target should hold none of the source's
// ids: an id present in the target is ALREADY_EXISTS naming it, except for
// the batch an interrupted run committed after its last checkpoint, which a
// resumed run recognises and skips. Errors: the stores' statuses; a
// checkpoint that is unreadable, of another pair of stores (environment,
// plugin, location), of a source whose tenants changed, or of a target that
// no longer holds what it held at the checkpoint's last batch (counts per
// tenant and kind; one batch more is allowed), is INVALID_ARGUMENT naming the
// file and what differs. A dry run checks the checkpoint the same way. The
// progress callback (options) runs on the calling thread, possibly from
// inside a callback of source, and must not call either store. On failure
// *report holds the counts up to the failure.
Status migrate(Store& source, Store& target, const MigrateOptions& options, MigrateReport* report);

}  // namespace graphstore

#endif  // GRAPHSTORE_MIGRATE_HPP
