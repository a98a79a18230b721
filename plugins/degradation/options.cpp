#include "options.hpp"

#include <cmath>

#include "graphstore/host_store.hpp"
#include "graphstore/options.hpp"

namespace graphstore::degradation {

sdk::Status parse_options(std::string_view json, Options* out) {
  sdk::Options o;
  if (sdk::Status s = sdk::Options::parse(json, &o); !s.ok()) return s;
  if (sdk::Status s = o.check_known({"primary", "fallback", "journal_path", "max_failures", "health_interval"});
      !s.ok())
    return s;
  const auto& doc = o.document();
  if (!o.has("primary"))
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'primary': required (the backend section to protect)");
  if (sdk::Status s = sdk::backend_section(doc["primary"], "option 'primary': ", "degradation", &out->primary_section);
      !s.ok())
    return s;
  if (o.has("fallback"))
    if (sdk::Status s =
            sdk::backend_section(doc["fallback"], "option 'fallback': ", "degradation", &out->fallback_section);
        !s.ok())
      return s;
  if (sdk::Status s = o.get_string("journal_path", &out->journal_path); !s.ok()) return s;
  if (out->journal_path.empty())
    return sdk::make_error(GS_INVALID_ARGUMENT,
                           "option 'journal_path': required (the file that keeps writes made while degraded)");
  // The file is opened by a C string: a NUL would silently name another file.
  if (out->journal_path.find('\0') != std::string::npos)
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'journal_path': must not contain a NUL byte");
  int64_t max_failures = out->max_failures;
  if (sdk::Status s = o.get_int("max_failures", &max_failures, 1, 1000000); !s.ok()) return s;
  out->max_failures = static_cast<uint32_t>(max_failures);
  if (sdk::Status s = o.get_double("health_interval", &out->health_interval_s); !s.ok()) return s;
  if (!(out->health_interval_s >= 0.001 && out->health_interval_s <= 86400))
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'health_interval': expected seconds in [0.001, 86400]");
  return sdk::Status::Ok();
}

}  // namespace graphstore::degradation
