// The migration checkpoint file: JSON, written whole (PATH.tmp renamed over
// PATH) after every committed batch; docs/streaming.md gives its keys.
#include "io/migrate_checkpoint.hpp"

#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "graphstore/record_json.hpp"
#include "io/record_writer.hpp"

namespace graphstore::io {
namespace {

namespace fs = std::filesystem;

std::string tenant_name(const std::string& tenant) { return tenant.empty() ? std::string("global") : tenant; }

bool get_string(const rapidjson::Value& obj, const char* key, std::string* out) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return false;
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool get_uint(const rapidjson::Value& obj, const char* key, uint64_t* out) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsUint64()) return false;
  *out = it->value.GetUint64();
  return true;
}

bool get_store(const rapidjson::Value& doc, const char* key, CheckpointStore* out) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd() || !it->value.IsObject()) return false;
  const rapidjson::Value& v = it->value;
  return get_string(v, "environment", &out->identity.environment) && get_string(v, "backend", &out->backend) &&
         get_string(v, "location", &out->identity.location);
}

void put_store(JsonWriter& w, const CheckpointStore& s, const std::vector<std::string>* tenants) {
  w.StartObject();
  w.Key("environment");
  write_string(w, s.identity.environment);
  w.Key("backend");
  write_string(w, s.backend);
  w.Key("location");
  write_string(w, s.identity.location);
  if (tenants) {
    w.Key("tenants");
    w.StartArray();
    for (const auto& t : *tenants) write_string(w, t);
    w.EndArray();
  }
  w.EndObject();
}

void compare(const char* what, const std::string& then, const std::string& now, std::vector<std::string>* out) {
  if (then != now) out->push_back(std::string(what) + " '" + then + "' in the checkpoint, '" + now + "' now");
}

}  // namespace

Status read_checkpoint(const fs::path& path, Checkpoint* out, bool* exists) {
  std::error_code ec;
  *exists = fs::exists(path, ec);
  if (!*exists) return Status::Ok();
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.c_str(), text.size());
  auto bad = [&](const std::string& why) {
    return InvalidArgument(path.string() + ": not a migration checkpoint: " + why);
  };
  if (doc.HasParseError() || !doc.IsObject()) return bad("malformed JSON");
  uint64_t version = 0;
  if (!get_uint(doc, "version", &version)) return bad("the key 'version' is missing or not a number");
  if (version < kCheckpointVersion)
    return InvalidArgument(path.string() + ": a version " + std::to_string(version) +
                           " checkpoint (an older graphstore) records neither the stores nor what the target held, "
                           "so resuming from it cannot be checked: empty the target and migrate without it");
  if (version > kCheckpointVersion)
    return bad("version " + std::to_string(version) + " is newer than this graphstore reads (" +
               std::to_string(kCheckpointVersion) + ")");
  Checkpoint c;
  if (!get_store(doc, "source", &c.source) || !get_store(doc, "target", &c.target))
    return bad("'source' and 'target' must each hold 'environment', 'backend' and 'location' strings");
  auto tenants = doc["source"].FindMember("tenants");
  if (tenants == doc["source"].MemberEnd() || !tenants->value.IsArray())
    return bad("'source' lacks its 'tenants' array");
  for (const auto& t : tenants->value.GetArray()) {
    if (!t.IsString()) return bad("'source' 'tenants' must hold strings");
    c.tenants.emplace_back(t.GetString(), t.GetStringLength());
  }
  if (!get_uint(doc, "batch_size", &c.batch_size) || !get_string(doc, "tenant", &c.tenant) ||
      !get_string(doc, "phase", &c.phase) || !get_string(doc, "after_id", &c.after_id) ||
      !get_uint(doc, "entities", &c.entities) || !get_uint(doc, "relations", &c.relations))
    return bad("a key is missing or of the wrong type");
  if (c.phase != "entities" && c.phase != "relations" && c.phase != "done") return bad("unknown phase");
  auto held = doc.FindMember("target_held");
  if (held == doc.MemberEnd() || !held->value.IsObject()) return bad("'target_held' is missing");
  for (const auto& m : held->value.GetObject()) {
    TenantCounts counts;
    if (!m.value.IsObject() || !get_uint(m.value, "entities", &counts.entities) ||
        !get_uint(m.value, "relations", &counts.relations))
      return bad("'target_held' must map tenants to their 'entities' and 'relations' counts");
    c.target_held[std::string(m.name.GetString(), m.name.GetStringLength())] = counts;
  }
  *out = std::move(c);
  return Status::Ok();
}

