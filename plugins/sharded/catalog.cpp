#include "catalog.hpp"

#include <pqxx/pqxx>

#include <cstring>

namespace graphstore::sharded {
namespace {

constexpr const char* kStateNames[] = {"active", "copying", "switching"};

PlacementState parse_state(const std::string& s) {
  if (s == "copying") return PlacementState::kCopying;
  if (s == "switching") return PlacementState::kSwitching;
  return PlacementState::kActive;
}

std::string quote_ident(const std::string& name) { return "\"" + name + "\""; }  // validated by the options

// A text[] literal: every element double-quoted, '"' and '\' escaped.
std::string text_array(const std::vector<std::pair<int32_t, std::string>>& changes) {
  std::string out = "{";
  for (size_t i = 0; i < changes.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char c : changes[i].second) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string int_array(const std::vector<std::pair<int32_t, std::string>>& changes) {
  std::string out = "{";
  for (size_t i = 0; i < changes.size(); ++i) out += (i ? "," : "") + std::to_string(changes[i].first);
  return out + "}";
}

Placement row_placement(const pqxx::row& r) {
  Placement p;
  p.tenant = r[0].as<std::string>();
  p.shard = r[1].as<std::string>();
  p.state = parse_state(r[2].as<std::string>());
  p.target = r[3].is_null() ? std::string() : r[3].as<std::string>();
  p.version = r[4].as<int64_t>();
  return p;
}

// One line: libpq's messages end in newlines and may hold several.
std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

bool unavailable_sqlstate(const std::string& state) {
  return state.rfind("08", 0) == 0 || state.rfind("57P0", 0) == 0 || state == "25006" || state == "40001" ||
         state == "40P01" || state == "57014";
}

}  // namespace

const char* state_name(PlacementState state) { return kStateNames[static_cast<int>(state)]; }

std::string default_shard(std::string_view tenant, const std::vector<std::string>& shards) {
  std::string best;
  uint64_t best_hash = 0;
  for (const auto& name : shards) {
    uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&h](std::string_view bytes) {
      for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ull;
    };
    mix(name);
    mix(std::string_view("\0", 1));
    mix(tenant);
    // FNV-1a alone barely spreads inputs that differ in their first bytes
    // (the shard names): a 64-bit finalizer (splitmix64's) does.
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    if (best.empty() || h > best_hash) best = name, best_hash = h;
  }
  return best;
}

struct Catalog::Connection {
  explicit Connection(const std::string& dsn) : conn(dsn) {}
  pqxx::connection conn;
};

Catalog::Catalog(std::string dsn, std::string schema) : dsn_(std::move(dsn)), schema_(quote_ident(schema)) {}
Catalog::~Catalog() = default;

sdk::Status Catalog::open(std::string dsn, std::string schema, std::unique_ptr<Catalog>* out) {
  std::unique_ptr<Catalog> c(new Catalog(std::move(dsn), std::move(schema)));
  const std::string& s = c->schema_;
  sdk::Status st = c->run("creating its tables", [&](pqxx::work& tx) {
    // Any constant: processes opening the same catalog together take turns.
    tx.exec("SELECT pg_advisory_xact_lock(7262518150)");
    tx.exec("CREATE SCHEMA IF NOT EXISTS " + s);
    tx.exec("CREATE SEQUENCE IF NOT EXISTS " + s + ".placement_version");
    tx.exec("CREATE TABLE IF NOT EXISTS " + s +
            ".placement (tenant_id text COLLATE \"C\" PRIMARY KEY, shard text NOT NULL, "
            "state text NOT NULL CHECK (state IN ('active', 'copying', 'switching')), target text, "
            "version bigint NOT NULL)");
    tx.exec("CREATE INDEX IF NOT EXISTS placement_by_version ON " + s + ".placement (version)");
    tx.exec("CREATE TABLE IF NOT EXISTS " + s +
            ".move_changes (seq bigserial PRIMARY KEY, tenant_id text COLLATE \"C\" NOT NULL, "
            "kind smallint NOT NULL, id text NOT NULL)");
    tx.exec("CREATE INDEX IF NOT EXISTS move_changes_by_tenant ON " + s + ".move_changes (tenant_id, seq)");
  });
  if (!st.ok()) return st;
  *out = std::move(c);
  return sdk::Status::Ok();
}

void Catalog::connect_locked() {
  if (conn_ && conn_->conn.is_open()) return;
  conn_.reset();
  conn_ = std::make_unique<Connection>(dsn_);  // throws pqxx::broken_connection, handled by run()
}

template <class Fn>
sdk::Status Catalog::run(const char* what, Fn fn) {
  std::lock_guard lock(mutex_);
  try {
    connect_locked();
    pqxx::work tx(conn_->conn);
    fn(tx);
    tx.commit();
    return sdk::Status::Ok();
  } catch (const pqxx::broken_connection& e) {
    conn_.reset();
    return sdk::make_error(GS_UNAVAILABLE, std::string("placement catalog: ") + what + ": " + one_line(e.what()));
  } catch (const pqxx::sql_error& e) {
    bool transient = unavailable_sqlstate(e.sqlstate());
    if (transient) conn_.reset();
    return sdk::make_error(transient ? GS_UNAVAILABLE : GS_INTERNAL,
                           std::string("placement catalog: ") + what + ": " + one_line(e.what()));
  } catch (const sdk::Error& e) {
    return sdk::make_error(e.code(), std::string("placement catalog: ") + what + ": " + e.what());
  } catch (const std::exception& e) {
    conn_.reset();
    return sdk::make_error(GS_INTERNAL, std::string("placement catalog: ") + what + ": " + one_line(e.what()));
  }
}

namespace {
constexpr const char* kColumns = "tenant_id, shard, state, target, version";

// Every transaction that takes a version holds this lock until it commits, so
// versions become visible in their order and a reader that has seen version
// v has seen every version below it (changed_since relies on it).
void serialize_versions(pqxx::work& tx) { tx.exec("SELECT pg_advisory_xact_lock(7262518151)"); }
}  // namespace

sdk::Status Catalog::lookup(std::string_view tenant, std::optional<Placement>* out) {
  return run("reading a placement", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(std::string("SELECT ") + kColumns + " FROM " + schema_ +
                                        ".placement WHERE tenant_id = $1",
                                    std::string(tenant));
    if (r.empty())
      out->reset();
    else
      *out = row_placement(r[0]);
  });
}

