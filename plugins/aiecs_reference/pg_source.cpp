// The reference's PostgreSQL tables (AIECS_API.md §3.3, §4.5): the shared
// `graph_entities`/`graph_relations` of one schema (tenant_id '' = global;
// legacy tables without tenant_id hold the global namespace only), with or
// without row-level security, and the separate mode's schemas `tenant_{tid}`
// holding tables of the same names. Every read runs in a READ ONLY
// transaction; values are bound ($n), identifiers validated and quoted.
#include <algorithm>
#include <map>
#include <pqxx/pqxx>
#include <set>

#include "decode.hpp"
#include "graphstore/levenshtein.hpp"
#include "graphstore/tenant.hpp"
#include "source.hpp"

namespace graphstore::aiecs_reference {
namespace {

using sdk::Error;

bool valid_identifier(std::string_view name) {
  if (name.empty() || name.size() > 63 || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string quote_ident(std::string_view name) { return "\"" + std::string(name) + "\""; }

// Where one namespace's rows live: a schema's two tables (empty: none) and
// whether rows are told apart by tenant_id.
struct Place {
  std::string schema;
  bool entities = false, relations = false;
  bool by_tenant_column = false;
  std::string table(const char* name) const { return quote_ident(schema) + "." + name; }
};

class PgSource final : public Source {
 public:
  explicit PgSource(const Options& options) : conn_options_(*options.pg), schema_(options.schema) {
    if (!valid_identifier(schema_))
      throw Error(GS_INVALID_ARGUMENT, "option 'schema': " + sdk::quoted_prefix(schema_) +
                                           " is not an identifier (1 to 63 letters, digits and '_')");
    guarded([&] {
      connect();
      read_layout(options);
      return 0;
    });
  }

  const std::vector<std::string>& tenants() const override { return tenants_; }

  bool get_entity(std::string_view tenant, std::string_view id, sdk::OwnedEntity* out) override {
    return guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || !p->entities) return false;
      pqxx::read_transaction tx(conn());
      set_rls_tenant(tx, *p, tenant);
      pqxx::result r = tx.exec_params("SELECT " + entity_columns() + " FROM " + p->table("graph_entities") +
                                          " t WHERE t.id = $1" + tenant_clause(*p, "t", 2) + " LIMIT 1",
                                      std::string(id), std::string(tenant));
      if (r.empty()) return false;
      read_entity(r[0], tenant, out);
      return true;
    });
  }

