#include "map_backend.hpp"

namespace gs_test {
namespace {

namespace sdk = graphstore::sdk;

std::string key(gs_str s) { return std::string(sdk::view(s)); }

Status not_found(std::string_view what, std::string_view id) {
  return sdk::make_error(GS_NOT_FOUND, std::string(what) + " '" + std::string(id) + "' not found");
}

}  // namespace

const gs_store_api& MapBackend::api() {
  static const gs_store_api table = sdk::make_api<MapBackend>();
  return table;
}

Status MapBackend::open(const gs_host*, std::string_view, std::unique_ptr<MapBackend>* out) {
  *out = std::make_unique<MapBackend>();
  return Status::Ok();
}

Status MapBackend::check_embedding(const Tenant& t, const gs_entity& e) {
  if (e.embedding_dim == 0) return Status::Ok();
  for (const auto& [id, other] : t.entities) {
    if (id == sdk::view(e.id) || other.embedding.empty()) continue;
    if (other.embedding.size() != e.embedding_dim)
      return sdk::make_error(GS_INVALID_ARGUMENT, "entity '" + key(e.id) + "': embedding dimension mismatch");
  }
  return Status::Ok();
}

Status MapBackend::add_entity_to(Tenant* t, std::string_view tenant, const gs_entity& e) {
  if (t->entities.count(key(e.id)) != 0)
    return sdk::make_error(GS_ALREADY_EXISTS, "entity '" + key(e.id) + "' already exists");
  if (Status s = check_embedding(*t, e); !s.ok()) return s;
  OwnedEntity copy(e);
  copy.tenant_id = std::string(tenant);
  t->entities.emplace(copy.id, std::move(copy));
  return Status::Ok();
}

Status MapBackend::update_entity_in(Tenant* t, const gs_entity& e) {
  auto it = t->entities.find(key(e.id));
  if (it == t->entities.end()) return not_found("entity", sdk::view(e.id));
  if (Status s = check_embedding(*t, e); !s.ok()) return s;
  OwnedEntity copy(e);
  copy.created_at = it->second.created_at;
  copy.tenant_id = it->second.tenant_id;
  it->second = std::move(copy);
  return Status::Ok();
}

Status MapBackend::delete_entity_from(Tenant* t, std::string_view id) {
  if (t->entities.erase(std::string(id)) == 0) return not_found("entity", id);
  std::erase_if(t->relations, [&](const auto& kv) { return kv.second.source_id == id || kv.second.target_id == id; });
  return Status::Ok();
}

Status MapBackend::add_relation_to(Tenant* t, std::string_view tenant, const gs_relation& r) {
  if (t->relations.count(key(r.id)) != 0)
    return sdk::make_error(GS_ALREADY_EXISTS, "relation '" + key(r.id) + "' already exists");
  if (t->entities.count(key(r.source_id)) == 0) return not_found("source entity", sdk::view(r.source_id));
  if (t->entities.count(key(r.target_id)) == 0) return not_found("target entity", sdk::view(r.target_id));
  OwnedRelation copy(r);
  copy.tenant_id = std::string(tenant);
  t->relations.emplace(copy.id, std::move(copy));
  return Status::Ok();
}

Status MapBackend::update_relation_in(Tenant* t, const gs_relation& r) {
  auto it = t->relations.find(key(r.id));
  if (it == t->relations.end()) return not_found("relation", sdk::view(r.id));
  if (t->entities.count(key(r.source_id)) == 0) return not_found("source entity", sdk::view(r.source_id));
  if (t->entities.count(key(r.target_id)) == 0) return not_found("target entity", sdk::view(r.target_id));
  OwnedRelation copy(r);
  copy.created_at = it->second.created_at;
  copy.tenant_id = it->second.tenant_id;
  it->second = std::move(copy);
  return Status::Ok();
}

Status MapBackend::delete_relation_from(Tenant* t, std::string_view id) {
  if (t->relations.erase(std::string(id)) == 0) return not_found("relation", id);
  return Status::Ok();
}

Status MapBackend::add_entity(std::string_view tenant, const gs_entity& e) {
  auto it = tenants_.try_emplace(std::string(tenant)).first;
  return add_entity_to(&it->second, tenant, e);
}

Status MapBackend::get_entity(std::string_view tenant, std::string_view id, sdk::EntitySink sink) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return not_found("entity", id);
  auto it = t->second.entities.find(std::string(id));
  if (it == t->second.entities.end()) return not_found("entity", id);
  gs_entity v = it->second.view();
  sink(&v);
  return Status::Ok();
}

Status MapBackend::update_entity(std::string_view tenant, const gs_entity& e) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return not_found("entity", sdk::view(e.id));
  return update_entity_in(&t->second, e);
}

Status MapBackend::delete_entity(std::string_view tenant, std::string_view id) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return not_found("entity", id);
  return delete_entity_from(&t->second, id);
}

