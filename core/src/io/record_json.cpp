// The public record codec (graphstore/record_json.hpp): timestamps, the
// writer, and the text parsers over the decoder.
#include "graphstore/record_json.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "io/record_decoder.hpp"
#include "io/record_writer.hpp"
#include "io/timestamp.hpp"

namespace graphstore {
namespace {

using io::JsonWriter;
using io::write_string;

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

char* put2(char* p, unsigned v) {
  p[0] = char('0' + v / 10);
  p[1] = char('0' + v % 10);
  return p + 2;
}

void write_optional(JsonWriter& w, const std::optional<std::string>& s) {
  if (s) {
    write_string(w, *s);
  } else {
    w.Null();
  }
}

void write_tenant(JsonWriter& w, const std::string& tenant) {
  if (tenant.empty()) {
    w.Null();
  } else {
    write_string(w, tenant);
  }
}

// The core guarantees a JSON object's text; should a plugin break that, a
// string keeps our output a valid document instead of a corrupt one. The
// check is the cheap one (braces at both ends): a full parse per record
// would double the cost of an export.
void write_properties(JsonWriter& w, const std::string& json) {
  size_t b = json.find_first_not_of(" \t\r\n");
  size_t e = json.find_last_not_of(" \t\r\n");
  if (b != std::string::npos && json[b] == '{' && json[e] == '}') {
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

void write_timestamp(JsonWriter& w, Timestamp t) {
  if (t == kNoTimestamp) {
    w.Null();
    return;
  }
  char buf[io::kTimestampChars];
  size_t n = io::format_timestamp_to(t, buf);
  w.String(buf, static_cast<rapidjson::SizeType>(n));
}

}  // namespace

namespace io {

size_t format_timestamp_to(Timestamp us, char* buf) {
  using namespace std::chrono;
  // Split by hand: chrono's floor would overflow near the ends of int64.
  constexpr int64_t kDayUs = int64_t(86'400) * 1'000'000;
  int64_t day = us / kDayUs, in_day = us % kDayUs;
  if (in_day < 0) {
    in_day += kDayUs;
    --day;
  }
  year_month_day ymd{sys_days{days{day}}};
  int64_t secs = in_day / 1000000;
  unsigned micros = static_cast<unsigned>(in_day % 1000000);
  int y = int(ymd.year());
  char* p = buf;
  if (y >= 0 && y <= 9999) {
    p = put2(p, unsigned(y / 100));
    p = put2(p, unsigned(y % 100));
  } else {
    p += std::snprintf(p, 16, "%04d", y);
  }
  *p++ = '-';
  p = put2(p, unsigned(ymd.month()));
  *p++ = '-';
  p = put2(p, unsigned(ymd.day()));
  *p++ = 'T';
  p = put2(p, unsigned(secs / 3600));
  *p++ = ':';
  p = put2(p, unsigned(secs / 60 % 60));
  *p++ = ':';
  p = put2(p, unsigned(secs % 60));
  if (micros != 0) {
    *p++ = '.';
    for (int i = 5; i >= 0; --i) {
      p[i] = char('0' + micros % 10);
      micros /= 10;
    }
    p += 6;
  }
  return static_cast<size_t>(p - buf);
}

}  // namespace io

void io::write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string format_timestamp(Timestamp us) {
  char buf[io::kTimestampChars];
  return std::string(buf, io::format_timestamp_to(us, buf));
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

void io::write_entity(JsonWriter& w, const Entity& e) {
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
  write_timestamp(w, e.created_at);
  w.Key("updated_at");
  write_timestamp(w, e.updated_at);
  w.Key("source");
  write_optional(w, e.source);
  w.Key("tenant_id");
  write_tenant(w, e.tenant_id);
  w.EndObject();
}

void io::write_relation(JsonWriter& w, const Relation& r) {
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
  write_timestamp(w, r.created_at);
  w.Key("updated_at");
  write_timestamp(w, r.updated_at);
  w.Key("source");
  write_optional(w, r.source);
  w.Key("tenant_id");
  write_tenant(w, r.tenant_id);
  w.EndObject();
}

std::string entity_json(const Entity& e) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  io::write_entity(w, e);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string relation_json(const Relation& r) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  io::write_relation(w, r);
  return std::string(buf.GetString(), buf.GetSize());
}

Status parse_record(std::string_view text, Record* out) { return io::decode_record(text, io::Expect::kLine, out); }

Status parse_entity_text(std::string_view text, Entity* out) {
  Record rec;
  if (Status s = io::decode_record(text, io::Expect::kEntity, &rec); !s.ok()) return s;
  *out = std::move(rec.entity);
  return Status::Ok();
}

Status parse_relation_text(std::string_view text, Relation* out) {
  Record rec;
  if (Status s = io::decode_record(text, io::Expect::kRelation, &rec); !s.ok()) return s;
  *out = std::move(rec.relation);
  return Status::Ok();
}

}  // namespace graphstore
