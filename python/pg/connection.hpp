// One blocking PostgreSQL connection (libpq) for Python: statements with
// bound $n parameters, rows decoded by type OID (decode.hpp), errors raised
// as graphstore._pg.Error carrying SQLSTATE and the server's fields.
//
// Every libpq call runs with the GIL released, so threads of a pool work in
// parallel. One statement at a time per connection: a second caller gets
// InterfaceError ("another operation is in progress"), as asyncpg does;
// cancel() may be called from any thread while a statement runs.
// The password is kept only to scrub it from messages; it never appears in
// an error, a repr or a log.
#ifndef GRAPHSTORE_PG_CONNECTION_HPP
#define GRAPHSTORE_PG_CONNECTION_HPP

#include <libpq-fe.h>
#include <pybind11/pybind11.h>

#include <mutex>
#include <string>

namespace graphstore::pg {

namespace py = pybind11;

// The module's exception types and the SQLSTATE -> subclass registry
// (graphstore._pg.error_classes), set by the module at import.
struct ErrorTypes {
  PyObject* error = nullptr;            // graphstore._pg.Error
  PyObject* interface_error = nullptr;  // graphstore._pg.InterfaceError (client-side misuse)
  PyObject* classes = nullptr;          // dict: SQLSTATE -> subclass of Error
};
ErrorTypes& error_types();

class Connection {
 public:
  // Connects with libpq keywords (host, port, user, password, dbname,
  // options, sslmode, connect_timeout, ...; values str, None skipped);
  // dbname may be a connection string or URI. Raises Error (SQLSTATE
  // 08001, or 28P01 for a refused password) when the connection fails.
  explicit Connection(const py::dict& params);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with args bound as $1.. (a sequence or None) and
  // returns (command status str, column names tuple, rows list of tuples).
  py::tuple query(const std::string& sql, const py::object& args);

  // Runs sql and returns the command status of its last statement. Without
  // args it goes through the simple protocol, so several statements
  // separated by ';' run in one call; with args, one statement, bound.
  std::string execute(const std::string& sql, const py::object& args);

  // Runs one statement once per argument sequence of many (prepared once),
  // in one transaction unless one is already open: all rows or none.
  // Returns the status of the last execution.
  std::string execute_many(const std::string& sql, const py::object& many);

  // Asks the server to cancel the statement running on this connection;
  // harmless when none runs. Any thread.
  void cancel();

  // Closes the connection (waiting for a running statement); idempotent.
  void close();

  bool closed() const;
  // PQtransactionStatus: 0 idle, 1 active, 2 in a transaction, 3 in a
  // failed transaction, 4 unknown (the connection is broken or closed).
  int transaction_status() const;
  int server_version() const;
  int backend_pid() const;

 private:
  [[noreturn]] void raise_result_error(PGresult* res, const char* fallback_sqlstate);
  [[noreturn]] void raise_connection_error(const std::string& message, const char* sqlstate);
  std::string scrub(std::string message) const;
  PGresult* checked(PGresult* res, bool want_tuples);

  PGconn* conn_ = nullptr;
  PGcancel* cancel_ = nullptr;
  std::string password_;
  std::mutex busy_;          // held while a statement runs
  std::mutex cancel_mutex_;  // guards cancel_ against close()
};

}  // namespace graphstore::pg

#endif  // GRAPHSTORE_PG_CONNECTION_HPP
