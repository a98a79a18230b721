// PostgresStore's removals (ABI 1.3), each one transaction on the primary.
// Entities go first, under the tenant's entity lock (as delete_entity takes
// it), then the relations: a separate statement also sees relations that
// committed while the entity delete waited for their endpoints' row locks.
// delete_by_source finds its rows through the (tenant_id, source) indexes
// that schema version 2 adds. Under row-level security each tenant's rows
// are deleted with the session set to that tenant.
#include <string>
#include <vector>

#include "graphstore/checks.hpp"
#include "errors.hpp"
#include "records.hpp"
#include "store_internal.hpp"

namespace graphstore::postgres {
namespace {

// Deletes every row of tenant; tx's session must see that tenant.
void clear_in(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, std::string_view tenant,
              gs_removed* removed) {
  exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Params().s(lock_key(s, "entities", tenant)));
  pqxx::result e = exec(tx, c, s.sql("DELETE FROM @S.entities WHERE tenant_id = $1"), Params().s(tenant));
  pqxx::result r = exec(tx, c, s.sql("DELETE FROM @S.relations WHERE tenant_id = $1"), Params().s(tenant));
  removed->entities += uint64_t(e.affected_rows());
  removed->relations += uint64_t(r.affected_rows());
}

}  // namespace

sdk::Status PostgresStore::clear(std::string_view tenant, int32_t scope, gs_removed* removed) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (scope != GS_CLEAR_TENANT && scope != GS_CLEAR_ALL_TENANTS)
    return sdk::make_error(GS_INVALID_ARGUMENT, "clear: unknown scope " + std::to_string(scope));
  if (scope == GS_CLEAR_ALL_TENANTS && !tenant.empty())
    return sdk::make_error(GS_INVALID_ARGUMENT, "clear: every tenant (GS_CLEAR_ALL_TENANTS) takes an empty tenant");
  return run("clear", Route::kWrite, tenant, [&](Connection& c) {
    gs_removed counts{sizeof(gs_removed), 0, 0};
    pqxx::work tx(c.raw());
    if (scope == GS_CLEAR_TENANT) {
      clear_in(*this, tx, c, tenant, &counts);
    } else {
      // Row-level security hides other tenants' rows, so the tenants come
      // from the tenants table (every tenant ever written registers there).
      const bool rls = schema_state().row_level_security;
      pqxx::result r = exec(tx, c,
                            sql(rls ? "SELECT tenant_id FROM @S.tenants UNION SELECT ''"
                                    : "SELECT DISTINCT tenant_id FROM @S.entities UNION "
                                      "SELECT DISTINCT tenant_id FROM @S.relations"),
                            Params());
      std::vector<std::string> tenants;
      for (const auto& row : r) tenants.emplace_back(row[0].c_str(), row[0].size());
      for (const std::string& t : tenants) {
        if (rls) exec(tx, c, "SELECT set_config('graphstore.tenant', $1, true)", Params().s(t));
        clear_in(*this, tx, c, t, &counts);
      }
    }
    tx.commit();
    *removed = counts;
    return sdk::Status::Ok();
  });
}

sdk::Status PostgresStore::delete_by_source(std::string_view tenant, std::string_view source, gs_removed* removed) {
  if (sdk::Status s = sdk::check_tenant(tenant); !s.ok()) return s;
  if (!storable(source)) return sdk::Status::Ok();  // text PostgreSQL cannot store matches no row
  return run("delete_by_source", Route::kWrite, tenant, [&](Connection& c) {
    pqxx::work tx(c.raw());
    exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
         Params().s(lock_key(*this, "entities", tenant)));
    pqxx::result e = exec(tx, c, sql("DELETE FROM @S.entities WHERE tenant_id = $1 AND source = $2 RETURNING id"),
                          Params().s(tenant).s(source));
    std::vector<std::string> ids;
    ids.reserve(e.size());
    for (const auto& row : e) ids.emplace_back(row[0].c_str(), row[0].size());
    pqxx::result r = exec(tx, c,
                          sql("DELETE FROM @S.relations WHERE tenant_id = $1 AND (source = $2 "
                              "OR source_id = ANY($3::text[]) OR target_id = ANY($3::text[]))"),
                          Params().s(tenant).s(source).s(text_array(ids)));
    tx.commit();
    removed->entities = ids.size();
    removed->relations = uint64_t(r.affected_rows());
    return sdk::Status::Ok();
  });
}

}  // namespace graphstore::postgres
