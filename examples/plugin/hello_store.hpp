// HelloStore: the smallest complete graphstore backend, a Tier 1 store over
// std::map, written only against the installed SDK headers.
//
// It is the out-of-tree example plugin (hello.cpp) and, in the main build,
// the base of the test plugins in tests/registry/plugins/. It implements no
// Tier 2 slot, so the core runs its defaults over it. It declares
// GS_THREADING_SERIAL: the host serialises every call, so it needs no locks.
#ifndef GRAPHSTORE_HELLO_STORE_HPP
#define GRAPHSTORE_HELLO_STORE_HPP

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/options.hpp"
#include "graphstore/plugin.hpp"
#include "graphstore/quote.hpp"

namespace hello {

using Status = graphstore::sdk::Status;

inline Status error(gs_status code, std::string message) {
  return graphstore::sdk::make_error(code, std::move(message));
}
inline std::string text(gs_str s) { return std::string(graphstore::sdk::view(s)); }
inline std::optional<std::string> optional_text(gs_str s) {
  return s.data == nullptr ? std::nullopt : std::optional<std::string>(text(s));
}
inline gs_str str(std::string_view s) { return gs_str{s.data(), s.size()}; }
inline gs_str optional_str(const std::optional<std::string>& s) { return s ? str(*s) : gs_str{nullptr, 0}; }

struct EntityRecord {
  std::string id, type, properties;
  std::vector<float> embedding;
  int64_t created_at = 0, updated_at = 0;
  std::optional<std::string> source;

  gs_entity view(std::string_view tenant) const {
    gs_entity v{};
    v.struct_size = sizeof v;
    v.id = str(id);
    v.entity_type = str(type);
    v.properties_json = str(properties);
    v.embedding = embedding.empty() ? nullptr : embedding.data();
    v.embedding_dim = static_cast<uint32_t>(embedding.size());
    v.created_at = created_at;
    v.updated_at = updated_at;
    v.source = optional_str(source);
    v.tenant_id = str(tenant);
    return v;
  }
};

struct RelationRecord {
  std::string id, type, source_id, target_id, properties;
  double weight = 1.0;
  int64_t created_at = 0, updated_at = 0;
  std::optional<std::string> source;

  gs_relation view(std::string_view tenant) const {
    gs_relation v{};
    v.struct_size = sizeof v;
    v.id = str(id);
    v.relation_type = str(type);
    v.source_id = str(source_id);
    v.target_id = str(target_id);
    v.properties_json = str(properties);
    v.weight = weight;
    v.created_at = created_at;
    v.updated_at = updated_at;
    v.source = optional_str(source);
    v.tenant_id = str(tenant);
    return v;
  }
};

inline EntityRecord to_record(const gs_entity& e) {
  EntityRecord r;
  r.id = text(e.id);
  r.type = text(e.entity_type);
  r.properties = text(e.properties_json);
  if (e.embedding_dim != 0) r.embedding.assign(e.embedding, e.embedding + e.embedding_dim);
  r.created_at = e.created_at;
  r.updated_at = e.updated_at;
  r.source = optional_text(e.source);
  return r;
}

inline RelationRecord to_record(const gs_relation& v) {
  RelationRecord r;
  r.id = text(v.id);
  r.type = text(v.relation_type);
  r.source_id = text(v.source_id);
  r.target_id = text(v.target_id);
  r.properties = text(v.properties_json);
  r.weight = v.weight;
  r.created_at = v.created_at;
  r.updated_at = v.updated_at;
  r.source = optional_text(v.source);
  return r;
}

// One tenant's records, with adjacency by relation id.
class Graph {
 public:
  std::map<std::string, EntityRecord> entities;
  std::map<std::string, RelationRecord> relations;
  std::map<std::string, std::set<std::string>> out_edges, in_edges;  // entity id -> relation ids

  bool empty() const { return entities.empty() && relations.empty(); }

  // The write contracts of abi.h: ALREADY_EXISTS / NOT_FOUND by id, missing
  // endpoints NOT_FOUND, an embedding of another dimension INVALID_ARGUMENT;
  // updates keep created_at, deleting an entity deletes its relations.
  Status add_entity(const gs_entity& e) {
    EntityRecord r = to_record(e);
    if (entities.count(r.id))
      return error(GS_ALREADY_EXISTS, "entity " + graphstore::sdk::quoted_prefix(r.id) + " already exists");
    if (Status s = check_dimension(r.embedding.size(), nullptr); !s.ok()) return s;
    count_embedding(r, +1);
    std::string id = r.id;
    entities.emplace(id, std::move(r));
    return {};
  }

