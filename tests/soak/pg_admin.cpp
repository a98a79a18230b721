#include "pg_admin.hpp"

#include <pqxx/pqxx>

namespace graphstore::soak {

bool terminate_backends(const std::string& conninfo, const std::string& application_name, int* terminated,
                        std::string* error) {
  try {
    pqxx::connection c(conninfo);
    pqxx::nontransaction tx(c);
    *terminated = tx.exec_params(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = $1 AND pid <> pg_backend_pid()",
                        application_name)[0][0]
                      .as<int>();
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

bool drop_schema(const std::string& conninfo, const std::string& schema, std::string* error) {
  try {
    pqxx::connection c(conninfo);
    pqxx::nontransaction tx(c);
    tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(schema) + " CASCADE");
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

}  // namespace graphstore::soak
