// A reference database as the store reads it: one implementation per
// database kind (sqlite_source.cpp, pg_source.cpp), each knowing the
// reference's tables for that kind and its tenant layouts. Every method
// throws sdk::Error (CORRUPTION for a row it cannot read, UNAVAILABLE for a
// lost connection); the plugin's thunks turn that into a status.
//
// What every source guarantees, so that scans, stats and lookups agree:
// entities and relations come in id order (bytewise), each id once (the
// first row stored where the reference's SQLite schema let a global id
// repeat); a relation whose source or target entity is absent from its
// tenant is never read (the data model cannot hold it); timestamps are the
// database's column values, source is absent.
#ifndef GRAPHSTORE_AIECS_REFERENCE_SOURCE_HPP
#define GRAPHSTORE_AIECS_REFERENCE_SOURCE_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphstore/records.hpp"
#include "options.hpp"

namespace graphstore::aiecs_reference {

using EntityFn = std::function<bool(const sdk::OwnedEntity&)>;      // false: stop
using RelationFn = std::function<bool(const sdk::OwnedRelation&)>;  // false: stop
using TypeCountFn = std::function<void(const std::string& type, uint64_t count)>;
using StateLines = std::vector<std::pair<std::string, std::string>>;

class Source {
 public:
  virtual ~Source() = default;

  // The tenants to read besides the global namespace, sorted: those found,
  // or the ones option 'tenants' names.
  virtual const std::vector<std::string>& tenants() const = 0;
  // The record of that id, or false.
  virtual bool get_entity(std::string_view tenant, std::string_view id, sdk::OwnedEntity* out) = 0;
  virtual bool get_relation(std::string_view tenant, std::string_view id, sdk::OwnedRelation* out) = 0;
  // Records with id > after_id (empty: from the start) and, when type is
  // not empty, of that type, in id order, until fn returns false or `limit`
  // records were passed (a hint: a source may read them in pages that size).
  virtual void scan_entities(std::string_view tenant, std::string_view type, std::string_view after_id, uint64_t limit,
                             const EntityFn& fn) = 0;
  virtual void scan_relations(std::string_view tenant, std::string_view type, std::string_view after_id, uint64_t limit,
                              const RelationFn& fn) = 0;
  // The relations whose source (at_source) or target is id, of the type
  // when not empty, in any order, until fn returns false.
  virtual void relations_at(std::string_view tenant, std::string_view id, bool at_source, std::string_view type,
                            const RelationFn& fn) = 0;
  // The number of records per type that the scans of the tenant read
  // (entities, or relations when `relations`), one fn call per type.
  virtual void count_types(std::string_view tenant, bool relations, const TypeCountFn& fn) = 0;
  // What the source found at open, as collect_state lines (no I/O).
  virtual void describe(StateLines* out) const = 0;
};

// Opens the reference's SQLite file read-only and reads its layout.
std::unique_ptr<Source> open_sqlite_source(const Options& options);
// Connects to the reference's PostgreSQL database and reads its layout.
std::unique_ptr<Source> open_pg_source(const Options& options);

}  // namespace graphstore::aiecs_reference

#endif  // GRAPHSTORE_AIECS_REFERENCE_SOURCE_HPP
