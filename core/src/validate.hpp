// Input checks the core makes before any plugin sees a record, so every
// backend rejects the same inputs with the same messages.
#ifndef GRAPHSTORE_CORE_VALIDATE_HPP
#define GRAPHSTORE_CORE_VALIDATE_HPP

#include <string_view>

#include "graphstore/status.hpp"
#include "graphstore/tenant.hpp"
#include "graphstore/types.hpp"

namespace graphstore {

// OK when text is a well-formed JSON object in valid UTF-8.
Status check_json_object(std::string_view text, std::string_view what);
// The error for a tenant id valid_tenant refuses.
Status invalid_tenant(std::string_view tenant);
// Inline because every call checks its tenant, and a point read takes 0.1 us.
inline Status check_tenant(std::string_view tenant) {
  if (sdk::valid_tenant(tenant)) [[likely]]
    return Status::Ok();
  return invalid_tenant(tenant);
}
Status check_entity(std::string_view tenant, const Entity& e);
Status check_relation(std::string_view tenant, const Relation& r);
// The same without checking the tenant itself, for a bulk call that did once.
Status check_entity_fields(std::string_view tenant, const Entity& e);
Status check_relation_fields(std::string_view tenant, const Relation& r);
Status check_id(std::string_view id, std::string_view what);

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_VALIDATE_HPP
