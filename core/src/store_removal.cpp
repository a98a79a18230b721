// Store's removals (ABI 1.3): the host's checks, then the plugin's clear or
// delete_by_source slot, or the core's default over Tier 1 where the plugin
// has none (or answers UNSUPPORTED, as a decorator over an older store does).
#include <mutex>
#include <string>

#include "convert.hpp"
#include "defaults.hpp"
#include "graphstore/store.hpp"
#include "validate.hpp"

namespace graphstore {
namespace {

// Runs a removal slot: the plugin's when it has one (and defaults are not
// forced), else the default. out receives the counts on success only.
template <class Native, class Default>
Status run_removal(const char* op, bool native, Native call_native, Default call_default, Removed* out) {
  char buf[1024] = {0};
  gs_errbuf err{buf, sizeof buf};
  gs_removed counts{sizeof(gs_removed), 0, 0};
  gs_status st = GS_UNSUPPORTED;
  if (native) st = call_native(&counts, &err);
  if (st == GS_UNSUPPORTED) {
    buf[0] = '\0';
    counts = gs_removed{sizeof(gs_removed), 0, 0};
    st = call_default(&counts, &err);
  }
  if (st == GS_OK) {
    if (out != nullptr) *out = Removed{counts.entities, counts.relations};
    return Status::Ok();
  }
  if (st < GS_OK || st > GS_ABI_MISMATCH)
    return Internal(std::string(op) + ": plugin returned unknown status " + std::to_string(st) +
                    (buf[0] ? std::string(": ") + buf : std::string()));
  Code code = static_cast<Code>(st);
  return Status(code, buf[0] ? std::string(buf) : std::string(op) + ": " + code_name(code));
}

}  // namespace

Status Store::clear(std::string_view tenant, ClearScope scope, Removed* out) {
  if (out != nullptr) *out = Removed{};
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (scope != ClearScope::kTenant && scope != ClearScope::kAllTenants)
    return InvalidArgument("clear: unknown scope " + std::to_string(static_cast<int32_t>(scope)));
  if (scope == ClearScope::kAllTenants && !tenant.empty())
    return InvalidArgument("clear: clearing every tenant takes an empty tenant, not tenant '" + std::string(tenant) +
                           "'; clear that tenant alone with its own scope");
  const gs_str t = to_str(tenant);
  const int32_t raw_scope = static_cast<int32_t>(scope);
  std::unique_lock<std::mutex> lock;
  if (serial_) lock = std::unique_lock<std::mutex>(serial_mutex_);
  const bool native = !force_defaults_.load(std::memory_order_relaxed) && GS_HAS_FIELD(gs_store_api, api_, clear) &&
                      api_->clear != nullptr;
  return run_removal(
      "clear", native, [&](gs_removed* r, gs_errbuf* e) { return api_->clear(handle_, t, raw_scope, r, e); },
      [&](gs_removed* r, gs_errbuf* e) {
        return defaults::clear({api_, handle_}, t, raw_scope, r, e);
      },
      out);
}

Status Store::delete_by_source(std::string_view tenant, std::string_view source, Removed* out) {
  if (out != nullptr) *out = Removed{};
  if (Status s = check_tenant(tenant); !s.ok()) return s;
  if (Status s = check_id(source, "delete_by_source: source"); !s.ok()) return s;
  const gs_str t = to_str(tenant);
  const gs_str src = to_str(source);
  std::unique_lock<std::mutex> lock;
  if (serial_) lock = std::unique_lock<std::mutex>(serial_mutex_);
  const bool native = !force_defaults_.load(std::memory_order_relaxed) &&
                      GS_HAS_FIELD(gs_store_api, api_, delete_by_source) && api_->delete_by_source != nullptr;
  return run_removal(
      "delete_by_source", native,
      [&](gs_removed* r, gs_errbuf* e) { return api_->delete_by_source(handle_, t, src, r, e); },
      [&](gs_removed* r, gs_errbuf* e) {
        return defaults::delete_by_source({api_, handle_}, t, src, r, e);
      },
      out);
}

}  // namespace graphstore
