// graphstore._pg: the Python binding of connection.hpp. Python code uses it
// through graphstore.aiecs.pg_pool, which adds the asyncpg-shaped API.
#include <pybind11/pybind11.h>

#include "connection.hpp"
#include "decode.hpp"
#include "encode.hpp"

namespace py = pybind11;
using graphstore::pg::Connection;

PYBIND11_MODULE(_pg, m) {
  m.doc() = "Blocking PostgreSQL connections over libpq (bound parameters, typed rows), for graphstore.aiecs.pg_pool.";
  if (!graphstore::pg::init_decode() || !graphstore::pg::init_encode()) throw py::error_already_set();

  auto& types = graphstore::pg::error_types();
  types.error = PyErr_NewExceptionWithDoc(
      "graphstore._pg.Error",
      "An error reported by PostgreSQL or libpq: .sqlstate, .message, .detail, .hint, .severity, .schema_name, "
      ".table_name, .column_name, .constraint_name, .position (None when absent).",
      PyExc_Exception, nullptr);
  types.interface_error = PyErr_NewExceptionWithDoc(
      "graphstore._pg.InterfaceError", "A misuse of a connection (closed, or busy with another statement).",
      PyExc_Exception, nullptr);
  types.classes = PyDict_New();
  if (!types.error || !types.interface_error || !types.classes) throw py::error_already_set();
  m.attr("Error") = py::reinterpret_borrow<py::object>(types.error);
  m.attr("InterfaceError") = py::reinterpret_borrow<py::object>(types.interface_error);
  // SQLSTATE -> subclass of Error, filled by Python code; raised instead of
  // Error for that SQLSTATE.
  m.attr("error_classes") = py::reinterpret_borrow<py::object>(types.classes);

  py::class_<Connection>(m, "Connection",
                         "One blocking PostgreSQL connection. Every libpq call releases the GIL; one statement at a "
                         "time (a concurrent call raises InterfaceError).")
      .def(py::init<const py::dict&>(), py::arg("params"),
           "Connects with libpq keywords (host, port, user, password, dbname, options, sslmode, ...); raises Error.")
      .def("query", &Connection::query, py::arg("sql"), py::arg("args") = py::none(),
           "Runs one statement with args bound as $1..; returns (status, column names, list of row tuples).")
      .def("execute", &Connection::execute, py::arg("sql"), py::arg("args") = py::none(),
           "Runs sql (several statements when there are no args); returns the last command status.")
      .def("execute_many", &Connection::execute_many, py::arg("sql"), py::arg("many"),
           "Runs one statement per argument sequence, atomically unless a transaction is open; returns the last "
           "status.")
      .def("cancel", &Connection::cancel, "Asks the server to cancel the running statement (any thread).")
      .def("close", &Connection::close, "Closes the connection; idempotent.")
      .def_property_readonly("closed", &Connection::closed)
      .def_property_readonly("transaction_status", &Connection::transaction_status,
                             "0 idle, 1 active, 2 in transaction, 3 in failed transaction, 4 unknown.")
      .def_property_readonly("server_version", &Connection::server_version)
      .def_property_readonly("backend_pid", &Connection::backend_pid)
      .def("__repr__", [](const Connection& c) {
        return "<graphstore._pg.Connection pid=" + std::to_string(c.backend_pid()) +
               (c.closed() ? " closed>" : ">");
      });
}
