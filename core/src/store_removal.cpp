// Store's removals (ABI 1.3): the host's checks, then the plugin's clear or
// delete_by_source slot, or the core's default over Tier 1 where the plugin
// has none (or answers UNSUPPORTED, as a decorator over an older store does).
#include <string>

#include "defaults.hpp"
#include "graphstore/quote.hpp"
#include "store_impl.hpp"
#include "validate.hpp"

namespace graphstore {

Status Store::clear(std::string_view tenant, ClearScope scope, Removed* out) {
  if (out != nullptr) *out = Removed{};
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "clear");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  if (scope != ClearScope::kTenant && scope != ClearScope::kAllTenants)
    return InvalidArgument("clear: unknown scope " + std::to_string(static_cast<int32_t>(scope)));
  if (scope == ClearScope::kAllTenants && !tenant.empty())
    return InvalidArgument("clear: clearing every tenant takes an empty tenant, not tenant " +
                           sdk::quoted_prefix(tenant) + "; clear that tenant alone with its own scope");
  gs_removed counts{sizeof(gs_removed), 0, 0};
  ErrBuf e;
  gs_status st = GS_TIER2(s, clear, to_str(tenant), static_cast<int32_t>(scope), &counts, &e.err);
  if (st != GS_OK) return to_status(st, e, "clear");
  if (out != nullptr) *out = Removed{counts.entities, counts.relations};
  return Status::Ok();
}

Status Store::delete_by_source(std::string_view tenant, std::string_view source, Removed* out) {
  if (out != nullptr) *out = Removed{};
  Impl& s = *impl_;
  GS_REFUSE_REENTRY(s, "delete_by_source");
  if (Status c = check_tenant(tenant); !c.ok()) return c;
  if (Status c = check_id(source, "delete_by_source: source"); !c.ok()) return c;
  gs_removed counts{sizeof(gs_removed), 0, 0};
  ErrBuf e;
  gs_status st = GS_TIER2(s, delete_by_source, to_str(tenant), to_str(source), &counts, &e.err);
  if (st != GS_OK) return to_status(st, e, "delete_by_source");
  if (out != nullptr) *out = Removed{counts.entities, counts.relations};
  return Status::Ok();
}

}  // namespace graphstore
