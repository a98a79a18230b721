// The reference's SQLite file (AIECS_API.md §3.2): the base tables
// `entities`/`relations` (shared mode, tenant_id NULL = global; legacy files
// have no tenant_id and hold the global namespace only) and, in separate
// mode, `tenant_{tid}_entities`/`tenant_{tid}_relations` in the same file.
// Opened read-only; every value is bound, every identifier comes from
// sqlite_master and is quoted.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "decode.hpp"
#include "graphstore/levenshtein.hpp"
#include "graphstore/tenant.hpp"
#include "source.hpp"

namespace graphstore::aiecs_reference {
namespace {

using sdk::Error;

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// Where one namespace's rows live: its two tables (empty: none) and whether
// rows are told apart by tenant_id.
struct Place {
  std::string entities, relations;
  bool by_tenant_column = false;
};

class SqliteSource final : public Source {
 public:
  explicit SqliteSource(const Options& options) : path_(options.sqlite_path), db_(open_db(options.sqlite_path)) {
    guarded([&] { read_layout(options); });
  }

  const std::vector<std::string>& tenants() const override { return tenants_; }

  bool get_entity(std::string_view tenant, std::string_view id, sdk::OwnedEntity* out) override {
    return guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || p->entities.empty()) return false;
      SQLite::Statement q(db_, "SELECT " + entity_columns(p->entities) + " FROM " + quote_ident(p->entities) +
                                   " t WHERE t.id = ?" + tenant_clause(*p, "t") + " ORDER BY t.rowid LIMIT 1");
      q.bind(1, std::string(id));
      bind_tenant(q, 2, *p, tenant);
      if (!q.executeStep()) return false;
      read_entity(q, tenant, out);
      return true;
    });
  }

  bool get_relation(std::string_view tenant, std::string_view id, sdk::OwnedRelation* out) override {
    return guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || p->relations.empty() || p->entities.empty()) return false;
      SQLite::Statement q(db_, "SELECT " + relation_columns(p->relations) + " FROM " + quote_ident(p->relations) +
                                   " r WHERE r.id = ?" + tenant_clause(*p, "r") + " AND " + endpoints_exist(*p) +
                                   " ORDER BY r.rowid LIMIT 1");
      q.bind(1, std::string(id));
      bind_tenant(q, 2, *p, tenant);
      if (!q.executeStep()) return false;
      read_relation(q, tenant, out);
      return true;
    });
  }

  void scan_entities(std::string_view tenant, std::string_view type, std::string_view after_id,
                     uint64_t /*limit: SQLite steps lazily*/, const EntityFn& fn) override {
    guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || p->entities.empty()) return 0;
      SQLite::Statement q(db_, "SELECT " + entity_columns(p->entities) + " FROM " + quote_ident(p->entities) +
                                   " t WHERE t.id > ? AND (? = '' OR +t.entity_type = ?)" +
                                   tenant_clause(*p, "t", true) + " ORDER BY t.id, t.rowid");
      bind_scan(q, *p, tenant, type, after_id);
      std::string last;
      bool first = true;
      sdk::OwnedEntity e;
      while (q.executeStep()) {
        std::string id = q.getColumn(0).getString();
        if (!first && id == last) continue;  // a repeated global id: the first row counts
        first = false;
        read_entity(q, tenant, &e);
        last = std::move(id);
        if (!fn(e)) break;
      }
      return 0;
    });
  }

  void scan_relations(std::string_view tenant, std::string_view type, std::string_view after_id,
                      uint64_t /*limit: SQLite steps lazily*/, const RelationFn& fn) override {
    guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || p->relations.empty() || p->entities.empty()) return 0;
      SQLite::Statement q(db_, "SELECT " + relation_columns(p->relations) + " FROM " + quote_ident(p->relations) +
                                   " r WHERE r.id > ? AND (? = '' OR +r.relation_type = ?)" +
                                   tenant_clause(*p, "r", true) + " AND " + endpoints_exist(*p) +
                                   " ORDER BY r.id, r.rowid");
      bind_scan(q, *p, tenant, type, after_id);
      std::string last;
      bool first = true;
      sdk::OwnedRelation r;
      while (q.executeStep()) {
        std::string id = q.getColumn(0).getString();
        if (!first && id == last) continue;
        first = false;
        read_relation(q, tenant, &r);
        last = std::move(id);
        if (!fn(r)) break;
      }
      return 0;
    });
  }

  void relations_at(std::string_view tenant, std::string_view id, bool at_source, std::string_view type,
                    const RelationFn& fn) override {
    guarded([&] {
      const Place* p = place(tenant);
      if (p == nullptr || p->relations.empty() || p->entities.empty()) return 0;
      std::string end = at_source ? "r.source_id" : "r.target_id";
      SQLite::Statement q(db_, "SELECT " + relation_columns(p->relations) + " FROM " + quote_ident(p->relations) +
                                   " r WHERE " + end + " = ? AND (? = '' OR r.relation_type = ?)" +
                                   tenant_clause(*p, "r") + " AND " + endpoints_exist(*p) + " ORDER BY r.id, r.rowid");
      bind_scan(q, *p, tenant, type, id);
      std::string last;
      bool first = true;
      sdk::OwnedRelation r;
      while (q.executeStep()) {
        std::string rid = q.getColumn(0).getString();
        if (!first && rid == last) continue;
        first = false;
        read_relation(q, tenant, &r);
        last = std::move(rid);
        if (!fn(r)) break;
      }
      return 0;
    });
  }

  void count_types(std::string_view tenant, bool relations, const TypeCountFn& fn) override {
    // A scan, so that repeated global ids count once, as they are read.
    std::map<std::string, uint64_t> counts;
    if (relations)
      scan_relations(tenant, "", "", UINT64_MAX, [&](const sdk::OwnedRelation& r) {
        ++counts[r.relation_type];
        return true;
      });
    else
      scan_entities(tenant, "", "", UINT64_MAX, [&](const sdk::OwnedEntity& e) {
        ++counts[e.entity_type];
        return true;
      });
    for (const auto& [type, n] : counts) fn(type, n);
  }

  void describe(StateLines* out) const override {
    out->emplace_back("source", "sqlite " + absolute(path_));
    out->emplace_back("layout", layout_);
    std::string names;
    for (size_t i = 0; i < tenants_.size() && i < 20; ++i) names += (i ? ", " : "") + tenants_[i];
    if (tenants_.size() > 20) names += ", ...";
    out->emplace_back("tenants", std::to_string(tenants_.size()) + (names.empty() ? "" : ": " + names));
    for (const auto& line : notes_) out->push_back(line);
    if (!rewritten_.empty())
      out->emplace_back("note.properties_nan",
                        std::to_string(rewritten_.size()) +
                            " records held NaN or Infinity in their properties (Python's json.dumps writes them, JSON "
                            "has no such value): each such value was read as null; first: " +
                            *rewritten_.begin());
  }

 private:
  static SQLite::Database open_db(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      throw Error(GS_NOT_FOUND, "option 'sqlite_path': " + sdk::quoted_prefix(path) + ": no such file");
    try {
      return SQLite::Database(path, SQLite::OPEN_READONLY);
    } catch (const SQLite::Exception& e) {
      throw Error(GS_UNAVAILABLE, "option 'sqlite_path': " + sdk::quoted_prefix(path) + ": " + e.what());
    }
  }

  static std::string absolute(const std::string& path) {
    std::error_code ec;
    auto p = std::filesystem::absolute(path, ec);
    return ec ? path : p.lexically_normal().string();
  }

  // Runs f, turning SQLite's exceptions into statuses that name the file.
  template <class F>
  auto guarded(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const SQLite::Exception& e) {
      int code = e.getErrorCode() & 0xff;
      gs_status st = code == SQLITE_CORRUPT || code == SQLITE_NOTADB                        ? GS_CORRUPTION
                     : code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR ? GS_UNAVAILABLE
                                                                                            : GS_INTERNAL;
      throw Error(st, absolute(path_) + ": " + e.what());
    }
  }

  std::set<std::string> columns_of(const std::string& table) {
    std::set<std::string> cols;
    SQLite::Statement q(db_, "SELECT name FROM pragma_table_info(?)");
    q.bind(1, table);
    while (q.executeStep()) cols.insert(q.getColumn(0).getString());
    return cols;
  }

  void require_columns(const std::string& table, std::initializer_list<const char*> names) {
    const auto& cols = columns_[table];
    for (const char* n : names)
      if (!cols.count(n))
        throw Error(GS_INVALID_ARGUMENT, absolute(path_) + ": table " + quote_ident(table) + " has no column " + n +
                                             ": not a table of the reference's schema");
  }

  std::string col_or_null(const std::string& table, const char* alias, const char* column) const {
    const auto& cols = columns_.at(table);
    return cols.count(column) ? std::string(alias) + "." + column : std::string("NULL");
  }

  std::string entity_columns(const std::string& table) const {
    return "t.id, t.entity_type, t.properties, " + col_or_null(table, "t", "embedding") + ", " +
           col_or_null(table, "t", "created_at") + ", " + col_or_null(table, "t", "updated_at");
  }
  std::string relation_columns(const std::string& table) const {
    return "r.id, r.relation_type, r.source_id, r.target_id, " + col_or_null(table, "r", "properties") + ", " +
           col_or_null(table, "r", "weight") + ", " + col_or_null(table, "r", "created_at") + ", " +
           col_or_null(table, "r", "updated_at");
  }

  // in_scan: a unary + keeps the planner off the tenant and type indexes, so
  // that an id-ordered scan walks the primary key in order and stops after a
  // page, instead of collecting and sorting the tenant's rows on every page.
  static std::string tenant_clause(const Place& p, const char* alias, bool in_scan = false) {
    return p.by_tenant_column ? std::string(" AND ") + (in_scan ? "+" : "") + alias + ".tenant_id IS ?" : std::string();
  }

  // Both endpoints are entities of the relation's namespace.
  std::string endpoints_exist(const Place& p) const {
    std::string e = quote_ident(p.entities);
    std::string same = p.by_tenant_column ? " AND e.tenant_id IS r.tenant_id" : "";
    // An empty id is no entity graphstore holds (the reference accepted it).
    return "r.source_id <> '' AND r.target_id <> '' AND EXISTS (SELECT 1 FROM " + e + " e WHERE e.id = r.source_id" +
           same + ") AND EXISTS (SELECT 1 FROM " + e + " e WHERE e.id = r.target_id" + same + ")";
  }

  static void bind_tenant(SQLite::Statement& q, int index, const Place& p, std::string_view tenant) {
    if (!p.by_tenant_column) return;
    if (tenant.empty())
      q.bind(index);  // NULL: the reference's global namespace
    else
      q.bind(index, std::string(tenant));
  }

  static void bind_scan(SQLite::Statement& q, const Place& p, std::string_view tenant, std::string_view type,
                        std::string_view key) {
    q.bind(1, std::string(key));
    q.bind(2, std::string(type));
    q.bind(3, std::string(type));
    bind_tenant(q, 4, p, tenant);
  }

  const Place* place(std::string_view tenant) const {
    auto it = places_.find(std::string(tenant));
    return it == places_.end() ? nullptr : &it->second;
  }

  gs_time_us time_of(const SQLite::Column& c, const std::string& what, const char* column) {
    if (c.isNull()) return 0;
    if (c.getType() == SQLite::INTEGER) return c.getInt64() * 1000000;  // seconds since the epoch
    gs_time_us t = 0;
    std::string text = c.getString();
    if (!parse_sql_time(text, &t))
      throw Error(GS_CORRUPTION, what + ": " + column + " " + sdk::quoted_prefix(text, 40) + " is not a time");
    return t;
  }

  void read_properties(const SQLite::Column& c, const std::string& what, std::string* out) {
    std::string text = c.isNull() ? std::string() : c.getString();
    if (decode_properties(text.data(), text.size(), c.isNull(), what, out) > 0) rewritten_.insert(what);
  }

  void read_entity(SQLite::Statement& q, std::string_view tenant, sdk::OwnedEntity* e) {
    e->id = q.getColumn(0).getString();
    std::string what = record_name("entity", tenant, e->id);
    e->entity_type = q.getColumn(1).getString();
    read_properties(q.getColumn(2), what, &e->properties_json);
    SQLite::Column emb = q.getColumn(3);
    if (emb.isNull())
      e->embedding.clear();
    else
      decode_embedding(emb.getBlob(), static_cast<size_t>(emb.getBytes()), what, &e->embedding);
    e->created_at = time_of(q.getColumn(4), what, "created_at");
    e->updated_at = q.getColumn(5).isNull() ? e->created_at : time_of(q.getColumn(5), what, "updated_at");
    e->source.reset();
    e->tenant_id = std::string(tenant);
  }

  void read_relation(SQLite::Statement& q, std::string_view tenant, sdk::OwnedRelation* r) {
    r->id = q.getColumn(0).getString();
    std::string what = record_name("relation", tenant, r->id);
    r->relation_type = q.getColumn(1).getString();
    r->source_id = q.getColumn(2).getString();
    r->target_id = q.getColumn(3).getString();
    read_properties(q.getColumn(4), what, &r->properties_json);
    // NULL only if written so by hand: the column's default is 1.0. A 0.0
    // stays 0.0 (the reference's migrator turned it into 1.0).
    r->weight = q.getColumn(5).isNull() ? 1.0 : q.getColumn(5).getDouble();
    r->created_at = time_of(q.getColumn(6), what, "created_at");
    r->updated_at = q.getColumn(7).isNull() ? r->created_at : time_of(q.getColumn(7), what, "updated_at");
    r->source.reset();
    r->tenant_id = std::string(tenant);
  }

  int64_t count(const std::string& sql, const std::string& bound = std::string(), bool bind = false) {
    SQLite::Statement q(db_, sql);
    if (bind) q.bind(1, bound);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
  }

  void read_layout(const Options& options) {
    std::map<std::string, std::string> separate;  // tenant as named by the tables -> "tenant_<tid>"
    std::set<std::string> tables;
    {
      SQLite::Statement q(db_, "SELECT name FROM sqlite_master WHERE type = 'table'");
      while (q.executeStep()) tables.insert(q.getColumn(0).getString());
    }
    if (tables.count("graphstore_meta"))
      throw Error(GS_INVALID_ARGUMENT,
                  absolute(path_) + ": a graphstore database, not the reference's: open it with backend sqlite");
    for (const auto& t : tables) {
      columns_[t] = columns_of(t);
      const std::string prefix = "tenant_";
      for (std::string_view suffix : {"_entities", "_relations"})
        if (t.size() > prefix.size() + suffix.size() && t.compare(0, prefix.size(), prefix) == 0 &&
            std::string_view(t).substr(t.size() - suffix.size()) == suffix) {
          std::string tid = t.substr(prefix.size(), t.size() - prefix.size() - suffix.size());
          separate[tid] = prefix + tid;
        }
    }
    Place global;
    if (tables.count("entities")) {
      require_columns("entities", {"id", "entity_type", "properties"});
      global.entities = "entities";
      global.by_tenant_column = columns_["entities"].count("tenant_id") > 0;
    }
    if (tables.count("relations")) {
      require_columns("relations", {"id", "relation_type", "source_id", "target_id"});
      global.relations = "relations";
      if (global.by_tenant_column && !columns_["relations"].count("tenant_id"))
        throw Error(GS_INVALID_ARGUMENT, absolute(path_) + ": table entities has tenant_id but relations has not");
    }
    if (global.entities.empty() && separate.empty())
      throw Error(GS_INVALID_ARGUMENT, absolute(path_) +
                                           ": holds none of the reference's tables (entities and relations, or "
                                           "tenant_<id>_entities): not a database of the reference's SQLiteGraphStore");
    for (auto& [tid, container] : separate) {
      for (const char* kind : {"_entities", "_relations"}) {
        std::string t = container + kind;
        if (!tables.count(t)) continue;
        if (std::string(kind) == "_entities")
          require_columns(t, {"id", "entity_type", "properties"});
        else
          require_columns(t, {"id", "relation_type", "source_id", "target_id"});
      }
    }
    places_[""] = global;

    std::set<std::string> shared;  // tenants of the shared tables' rows
    if (global.by_tenant_column)
      for (const char* t : {"entities", "relations"}) {
        if (!tables.count(t)) continue;
        SQLite::Statement q(db_, std::string("SELECT DISTINCT tenant_id FROM ") + t + " WHERE tenant_id IS NOT NULL");
        while (q.executeStep()) shared.insert(q.getColumn(0).getString());
      }
    auto separate_place = [&](const std::string& container) {
      Place p;
      if (tables.count(container + "_entities")) p.entities = container + "_entities";
      if (tables.count(container + "_relations")) p.relations = container + "_relations";
      return p;
    };
    if (!options.tenants.empty()) {
      // Named tenants: a name finds its separate tables as the reference
      // named them ('-' as '_'; SQLite compares table names case-blind).
      for (const auto& t : options.tenants) {
        std::string container = "tenant_" + t;
        std::replace(container.begin(), container.end(), '-', '_');
        std::string found;
        for (const auto& [tid, c] : separate)
          if (sdk::ascii_lower(c) == sdk::ascii_lower(container)) found = c;
        if (!found.empty() && shared.count(t)) throw Error(GS_INVALID_ARGUMENT, both_modes(t, found));
        if (!found.empty()) {
          places_[t] = separate_place(found);
        } else {
          Place p = global;
          if (!p.by_tenant_column) p = Place{};  // a legacy file holds no tenant
          places_[t] = p;
        }
        tenants_.push_back(t);
      }
    } else {
      for (const auto& t : shared) {
        if (!sdk::valid_tenant(t) || t.empty())
          throw Error(GS_INVALID_ARGUMENT, absolute(path_) + ": the shared tables hold " +
                                               sdk::invalid_tenant_message(t) +
                                               "; name the tenants to read with option 'tenants'");
        if (separate.count(t)) throw Error(GS_INVALID_ARGUMENT, both_modes(t, separate[t]));
        places_[t] = global;
      }
      for (const auto& [tid, container] : separate) {
        if (!sdk::valid_tenant(tid))
          throw Error(GS_INVALID_ARGUMENT, absolute(path_) + ": table " + quote_ident(container + "_entities") +
                                               " names " + sdk::invalid_tenant_message(tid));
        places_[tid] = separate_place(container);
      }
      for (const auto& [t, p] : places_)
        if (!t.empty()) tenants_.push_back(t);
      std::sort(tenants_.begin(), tenants_.end());
    }

    layout_ = !global.entities.empty()
                  ? (global.by_tenant_column ? "shared tables entities/relations (tenant_id NULL: global)"
                                             : "legacy tables entities/relations without tenant_id (global only)")
                  : "no shared tables";
    if (!separate.empty()) {
      layout_ += "; separate-mode tables for " + std::to_string(separate.size()) + " tenants (tenant_<id>_*)";
      notes_.emplace_back("note.tenant_names",
                          "tenants of separate-mode tables are named after their tables: the reference wrote '-' as "
                          "'_' there, so 'acme-corp' reads as 'acme_corp' (the original cannot be recovered); name "
                          "the tenants with option 'tenants' to keep their original ids");
    }
    notes_.emplace_back("note.not_stored",
                        "the reference never stored the records' own created_at, updated_at and source: created_at "
                        "and updated_at are the database's insertion and update times (UTC), source is empty");
    count_anomalies(global, separate);
  }

  std::string both_modes(const std::string& tenant, const std::string& container) const {
    return absolute(path_) + ": tenant " + sdk::quoted_prefix(tenant) +
           " has rows in the shared tables and its own tables " + quote_ident(container + "_entities") +
           " (the store ran in both isolation modes): which rows are current cannot be told, so the file is "
           "refused; move one set of rows into the other first";
  }

  // Rows the data model cannot hold, counted once at open for the notes.
  void count_anomalies(const Place& global, const std::map<std::string, std::string>& separate) {
    int64_t dangling = 0, repeated = 0;
    auto dangling_in = [&](const Place& p) {
      if (p.relations.empty()) return;
      if (p.entities.empty()) {
        dangling += count("SELECT COUNT(*) FROM " + quote_ident(p.relations));
        return;
      }
      dangling +=
          count("SELECT COUNT(*) FROM " + quote_ident(p.relations) + " r WHERE NOT (" + endpoints_exist(p) + ")");
    };
    dangling_in(global);
    for (const auto& [tid, container] : separate) {
      Place p;
      if (columns_.count(container + "_entities")) p.entities = container + "_entities";
      if (columns_.count(container + "_relations")) p.relations = container + "_relations";
      dangling_in(p);
    }
    int64_t empty_ids = 0;
    std::vector<std::string> all_tables = {global.entities, global.relations};
    for (const auto& [tid, container] : separate)
      for (const char* kind : {"_entities", "_relations"})
        if (columns_.count(container + kind)) all_tables.push_back(container + kind);
    for (const auto& t : all_tables)
      if (!t.empty()) empty_ids += count("SELECT COUNT(*) FROM " + quote_ident(t) + " WHERE id = ''");
    if (empty_ids > 0)
      notes_.emplace_back("note.empty_ids", std::to_string(empty_ids) +
                                                " records have an empty id (the reference accepted it; graphstore "
                                                "cannot hold it): they are not read");
    if (global.by_tenant_column) {
      for (const auto& t : {global.entities, global.relations})
        if (!t.empty())
          repeated += count("SELECT COUNT(*) - COUNT(DISTINCT id) FROM " + quote_ident(t) + " WHERE tenant_id IS NULL");
    }
    if (dangling > 0)
      notes_.emplace_back("note.dangling_relations",
                          std::to_string(dangling) +
                              " relations name a source or target entity that is not in their namespace: they are "
                              "not read (graphstore keeps no relation without its two endpoints)");
    if (repeated > 0)
      notes_.emplace_back("note.repeated_ids",
                          std::to_string(repeated) +
                              " global rows repeat an id already stored (the reference's SQLite key did not make "
                              "global ids unique): the first row stored of each id is read, as the reference read it");
  }

  std::string path_;
  SQLite::Database db_;
  std::map<std::string, std::set<std::string>> columns_;
  std::map<std::string, Place> places_;  // tenant ("" global) -> its tables
  std::vector<std::string> tenants_;
  std::string layout_;
  StateLines notes_;
  std::set<std::string> rewritten_;  // records whose properties held NaN or Infinity
};

}  // namespace

std::unique_ptr<Source> open_sqlite_source(const Options& options) { return std::make_unique<SqliteSource>(options); }

}  // namespace graphstore::aiecs_reference
