#include "errors.hpp"

#include <exception>
#include <new>

#include <pqxx/pqxx>

#include "options.hpp"
#include "pool.hpp"

namespace graphstore::postgres {

gs_status status_for_sqlstate(std::string_view s) {
  if (s == "23505") return GS_ALREADY_EXISTS;
  if (s == "42501" || s.substr(0, 2) == "28") return GS_PERMISSION_DENIED;
  if (s.substr(0, 2) == "22" || s == "54001" || s == "2202E") return GS_INVALID_ARGUMENT;
  if (s.substr(0, 2) == "08" || s.substr(0, 4) == "57P0" || s == "57014" || s == "40001" || s == "40P01" ||
      s == "55P03" || s == "25006" || s == "25P02")
    return GS_UNAVAILABLE;
  if (s.substr(0, 2) == "53") return GS_RESOURCE_EXHAUSTED;
  if (s == "XX001" || s == "XX002") return GS_CORRUPTION;
  return GS_INTERNAL;
}

sdk::Status current_exception_status(std::string_view where, Connection* conn, const ConnSettings& settings) {
  auto msg = [&](const std::string& text) {
    std::string t = scrub(text, settings);
    while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
    return "postgres: " + std::string(where) + ": " + t;
  };
  try {
    throw;
  } catch (const sdk::Error& e) {
    return sdk::make_error(e.code(), e.what());
  } catch (const pqxx::broken_connection& e) {
    if (conn) conn->broken = true;
    return sdk::make_error(GS_UNAVAILABLE, msg(std::string("lost the connection to the server: ") + e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    if (conn) conn->broken = true;
    return sdk::make_error(GS_UNAVAILABLE,
                           msg(std::string("the connection broke while committing; the write may or may not have "
                                           "been applied: ") +
                               e.what()));
  } catch (const pqxx::sql_error& e) {
    gs_status code = status_for_sqlstate(e.sqlstate());
    const std::string& state = e.sqlstate();
    // The server is going away: the session is gone with it.
    if (conn && (state.substr(0, 2) == "08" || state.substr(0, 4) == "57P0")) conn->broken = true;
    if (state == "22021" && std::string(e.what()).find("0x00") != std::string::npos)
      return sdk::make_error(GS_INVALID_ARGUMENT, msg("PostgreSQL text cannot hold a NUL byte (U+0000): " +
                                                      std::string(e.what())));
    return sdk::make_error(code, msg(std::string(e.what()) + (state.empty() ? "" : " [SQLSTATE " + state + "]")));
  } catch (const pqxx::failure& e) {
    // libpqxx reports a connection that died mid-query as a plain failure
    // in some paths; a closed connection must not be lent again.
    if (conn && !conn->raw().is_open()) {
      conn->broken = true;
      return sdk::make_error(GS_UNAVAILABLE, msg(std::string("lost the connection to the server: ") + e.what()));
    }
    if (conn) conn->broken = true;  // unknown session state: start afresh
    return sdk::make_error(GS_INTERNAL, msg(e.what()));
  } catch (const std::bad_alloc&) {
    return sdk::make_error(GS_RESOURCE_EXHAUSTED, "postgres: out of memory");
  } catch (const std::exception& e) {
    if (conn) conn->broken = true;
    return sdk::make_error(GS_INTERNAL, msg(e.what()));
  }
}

}  // namespace graphstore::postgres
