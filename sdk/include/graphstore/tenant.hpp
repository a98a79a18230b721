// Tenant ids: the one rule for what a tenant id may hold, and the words every
// message uses to name a tenant. Hosts, plugins and tools check a tenant id
// here without pulling in anything else.
#ifndef GRAPHSTORE_TENANT_HPP
#define GRAPHSTORE_TENANT_HPP

#include <string>
#include <string_view>

#include "graphstore/quote.hpp"

namespace graphstore::sdk {

// Tenant ids: 1 to 255 letters, digits, '-' and '_' (empty: global).
inline bool valid_tenant(std::string_view t) {
  if (t.size() > 255) return false;
  for (char c : t) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// The message for a tenant id that valid_tenant refuses, quoting at most its
// first 64 bytes, escaped.
inline std::string invalid_tenant_message(std::string_view t) {
  return "invalid tenant id " + quoted_prefix(t) + ": use 1 to 255 letters, digits, '-' or '_'";
}

// How a message names a tenant: "the global tenant" for the empty id, else
// "tenant 'id'" (quoted as quoted_prefix does).
inline std::string describe_tenant(std::string_view tenant) {
  return tenant.empty() ? std::string("the global tenant") : "tenant " + quoted_prefix(tenant);
}

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_TENANT_HPP
