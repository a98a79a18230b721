// Store's life: made by the registry around an open plugin store, closed on
// destruction. The calls live by job in store_tier1.cpp (forwarding with
// checks and stamps), store_tier2.cpp (native slot or core default),
// store_bulk.cpp (bulk adds and their checks) and store_health.cpp (probe,
// metrics, state).
#include <string>

#include "store_impl.hpp"

namespace graphstore {

Status error_status(gs_status st, const ErrBuf& e, const char* op) {
  if (st < GS_OK || st > GS_ABI_MISMATCH)
    return Internal(std::string(op) + ": plugin returned unknown status " + std::to_string(st) +
                    (e.buf[0] ? std::string(": ") + e.buf : std::string()));
  Code code = static_cast<Code>(st);
  return Status(code, e.buf[0] ? std::string(e.buf) : std::string(op) + ": " + code_name(code));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() { impl_->api->close(impl_->handle); }

const PluginInfo& Store::plugin() const { return impl_->info; }

void Store::set_force_defaults(bool on) { impl_->force_defaults.store(on); }

bool Store::metrics_enabled() const { return impl_->metered != nullptr; }

}  // namespace graphstore