sdk::Status Catalog::place(std::string_view tenant, std::string_view shard, Placement* out) {
  return run("placing a tenant", [&](pqxx::work& tx) {
    serialize_versions(tx);
    tx.exec_params("INSERT INTO " + schema_ +
                       ".placement (tenant_id, shard, state, version) VALUES ($1, $2, 'active', nextval('" + schema_ +
                       ".placement_version')) ON CONFLICT (tenant_id) DO NOTHING",
                   std::string(tenant), std::string(shard));
    pqxx::result r = tx.exec_params(std::string("SELECT ") + kColumns + " FROM " + schema_ +
                                        ".placement WHERE tenant_id = $1",
                                    std::string(tenant));
    *out = row_placement(r.at(0));
  });
}

sdk::Status Catalog::changed_since(int64_t version, std::vector<Placement>* out) {
  return run("reading placement changes", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(std::string("SELECT ") + kColumns + " FROM " + schema_ +
                                        ".placement WHERE version > $1 ORDER BY version",
                                    version);
    out->clear();
    for (const auto& row : r) out->push_back(row_placement(row));
  });
}

sdk::Status Catalog::max_version(int64_t* out) {
  return run("reading placement versions", [&](pqxx::work& tx) {
    *out = tx.exec("SELECT coalesce(max(version), 0) FROM " + schema_ + ".placement").at(0)[0].as<int64_t>();
  });
}

sdk::Status Catalog::all(std::vector<Placement>* out) {
  return run("reading placements", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec(std::string("SELECT ") + kColumns + " FROM " + schema_ + ".placement ORDER BY tenant_id");
    out->clear();
    for (const auto& row : r) out->push_back(row_placement(row));
  });
}

namespace {
// Why a state change did not apply: the tenant's current placement.
std::string describe(pqxx::work& tx, const std::string& schema, std::string_view tenant) {
  pqxx::result r = tx.exec_params(std::string("SELECT ") + kColumns + " FROM " + schema +
                                      ".placement WHERE tenant_id = $1",
                                  std::string(tenant));
  if (r.empty()) return "it has no placement";
  Placement p = row_placement(r[0]);
  std::string out = "it is " + std::string(state_name(p.state)) + " on shard '" + p.shard + "'";
  if (!p.target.empty()) out += " towards '" + p.target + "'";
  return out;
}
}  // namespace

