#include "validate.hpp"

#include <cmath>
#include <string>

#include "graphstore/tenant.hpp"
#include "graphstore/utf8.hpp"
#include "json_syntax.hpp"

namespace graphstore {
namespace {

constexpr size_t kMaxIdBytes = 4096;

// The checks run on every record of every bulk add, so they build no string
// unless something is wrong, and the small ones are inlined into the record
// checks (a call costs as much as the check of a short id).

// Whether text is a JSON object; when not, *syntax says why.
[[gnu::always_inline]] inline bool json_object(std::string_view text, JsonSyntax* syntax) {
  if (text == "{}") return true;  // what most relations and many entities carry
  *syntax = check_json_syntax(text);
  return syntax->error == nullptr && syntax->root_object;
}

std::string json_object_problem(const JsonSyntax& syntax) {
  if (syntax.error) return "malformed JSON at offset " + std::to_string(syntax.offset) + ": " + syntax.error;
  return "must be a JSON object";
}

// What is wrong with an id or a type name, or nullptr.
[[gnu::always_inline]] inline const char* id_problem(std::string_view id) {
  if (id.empty()) return "must not be empty";
  if (id.size() > kMaxIdBytes) return "is longer than 4096 bytes";
  if (!sdk::valid_utf8(id)) return "is not valid UTF-8";
  return nullptr;
}
static_assert(kMaxIdBytes == 4096, "id_problem's message names the limit");

std::string name(std::string_view kind, const std::string& id) { return std::string(kind) + " '" + id + "'"; }

// The checks of a record's own fields; the call's tenant is checked already.
[[gnu::always_inline]] inline Status check_common(std::string_view tenant, std::string_view kind, const std::string& id,
                                                  const std::string& type, const std::string& properties,
                                                  const std::optional<std::string>& source,
                                                  const std::string& record_tenant) {
  if (const char* p = id_problem(id)) return InvalidArgument(std::string(kind) + " id " + p);
  if (const char* p = id_problem(type)) return InvalidArgument(name(kind, id) + ": type " + p);
  if (JsonSyntax syntax; !json_object(properties, &syntax))
    return InvalidArgument(name(kind, id) + ": properties: " + json_object_problem(syntax));
  if (source && !sdk::valid_utf8(*source)) return InvalidArgument(name(kind, id) + ": source is not valid UTF-8");
  if (!record_tenant.empty() && record_tenant != tenant)
    return InvalidArgument(name(kind, id) + ": tenant_id '" + record_tenant + "' differs from the call's tenant '" +
                           std::string(tenant) + "'");
  return Status::Ok();
}

}  // namespace

Status check_json_object(std::string_view text, std::string_view what) {
  if (JsonSyntax syntax; !json_object(text, &syntax))
    return InvalidArgument(std::string(what) + ": " + json_object_problem(syntax));
  return Status::Ok();
}

Status invalid_tenant(std::string_view tenant) { return InvalidArgument(sdk::invalid_tenant_message(tenant)); }

Status check_id(std::string_view id, std::string_view what) {
  if (const char* p = id_problem(id)) return InvalidArgument(std::string(what) + " " + p);
  return Status::Ok();
}

Status check_entity(std::string_view tenant, const Entity& e) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  return check_entity_fields(tenant, e);
}

Status check_relation(std::string_view tenant, const Relation& r) {
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  return check_relation_fields(tenant, r);
}

Status check_entity_fields(std::string_view tenant, const Entity& e) {
  if (Status s = check_common(tenant, "entity", e.id, e.entity_type, e.properties, e.source, e.tenant_id); !s.ok())
    return s;
  for (float x : e.embedding)
    if (!std::isfinite(x)) return InvalidArgument(name("entity", e.id) + ": embedding holds a non-finite value");
  return Status::Ok();
}

Status check_relation_fields(std::string_view tenant, const Relation& r) {
  if (Status s = check_common(tenant, "relation", r.id, r.relation_type, r.properties, r.source, r.tenant_id); !s.ok())
    return s;
  if (const char* p = id_problem(r.source_id)) return InvalidArgument(name("relation", r.id) + ": source_id " + p);
  if (const char* p = id_problem(r.target_id)) return InvalidArgument(name("relation", r.id) + ": target_id " + p);
  if (!std::isfinite(r.weight) || r.weight < 0.0 || r.weight > 1.0)
    return InvalidArgument(name("relation", r.id) + ": weight " + std::to_string(r.weight) + " is outside [0, 1]");
  return Status::Ok();
}

}  // namespace graphstore
