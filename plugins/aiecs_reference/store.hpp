// ReferenceStore: the aiecs_reference plugin's store, a read-only graphstore
// view of a reference database (a Source). Tier 1 reads, id-ordered scans
// and stats are answered from the source; every write is UNSUPPORTED, and
// the core's defaults answer the other Tier 2 reads over these.
// GS_THREADING_SERIAL: the host sends one call at a time, so one database
// connection serves them all.
#ifndef GRAPHSTORE_AIECS_REFERENCE_STORE_HPP
#define GRAPHSTORE_AIECS_REFERENCE_STORE_HPP

#include <memory>
#include <string_view>

#include "graphstore/plugin.hpp"
#include "source.hpp"

namespace graphstore::aiecs_reference {

class ReferenceStore {
 public:
  using native_slots =
      sdk::Slots<sdk::Slot::scan_entities, sdk::Slot::scan_relations, sdk::Slot::get_stats, sdk::Slot::collect_state>;

  explicit ReferenceStore(std::unique_ptr<Source> source) : source_(std::move(source)) {}

  // Parses the options (options.hpp) and opens the database they name:
  // NOT_FOUND for a missing SQLite file, UNAVAILABLE for a server that does
  // not answer, INVALID_ARGUMENT for a database that is not the reference's.
  static sdk::Status open(const gs_host* host, std::string_view options_json, std::unique_ptr<ReferenceStore>* out);

  // Writes: UNSUPPORTED ("aiecs_reference is read-only").
  sdk::Status add_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status update_entity(std::string_view tenant, const gs_entity& e);
  sdk::Status delete_entity(std::string_view tenant, std::string_view id);
  sdk::Status add_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status update_relation(std::string_view tenant, const gs_relation& r);
  sdk::Status delete_relation(std::string_view tenant, std::string_view id);
  sdk::Status apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index);

  // Reads, as abi.h defines them; a tenant the source does not hold is empty.
  sdk::Status get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink);
  sdk::Status get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink);
  sdk::Status get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                            std::string_view relation_type, sdk::NeighborSink sink);
  sdk::Status for_each_entity(std::string_view tenant, sdk::EntitySink sink);
  sdk::Status for_each_relation(std::string_view tenant, sdk::RelationSink sink);
  sdk::Status list_tenants(sdk::TenantSink sink);
  sdk::Status scan_entities(std::string_view tenant, const gs_scan_params& p, sdk::EntitySink sink);
  sdk::Status scan_relations(std::string_view tenant, const gs_scan_params& p, sdk::RelationSink sink);
  // Counts per type of what the tenant's scans return (repeated ids and
  // dangling relations are left out of both).
  sdk::Status get_stats(std::string_view tenant, sdk::StatsSink sink);
  // The source, its layout and tenants, and the notes a migration prints
  // (keys "note.*"): what the reference never stored, how tenant names were
  // recovered, rows that were not read.
  sdk::Status collect_state(sdk::StateSink sink);

 private:
  std::unique_ptr<Source> source_;
};

}  // namespace graphstore::aiecs_reference

#endif  // GRAPHSTORE_AIECS_REFERENCE_STORE_HPP