sdk::Status Catalog::begin_move(std::string_view tenant, std::string_view source, std::string_view target) {
  return run("starting a move", [&](pqxx::work& tx) {
    serialize_versions(tx);
    pqxx::result r = tx.exec_params("UPDATE " + schema_ + ".placement SET state = 'copying', target = $3, version = " +
                                        "nextval('" + schema_ +
                                        ".placement_version') WHERE tenant_id = $1 AND shard = $2 AND state = 'active'",
                                    std::string(tenant), std::string(source), std::string(target));
    if (r.affected_rows() != 1)
      throw sdk::Error(GS_INVALID_ARGUMENT, "cannot move tenant from shard '" + std::string(source) +
                                                "': " + describe(tx, schema_, tenant));
    tx.exec_params("DELETE FROM " + schema_ + ".move_changes WHERE tenant_id = $1", std::string(tenant));
  });
}

sdk::Status Catalog::set_switching(std::string_view tenant) {
  return run("switching a move", [&](pqxx::work& tx) {
    serialize_versions(tx);
    pqxx::result r = tx.exec_params("UPDATE " + schema_ + ".placement SET state = 'switching', version = nextval('" +
                                        schema_ + ".placement_version') WHERE tenant_id = $1 AND state = 'copying'",
                                    std::string(tenant));
    if (r.affected_rows() != 1)
      throw sdk::Error(GS_INVALID_ARGUMENT, "cannot switch the move: " + describe(tx, schema_, tenant));
  });
}

sdk::Status Catalog::finish_move(std::string_view tenant) {
  return run("finishing a move", [&](pqxx::work& tx) {
    serialize_versions(tx);
    pqxx::result r = tx.exec_params("UPDATE " + schema_ +
                                        ".placement SET shard = target, target = NULL, state = 'active', version = "
                                        "nextval('" +
                                        schema_ + ".placement_version') WHERE tenant_id = $1 AND state = 'switching'",
                                    std::string(tenant));
    if (r.affected_rows() != 1)
      throw sdk::Error(GS_INVALID_ARGUMENT, "cannot finish the move: " + describe(tx, schema_, tenant));
    tx.exec_params("DELETE FROM " + schema_ + ".move_changes WHERE tenant_id = $1", std::string(tenant));
  });
}

sdk::Status Catalog::abort_move(std::string_view tenant) {
  return run("abandoning a move", [&](pqxx::work& tx) {
    serialize_versions(tx);
    tx.exec_params("UPDATE " + schema_ + ".placement SET target = NULL, state = 'active', version = nextval('" +
                       schema_ + ".placement_version') WHERE tenant_id = $1 AND state <> 'active'",
                   std::string(tenant));
    tx.exec_params("DELETE FROM " + schema_ + ".move_changes WHERE tenant_id = $1", std::string(tenant));
  });
}

sdk::Status Catalog::log_changes(std::string_view tenant, const std::vector<std::pair<int32_t, std::string>>& changes) {
  if (changes.empty()) return sdk::Status::Ok();
  return run("logging a moving tenant's write", [&](pqxx::work& tx) {
    tx.exec_params("INSERT INTO " + schema_ +
                       ".move_changes (tenant_id, kind, id) SELECT $1, k, i FROM unnest($2::smallint[], $3::text[]) "
                       "AS u(k, i)",
                   std::string(tenant), int_array(changes), text_array(changes));
  });
}

sdk::Status Catalog::read_changes(std::string_view tenant, int64_t after_seq, size_t limit, std::vector<Change>* out) {
  return run("reading a moving tenant's writes", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params("SELECT seq, kind, id FROM " + schema_ +
                                        ".move_changes WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                                    std::string(tenant), after_seq, static_cast<int64_t>(limit));
    out->clear();
    for (const auto& row : r) out->push_back({row[0].as<int64_t>(), row[1].as<int32_t>(), row[2].as<std::string>()});
  });
}

}  // namespace graphstore::sharded
