#include "deferred_indexes.hpp"

#include <atomic>
#include <mutex>
#include <system_error>
#include <thread>

#include "errors.hpp"
#include "records.hpp"
#include "store_internal.hpp"

namespace graphstore::postgres {
namespace {

constexpr const char* kMetaPrefix = "deferred_index:";

const char* table_name(Table t) { return t == Table::kEntities ? "entities" : "relations"; }

// What a load may leave out, as a text[] literal: every secondary index of
// the schema (schema.cpp) except the partial ones the loads read themselves.
std::string droppable_array(Table t) {
  return t == Table::kEntities ? "{entities_by_type,entities_properties,entities_text,entities_source}"
                               : "{relations_out,relations_in,relations_by_type,relations_properties,relations_source}";
}

// "CREATE INDEX name ..." as "CREATE INDEX IF NOT EXISTS name ...", so that a
// build finding the index already there (a crash between the build and its
// record's removal) succeeds.
std::string if_not_exists(const std::string& definition) {
  const std::string plain = "CREATE INDEX ";
  if (definition.rfind(plain, 0) != 0) return definition;
  return plain + "IF NOT EXISTS " + definition.substr(plain.size());
}

}  // namespace

bool defer_indexes(PostgresStore& s, pqxx::transaction_base& tx, Connection& c, Table table, size_t run,
                   size_t adds) {
  if (run < kDeferMinimum || s.schema_state().row_level_security) return false;
  // The run's earlier loads (run - adds rows) are in the table already: it
  // held fewer rows than the run before the run when it holds fewer than
  // the run plus those now.
  const int64_t limit = int64_t(2 * run - adds);
  const std::string name = table_name(table);
  // One statement: the droppable indexes present with their definitions,
  // whether this role owns the table, and whether it holds fewer rows than
  // the limit (a scan of at most that many rows).
  pqxx::result r = exec(tx, c,
                        s.sql("SELECT i.relname, pg_get_indexdef(i.oid), pg_has_role(t.relowner, 'USAGE'), "
                              "(SELECT count(*) FROM (SELECT 1 FROM @S." +
                              name +
                              " LIMIT $2) x) < $2 "
                              "FROM pg_class t JOIN pg_index x ON x.indrelid = t.oid "
                              "JOIN pg_class i ON i.oid = x.indexrelid "
                              "WHERE t.oid = $1::regclass AND i.relname = ANY($3::text[])"),
                        Params().s(s.sql("@S." + name)).i(limit).s(droppable_array(table)));
  if (r.empty() || !r[0][2].as<bool>() || !r[0][3].as<bool>()) return false;
  for (const auto& row : r) {
    std::string index = row[0].c_str();
    exec(tx, c,
         s.sql("INSERT INTO @S.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = "
               "EXCLUDED.value"),
         Params().s(kMetaPrefix + index).s(row[1].c_str()));
    tx.exec(s.sql("DROP INDEX @S." + quote_identifier(index)));
  }
  return true;
}

std::vector<std::string> deferred_index_names(PostgresStore& s, pqxx::transaction_base& tx) {
  pqxx::result r = tx.exec(s.sql("SELECT substr(key, " + std::to_string(std::string(kMetaPrefix).size() + 1) +
                                 ") FROM @S.meta WHERE key LIKE '" + kMetaPrefix + "%' ORDER BY key"));
  std::vector<std::string> out;
  for (const auto& row : r) out.emplace_back(row[0].c_str());
  return out;
}

namespace {

// Builds one recorded index in its own transaction; nothing when another
// process built it meanwhile.
sdk::Status build_one(PostgresStore& s, Pool& pool, const std::string& index, int memory_mb) {
  Lease lease;
  if (sdk::Status st = pool.acquire(&lease); !st.ok()) return st;
  try {
    Connection& c = *lease;
    pqxx::work tx(c.raw());
    exec(tx, c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Params().s(lock_key(s, "index", index)));
    pqxx::result def = exec(tx, c, s.sql("SELECT value FROM @S.meta WHERE key = $1"), Params().s(kMetaPrefix + index));
    if (def.empty()) return sdk::Status::Ok();
    // Settings of this transaction only; the statement timeout guards
    // queries, not a build that takes as long as the table needs.
    tx.exec("SET LOCAL statement_timeout = 0");
    tx.exec("SET LOCAL maintenance_work_mem = '" + std::to_string(memory_mb) + "MB'");
    tx.exec(if_not_exists(def[0][0].c_str()));
    exec(tx, c, s.sql("DELETE FROM @S.meta WHERE key = $1"), Params().s(kMetaPrefix + index));
    tx.commit();
    return sdk::Status::Ok();
  } catch (...) {
    return current_exception_status("building index " + index, &*lease, s.settings());
  }
}

}  // namespace

sdk::Status build_deferred_indexes(PostgresStore& s, Pool& pool, size_t connections, int memory_mb) {
  std::vector<std::string> names;
  {
    Lease lease;
    if (sdk::Status st = pool.acquire(&lease); !st.ok()) return st;
    try {
      pqxx::nontransaction tx(lease->raw());
      names = deferred_index_names(s, tx);
    } catch (...) {
      return current_exception_status("reading the deferred indexes", &*lease, s.settings());
    }
  }
  if (names.empty()) return sdk::Status::Ok();
  std::atomic<size_t> next{0};
  std::mutex mu;
  sdk::Status first_failure;
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < names.size();) {
      sdk::Status st = build_one(s, pool, names[i], memory_mb);
      std::lock_guard<std::mutex> lock(mu);
      if (!st.ok() && first_failure.ok()) first_failure = st;
    }
  };
  std::vector<std::thread> threads;
  size_t n = std::min(std::max<size_t>(connections, 1), names.size());
  for (size_t k = 1; k < n; ++k) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error&) {
      break;  // no thread: fewer builds at once
    }
  }
  worker();
  for (auto& t : threads) t.join();
  return first_failure;
}

}  // namespace graphstore::postgres
