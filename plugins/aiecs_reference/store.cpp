#include "store.hpp"

#include <map>
#include <string>

#include "graphstore/checks.hpp"

namespace graphstore::aiecs_reference {
namespace {

using sdk::Status;

Status read_only() { return sdk::make_error(GS_UNSUPPORTED, "aiecs_reference is read-only"); }

// Entities per page when for_each walks a tenant in id order.
constexpr uint64_t kPage = 1000;

}  // namespace

Status ReferenceStore::open(const gs_host*, std::string_view options_json, std::unique_ptr<ReferenceStore>* out) {
  Options options;
  if (Status s = parse_options(options_json, &options); !s.ok()) return s;
#ifdef GRAPHSTORE_AIECS_REFERENCE_POSTGRES
  std::unique_ptr<Source> source = options.pg ? open_pg_source(options) : open_sqlite_source(options);
#else
  if (options.pg)
    return sdk::make_error(GS_UNSUPPORTED, "aiecs_reference was built without PostgreSQL support (libpqxx)");
  std::unique_ptr<Source> source = open_sqlite_source(options);
#endif
  *out = std::make_unique<ReferenceStore>(std::move(source));
  return Status::Ok();
}

Status ReferenceStore::add_entity(std::string_view, const gs_entity&) { return read_only(); }
Status ReferenceStore::update_entity(std::string_view, const gs_entity&) { return read_only(); }
Status ReferenceStore::delete_entity(std::string_view, std::string_view) { return read_only(); }
Status ReferenceStore::add_relation(std::string_view, const gs_relation&) { return read_only(); }
Status ReferenceStore::update_relation(std::string_view, const gs_relation&) { return read_only(); }
Status ReferenceStore::delete_relation(std::string_view, std::string_view) { return read_only(); }
Status ReferenceStore::apply_batch(std::string_view, const gs_write_op* const*, size_t, size_t* failed_index) {
  if (failed_index != nullptr) *failed_index = 0;
  return read_only();
}

Status ReferenceStore::get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink) {
  sdk::OwnedEntity e;
  if (!source_->get_entity(tenant, id, &e)) return sdk::make_error(GS_NOT_FOUND, "entity not found");
  gs_entity v = e.view();
  sink(&v);
  return Status::Ok();
}

Status ReferenceStore::get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink) {
  sdk::OwnedRelation r;
  if (!source_->get_relation(tenant, id, &r)) return sdk::make_error(GS_NOT_FOUND, "relation not found");
  gs_relation v = r.view();
  sink(&v);
  return Status::Ok();
}

Status ReferenceStore::get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                                     std::string_view relation_type, sdk::NeighborSink sink) {
  if (Status s = sdk::check_direction(direction); !s.ok()) return s;
  sdk::OwnedEntity self;
  if (!source_->get_entity(tenant, id, &self)) return sdk::make_error(GS_NOT_FOUND, "entity not found");
  // Relations first, then their other ends: a sink must not run while the
  // source is reading (a SQLite statement is still stepping).
  std::vector<sdk::OwnedRelation> relations;
  auto collect = [&](bool at_source) {
    source_->relations_at(tenant, id, at_source, relation_type, [&](const sdk::OwnedRelation& r) {
      // A self-loop is reported once, even for BOTH.
      if (!at_source && direction == GS_DIRECTION_BOTH && r.source_id == r.target_id) return true;
      relations.push_back(r);
      return true;
    });
  };
  if (direction == GS_DIRECTION_OUT || direction == GS_DIRECTION_BOTH) collect(true);
  if (direction == GS_DIRECTION_IN || direction == GS_DIRECTION_BOTH) collect(false);
  for (const auto& r : relations) {
    const std::string& other = r.source_id == id ? r.target_id : r.source_id;
    sdk::OwnedEntity n;
    if (other == id) {
      n = self;
    } else if (!source_->get_entity(tenant, other, &n)) {
      continue;  // cannot happen: sources read no relation without both endpoints
    }
    gs_relation rv = r.view();
    gs_entity nv = n.view();
    if (!sink(&rv, &nv)) break;
  }
  return Status::Ok();
}

