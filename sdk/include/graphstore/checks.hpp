// Argument checks every backend makes the same way, with the same message:
// a plugin returns these statuses as they are, so a caller sees one wording
// whichever backend (or the core's default) answered.
#ifndef GRAPHSTORE_CHECKS_HPP
#define GRAPHSTORE_CHECKS_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "graphstore/abi.h"
#include "graphstore/plugin.hpp"
#include "graphstore/quote.hpp"
#include "graphstore/tenant.hpp"

namespace graphstore::sdk {

// True for a direction get_neighbors and traverse understand.
inline bool valid_direction(int32_t direction) {
  return direction == GS_DIRECTION_OUT || direction == GS_DIRECTION_IN || direction == GS_DIRECTION_BOTH;
}

// The message for a direction valid_direction refuses.
inline std::string invalid_direction_message(int32_t direction) {
  return "unknown direction " + std::to_string(direction) + " (expected 1 out, 2 in or 3 both)";
}

// OK for a valid direction, else INVALID_ARGUMENT with
// invalid_direction_message.
inline Status check_direction(int32_t direction) {
  if (valid_direction(direction)) [[likely]]
    return Status::Ok();
  return make_error(GS_INVALID_ARGUMENT, invalid_direction_message(direction));
}

// INVALID_ARGUMENT with invalid_tenant_message; kept out of line so that
// check_tenant's inlined fast path stays one loop and a branch.
[[gnu::cold, gnu::noinline]] inline Status invalid_tenant_status(std::string_view tenant) {
  return make_error(GS_INVALID_ARGUMENT, invalid_tenant_message(tenant));
}

// OK when flags holds only GS_VECTOR_* bits this SDK knows; else
// INVALID_ARGUMENT: a bit from a newer host may change what a search means,
// so it is refused rather than ignored.
inline Status check_vector_flags(uint32_t flags) {
  if ((flags & ~uint32_t(GS_VECTOR_EXACT)) == 0) return Status::Ok();
  return make_error(GS_INVALID_ARGUMENT, "vector_search: unknown flags " + std::to_string(flags) +
                                             " (known: GS_VECTOR_EXACT = 1)");
}

// OK for a valid tenant id, else invalid_tenant_status.
inline Status check_tenant(std::string_view tenant) {
  if (valid_tenant(tenant)) [[likely]]
    return Status::Ok();
  return invalid_tenant_status(tenant);
}

// NOT_FOUND for a record a call names: "<what> '<id>' not found in <tenant>"
// (what: "entity", "relation", "source entity", ...).
inline Status not_found(std::string_view what, std::string_view id, std::string_view tenant) {
  return make_error(GS_NOT_FOUND, std::string(what) + " " + quoted_prefix(id) + " not found in " + describe_tenant(tenant));
}

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_CHECKS_HPP