  Status update_entity(const gs_entity& e) {
    EntityRecord r = to_record(e);
    auto it = entities.find(r.id);
    if (it == entities.end())
      return error(GS_NOT_FOUND, "entity " + graphstore::sdk::quoted_prefix(r.id) + " not found");
    if (Status s = check_dimension(r.embedding.size(), &it->second); !s.ok()) return s;
    count_embedding(it->second, -1);
    count_embedding(r, +1);
    r.created_at = it->second.created_at;
    it->second = std::move(r);
    return {};
  }

  Status delete_entity(const std::string& id) {
    auto it = entities.find(id);
    if (it == entities.end()) return error(GS_NOT_FOUND, "entity " + graphstore::sdk::quoted_prefix(id) + " not found");
    std::set<std::string> touching = out_edges[id];
    touching.insert(in_edges[id].begin(), in_edges[id].end());
    for (const auto& rid : touching) {
      unlink(relations.at(rid));
      relations.erase(rid);
    }
    out_edges.erase(id);
    in_edges.erase(id);
    count_embedding(it->second, -1);
    entities.erase(it);
    return {};
  }

  Status add_relation(const gs_relation& v) {
    RelationRecord r = to_record(v);
    if (relations.count(r.id))
      return error(GS_ALREADY_EXISTS, "relation " + graphstore::sdk::quoted_prefix(r.id) + " already exists");
    if (Status s = check_endpoints(r); !s.ok()) return s;
    link(r);
    std::string id = r.id;
    relations.emplace(id, std::move(r));
    return {};
  }

  Status update_relation(const gs_relation& v) {
    RelationRecord r = to_record(v);
    auto it = relations.find(r.id);
    if (it == relations.end())
      return error(GS_NOT_FOUND, "relation " + graphstore::sdk::quoted_prefix(r.id) + " not found");
    if (Status s = check_endpoints(r); !s.ok()) return s;
    unlink(it->second);
    r.created_at = it->second.created_at;
    it->second = std::move(r);
    link(it->second);
    return {};
  }

  Status delete_relation(const std::string& id) {
    auto it = relations.find(id);
    if (it == relations.end())
      return error(GS_NOT_FOUND, "relation " + graphstore::sdk::quoted_prefix(id) + " not found");
    unlink(it->second);
    relations.erase(it);
    return {};
  }

  // One op of a batch, with the same contract as the call it stands for.
  Status apply(const gs_write_op& op) {
    switch (op.kind) {
      case GS_OP_ADD_ENTITY:
        return add_entity(*op.entity);
      case GS_OP_UPDATE_ENTITY:
        return update_entity(*op.entity);
      case GS_OP_DELETE_ENTITY:
        return delete_entity(text(op.id));
      case GS_OP_ADD_RELATION:
        return add_relation(*op.relation);
      case GS_OP_UPDATE_RELATION:
        return update_relation(*op.relation);
      case GS_OP_DELETE_RELATION:
        return delete_relation(text(op.id));
      default:
        return error(GS_INVALID_ARGUMENT, "unknown batch op kind " + std::to_string(op.kind));
    }
  }

 private:
  uint32_t dimension_ = 0;  // of every stored embedding, when embedded_ > 0
  size_t embedded_ = 0;

  // A new embedding of dim must match the others; `replaced` is not counted.
  Status check_dimension(size_t dim, const EntityRecord* replaced) const {
    size_t others = embedded_ - (replaced && !replaced->embedding.empty() ? 1 : 0);
    if (dim == 0 || others == 0 || dim == dimension_) return {};
    return error(GS_INVALID_ARGUMENT, "embedding dimension " + std::to_string(dim) + " differs from the tenant's " +
                                          std::to_string(dimension_));
  }
  void count_embedding(const EntityRecord& r, int delta) {
    if (r.embedding.empty()) return;
    embedded_ = delta > 0 ? embedded_ + 1 : embedded_ - 1;
    dimension_ = static_cast<uint32_t>(r.embedding.size());
  }
  Status check_endpoints(const RelationRecord& r) const {
    if (!entities.count(r.source_id))
      return error(GS_NOT_FOUND, "relation " + graphstore::sdk::quoted_prefix(r.id) + ": source entity " +
                                     graphstore::sdk::quoted_prefix(r.source_id) + " not found");
    if (!entities.count(r.target_id))
      return error(GS_NOT_FOUND, "relation " + graphstore::sdk::quoted_prefix(r.id) + ": target entity " +
                                     graphstore::sdk::quoted_prefix(r.target_id) + " not found");
    return {};
  }
  void link(const RelationRecord& r) {
    out_edges[r.source_id].insert(r.id);
    in_edges[r.target_id].insert(r.id);
  }
  void unlink(const RelationRecord& r) {
    out_edges[r.source_id].erase(r.id);
    in_edges[r.target_id].erase(r.id);
  }
};

class HelloStore {
 public:
  // Tier 1 only: the core runs its defaults for every Tier 2 slot. A class
  // that implements one lists it here, e.g.
  // graphstore::sdk::Slots<graphstore::sdk::Slot::traverse>.
  using native_slots = graphstore::sdk::Slots<>;
  using EntitySink = graphstore::sdk::EntitySink;
  using RelationSink = graphstore::sdk::RelationSink;
  using NeighborSink = graphstore::sdk::NeighborSink;
  using TenantSink = graphstore::sdk::TenantSink;