Status ReferenceStore::for_each_entity(std::string_view tenant, sdk::EntitySink sink) {
  std::string after;
  while (true) {
    std::vector<sdk::OwnedEntity> page;
    source_->scan_entities(tenant, "", after, kPage, [&](const sdk::OwnedEntity& e) {
      page.push_back(e);
      return page.size() < kPage;
    });
    for (const auto& e : page) {
      gs_entity v = e.view();
      if (!sink(&v)) return Status::Ok();
    }
    if (page.size() < kPage) return Status::Ok();
    after = page.back().id;
  }
}

Status ReferenceStore::for_each_relation(std::string_view tenant, sdk::RelationSink sink) {
  std::string after;
  while (true) {
    std::vector<sdk::OwnedRelation> page;
    source_->scan_relations(tenant, "", after, kPage, [&](const sdk::OwnedRelation& r) {
      page.push_back(r);
      return page.size() < kPage;
    });
    for (const auto& r : page) {
      gs_relation v = r.view();
      if (!sink(&v)) return Status::Ok();
    }
    if (page.size() < kPage) return Status::Ok();
    after = page.back().id;
  }
}

Status ReferenceStore::list_tenants(sdk::TenantSink sink) {
  // Only tenants that hold data (abi.h): a tenant named in option 'tenants'
  // may hold none.
  for (const auto& t : source_->tenants()) {
    bool holds = false;
    source_->scan_entities(t, "", "", 1, [&](const sdk::OwnedEntity&) { return !(holds = true); });
    if (!holds) source_->scan_relations(t, "", "", 1, [&](const sdk::OwnedRelation&) { return !(holds = true); });
    if (holds && !sink(sdk::str(t))) break;
  }
  return Status::Ok();
}

Status ReferenceStore::scan_entities(std::string_view tenant, const gs_scan_params& p, sdk::EntitySink sink) {
  if (p.limit == 0) return Status::Ok();
  const uint64_t want = p.limit > UINT64_MAX - p.offset ? UINT64_MAX : p.offset + p.limit;
  std::vector<sdk::OwnedEntity> page;
  uint64_t seen = 0;
  source_->scan_entities(tenant, sdk::view(p.type), sdk::view(p.after_id), want, [&](const sdk::OwnedEntity& e) {
    if (seen++ >= p.offset) page.push_back(e);
    return seen < want;
  });
  for (const auto& e : page) {
    gs_entity v = e.view();
    if (!sink(&v)) break;
  }
  return Status::Ok();
}

Status ReferenceStore::scan_relations(std::string_view tenant, const gs_scan_params& p, sdk::RelationSink sink) {
  if (p.limit == 0) return Status::Ok();
  const uint64_t want = p.limit > UINT64_MAX - p.offset ? UINT64_MAX : p.offset + p.limit;
  std::vector<sdk::OwnedRelation> page;
  uint64_t seen = 0;
  source_->scan_relations(tenant, sdk::view(p.type), sdk::view(p.after_id), want, [&](const sdk::OwnedRelation& r) {
    if (seen++ >= p.offset) page.push_back(r);
    return seen < want;
  });
  for (const auto& r : page) {
    gs_relation v = r.view();
    if (!sink(&v)) break;
  }
  return Status::Ok();
}

Status ReferenceStore::get_stats(std::string_view tenant, sdk::StatsSink sink) {
  std::map<std::string, uint64_t> entities, relations;
  source_->count_types(tenant, false, [&](const std::string& type, uint64_t n) { entities[type] += n; });
  source_->count_types(tenant, true, [&](const std::string& type, uint64_t n) { relations[type] += n; });
  for (const auto& [type, n] : entities)
    if (!sink(GS_KIND_ENTITY, sdk::str(type), n)) return Status::Ok();
  for (const auto& [type, n] : relations)
    if (!sink(GS_KIND_RELATION, sdk::str(type), n)) return Status::Ok();
  return Status::Ok();
}

Status ReferenceStore::collect_state(sdk::StateSink sink) {
  StateLines lines;
  source_->describe(&lines);
  lines.emplace_back("read_only", "true");
  for (const auto& [key, value] : lines) sdk::report_state(sink, key, value);
  return Status::Ok();
}

}  // namespace graphstore::aiecs_reference
