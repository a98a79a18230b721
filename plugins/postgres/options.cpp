#include "options.hpp"

#include <libpq-fe.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "graphstore/options.hpp"
#include "graphstore/scoring.hpp"

namespace graphstore::postgres {
namespace {

using sdk::make_error;
using sdk::Status;

Status bad(std::string_view key, const std::string& what) {
  return make_error(GS_INVALID_ARGUMENT, "option '" + std::string(key) + "': " + what);
}

const char* kind_of(const rapidjson::Value& v) {
  return v.IsString() ? "a string"
         : v.IsBool() ? "a boolean"
         : v.IsNumber() ? "a number"
         : v.IsArray() ? "a list"
         : v.IsObject() ? "a mapping"
                        : "null";
}

// A string holding exactly a number of T's kind (a value from a ${VAR} in
// the YAML config arrives as text); false for anything else.
template <typename T>
bool number_text(const rapidjson::Value& v, T* out) {
  if (!v.IsString() || v.GetStringLength() == 0) return false;
  const char* begin = v.GetString();
  const char* end = begin + v.GetStringLength();
  auto [stop, ec] = std::from_chars(begin, end, *out);
  return ec == std::errc() && stop == end;
}

// " 'TEXT'" (a bounded prefix) for a string value in a type error, else "".
std::string text_of(const rapidjson::Value& v) {
  return v.IsString() ? " " + sdk::quoted_prefix(std::string_view(v.GetString(), v.GetStringLength()), 32) : "";
}

// A JSON object's members read with the "option 'KEY'" prefix; prefix names
// the enclosing list item for read_replicas.
class Reader {
 public:
  Reader(const rapidjson::Value& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {}

  bool has(const char* key) const { return obj_.HasMember(key) && !obj_[key].IsNull(); }
  std::string name(const char* key) const { return prefix_ + key; }

  Status check_known(const std::vector<std::string>& names) const {
    for (auto it = obj_.MemberBegin(); it != obj_.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      bool known = false;
      for (const auto& n : names) known = known || n == key;
      if (known) continue;
      std::string msg = "unknown option";
      std::string near = sdk::closest_name(key, names);
      if (!near.empty()) msg += " (did you mean '" + prefix_ + near + "'?)";
      return bad(prefix_ + key, msg);
    }
    return Status::Ok();
  }

  Status string(const char* key, std::string* out) const {
    if (!has(key)) return Status::Ok();
    const auto& v = obj_[key];
    if (!v.IsString()) {
      std::string hint = v.IsNumber() ? " (quote the value in YAML)" : "";
      return bad(name(key), std::string("expected a string, got ") + kind_of(v) + hint);
    }
    // libpq reads the connection string as a C string: a NUL would end it
    // inside a quoted value, and the dsn would be cut short silently.
    if (std::string_view(v.GetString(), v.GetStringLength()).find('\0') != std::string_view::npos)
      return bad(name(key), "must not contain a NUL byte");
    out->assign(v.GetString(), v.GetStringLength());
    return Status::Ok();
  }

  Status boolean(const char* key, bool* out) const {
    if (!has(key)) return Status::Ok();
    const auto& v = obj_[key];
    if (v.IsBool()) {
      *out = v.GetBool();
      return Status::Ok();
    }
    // ${ENABLE_PGVECTOR} may arrive as text when the YAML quoted it.
    if (v.IsString()) {
      std::string s = sdk::ascii_lower(std::string_view(v.GetString(), v.GetStringLength()));
      if (s == "true" || s == "1" || s == "yes" || s == "on") return *out = true, Status::Ok();
      if (s == "false" || s == "0" || s == "no" || s == "off" || s.empty()) return *out = false, Status::Ok();
    }
    return bad(name(key), std::string("expected true or false, got ") + kind_of(v));
  }

  Status number(const char* key, double* out, double lo, double hi) const {
    if (!has(key)) return Status::Ok();
    const auto& v = obj_[key];
    double x = 0;
    if (v.IsNumber()) {
      x = v.GetDouble();
    } else if (!number_text(v, &x)) {
      return bad(name(key), std::string("expected a number of seconds, got ") + kind_of(v) + text_of(v));
    }
    if (!std::isfinite(x) || x < lo || x > hi)
      return bad(name(key), std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "]");
    *out = x;
    return Status::Ok();
  }

  Status integer(const char* key, int64_t* out, int64_t lo, int64_t hi) const {
    if (!has(key)) return Status::Ok();
    const auto& v = obj_[key];
    int64_t x = 0;
    if (v.IsInt64()) {
      x = v.GetInt64();
    } else if (!number_text(v, &x)) {
      return bad(name(key), std::string("expected a whole number, got ") + kind_of(v) + text_of(v));
    }
    if (x < lo || x > hi)
      return bad(name(key), std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "]");
    *out = x;
    return Status::Ok();
  }

  // A port: a whole number in [1, 65535], or its text. A number or digits
  // outside that range (however large) are refused as out of range.
  Status port(const char* key, std::string* out) const {
    if (!has(key)) return Status::Ok();
    const auto& v = obj_[key];
    constexpr const char* kRange = "expected a port number in [1, 65535]";
    std::string shown;
    int64_t p = -1;
    if (v.IsInt64()) {
      p = v.GetInt64();
      shown = std::to_string(p);
    } else if (v.IsNumber()) {
      // Above INT64_MAX, or not whole: never a port.
      rapidjson::StringBuffer text;
      rapidjson::Writer<rapidjson::StringBuffer> w(text);
      v.Accept(w);
      shown = text.GetString();
      if (v.IsDouble() && std::trunc(v.GetDouble()) != v.GetDouble())
        return bad(name(key), std::string(kRange) + ", got " + shown + " (not a whole number)");
    } else if (v.IsString()) {
      std::string s(v.GetString(), v.GetStringLength());
      bool digits = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
      if (!digits) return bad(name(key), std::string(kRange) + ", got the text '" + s.substr(0, 32) + "'");
      shown = s.substr(0, 32);
      if (s.size() <= 5) p = std::stoll(s);
    } else {
      return bad(name(key), std::string(kRange) + ", got " + kind_of(v));
    }
    if (p < 1 || p > 65535) return bad(name(key), shown + " is out of range: " + kRange);
    *out = std::to_string(p);
    return Status::Ok();
  }

  const rapidjson::Value& value(const char* key) const { return obj_[key]; }

 private:
  const rapidjson::Value& obj_;
  std::string prefix_;
};

const std::vector<std::string> kConnKeys = {"host",        "port",    "user",   "password", "database", "dsn",
                                            "ssl",         "sslmode", "sslrootcert", "sslcert", "sslkey"};

// Reads the connection keys of r into *s (on top of what *s holds).
Status read_connection(const Reader& r, ConnSettings* s) {
  std::string dsn;
  if (Status st = r.string("dsn", &dsn); !st.ok()) return st;
  if (!dsn.empty()) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(dsn.c_str(), &err);
    if (opts == nullptr) {
      if (err != nullptr) PQfreemem(err);
      // libpq's message may quote part of the text, which may hold a password.
      return bad(r.name("dsn"), "libpq cannot parse it as a connection string or URI (not shown: it may hold a password)");
    }
    s->dsn.clear();
    for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o)
      if (o->val != nullptr) s->dsn.emplace_back(o->keyword, o->val);
    PQconninfoFree(opts);
  }
  if (Status st = r.string("host", &s->host); !st.ok()) return st;
  if (Status st = r.port("port", &s->port); !st.ok()) return st;
  if (Status st = r.string("user", &s->user); !st.ok()) return st;
  if (Status st = r.string("password", &s->password); !st.ok()) return st;
  if (Status st = r.string("database", &s->database); !st.ok()) return st;
  if (Status st = r.string("sslmode", &s->sslmode); !st.ok()) return st;
  if (!s->sslmode.empty()) {
    static const char* const kModes[] = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
    bool ok = false;
    for (const char* m : kModes) ok = ok || s->sslmode == m;
    if (!ok)
      return bad(r.name("sslmode"), "'" + s->sslmode +
                                        "' is not one of disable, allow, prefer, require, verify-ca, verify-full");
  }
  if (r.has("ssl")) {
    bool ssl = false;
    if (Status st = r.boolean("ssl", &ssl); !st.ok()) return st;
    bool explicit_mode = r.has("sslmode");
    if (ssl && !explicit_mode) s->sslmode = "require";
    if (!ssl && !explicit_mode) s->sslmode = "disable";
    if (!ssl && explicit_mode && s->sslmode != "disable" && s->sslmode != "allow" && s->sslmode != "prefer")
      return bad(r.name("ssl"), "false contradicts sslmode '" + s->sslmode + "'");
  }
  if (Status st = r.string("sslrootcert", &s->sslrootcert); !st.ok()) return st;
  if (Status st = r.string("sslcert", &s->sslcert); !st.ok()) return st;
  if (Status st = r.string("sslkey", &s->sslkey); !st.ok()) return st;
  return Status::Ok();
}

void append_kv(std::string* out, std::string_view key, std::string_view value) {
  if (!out->empty()) out->push_back(' ');
  out->append(key);
  out->append("='");
  for (char c : value) {
    if (c == '\\' || c == '\'') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('\'');
}

}  // namespace

bool valid_identifier(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (name[0] >= '0' && name[0] <= '9') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string quote_identifier(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string ConnSettings::get(std::string_view keyword) const {
  auto pick = [&](const std::string& v) -> const std::string* { return v.empty() ? nullptr : &v; };
  const std::string* explicit_value = nullptr;
  if (keyword == "host") explicit_value = pick(host);
  if (keyword == "port") explicit_value = pick(port);
  if (keyword == "user") explicit_value = pick(user);
  if (keyword == "password") explicit_value = pick(password);
  if (keyword == "dbname") explicit_value = pick(database);
  if (keyword == "sslmode") explicit_value = pick(sslmode);
  if (explicit_value) return *explicit_value;
  for (const auto& [k, v] : dsn)
    if (k == keyword) return v;
  return std::string();
}

std::string ConnSettings::conninfo() const {
  std::string out;
  std::string extra_options;
  for (const auto& [k, v] : dsn) {
    bool overridden = (k == "host" && !host.empty()) || (k == "port" && !port.empty()) ||
                      (k == "user" && !user.empty()) || (k == "password" && !password.empty()) ||
                      (k == "dbname" && !database.empty()) || (k == "sslmode" && !sslmode.empty()) ||
                      (k == "sslrootcert" && !sslrootcert.empty()) || (k == "sslcert" && !sslcert.empty()) ||
                      (k == "sslkey" && !sslkey.empty()) || (k == "application_name" && !application_name.empty()) ||
                      (k == "connect_timeout" && connect_timeout_s > 0) || k == "client_encoding";
    if (k == "options") {
      extra_options = v;
      continue;
    }
    if (!overridden) append_kv(&out, k, v);
  }
  if (!host.empty()) append_kv(&out, "host", host);
  if (!port.empty()) append_kv(&out, "port", port);
  if (!user.empty()) append_kv(&out, "user", user);
  if (!password.empty()) append_kv(&out, "password", password);
  if (!database.empty()) append_kv(&out, "dbname", database);
  if (!sslmode.empty()) append_kv(&out, "sslmode", sslmode);
  if (!sslrootcert.empty()) append_kv(&out, "sslrootcert", sslrootcert);
  if (!sslcert.empty()) append_kv(&out, "sslcert", sslcert);
  if (!sslkey.empty()) append_kv(&out, "sslkey", sslkey);
  if (!application_name.empty()) append_kv(&out, "application_name", application_name);
  if (connect_timeout_s > 0) append_kv(&out, "connect_timeout", std::to_string(connect_timeout_s));
  append_kv(&out, "client_encoding", "UTF8");
  if (statement_timeout_ms > 0) {
    if (!extra_options.empty()) extra_options += ' ';
    extra_options += "-c statement_timeout=" + std::to_string(statement_timeout_ms);
  }
  if (!extra_options.empty()) append_kv(&out, "options", extra_options);
  return out;
}

std::string ConnSettings::describe() const {
  std::string h = get("host"), p = get("port"), d = get("dbname"), u = get("user"), m = get("sslmode");
  // A multi-host string (host=a,b port=1,2, as a pg_auto_failover formation's
  // URI gives) lists host:port pairs, "a:1,b:2", rather than "a,b:1,2"; one
  // port applies to every host, as libpq does.
  auto split = [](const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
      parts.push_back(text.substr(start, comma - start));
    parts.push_back(text.substr(start));
    return parts;
  };
  std::vector<std::string> hosts = split(h), ports = split(p);
  std::string out;
  for (size_t i = 0; i < std::max(hosts.size(), ports.size()); ++i) {
    std::string host = i < hosts.size() ? hosts[i] : hosts.back();
    std::string port = ports.size() == 1 ? ports[0] : (i < ports.size() ? ports[i] : std::string());
    if (i > 0) out += ",";
    out += (host.empty() ? std::string("(default host)") : host) + ":" + (port.empty() ? std::string("5432") : port);
  }
  out += "/" + (d.empty() ? std::string("(default database)") : d);
  if (!u.empty()) out += " as " + u;
  if (!m.empty()) out += " (sslmode " + m + ")";
  return out;
}

std::string scrub(std::string text, const ConnSettings& settings) {
  // Very short passwords would garble every message; libpq never echoes a
  // password, so this is a second line of defence for real ones.
  for (const std::string& secret : {settings.password, settings.get("password")}) {
    if (secret.size() < 3) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
      text.replace(pos, secret.size(), "***");
  }
  return text;
}

Status parse_options(std::string_view options_json, PgOptions* out) {
  sdk::Options options;
  if (Status s = sdk::Options::parse(options_json, &options); !s.ok()) return s;
  const rapidjson::Value& doc = options.document();
  Reader r(doc, "");
  std::vector<std::string> known = kConnKeys;
  for (const char* k : {"min_pool_size", "max_pool_size", "acquire_timeout", "enable_pgvector", "schema",
                        "statement_timeout", "connect_timeout", "application_name", "read_replicas", "pool",
                        "row_level_security", "read_consistency", "reference_views", "defer_indexes",
                        "index_build_connections", "index_build_memory_mb"})
    known.emplace_back(k);
  if (Status s = r.check_known(known); !s.ok()) return s;

  PgOptions o;
  if (Status s = read_connection(r, &o.primary); !s.ok()) return s;
  if (Status s = r.integer("min_pool_size", &o.min_pool_size, 0, 10000); !s.ok()) return s;
  if (Status s = r.integer("max_pool_size", &o.max_pool_size, 1, 10000); !s.ok()) return s;
  if (o.min_pool_size > o.max_pool_size)
    return bad("min_pool_size", std::to_string(o.min_pool_size) + " is larger than max_pool_size " +
                                    std::to_string(o.max_pool_size));
  if (Status s = r.number("acquire_timeout", &o.acquire_timeout_s, 0.0, 86400.0); !s.ok()) return s;
  if (Status s = r.boolean("enable_pgvector", &o.enable_pgvector); !s.ok()) return s;
  if (Status s = r.boolean("row_level_security", &o.row_level_security); !s.ok()) return s;
  if (Status s = r.boolean("reference_views", &o.reference_views); !s.ok()) return s;
  if (Status s = r.boolean("defer_indexes", &o.defer_indexes); !s.ok()) return s;
  if (Status s = r.integer("index_build_connections", &o.index_build_connections, 1, 64); !s.ok()) return s;
  if (Status s = r.integer("index_build_memory_mb", &o.index_build_memory_mb, 1, 2097151); !s.ok()) return s;
  if (Status s = r.string("schema", &o.schema); !s.ok()) return s;
  if (!valid_identifier(o.schema))
    return bad("schema", "'" + o.schema.substr(0, 80) +
                             "' is not a valid schema name (1 to 63 ASCII letters, digits or '_', not starting "
                             "with a digit)");
  double statement_timeout = 0;
  if (Status s = r.number("statement_timeout", &statement_timeout, 0.0, 86400.0 * 365); !s.ok()) return s;
  o.primary.statement_timeout_ms = int64_t(std::llround(statement_timeout * 1000.0));
  if (statement_timeout > 0 && o.primary.statement_timeout_ms == 0) o.primary.statement_timeout_ms = 1;
  if (Status s = r.integer("connect_timeout", &o.primary.connect_timeout_s, 0, 86400); !s.ok()) return s;
  o.primary.application_name = "graphstore";
  if (Status s = r.string("application_name", &o.primary.application_name); !s.ok()) return s;
  if (Status s = r.string("pool", &o.pool_name); !s.ok()) return s;
  if (r.has("pool") && o.pool_name.empty()) return bad("pool", "the pool's name must not be empty");

  std::string consistency = "eventual";
  if (Status s = r.string("read_consistency", &consistency); !s.ok()) return s;
  if (consistency == "eventual") {
    o.read_consistency = ReadConsistency::kEventual;
  } else if (consistency == "read_your_writes") {
    o.read_consistency = ReadConsistency::kReadYourWrites;
  } else if (consistency == "primary") {
    o.read_consistency = ReadConsistency::kPrimary;
  } else {
    return bad("read_consistency", "'" + consistency + "' is not one of eventual, read_your_writes, primary");
  }

  if (r.has("read_replicas")) {
    const rapidjson::Value& list = r.value("read_replicas");
    if (!list.IsArray())
      return bad("read_replicas", std::string("expected a list of connection settings, got ") + kind_of(list));
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      std::string prefix = "read_replicas[" + std::to_string(i) + "].";
      if (!list[i].IsObject())
        return bad("read_replicas[" + std::to_string(i) + "]",
                   std::string("expected a mapping (host, port, ...), got ") + kind_of(list[i]));
      Reader item(list[i], prefix);
      if (Status s = item.check_known(kConnKeys); !s.ok()) return s;
      // A replica inherits every setting it does not give from the primary.
      ConnSettings replica = o.primary;
      if (item.has("dsn")) {
        replica = ConnSettings{};
        replica.application_name = o.primary.application_name;
        replica.connect_timeout_s = o.primary.connect_timeout_s;
        replica.statement_timeout_ms = o.primary.statement_timeout_ms;
      }
      if (Status s = read_connection(item, &replica); !s.ok()) return s;
      o.replicas.push_back(std::move(replica));
    }
  }
  *out = std::move(o);
  return Status::Ok();
}

}  // namespace graphstore::postgres
