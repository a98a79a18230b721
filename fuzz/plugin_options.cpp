// Fuzz target: the JSON options a plugin receives at open, read by each
// plugin's own parser over sdk/include/graphstore/options.hpp. The first byte
// picks the plugin ('s' sqlite, 'p' postgres, 'd' degradation, 'i' inmemory;
// any other byte by its value modulo 4), the rest is the options text.
// Invariants beyond not crashing:
//  - every error is INVALID_ARGUMENT and starts with "option 'KEY': " or
//    "options: " (what the host needs to point at the YAML line);
//  - sqlite and degradation: options that parse, written back as JSON, parse
//    to the same values, and no file path holds a NUL byte (it would name
//    another file);
//  - postgres: the libpq connection string built from parsed options reads
//    back (PQconninfoParse) with the same host, port, user, password,
//    database, sslmode and application name, for the primary and every
//    replica; no error shows the password;
//  - inmemory (opened through the registry and the C ABI, as a host does):
//    options that parse open a store.
#ifndef GRAPHSTORE_FUZZ_NO_POSTGRES
#include <libpq-fe.h>
#endif
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "graphstore/registry.hpp"
#include "graphstore/store.hpp"

// Each plugin's options header declares parse_options in its own namespace.
#include "../plugins/degradation/options.hpp"
#ifndef GRAPHSTORE_FUZZ_NO_POSTGRES
#include "../plugins/postgres/options.hpp"
#endif
#include "../plugins/sqlite/options.hpp"

