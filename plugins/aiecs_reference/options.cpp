#include "options.hpp"

#include <algorithm>

#include "graphstore/options.hpp"
#include "graphstore/tenant.hpp"

namespace graphstore::aiecs_reference {
namespace {

using sdk::make_error;
using sdk::Status;

Status bad(std::string_view key, const std::string& what) {
  return make_error(GS_INVALID_ARGUMENT, "option '" + std::string(key) + "': " + what);
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

constexpr const char* kPgKeys[] = {"dsn", "host", "port", "user", "password", "database", "sslmode", "connect_timeout"};

}  // namespace

std::string PgConnection::conninfo() const {
  // The dsn first: libpq lets a later keyword override an earlier one.
  std::string out = dsn;
  if (!host.empty()) append_kv(&out, "host", host);
  if (!port.empty()) append_kv(&out, "port", port);
  if (!user.empty()) append_kv(&out, "user", user);
  if (!password.empty()) append_kv(&out, "password", password);
  if (!database.empty()) append_kv(&out, "dbname", database);
  if (!sslmode.empty()) append_kv(&out, "sslmode", sslmode);
  if (connect_timeout_s > 0) append_kv(&out, "connect_timeout", std::to_string(connect_timeout_s));
  append_kv(&out, "client_encoding", "UTF8");
  append_kv(&out, "application_name", "graphstore aiecs_reference");
  return out;
}

std::string PgConnection::describe() const {
  if (host.empty() && database.empty() && !dsn.empty()) return "the server of option 'dsn'";
  std::string out = (host.empty() ? std::string("(default host)") : host) + ":" + (port.empty() ? "5432" : port);
  out += "/" + (database.empty() ? std::string("(default database)") : database);
  if (!user.empty()) out += " as " + user;
  return out;
}

Status parse_options(std::string_view options_json, Options* out) {
  sdk::Options o;
  if (Status s = sdk::Options::parse(options_json, &o); !s.ok()) return s;
  if (Status s = o.check_known({"sqlite_path", "dsn", "host", "port", "user", "password", "database", "sslmode",
                                "connect_timeout", "schema", "tenants"});
      !s.ok())
    return s;
  Options opt;
  if (Status s = o.get_string("sqlite_path", &opt.sqlite_path); !s.ok()) return s;
  bool any_pg = false;
  for (const char* k : kPgKeys) any_pg = any_pg || o.has(k);
  if (o.has("sqlite_path") && opt.sqlite_path.empty()) return bad("sqlite_path", "must not be empty");
  if (opt.sqlite_path.find('\0') != std::string::npos) return bad("sqlite_path", "must not contain a NUL byte");
  if (!opt.sqlite_path.empty() && any_pg)
    return bad("sqlite_path",
               "give either sqlite_path (the reference's SQLite file) or a PostgreSQL connection "
               "(dsn, host, port, user, password, database), not both");
  if (opt.sqlite_path.empty() && !any_pg)
    return make_error(GS_INVALID_ARGUMENT,
                      "options: name the reference's database: sqlite_path (its SQLite file) or a PostgreSQL "
                      "connection (dsn, or host, port, user, password, database)");
  if (opt.sqlite_path.size() >= 5 && sdk::ascii_lower(opt.sqlite_path.substr(0, 5)) == "file:")
    return bad("sqlite_path", "starts with \"file:\", which SQLite may read as a URI; give a plain path");
  if (any_pg) {
    PgConnection c;
    for (auto [key, field] : {std::pair{"dsn", &c.dsn},
                              {"host", &c.host},
                              {"user", &c.user},
                              {"password", &c.password},
                              {"database", &c.database},
                              {"sslmode", &c.sslmode}})
      if (Status s = o.get_string(key, field); !s.ok()) return s;
    int64_t port = 0;
    if (Status s = o.get_int("port", &port, 1, 65535); !s.ok()) return s;
    if (port != 0) c.port = std::to_string(port);
    if (Status s = o.get_int("connect_timeout", &c.connect_timeout_s, 0, 86400); !s.ok()) return s;
    if (!c.sslmode.empty()) {
      const std::vector<std::string> modes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
      if (std::find(modes.begin(), modes.end(), c.sslmode) == modes.end())
        return bad("sslmode",
                   "'" + c.sslmode + "' is not one of disable, allow, prefer, require, verify-ca, verify-full");
    }
    opt.pg = std::move(c);
  }
  if (Status s = o.get_string("schema", &opt.schema); !s.ok()) return s;
  if (o.has("schema") && !opt.sqlite_path.empty())
    return bad("schema", "applies to PostgreSQL only (a SQLite file has no schemas)");
  if (o.has("tenants")) {
    const auto& v = o.document()["tenants"];
    if (!v.IsArray()) return bad("tenants", "expected a list of tenant ids");
    for (const auto& t : v.GetArray()) {
      if (!t.IsString()) return bad("tenants", "expected a list of tenant ids (strings)");
      std::string id(t.GetString(), t.GetStringLength());
      if (id.empty() || !sdk::valid_tenant(id)) return bad("tenants", sdk::invalid_tenant_message(id));
      if (std::find(opt.tenants.begin(), opt.tenants.end(), id) == opt.tenants.end()) opt.tenants.push_back(id);
    }
    std::sort(opt.tenants.begin(), opt.tenants.end());
  }
  *out = std::move(opt);
  return Status::Ok();
}

}  // namespace graphstore::aiecs_reference