Status write_checkpoint(const fs::path& path, const Checkpoint& c) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("version");
  w.Uint64(kCheckpointVersion);
  w.Key("source");
  put_store(w, c.source, &c.tenants);
  w.Key("target");
  put_store(w, c.target, nullptr);
  w.Key("batch_size");
  w.Uint64(c.batch_size);
  w.Key("tenant");
  write_string(w, c.tenant);
  w.Key("phase");
  write_string(w, c.phase);
  w.Key("after_id");
  write_string(w, c.after_id);
  w.Key("entities");
  w.Uint64(c.entities);
  w.Key("relations");
  w.Uint64(c.relations);
  w.Key("target_held");
  w.StartObject();
  for (const auto& [tenant, counts] : c.target_held) {
    w.Key(tenant.data(), static_cast<rapidjson::SizeType>(tenant.size()));
    w.StartObject();
    w.Key("entities");
    w.Uint64(counts.entities);
    w.Key("relations");
    w.Uint64(counts.relations);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  std::string tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << std::string_view(buf.GetString(), buf.GetSize()) << '\n';
    if (!out) return Internal(tmp + ": cannot write the checkpoint");
  }
  if (std::rename(tmp.c_str(), path.string().c_str()) != 0)
    return Internal(tmp + ": cannot rename to " + path.string());
  return Status::Ok();
}

std::vector<std::string> checkpoint_mismatches(const Checkpoint& recorded, const Checkpoint& now) {
  std::vector<std::string> out;
  compare("source environment", recorded.source.identity.environment, now.source.identity.environment, &out);
  compare("source backend", recorded.source.backend, now.source.backend, &out);
  compare("source location", recorded.source.identity.location, now.source.identity.location, &out);
  compare("target environment", recorded.target.identity.environment, now.target.identity.environment, &out);
  compare("target backend", recorded.target.backend, now.target.backend, &out);
  compare("target location", recorded.target.identity.location, now.target.identity.location, &out);
  if (recorded.tenants != now.tenants) {
    std::set<std::string> then(recorded.tenants.begin(), recorded.tenants.end());
    std::set<std::string> current(now.tenants.begin(), now.tenants.end());
    std::string added, removed;
    for (const auto& t : current)
      if (!then.count(t)) added += (added.empty() ? "'" : ", '") + tenant_name(t) + "'";
    for (const auto& t : then)
      if (!current.count(t)) removed += (removed.empty() ? "'" : ", '") + tenant_name(t) + "'";
    std::string what = "the source's tenants changed since the checkpoint:";
    if (!added.empty()) what += " " + added + " added";
    if (!removed.empty()) what += std::string(added.empty() ? " " : ", ") + removed + " removed";
    out.push_back(what);
  }
  return out;
}

std::vector<std::string> target_mismatches(const Checkpoint& recorded, const std::map<std::string, TenantCounts>& held,
                                           bool allow_one_batch) {
  std::vector<std::string> out;
  std::vector<std::string> more;  // cells holding more than recorded
  uint64_t excess = 0;
  for (const auto& [tenant, then] : recorded.target_held) {
    auto it = held.find(tenant);
    TenantCounts now = it == held.end() ? TenantCounts{} : it->second;
    for (bool entities : {true, false}) {
      uint64_t a = entities ? then.entities : then.relations, b = entities ? now.entities : now.relations;
      if (a == b) continue;
      std::string phrase = "tenant " + tenant_name(tenant) + ": " + std::to_string(b) +
                           (entities ? " entities" : " relations") + ", the checkpoint recorded " + std::to_string(a);
      if (b < a) {
        out.push_back(phrase);
      } else {
        more.push_back(phrase);
        excess += b - a;
      }
    }
  }
  // One batch past the checkpoint is one kind of one tenant.
  bool one_batch = allow_one_batch && more.size() == 1 && excess <= recorded.batch_size;
  if (!one_batch) out.insert(out.end(), more.begin(), more.end());
  return out;
}

}  // namespace graphstore::io