namespace {

using graphstore::fuzz::check;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void check_error_shape(gs_status code, const std::string& message) {
  check(code == GS_INVALID_ARGUMENT, "an options error must be INVALID_ARGUMENT", message);
  check(message.rfind("option '", 0) == 0 || message.rfind("options: ", 0) == 0,
        "an options error must start with \"option 'KEY': \" or \"options: \"", message);
}

void key_string(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void check_sqlite(std::string_view json) {
  namespace sq = graphstore::sqlite;
  sq::Options o;
  graphstore::sdk::Status s = sq::parse_options(json, &o);
  if (!s.ok()) return check_error_shape(s.code, s.message);
  check(o.path.find('\0') == std::string::npos, "a database path holding a NUL byte was accepted");
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  key_string(w, "path", o.path);
  w.Key("timeout");
  w.Double(o.timeout_s);
  if (!o.journal_mode.empty()) key_string(w, "journal_mode", o.journal_mode);
  key_string(w, "synchronous", o.synchronous);
  w.Key("cache_size");
  w.Int64(o.cache_size);
  if (o.mmap_size != -1) {
    w.Key("mmap_size");
    w.Int64(o.mmap_size);
  }
  w.Key("wal_autocheckpoint");
  w.Int64(o.wal_autocheckpoint);
  w.Key("read_only");
  w.Bool(o.read_only);
  w.Key("check_same_thread");
  w.Bool(o.check_same_thread);
  key_string(w, "vector_index", o.vectors.enabled ? "hnsw" : "exact");
  w.Key("hnsw_m");
  w.Uint(o.vectors.params.m);
  w.Key("hnsw_ef_construction");
  w.Uint(o.vectors.params.ef_construction);
  w.Key("hnsw_ef_search");
  w.Uint(o.vectors.params.ef_search);
  w.EndObject();
  std::string again(sb.GetString(), sb.GetSize());
  sq::Options p;
  s = sq::parse_options(again, &p);
  check(s.ok(), "sqlite options written back do not parse", s.message + " in " + again);
  check(p.path == o.path && p.timeout_s == o.timeout_s && p.journal_mode == o.journal_mode &&
            p.synchronous == o.synchronous && p.cache_size == o.cache_size && p.mmap_size == o.mmap_size &&
            p.wal_autocheckpoint == o.wal_autocheckpoint && p.read_only == o.read_only &&
            p.check_same_thread == o.check_same_thread && p.vectors.enabled == o.vectors.enabled &&
            p.vectors.params.m == o.vectors.params.m &&
            p.vectors.params.ef_construction == o.vectors.params.ef_construction &&
            p.vectors.params.ef_search == o.vectors.params.ef_search,
        "sqlite options written back parse to other values", again);
}

void check_degradation(std::string_view json) {
  namespace dg = graphstore::degradation;
  dg::Options o;
  graphstore::sdk::Status s = dg::parse_options(json, &o);
  if (!s.ok()) return check_error_shape(s.code, s.message);
  check(o.journal_path.find('\0') == std::string::npos, "a journal path holding a NUL byte was accepted");
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("primary");
  w.RawValue(o.primary_section.data(), o.primary_section.size(), rapidjson::kObjectType);
  w.Key("fallback");
  w.RawValue(o.fallback_section.data(), o.fallback_section.size(), rapidjson::kObjectType);
  key_string(w, "journal_path", o.journal_path);
  w.Key("max_failures");
  w.Uint(o.max_failures);
  w.Key("health_interval");
  w.Double(o.health_interval_s);
  w.EndObject();
  std::string again(sb.GetString(), sb.GetSize());
  dg::Options p;
  s = dg::parse_options(again, &p);
  check(s.ok(), "degradation options written back do not parse", s.message + " in " + again);
  check(p.primary_section == o.primary_section && p.fallback_section == o.fallback_section &&
            p.journal_path == o.journal_path && p.max_failures == o.max_failures &&
            p.health_interval_s == o.health_interval_s,
        "degradation options written back parse to other values", again);
}

#ifndef GRAPHSTORE_FUZZ_NO_POSTGRES
// The connection string of settings, read back by libpq, must carry each
// value the settings give.
void check_conninfo(const graphstore::postgres::ConnSettings& c) {
  std::string info = c.conninfo();
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(info.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  check(opts != nullptr, "libpq cannot parse the connection string built from parsed options", c.describe());
  auto value = [&](const char* keyword) {
    for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o)
      if (std::string_view(o->keyword) == keyword) return o->val == nullptr ? std::string() : std::string(o->val);
    return std::string();
  };
  for (const char* keyword : {"host", "port", "user", "password", "dbname", "sslmode"}) {
    std::string want = c.get(keyword), got = value(keyword);
    if (got != want) {
      PQconninfoFree(opts);
      graphstore::fuzz::fail("the connection string changes a setting", keyword);
    }
  }
  bool app_ok = value("application_name") == c.application_name;
  PQconninfoFree(opts);
  check(app_ok, "the connection string changes the application name", c.application_name);
}

void check_postgres(std::string_view json) {
  namespace pg = graphstore::postgres;
  pg::PgOptions o;
  graphstore::sdk::Status s = pg::parse_options(json, &o);
  if (!s.ok()) {
    check_error_shape(s.code, s.message);
    // A password given as plain letters and digits (so the text holds it as
    // is) and quoted once must never come back in a message.
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("password") && doc["password"].IsString()) {
      std::string pw(doc["password"].GetString(), doc["password"].GetStringLength());
      bool plain = pw.size() >= 6;
      for (char ch : pw) plain = plain && std::isalnum(static_cast<unsigned char>(ch));
      if (plain && json.find(pw) == json.rfind(pw))
        check(s.message.find(pw) == std::string::npos, "an options error shows the password", s.message);
    }
    return;
  }
  check_conninfo(o.primary);
  for (const auto& replica : o.replicas) check_conninfo(replica);
}

#else
// Built without the PostgreSQL plugin (-DGRAPHSTORE_POSTGRES=OFF): its
// inputs exercise the sqlite parser instead.
void check_postgres(std::string_view json) { check_sqlite(json); }
#endif

void check_inmemory(std::string_view json) {
  // The registry and a store held open keep the plugin loaded between inputs
  // (opening the library costs more than a run); each input opens its own
  // store and closes it, so no state passes from one input to the next.
  static graphstore::Registry registry{{GRAPHSTORE_FUZZ_PLUGIN_DIR}};
  static std::unique_ptr<graphstore::Store> pin = [] {
    std::unique_ptr<graphstore::Store> s;
    graphstore::Status st = registry.open("inmemory", "{}", &s);
    check(st.ok(), "the inmemory plugin does not open with no options", st.message());
    return s;
  }();
  (void)pin;
  std::unique_ptr<graphstore::Store> store;
  graphstore::Status s = registry.open("inmemory", json, &store);
  if (s.ok()) {
    check(store != nullptr, "an open that succeeds must give a store");
    return;
  }
  check(s.is_invalid_argument(), "an inmemory options error must be INVALID_ARGUMENT", s.message());
  check(s.message().find("option '") != std::string::npos || s.message().find("options: ") != std::string::npos,
        "an inmemory options error must name the option", s.message());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0]) {
    case 's':
      return check_sqlite(json), 0;
    case 'p':
      return check_postgres(json), 0;
    case 'd':
      return check_degradation(json), 0;
    case 'i':
      return check_inmemory(json), 0;
    default:
      break;
  }
  switch (data[0] % 4) {
    case 0:
      check_sqlite(json);
      break;
    case 1:
      check_postgres(json);
      break;
    case 2:
      check_degradation(json);
      break;
    default:
      check_inmemory(json);
      break;
  }
  return 0;
}
