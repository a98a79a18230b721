#include "options.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "graphstore/options.hpp"

namespace graphstore::degradation {
namespace {

// A backend section: a mapping with a string 'backend' and an optional
// mapping 'options', kept as JSON text for the host's open_store.
sdk::Status section(const rapidjson::Value& v, const char* key, std::string* out) {
  std::string where = std::string("option '") + key + "': ";
  if (!v.IsObject()) return sdk::make_error(GS_INVALID_ARGUMENT, where + "expected a mapping with 'backend'");
  if (!v.HasMember("backend") || !v["backend"].IsString())
    return sdk::make_error(GS_INVALID_ARGUMENT, where + "key 'backend': expected a plugin id");
  if (std::string_view(v["backend"].GetString()) == "degradation")
    return sdk::make_error(GS_INVALID_ARGUMENT, where + "a degradation store cannot wrap another");
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    if (name != "backend" && name != "options")
      return sdk::make_error(GS_INVALID_ARGUMENT, where + "unknown key '" + std::string(name) + "'");
  }
  if (v.HasMember("options") && !v["options"].IsNull() && !v["options"].IsObject())
    return sdk::make_error(GS_INVALID_ARGUMENT, where + "key 'options': expected a mapping");
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  out->assign(sb.GetString(), sb.GetSize());
  return sdk::Status::Ok();
}

}  // namespace

sdk::Status parse_options(std::string_view json, Options* out) {
  sdk::Options o;
  if (sdk::Status s = sdk::Options::parse(json, &o); !s.ok()) return s;
  if (sdk::Status s = o.check_known({"primary", "fallback", "journal_path", "max_failures", "health_interval"});
      !s.ok())
    return s;
  const auto& doc = o.document();
  if (!o.has("primary"))
    return sdk::make_error(GS_INVALID_ARGUMENT, "option 'primary': required (the backend section to protect)");
  if (sdk::Status s = section(doc["primary"], "primary", &out->primary_section); !s.ok()) return s;
  if (o.has("fallback"))
    if (sdk::Status s = section(doc["fallback"], "fallback", &out->fallback_section); !s.ok()) return s;
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
