// A small Tier 1 backend over std::map for testing the core's defaults: the
// plain reading of abi.h, no Tier 2 slot. It reports neighbours and
// iterations in descending id order so that a default relying on the
// plugin's order shows up. Tests can make apply_batch fail and count calls.
#ifndef GRAPHSTORE_TESTS_CORE_MAP_BACKEND_HPP
#define GRAPHSTORE_TESTS_CORE_MAP_BACKEND_HPP

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "defaults.hpp"
#include "defaults/common.hpp"
#include "graphstore/plugin.hpp"

namespace gs_test {

using graphstore::defaults::detail::OwnedEntity;
using graphstore::defaults::detail::OwnedRelation;
using graphstore::sdk::Status;

class MapBackend {
 public:
  // ---- Test controls. ----
  gs_status batch_failure = GS_OK;  // apply_batch fails with this when set
  gs_status read_failure = GS_OK;   // get_neighbors and for_each_* fail with this when set
  int apply_batch_calls = 0;
  std::map<std::string, int> neighbor_calls;  // id -> get_neighbors calls

  // This backend as the defaults see it.
  graphstore::defaults::Backend backend() { return {&api(), reinterpret_cast<gs_store*>(this)}; }
  static const gs_store_api& api();

  // ---- Tier 1. ----
  static Status open(const gs_host*, std::string_view, std::unique_ptr<MapBackend>* out);
  Status add_entity(std::string_view tenant, const gs_entity& e);
  Status get_entity(std::string_view tenant, std::string_view id, graphstore::sdk::EntitySink sink);
  Status update_entity(std::string_view tenant, const gs_entity& e);
  Status delete_entity(std::string_view tenant, std::string_view id);
  Status add_relation(std::string_view tenant, const gs_relation& r);
  Status get_relation(std::string_view tenant, std::string_view id, graphstore::sdk::RelationSink sink);
  Status update_relation(std::string_view tenant, const gs_relation& r);
  Status delete_relation(std::string_view tenant, std::string_view id);
  Status get_neighbors(std::string_view tenant, std::string_view id, int32_t direction, std::string_view relation_type,
                       graphstore::sdk::NeighborSink sink);
  Status for_each_entity(std::string_view tenant, graphstore::sdk::EntitySink sink);
  Status for_each_relation(std::string_view tenant, graphstore::sdk::RelationSink sink);
  Status list_tenants(graphstore::sdk::TenantSink sink);
  Status apply_batch(std::string_view tenant, const gs_write_op* const* ops, size_t n, size_t* failed_index);

 private:
  struct Tenant {
    std::map<std::string, OwnedEntity> entities;
    std::map<std::string, OwnedRelation> relations;
  };
  static Status add_entity_to(Tenant* t, std::string_view tenant, const gs_entity& e);
  static Status update_entity_in(Tenant* t, const gs_entity& e);
  static Status delete_entity_from(Tenant* t, std::string_view id);
  static Status add_relation_to(Tenant* t, std::string_view tenant, const gs_relation& r);
  static Status update_relation_in(Tenant* t, const gs_relation& r);
  static Status delete_relation_from(Tenant* t, std::string_view id);
  static Status check_embedding(const Tenant& t, const gs_entity& e);

  std::map<std::string, Tenant, std::less<>> tenants_;
};

}  // namespace gs_test

#endif  // GRAPHSTORE_TESTS_CORE_MAP_BACKEND_HPP
