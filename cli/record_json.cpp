#include "record_json.hpp"

#include <rapidjson/error/en.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace graphstore::cli {
namespace {

using rapidjson::Value;

// Reads exactly n digits at s[*pos]; advances pos.
bool digits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

void write_optional(JsonWriter& w, const std::string& s) {
  if (s.empty()) {
    w.Null();
  } else {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
}

// The core guarantees a JSON object's text; should a plugin break that, a
// string keeps our output a valid document instead of a corrupt one.
void write_properties(JsonWriter& w, const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  } else {
    write_string(w, json);
  }
}

// Shortest text that reads back as the same float.
void write_float(JsonWriter& w, float f) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  if (ec != std::errc() || !std::isfinite(f)) {
    w.Null();
    return;
  }
  w.RawValue(buf, static_cast<size_t>(end - buf), rapidjson::kNumberType);
}

std::string to_json_text(const Value& v) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

Status bad(std::string_view what, std::string_view key, std::string_view expected) {
  return InvalidArgument(std::string(what) + " key '" + std::string(key) + "' must be " + std::string(expected));
}

Status read_string(const Value& v, std::string_view what, std::string_view key, std::string* out) {
  if (!v.IsString()) return bad(what, key, "a string");
  out->assign(v.GetString(), v.GetStringLength());
  return Status::Ok();
}

// A string or null (null leaves *out empty).
Status read_optional_string(const Value& v, std::string_view what, std::string_view key, std::string* out) {
  if (v.IsNull()) {
    out->clear();
    return Status::Ok();
  }
  return read_string(v, what, key, out);
}

Status read_properties(const Value& v, std::string_view what, std::string* out) {
  if (!v.IsObject()) return bad(what, "properties", "a JSON object");
  *out = to_json_text(v);
  return Status::Ok();
}

Status read_timestamp(const Value& v, std::string_view what, std::string_view key, Timestamp* out) {
  if (v.IsNull()) {
    *out = 0;
    return Status::Ok();
  }
  if (!v.IsString() || !parse_timestamp(std::string_view(v.GetString(), v.GetStringLength()), out))
    return bad(what, key, "an ISO-8601 timestamp such as \"2025-12-09T10:11:12.123456\" or null");
  return Status::Ok();
}

Status read_embedding(const Value& v, std::vector<float>* out) {
  out->clear();
  if (v.IsNull()) return Status::Ok();
  if (!v.IsArray()) return bad("entity", "embedding", "an array of numbers or null");
  out->reserve(v.Size());
  for (const auto& x : v.GetArray()) {
    if (!x.IsNumber()) return bad("entity", "embedding", "an array of numbers or null");
    out->push_back(static_cast<float>(x.GetDouble()));
  }
  return Status::Ok();
}

Status parse_document(std::string_view text, rapidjson::Document* doc) {
  doc->Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (doc->HasParseError())
    return InvalidArgument("invalid JSON at offset " + std::to_string(doc->GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc->GetParseError()));
  return Status::Ok();
}

}  // namespace

void write_string(JsonWriter& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

std::string format_timestamp(Timestamp us) {
  using namespace std::chrono;
  sys_time<microseconds> tp{microseconds{us}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss<microseconds> hms{tp - day};
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()), unsigned(ymd.month()),
                        unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                        int(hms.seconds().count()));
  long long micros = hms.subseconds().count();
  if (micros != 0) std::snprintf(buf + n, sizeof buf - size_t(n), ".%06lld", micros);
  return buf;
}

bool parse_timestamp(std::string_view s, Timestamp* out) {
  using namespace std::chrono;
  size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, &pos, 4, &y) || !expect(s, &pos, '-') || !digits(s, &pos, 2, &mo) || !expect(s, &pos, '-') ||
      !digits(s, &pos, 2, &d))
    return false;
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != ' ')) return false;
  ++pos;
  if (!digits(s, &pos, 2, &h) || !expect(s, &pos, ':') || !digits(s, &pos, 2, &mi) || !expect(s, &pos, ':') ||
      !digits(s, &pos, 2, &sec))
    return false;
  int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (++n > 6) return false;
      micros = micros * 10 + (s[pos++] - '0');
    }
    if (n == 0) return false;
    for (; n < 6; ++n) micros *= 10;
  }
  std::string_view rest = s.substr(pos);
  if (!rest.empty() && rest != "Z" && rest != "+00:00") return false;
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return false;
  auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros};
  *out = duration_cast<microseconds>(tp.time_since_epoch()).count();
  return true;
}

void write_entity(JsonWriter& w, const Entity& e) {
  w.StartObject();
  w.Key("id");
  write_string(w, e.id);
  w.Key("entity_type");
  write_string(w, e.entity_type);
  w.Key("properties");
  write_properties(w, e.properties);
  w.Key("embedding");
  if (e.embedding.empty()) {
    w.Null();
  } else {
    w.StartArray();
    for (float f : e.embedding) write_float(w, f);
    w.EndArray();
  }
  w.Key("created_at");
  write_string(w, format_timestamp(e.created_at));
  w.Key("updated_at");
  write_string(w, format_timestamp(e.updated_at));
  w.Key("source");
  if (e.source) {
    write_string(w, *e.source);
  } else {
    w.Null();
  }
  w.Key("tenant_id");
  write_optional(w, e.tenant_id);
  w.EndObject();
}