  // Accepts no options: any key is INVALID_ARGUMENT naming it.
  static Status open(const gs_host*, std::string_view options_json, std::unique_ptr<HelloStore>* out) {
    graphstore::sdk::Options options;
    if (Status s = graphstore::sdk::Options::parse(options_json, &options); !s.ok()) return s;
    if (Status s = options.check_known({}); !s.ok()) return s;
    *out = std::make_unique<HelloStore>();
    return {};
  }

  // Tier 1, each with the contract of its slot in abi.h.
  Status add_entity(std::string_view tenant, const gs_entity& e) { return graph(tenant).add_entity(e); }
  Status update_entity(std::string_view tenant, const gs_entity& e) { return graph(tenant).update_entity(e); }
  Status delete_entity(std::string_view tenant, std::string_view id) {
    return graph(tenant).delete_entity(std::string(id));
  }
  Status add_relation(std::string_view tenant, const gs_relation& r) { return graph(tenant).add_relation(r); }
  Status update_relation(std::string_view tenant, const gs_relation& r) { return graph(tenant).update_relation(r); }
  Status delete_relation(std::string_view tenant, std::string_view id) {
    return graph(tenant).delete_relation(std::string(id));
  }

  Status get_entity(std::string_view tenant, std::string_view id, EntitySink sink) {
    Graph& g = graph(tenant);
    auto it = g.entities.find(std::string(id));
    if (it == g.entities.end())
      return error(GS_NOT_FOUND, "entity " + graphstore::sdk::quoted_prefix(id) + " not found");
    gs_entity v = it->second.view(tenant);
    sink(&v);
    return {};
  }

  Status get_relation(std::string_view tenant, std::string_view id, RelationSink sink) {
    Graph& g = graph(tenant);
    auto it = g.relations.find(std::string(id));
    if (it == g.relations.end())
      return error(GS_NOT_FOUND, "relation " + graphstore::sdk::quoted_prefix(id) + " not found");
    gs_relation v = it->second.view(tenant);
    sink(&v);
    return {};
  }

  // Neighbours in relation-id order (any order would do).
  Status get_neighbors(std::string_view tenant, std::string_view id, int32_t direction, std::string_view type,
                       NeighborSink sink) {
    Graph& g = graph(tenant);
    std::string key(id);
    if (!g.entities.count(key))
      return error(GS_NOT_FOUND, "entity " + graphstore::sdk::quoted_prefix(id) + " not found");
    std::set<std::string> ids;  // a set, so a self-loop is reported once for BOTH
    if (direction != GS_DIRECTION_IN) ids = g.out_edges[key];
    if (direction != GS_DIRECTION_OUT) ids.insert(g.in_edges[key].begin(), g.in_edges[key].end());
    for (const auto& rid : ids) {
      const RelationRecord& r = g.relations.at(rid);
      if (!type.empty() && r.type != type) continue;
      const std::string& other = (r.source_id == key && direction != GS_DIRECTION_IN) ? r.target_id : r.source_id;
      gs_relation rv = r.view(tenant);
      gs_entity ev = g.entities.at(other).view(tenant);
      if (!sink(&rv, &ev)) break;
    }
    return {};
  }

  Status for_each_entity(std::string_view tenant, EntitySink sink) {
    for (const auto& [id, e] : graph(tenant).entities) {
      gs_entity v = e.view(tenant);
      if (!sink(&v)) break;
    }
    return {};
  }

  Status for_each_relation(std::string_view tenant, RelationSink sink) {
    for (const auto& [id, r] : graph(tenant).relations) {
      gs_relation v = r.view(tenant);
      if (!sink(&v)) break;
    }
    return {};
  }

  // Non-global tenants holding data.
  Status list_tenants(TenantSink sink) {
    for (const auto& [name, g] : tenants_)
      if (!name.empty() && !g.empty() && !sink(str(name))) break;
    return {};
  }

  // All or nothing: the ops run on a copy that replaces the tenant on success.
  Status apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index) {
    Graph copy = graph(tenant);
    for (size_t i = 0; i < n; ++i) {
      if (Status s = copy.apply(*ops[i]); !s.ok()) {
        if (failed_index) *failed_index = i;
        return s;
      }
    }
    graph(tenant) = std::move(copy);
    return {};
  }

 private:
  Graph& graph(std::string_view tenant) { return tenants_[std::string(tenant)]; }

  std::map<std::string, Graph> tenants_;  // "" is the global namespace
};

}  // namespace hello

#endif  // GRAPHSTORE_HELLO_STORE_HPP