Status MapBackend::add_relation(std::string_view tenant, const gs_relation& r) {
  auto it = tenants_.try_emplace(std::string(tenant)).first;
  return add_relation_to(&it->second, tenant, r);
}

Status MapBackend::get_relation(std::string_view tenant, std::string_view id, sdk::RelationSink sink) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return not_found("relation", id);
  auto it = t->second.relations.find(std::string(id));
  if (it == t->second.relations.end()) return not_found("relation", id);
  gs_relation v = it->second.view();
  sink(&v);
  return Status::Ok();
}

Status MapBackend::update_relation(std::string_view tenant, const gs_relation& r) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return not_found("relation", sdk::view(r.id));
  return update_relation_in(&t->second, r);
}

Status MapBackend::delete_relation(std::string_view tenant, std::string_view id) {
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return not_found("relation", id);
  return delete_relation_from(&t->second, id);
}

Status MapBackend::get_neighbors(std::string_view tenant, std::string_view id, int32_t direction,
                                 std::string_view relation_type, sdk::NeighborSink sink) {
  ++neighbor_calls[std::string(id)];
  if (read_failure != GS_OK) return sdk::make_error(read_failure, "injected read failure");
  auto t = tenants_.find(tenant);
  if (t == tenants_.end() || t->second.entities.count(std::string(id)) == 0) return not_found("entity", id);
  // Descending relation ids: the defaults must sort for themselves.
  for (auto it = t->second.relations.rbegin(); it != t->second.relations.rend(); ++it) {
    const OwnedRelation& r = it->second;
    if (!relation_type.empty() && r.relation_type != relation_type) continue;
    const std::string* other = nullptr;
    if ((direction & GS_DIRECTION_OUT) && r.source_id == id)
      other = &r.target_id;
    else if ((direction & GS_DIRECTION_IN) && r.target_id == id)
      other = &r.source_id;
    if (other == nullptr) continue;
    gs_relation rv = r.view();
    gs_entity ev = t->second.entities.at(*other).view();
    if (!sink(&rv, &ev)) break;
  }
  return Status::Ok();
}

Status MapBackend::for_each_entity(std::string_view tenant, sdk::EntitySink sink) {
  if (read_failure != GS_OK) return sdk::make_error(read_failure, "injected read failure");
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return Status::Ok();
  for (auto it = t->second.entities.rbegin(); it != t->second.entities.rend(); ++it) {
    gs_entity v = it->second.view();
    if (!sink(&v)) break;
  }
  return Status::Ok();
}

Status MapBackend::for_each_relation(std::string_view tenant, sdk::RelationSink sink) {
  if (read_failure != GS_OK) return sdk::make_error(read_failure, "injected read failure");
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return Status::Ok();
  for (auto it = t->second.relations.rbegin(); it != t->second.relations.rend(); ++it) {
    gs_relation v = it->second.view();
    if (!sink(&v)) break;
  }
  return Status::Ok();
}

Status MapBackend::list_tenants(sdk::TenantSink sink) {
  for (const auto& [name, t] : tenants_) {
    if (name.empty() || (t.entities.empty() && t.relations.empty())) continue;
    if (!sink(gs_str{name.data(), name.size()})) break;
  }
  return Status::Ok();
}

Status MapBackend::apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index) {
  ++apply_batch_calls;
  if (batch_failure != GS_OK) {
    *failed_index = 0;
    return sdk::make_error(batch_failure, "injected batch failure");
  }
  // All or nothing: the ops run on a copy that replaces the tenant on success.
  Tenant work;
  if (auto t = tenants_.find(tenant); t != tenants_.end()) work = t->second;
  for (size_t i = 0; i < n; ++i) {
    const gs_write_op& op = *ops[i];
    Status s;
    switch (op.kind) {
      case GS_OP_ADD_ENTITY:
        s = add_entity_to(&work, tenant, *op.entity);
        break;
      case GS_OP_UPDATE_ENTITY:
        s = update_entity_in(&work, *op.entity);
        break;
      case GS_OP_DELETE_ENTITY:
        s = delete_entity_from(&work, sdk::view(op.id));
        break;
      case GS_OP_ADD_RELATION:
        s = add_relation_to(&work, tenant, *op.relation);
        break;
      case GS_OP_UPDATE_RELATION:
        s = update_relation_in(&work, *op.relation);
        break;
      case GS_OP_DELETE_RELATION:
        s = delete_relation_from(&work, sdk::view(op.id));
        break;
      default:
        s = sdk::make_error(GS_INVALID_ARGUMENT, "unknown op kind");
        break;
    }
    if (!s.ok()) {
      *failed_index = i;
      return s;
    }
  }
  tenants_[std::string(tenant)] = std::move(work);
  return Status::Ok();
}

}  // namespace gs_test