void write_relation(JsonWriter& w, const Relation& r) {
  w.StartObject();
  w.Key("id");
  write_string(w, r.id);
  w.Key("relation_type");
  write_string(w, r.relation_type);
  w.Key("source_id");
  write_string(w, r.source_id);
  w.Key("target_id");
  write_string(w, r.target_id);
  w.Key("properties");
  write_properties(w, r.properties);
  w.Key("weight");
  w.Double(r.weight);
  w.Key("created_at");
  write_string(w, format_timestamp(r.created_at));
  w.Key("updated_at");
  write_string(w, format_timestamp(r.updated_at));
  w.Key("source");
  if (r.source) {
    write_string(w, *r.source);
  } else {
    w.Null();
  }
  w.Key("tenant_id");
  write_optional(w, r.tenant_id);
  w.EndObject();
}

Status entity_from_json(const Value& v, Entity* out) {
  if (!v.IsObject()) return InvalidArgument("an entity must be a JSON object");
  Entity e;
  for (const auto& m : v.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    Status s;
    if (key == "id") {
      s = read_string(m.value, "entity", key, &e.id);
    } else if (key == "entity_type") {
      s = read_string(m.value, "entity", key, &e.entity_type);
    } else if (key == "properties") {
      s = read_properties(m.value, "entity", &e.properties);
    } else if (key == "embedding") {
      s = read_embedding(m.value, &e.embedding);
    } else if (key == "created_at") {
      s = read_timestamp(m.value, "entity", key, &e.created_at);
    } else if (key == "updated_at") {
      s = read_timestamp(m.value, "entity", key, &e.updated_at);
    } else if (key == "source") {
      std::string source;
      s = read_optional_string(m.value, "entity", key, &source);
      if (!m.value.IsNull()) e.source = std::move(source);
    } else if (key == "tenant_id") {
      s = read_optional_string(m.value, "entity", key, &e.tenant_id);
    } else {
      s = InvalidArgument("unknown entity key '" + std::string(key) + "'");
    }
    if (!s.ok()) return s;
  }
  *out = std::move(e);
  return Status::Ok();
}

Status relation_from_json(const Value& v, Relation* out) {
  if (!v.IsObject()) return InvalidArgument("a relation must be a JSON object");
  Relation r;
  for (const auto& m : v.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    Status s;
    if (key == "id") {
      s = read_string(m.value, "relation", key, &r.id);
    } else if (key == "relation_type") {
      s = read_string(m.value, "relation", key, &r.relation_type);
    } else if (key == "source_id") {
      s = read_string(m.value, "relation", key, &r.source_id);
    } else if (key == "target_id") {
      s = read_string(m.value, "relation", key, &r.target_id);
    } else if (key == "properties") {
      s = read_properties(m.value, "relation", &r.properties);
    } else if (key == "weight") {
      if (m.value.IsNumber()) {
        r.weight = m.value.GetDouble();
      } else if (!m.value.IsNull()) {
        s = bad("relation", key, "a number");
      }
    } else if (key == "created_at") {
      s = read_timestamp(m.value, "relation", key, &r.created_at);
    } else if (key == "updated_at") {
      s = read_timestamp(m.value, "relation", key, &r.updated_at);
    } else if (key == "source") {
      std::string source;
      s = read_optional_string(m.value, "relation", key, &source);
      if (!m.value.IsNull()) r.source = std::move(source);
    } else if (key == "tenant_id") {
      s = read_optional_string(m.value, "relation", key, &r.tenant_id);
    } else {
      s = InvalidArgument("unknown relation key '" + std::string(key) + "'");
    }
    if (!s.ok()) return s;
  }
  *out = std::move(r);
  return Status::Ok();
}

Status unwrap_record(const Value& v, RecordKind* kind, const Value** data) {
  if (!v.IsObject()) return InvalidArgument("a record must be a JSON object");
  auto type = v.FindMember("type");
  if (type == v.MemberEnd()) {
    *kind = RecordKind::kEntity;
    *data = &v;
    return Status::Ok();
  }
  std::string_view t = type->value.IsString() ? std::string_view(type->value.GetString()) : "";
  if (t != "entity" && t != "relation") return InvalidArgument("record key 'type' must be \"entity\" or \"relation\"");
  auto body = v.FindMember("data");
  if (body == v.MemberEnd() || !body->value.IsObject())
    return InvalidArgument("record key 'data' must be a JSON object");
  if (v.MemberCount() != 2) return InvalidArgument("a record holds only the keys 'type' and 'data'");
  *kind = t == "entity" ? RecordKind::kEntity : RecordKind::kRelation;
  *data = &body->value;
  return Status::Ok();
}

Status parse_entity_text(std::string_view text, Entity* out) {
  rapidjson::Document doc;
  if (Status s = parse_document(text, &doc); !s.ok()) return s;
  RecordKind kind;
  const Value* data = nullptr;
  if (Status s = unwrap_record(doc, &kind, &data); !s.ok()) return s;
  if (kind != RecordKind::kEntity) return InvalidArgument("expected an entity, got a relation record");
  return entity_from_json(*data, out);
}

Status parse_relation_text(std::string_view text, Relation* out) {
  rapidjson::Document doc;
  if (Status s = parse_document(text, &doc); !s.ok()) return s;
  if (!doc.IsObject()) return InvalidArgument("a relation must be a JSON object");
  const Value* data = &doc;
  auto type = doc.FindMember("type");
  if (type != doc.MemberEnd()) {
    RecordKind kind;
    if (Status s = unwrap_record(doc, &kind, &data); !s.ok()) return s;
    if (kind != RecordKind::kRelation) return InvalidArgument("expected a relation, got an entity record");
  }
  return relation_from_json(*data, out);
}

}  // namespace graphstore::cli
