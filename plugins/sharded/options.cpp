#include "options.hpp"

#include "graphstore/host_store.hpp"
#include "graphstore/options.hpp"

namespace graphstore::sharded {
namespace {

sdk::Status invalid(const std::string& message) { return sdk::make_error(GS_INVALID_ARGUMENT, message); }

bool valid_schema(std::string_view s) {
  if (s.empty() || s.size() > 63 || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

sdk::Status seconds(const sdk::Options& o, const char* key, double lo, double hi, double* out) {
  if (sdk::Status s = o.get_double(key, out); !s.ok()) return s;
  if (!(*out >= lo && *out <= hi))
    return invalid(std::string("option '") + key + "': expected seconds in [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "]");
  return sdk::Status::Ok();
}

}  // namespace

bool valid_shard_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

sdk::Status parse_options(std::string_view json, Options* out) {
  sdk::Options o;
  if (sdk::Status s = sdk::Options::parse(json, &o); !s.ok()) return s;
  if (sdk::Status s = o.check_known({"catalog", "shards", "placement_ttl", "move_grace", "move_wait"}); !s.ok())
    return s;
  const auto& doc = o.document();
  if (!o.has("catalog") || !doc["catalog"].IsObject())
    return invalid("option 'catalog': required, a mapping with 'dsn' (the PostgreSQL database that holds placements)");
  const auto& cat = doc["catalog"];
  for (auto it = cat.MemberBegin(); it != cat.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    if (name != "dsn" && name != "schema")
      return invalid("option 'catalog': unknown key '" + std::string(name) + "' (expected 'dsn' or 'schema')");
  }
  if (!cat.HasMember("dsn") || !cat["dsn"].IsString() || cat["dsn"].GetStringLength() == 0)
    return invalid("option 'catalog': key 'dsn': required, a libpq connection string or URI");
  out->catalog_dsn.assign(cat["dsn"].GetString(), cat["dsn"].GetStringLength());
  // libpq reads the string up to its first NUL: the rest would be dropped.
  if (out->catalog_dsn.find('\0') != std::string::npos)
    return invalid("option 'catalog': key 'dsn': must not contain a NUL byte");
  if (cat.HasMember("schema")) {
    if (!cat["schema"].IsString() || !valid_schema(cat["schema"].GetString()))
      return invalid(
          "option 'catalog': key 'schema': expected 1 to 63 ASCII letters, digits or '_', not starting with a digit");
    out->catalog_schema = cat["schema"].GetString();
  }
  if (!o.has("shards") || !doc["shards"].IsObject() || doc["shards"].MemberCount() == 0)
    return invalid("option 'shards': required, a mapping of shard names to backend sections");
  for (auto it = doc["shards"].MemberBegin(); it != doc["shards"].MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    if (!valid_shard_name(name))
      return invalid("option 'shards': shard name " + sdk::quoted_prefix(name) +
                     ": expected 1 to 63 ASCII letters, digits, '_' or '-'");
    for (const auto& s : out->shards)
      if (s.name == name) return invalid("option 'shards': shard '" + name + "' is named twice");
    ShardSection shard{name, {}};
    if (sdk::Status s =
            sdk::backend_section(it->value, "option 'shards': shard '" + name + "': ", "sharded", &shard.section);
        !s.ok())
      return s;
    out->shards.push_back(std::move(shard));
  }
  if (sdk::Status s = seconds(o, "placement_ttl", 0.01, 3600, &out->placement_ttl_s); !s.ok()) return s;
  if (sdk::Status s = seconds(o, "move_grace", 0, 3600, &out->move_grace_s); !s.ok()) return s;
  if (sdk::Status s = seconds(o, "move_wait", 0, 3600, &out->move_wait_s); !s.ok()) return s;
  return sdk::Status::Ok();
}

}  // namespace graphstore::sharded