  bool get_relation(std::string_view tenant, std::string_view id, sdk::OwnedRelation* out) override {
    return guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || !p->relations || !p->entities) return false;
      pqxx::read_transaction tx(conn());
      set_rls_tenant(tx, *p, tenant);
      pqxx::result r = tx.exec_params("SELECT " + relation_columns() + " FROM " + p->table("graph_relations") +
                                          " r WHERE r.id = $1" + tenant_clause(*p, "r", 2) + " AND " +
                                          endpoints_exist(*p) + " LIMIT 1",
                                      std::string(id), std::string(tenant));
      if (r.empty()) return false;
      read_relation(r[0], tenant, out);
      return true;
    });
  }

  void scan_entities(std::string_view tenant, std::string_view type, std::string_view after_id, uint64_t limit,
                     const EntityFn& fn) override {
    scan(tenant, type, after_id, limit, false, [&](const pqxx::row& row) {
      sdk::OwnedEntity e;
      read_entity(row, tenant, &e);
      return fn(e);
    });
  }

  void scan_relations(std::string_view tenant, std::string_view type, std::string_view after_id, uint64_t limit,
                      const RelationFn& fn) override {
    scan(tenant, type, after_id, limit, true, [&](const pqxx::row& row) {
      sdk::OwnedRelation r;
      read_relation(row, tenant, &r);
      return fn(r);
    });
  }

  void relations_at(std::string_view tenant, std::string_view id, bool at_source, std::string_view type,
                    const RelationFn& fn) override {
    guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || !p->relations || !p->entities) return 0;
      pqxx::read_transaction tx(conn());
      set_rls_tenant(tx, *p, tenant);
      std::string end = at_source ? "r.source_id" : "r.target_id";
      pqxx::result res = tx.exec_params("SELECT " + relation_columns() + " FROM " + p->table("graph_relations") +
                                            " r WHERE " + end + " = $1 AND ($2 = '' OR r.relation_type = $2)" +
                                            tenant_clause(*p, "r", 3) + " AND " + endpoints_exist(*p),
                                        std::string(id), std::string(type), std::string(tenant));
      tx.commit();
      sdk::OwnedRelation r;
      for (const auto& row : res) {
        read_relation(row, tenant, &r);
        if (!fn(r)) break;
      }
      return 0;
    });
  }

  void count_types(std::string_view tenant, bool relations, const TypeCountFn& fn) override {
    guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || !p->entities || (relations && !p->relations)) return 0;
      const char* alias = relations ? "r" : "t";
      std::string type_col = relations ? "r.relation_type" : "t.entity_type";
      pqxx::read_transaction tx(conn());
      set_rls_tenant(tx, *p, tenant);
      // The rows the scans read: no empty id, no dangling relation.
      pqxx::result res = tx.exec_params("SELECT " + type_col + ", COUNT(*) FROM " +
                                            p->table(relations ? "graph_relations" : "graph_entities") + " " + alias +
                                            " WHERE " + alias + ".id <> ''" + tenant_clause(*p, alias, 1) +
                                            (relations ? " AND " + endpoints_exist(*p) : std::string()) + " GROUP BY 1",
                                        std::string(tenant));
      tx.commit();
      for (const auto& row : res) fn(row[0].as<std::string>(), row[1].as<uint64_t>());
      return 0;
    });
  }

  void describe(StateLines* out) const override {
    out->emplace_back("source", "postgresql " + conn_options_.describe() + ", schema " + schema_);
    out->emplace_back("layout", layout_);
    std::string names;
    for (size_t i = 0; i < tenants_.size() && i < 20; ++i) names += (i ? ", " : "") + tenants_[i];
    if (tenants_.size() > 20) names += ", ...";
    out->emplace_back("tenants", std::to_string(tenants_.size()) + (names.empty() ? "" : ": " + names));
    for (const auto& line : notes_) out->push_back(line);
  }

 private:
  // Runs f, turning libpqxx's exceptions into statuses. A broken
  // connection is dropped, and the next call connects again.
  template <class F>
  auto guarded(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const pqxx::broken_connection& e) {
      conn_.reset();
      throw Error(GS_UNAVAILABLE, "PostgreSQL " + conn_options_.describe() + ": " + scrub(e.what()));
    } catch (const pqxx::sql_error& e) {
      const std::string& state = e.sqlstate();
      gs_status st = state == "42501" || state.rfind("28", 0) == 0            ? GS_PERMISSION_DENIED
                     : state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0 ? GS_UNAVAILABLE
                                                                              : GS_INTERNAL;
      throw Error(st, "PostgreSQL " + conn_options_.describe() + ": " + scrub(e.what()));
    } catch (const pqxx::failure& e) {
      conn_.reset();
      throw Error(GS_UNAVAILABLE, "PostgreSQL " + conn_options_.describe() + ": " + scrub(e.what()));
    }
  }

  std::string scrub(std::string text) const {
    const std::string& secret = conn_options_.password;
    if (secret.size() >= 3)
      for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  void connect() { conn_ = std::make_unique<pqxx::connection>(conn_options_.conninfo()); }

  pqxx::connection& conn() {
    if (!conn_ || !conn_->is_open()) connect();
    return *conn_;
  }

  const Place* place(std::string_view tenant) const {
    auto it = places_.find(std::string(tenant));
    return it == places_.end() ? nullptr : &it->second;
  }

  // Under row-level security that applies to this user, the reference's
  // policy shows a tenant's rows (and the global ones) only once
  // app.current_tenant_id names it; the explicit tenant_id predicate still
  // selects the namespace.
  void set_rls_tenant(pqxx::transaction_base& tx, const Place& p, std::string_view tenant) {
    if (rls_applies_ && p.by_tenant_column)
      tx.exec_params("SELECT set_config('app.current_tenant_id', $1, true)", std::string(tenant));
  }

  // " AND alias.tenant_id = $n" for the shared tables; the parameter is
  // always passed (unused for a schema of its own).
  static std::string tenant_clause(const Place& p, const char* alias, int n) {
    if (!p.by_tenant_column) return " AND $" + std::to_string(n) + "::text IS NOT NULL";
    return std::string(" AND ") + alias + ".tenant_id = $" + std::to_string(n);
  }

  static std::string endpoints_exist(const Place& p) {
    std::string e = p.table("graph_entities");
    std::string same = p.by_tenant_column ? " AND e.tenant_id = r.tenant_id" : "";
    // An empty id is no entity graphstore holds (the reference accepted it).
    return "r.source_id <> '' AND r.target_id <> '' AND EXISTS (SELECT 1 FROM " + e + " e WHERE e.id = r.source_id" +
           same + ") AND EXISTS (SELECT 1 FROM " + e + " e WHERE e.id = r.target_id" + same + ")";
  }

  static std::string epoch_us(const char* alias, const char* column) {
    return std::string("(EXTRACT(EPOCH FROM ") + alias + "." + column + ") * 1000000)::bigint";
  }

  static std::string entity_columns() {
    return "t.id, t.entity_type, t.properties::text, t.embedding, " + epoch_us("t", "created_at") + ", " +
           epoch_us("t", "updated_at");
  }
  static std::string relation_columns() {
    // weight is REAL (float4): its text is the shortest that reads back as
    // the same float4, so 0.8 comes back as 0.8, not 0.800000011920929.
    return "r.id, r.relation_type, r.source_id, r.target_id, r.properties::text, r.weight::text, " +
           epoch_us("r", "created_at") + ", " + epoch_us("r", "updated_at");
  }

  // One scan's next rows: a scan fetches more than its caller takes, and
  // the next call of the same scan (the migration's and the export's pages,
  // each starting after the last id of the previous one) is served from
  // here, so the table is sorted once per chunk instead of once per page.
  struct Chunk {
    bool relations = false;
    std::string tenant, type;
    std::string after;  // the last id passed: the scan continues after it
    pqxx::result rows;  // in id order
    size_t next = 0;    // the first row not yet passed
    bool last = true;   // rows reach the end of the scan
    bool valid = false;
  };

  // How many rows to fetch for a caller that wants `want`: a few pages
  // ahead, at most 20,000 rows and about 64 MB (from the last chunk's size).
  uint64_t chunk_rows(uint64_t want) const {
    if (want <= 100) return want;  // a lookup (list_tenants asks for one row), not a pass
    uint64_t rows = std::clamp<uint64_t>(want > UINT64_MAX / 4 ? UINT64_MAX : want * 4, 1000, 20000);
    if (row_bytes_ > 0) rows = std::min<uint64_t>(rows, std::max<uint64_t>((uint64_t(64) << 20) / row_bytes_, 100));
    return std::max<uint64_t>(std::min<uint64_t>(rows, 20000), std::min<uint64_t>(want, 100));
  }

  template <class RowFn>
  void scan(std::string_view tenant, std::string_view type, std::string_view after_id, uint64_t limit, bool relations,
            const RowFn& fn) {
    guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || !p->entities || (relations && !p->relations)) return 0;
      // Bytewise id order (COLLATE "C", the ABI's scan order, whatever the
      // database's collation).
      const char* alias = relations ? "r" : "t";
      std::string type_col = relations ? "r.relation_type" : "t.entity_type";
      std::string sql = "SELECT " + (relations ? relation_columns() : entity_columns()) + " FROM " +
                        p->table(relations ? "graph_relations" : "graph_entities") + " " + alias + " WHERE " + alias +
                        ".id COLLATE \"C\" > $1 AND ($2 = '' OR " + type_col + " = $2)" + tenant_clause(*p, alias, 3) +
                        (relations ? " AND " + endpoints_exist(*p) : std::string()) + " ORDER BY " + alias +
                        ".id COLLATE \"C\" LIMIT $4";
      bool continues = chunk_.valid && chunk_.relations == relations && chunk_.tenant == tenant &&
                       chunk_.type == type && chunk_.after == after_id;
      if (!continues) {
        chunk_ = Chunk{};
        chunk_.relations = relations;
        chunk_.tenant = tenant;
        chunk_.type = type;
        chunk_.after = after_id;
      }
      uint64_t passed = 0;
      while (true) {
        if (!chunk_.valid || (chunk_.next >= chunk_.rows.size() && !chunk_.last)) {
          const uint64_t rows = chunk_rows(limit - passed);
          pqxx::read_transaction tx(conn());
          set_rls_tenant(tx, *p, tenant);
          chunk_.rows =
              tx.exec_params(sql, chunk_.after, std::string(type), std::string(tenant), static_cast<int64_t>(rows));
          tx.commit();
          chunk_.next = 0;
          chunk_.last = chunk_.rows.size() < rows;
          chunk_.valid = true;
          size_t bytes = 0;
          for (const auto& row : chunk_.rows)
            for (const auto& field : row) bytes += field.size() + 16;
          if (!chunk_.rows.empty()) row_bytes_ = bytes / chunk_.rows.size();
        }
        while (chunk_.next < chunk_.rows.size()) {
          pqxx::row row = chunk_.rows[static_cast<pqxx::result::size_type>(chunk_.next++)];
          chunk_.after = row[0].as<std::string>();
          if (!fn(row) || ++passed >= limit) return 0;
        }
        if (chunk_.last) return 0;
      }
    });
  }

  static gs_time_us time_of(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }

  void read_entity(const pqxx::row& row, std::string_view tenant, sdk::OwnedEntity* e) {
    e->id = row[0].as<std::string>();
    std::string what = record_name("entity", tenant, e->id);
    e->entity_type = row[1].as<std::string>();
    decode_properties(row[2].c_str(), row[2].size(), row[2].is_null(), what, &e->properties_json);
    if (row[3].is_null()) {
      e->embedding.clear();
    } else {
      pqxx::binarystring blob(row[3]);
      decode_embedding(blob.data(), blob.size(), what, &e->embedding);
    }
    e->created_at = time_of(row[4]);
    e->updated_at = row[5].is_null() ? e->created_at : time_of(row[5]);
    e->source.reset();
    e->tenant_id = std::string(tenant);
  }

  void read_relation(const pqxx::row& row, std::string_view tenant, sdk::OwnedRelation* r) {
    r->id = row[0].as<std::string>();
    std::string what = record_name("relation", tenant, r->id);
    r->relation_type = row[1].as<std::string>();
    r->source_id = row[2].as<std::string>();
    r->target_id = row[3].as<std::string>();
    decode_properties(row[4].c_str(), row[4].size(), row[4].is_null(), what, &r->properties_json);
    // A stored 0.0 stays 0.0 (the reference read it back as 1.0).
    r->weight = row[5].is_null() ? 1.0 : row[5].as<double>();
    r->created_at = time_of(row[6]);
    r->updated_at = row[7].is_null() ? r->created_at : time_of(row[7]);
    r->source.reset();
    r->tenant_id = std::string(tenant);
  }

  std::set<std::string> columns_of(pqxx::transaction_base& tx, const std::string& schema, const char* table) {
    std::set<std::string> cols;
    for (const auto& row :
         tx.exec_params("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND "
                        "table_name = $2",
                        schema, std::string(table)))
      cols.insert(row[0].as<std::string>());
    return cols;
  }

  // The place of a schema's tables, checking they have the reference's
  // columns.
  Place place_of(pqxx::transaction_base& tx, const std::string& schema) {
    Place p;
    p.schema = schema;
    auto ecols = columns_of(tx, schema, "graph_entities");
    auto rcols = columns_of(tx, schema, "graph_relations");
    for (const char* c : {"id", "entity_type", "properties", "embedding", "created_at", "updated_at"})
      if (!ecols.empty() && !ecols.count(c))
        throw Error(GS_INVALID_ARGUMENT, "table " + quote_ident(schema) + ".graph_entities has no column " + c +
                                             ": not a table of the reference's schema");
    for (const char* c :
         {"id", "relation_type", "source_id", "target_id", "properties", "weight", "created_at", "updated_at"})
      if (!rcols.empty() && !rcols.count(c))
        throw Error(GS_INVALID_ARGUMENT, "table " + quote_ident(schema) + ".graph_relations has no column " + c +
                                             ": not a table of the reference's schema");
    p.entities = !ecols.empty();
    p.relations = !rcols.empty();
    p.by_tenant_column = ecols.count("tenant_id") > 0 && (rcols.empty() || rcols.count("tenant_id") > 0);
    return p;
  }

  void read_layout(const Options& options) {
    pqxx::read_transaction tx(conn());
    Place global = place_of(tx, schema_);
    std::map<std::string, std::string> separate;  // tenant as its schema names it -> schema
    for (const auto& row : tx.exec("SELECT n.nspname FROM pg_namespace n WHERE n.nspname LIKE 'tenant\\_%' AND "
                                   "to_regclass(quote_ident(n.nspname) || '.graph_entities') IS NOT NULL ORDER BY 1")) {
      std::string schema = row[0].as<std::string>();
      if (schema == schema_) continue;
      separate[schema.substr(7)] = schema;
    }
    if (!global.entities && separate.empty())
      throw Error(GS_INVALID_ARGUMENT, "PostgreSQL " + conn_options_.describe() + ": schema " + schema_ +
                                           " holds no table graph_entities and no tenant_<id> schema does: not a "
                                           "database of the reference's PostgresGraphStore");
    if (global.entities) {
      pqxx::result rls = tx.exec_params(
          "SELECT c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) = current_user, "
          "r.rolsuper, r.rolbypassrls FROM pg_class c, pg_roles r WHERE c.oid = to_regclass($1) AND "
          "r.rolname = current_user",
          global.table("graph_entities"));
      if (!rls.empty()) {
        bool enabled = rls[0][0].as<bool>(), forced = rls[0][1].as<bool>(), owner = rls[0][2].as<bool>();
        bool bypass = rls[0][3].as<bool>() || rls[0][4].as<bool>();
        rls_enabled_ = enabled;
        rls_applies_ = enabled && !bypass && (!owner || forced);
      }
    }
    places_[""] = global;
    std::set<std::string> shared;
    if (global.by_tenant_column && options.tenants.empty()) {
      if (rls_applies_)
        throw Error(GS_INVALID_ARGUMENT,
                    "PostgreSQL " + conn_options_.describe() + ": " + global.table("graph_entities") +
                        " has row-level security that applies to this user, so its tenants cannot be listed: "
                        "name them with option 'tenants', or connect as a superuser or a role with BYPASSRLS");
      for (const char* t : {"graph_entities", "graph_relations"}) {
        if (std::string(t) == "graph_relations" && !global.relations) continue;
        for (const auto& row : tx.exec("SELECT DISTINCT tenant_id FROM " + global.table(t) + " WHERE tenant_id <> ''"))
          shared.insert(row[0].as<std::string>());
      }
    }
    if (!options.tenants.empty()) {
      for (const auto& t : options.tenants) {
        // PostgreSQL folded the reference's unquoted schema name to lower
        // case, after the reference wrote '-' as '_'.
        std::string key = sdk::ascii_lower(t);
        std::replace(key.begin(), key.end(), '-', '_');
        auto it = separate.find(key);
        if (it != separate.end()) {
          places_[t] = place_of(tx, it->second);
        } else {
          Place p = global;
          if (!p.by_tenant_column) p = Place{};
          places_[t] = p;
        }
        tenants_.push_back(t);
      }
    } else {
      for (const auto& t : shared) {
        if (!sdk::valid_tenant(t))
          throw Error(GS_INVALID_ARGUMENT, global.table("graph_entities") + " holds " + sdk::invalid_tenant_message(t) +
                                               "; name the tenants to read with option 'tenants'");
        if (separate.count(t))
          throw Error(GS_INVALID_ARGUMENT, "tenant " + sdk::quoted_prefix(t) + " has rows in " +
                                               global.table("graph_entities") + " and a schema of its own " +
                                               quote_ident(separate[t]) +
                                               " (the store ran in both isolation modes): which rows are current "
                                               "cannot be told; move one set of rows into the other first");
        places_[t] = global;
      }
      for (const auto& [tid, schema] : separate) {
        if (!sdk::valid_tenant(tid))
          throw Error(GS_INVALID_ARGUMENT,
                      "schema " + quote_ident(schema) + " names " + sdk::invalid_tenant_message(tid));
        places_[tid] = place_of(tx, schema);
      }
      for (const auto& [t, p] : places_)
        if (!t.empty()) tenants_.push_back(t);
    }
    layout_ = global.entities ? (global.by_tenant_column ? "shared tables " + schema_ +
                                                               ".graph_entities/graph_relations "
                                                               "(tenant_id '': global)"
                                                         : "legacy tables " + schema_ +
                                                               ".graph_entities/graph_relations without tenant_id "
                                                               "(global only)")
                              : std::string("no shared tables");
    if (rls_enabled_)
      layout_ += rls_applies_ ? ", row-level security (applies: read per tenant with app.current_tenant_id)"
                              : ", row-level security (bypassed by this user)";
    if (!separate.empty()) {
      layout_ += "; " + std::to_string(separate.size()) + " tenant schemas (tenant_<id>)";
      notes_.emplace_back("note.tenant_names",
                          "tenants of separate-mode schemas are named after their schemas: the reference wrote '-' as "
                          "'_' and PostgreSQL lower-cased the name, so 'Acme-Corp' reads as 'acme_corp' (the original "
                          "cannot be recovered); name the tenants with option 'tenants' to keep their original ids");
    }
    notes_.emplace_back("note.not_stored",
                        "the reference never stored the records' own created_at, updated_at and source: created_at "
                        "and updated_at are the database's insertion and update times (its TIMESTAMP columns, read as "
                        "UTC), source is empty");
    int64_t dangling = 0;
    for (const auto& [t, p] : places_) {
      if (!p.relations || (p.by_tenant_column && !t.empty())) continue;  // shared tables: counted once, below
      if (!p.entities) continue;
      set_rls_tenant(tx, p, t);
      std::string where = p.by_tenant_column && rls_applies_ ? " AND r.tenant_id = ''" : "";
      dangling += tx.exec("SELECT COUNT(*) FROM " + p.table("graph_relations") + " r WHERE NOT (" + endpoints_exist(p) +
                          ")" + where)[0][0]
                      .as<int64_t>();
    }
    int64_t empty_ids = 0;
    for (const auto& [t, p] : places_) {
      if ((p.by_tenant_column && !t.empty()) || !p.entities) continue;
      set_rls_tenant(tx, p, t);
      for (const char* table : {"graph_entities", "graph_relations"})
        if (std::string(table) == "graph_entities" || p.relations)
          empty_ids += tx.exec("SELECT COUNT(*) FROM " + p.table(table) + " WHERE id = ''")[0][0].as<int64_t>();
    }
    if (empty_ids > 0)
      notes_.emplace_back("note.empty_ids", std::to_string(empty_ids) +
                                                " records have an empty id (the reference accepted it; graphstore "
                                                "cannot hold it): they are not read");
    if (dangling > 0)
      notes_.emplace_back("note.dangling_relations",
                          std::to_string(dangling) +
                              " relations name a source or target entity that is not in their namespace: they are "
                              "not read (graphstore keeps no relation without its two endpoints)");
  }

  PgConnection conn_options_;
  std::string schema_;
  std::unique_ptr<pqxx::connection> conn_;
  bool rls_enabled_ = false, rls_applies_ = false;
  Chunk chunk_;
  size_t row_bytes_ = 0;                 // the average size of the last chunk's rows
  std::map<std::string, Place> places_;  // tenant ("" global) -> its tables
  std::vector<std::string> tenants_;     // sorted (from a std::map or the sorted option)
  std::string layout_;
  StateLines notes_;
};

}  // namespace

std::unique_ptr<Source> open_pg_source(const Options& options) { return std::make_unique<PgSource>(options); }

}  // namespace graphstore::aiecs_reference
