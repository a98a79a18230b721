// DegradingStore's removals (ABI 1.3). In normal mode they go to the
// primary, or answer UNSUPPORTED when it has no such slot, so the core runs
// its default over this store's Tier 1. While degraded they are refused with
// UNAVAILABLE: the fallback holds only the writes of the outage, so its
// counts are not the store's, and the journal has no record kind that would
// replay a removal to the primary (README.md, "Removals").
#include <string>

#include "store.hpp"

namespace graphstore::degradation {

sdk::Status DegradingStore::removal(const char* op, RemovalCall call) {
  if (mode_.load(std::memory_order_acquire) == kNormal) {
    sdk::HostStore& primary = *primary_.load(std::memory_order_acquire);
    return after_primary(call(primary));
  }
  return sdk::make_error(GS_UNAVAILABLE, std::string(op) + ": the store is degraded (primary: " + last_error() +
                                             "), and a removal needs the primary; retry once it has recovered");
}

sdk::Status DegradingStore::clear(std::string_view tenant, int32_t scope, gs_removed* removed) {
  return removal("clear", [&](sdk::HostStore& s) {
    if (!GS_HOST_STORE_HAS(s, clear))
      return sdk::make_error(GS_UNSUPPORTED, std::string(s.plugin_id()) + " has no native clear");
    return s.call(s.api().clear, sdk::str(tenant), scope, removed);
  });
}

sdk::Status DegradingStore::delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed) {
  return removal("delete_by_source", [&](sdk::HostStore& s) {
    if (!GS_HOST_STORE_HAS(s, delete_by_source))
      return sdk::make_error(GS_UNSUPPORTED, std::string(s.plugin_id()) + " has no native delete_by_source");
    return s.call(s.api().delete_by_source, sdk::str(tenant), sdk::str(source), removed);
  });
}

}  // namespace graphstore::degradation
