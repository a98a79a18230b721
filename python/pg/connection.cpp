#include "connection.hpp"

#include <cstring>
#include <vector>

#include "decode.hpp"
#include "encode.hpp"

namespace graphstore::pg {
namespace {

// Frees a PGresult when it goes out of scope.
struct ResultGuard {
  PGresult* res;
  ~ResultGuard() { PQclear(res); }
};

std::string field(const PGresult* res, int code) {
  const char* v = PQresultErrorField(res, code);
  return v ? std::string(v) : std::string();
}

void set_attr(PyObject* obj, const char* name, const std::string& value) {
  PyObject* v = value.empty() ? (Py_INCREF(Py_None), Py_None)
                              : PyUnicode_DecodeUTF8(value.data(), static_cast<Py_ssize_t>(value.size()), "replace");
  if (v) {
    PyObject_SetAttrString(obj, name, v);
    Py_DECREF(v);
  }
}

// Raises the Error subclass registered for sqlstate (or Error itself) with
// the server's fields as attributes, as asyncpg's PostgresError has them.
[[noreturn]] void raise_error(const std::string& sqlstate, const std::string& message, const std::string& detail,
                              const std::string& hint, const std::string& severity,
                              const std::vector<std::pair<const char*, std::string>>& extra) {
  ErrorTypes& t = error_types();
  PyObject* cls = t.classes ? PyDict_GetItemString(t.classes, sqlstate.c_str()) : nullptr;  // borrowed
  if (!cls) cls = t.error;
  PyObject* exc = PyObject_CallFunction(cls, "s", message.c_str());
  if (!exc) throw py::error_already_set();
  set_attr(exc, "sqlstate", sqlstate);
  set_attr(exc, "message", message);
  set_attr(exc, "detail", detail);
  set_attr(exc, "hint", hint);
  set_attr(exc, "severity", severity);
  for (const auto& [name, value] : extra) set_attr(exc, name, value);
  PyErr_SetObject(cls, exc);
  Py_DECREF(exc);
  throw py::error_already_set();
}

[[noreturn]] void raise_interface_error(const char* message) {
  PyErr_SetString(error_types().interface_error, message);
  throw py::error_already_set();
}

// Holds the connection's statement lock for one call, or raises
// InterfaceError when another thread is running a statement on it.
class Busy {
 public:
  explicit Busy(std::mutex& m) : lock_(m, std::try_to_lock) {
    if (!lock_.owns_lock())
      raise_interface_error("cannot perform operation: another operation is in progress on this connection");
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

// The password inside a connection string or URI, if any (for scrubbing).
std::string password_in(const std::string& conninfo) {
  std::string out;
  if (PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), nullptr)) {
    for (PQconninfoOption* o = opts; o->keyword; ++o)
      if (std::strcmp(o->keyword, "password") == 0 && o->val) out = o->val;
    PQconninfoFree(opts);
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

ErrorTypes& error_types() {
  static ErrorTypes types;
  return types;
}

Connection::Connection(const py::dict& params) {
  std::vector<std::string> keys, values;
  bool has_encoding = false;
  for (auto item : params) {
    if (item.second.is_none()) continue;
    keys.push_back(py::str(item.first));
    values.push_back(py::str(item.second));
    if (keys.back() == "password") password_ = values.back();
    if (keys.back() == "dbname" && password_.empty()) password_ = password_in(values.back());
    if (keys.back() == "client_encoding") has_encoding = true;
  }
  if (!has_encoding) {
    // Text results are decoded as UTF-8.
    keys.emplace_back("client_encoding");
    values.emplace_back("UTF8");
  }
  std::vector<const char*> k, v;
  for (size_t i = 0; i < keys.size(); ++i) {
    k.push_back(keys[i].c_str());
    v.push_back(values[i].c_str());
  }
  k.push_back(nullptr);
  v.push_back(nullptr);
  {
    py::gil_scoped_release nogil;
    conn_ = PQconnectdbParams(k.data(), v.data(), 1);
  }
  if (!conn_) raise_connection_error("out of memory allocating a connection", "08001");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = trim(PQerrorMessage(conn_));
    const char* state = message.find("password authentication failed") != std::string::npos ? "28P01" : "08001";
    PQfinish(conn_);
    conn_ = nullptr;
    raise_connection_error(message, state);
  }
  // libpq prints server notices (e.g. "relation ... does not exist,
  // skipping") on stderr; asyncpg does not show them either.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  cancel_ = PQgetCancel(conn_);
}

Connection::~Connection() {
  if (cancel_) PQfreeCancel(cancel_);
  if (conn_) PQfinish(conn_);
  std::fill(password_.begin(), password_.end(), '\0');
}

std::string Connection::scrub(std::string message) const {
  // libpq does not echo passwords; this guards against any path that might.
  if (password_.size() >= 4) {
    for (size_t at = message.find(password_); at != std::string::npos; at = message.find(password_, at))
      message.replace(at, password_.size(), "********");
  }
  return message;
}

void Connection::raise_connection_error(const std::string& message, const char* sqlstate) {
  raise_error(sqlstate, scrub(message), "", "", "FATAL", {});
}

void Connection::raise_result_error(PGresult* res, const char* fallback_sqlstate) {
  std::string sqlstate = field(res, PG_DIAG_SQLSTATE);
  std::string message = field(res, PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) message = trim(PQresultErrorMessage(res));
  if (message.empty() && conn_) message = trim(PQerrorMessage(conn_));
  if (sqlstate.empty()) sqlstate = fallback_sqlstate;
  std::vector<std::pair<const char*, std::string>> extra = {
      {"schema_name", field(res, PG_DIAG_SCHEMA_NAME)},
      {"table_name", field(res, PG_DIAG_TABLE_NAME)},
      {"column_name", field(res, PG_DIAG_COLUMN_NAME)},
      {"constraint_name", field(res, PG_DIAG_CONSTRAINT_NAME)},
      {"position", field(res, PG_DIAG_STATEMENT_POSITION)},
  };
  std::string detail = scrub(field(res, PG_DIAG_MESSAGE_DETAIL)), hint = field(res, PG_DIAG_MESSAGE_HINT),
              severity = field(res, PG_DIAG_SEVERITY_NONLOCALIZED);
  PQclear(res);
  raise_error(sqlstate, scrub(message), detail, hint, severity, extra);
}

PGresult* Connection::checked(PGresult* res, bool) {
  if (!res) raise_connection_error(trim(PQerrorMessage(conn_)), "08006");
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return res;
  if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
    PQclear(res);
    // Leave COPY mode so the connection stays usable.
    PQputCopyEnd(conn_, "COPY is not supported through this connection");
    while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    raise_interface_error("COPY is not supported through this connection");
  }
  raise_result_error(res, PQstatus(conn_) == CONNECTION_OK ? "XX000" : "08006");
}

py::tuple Connection::query(const std::string& sql, const py::object& args) {
  Params p;
  if (!encode_params(args.ptr(), &p)) throw py::error_already_set();
  p.finish();
  Busy busy(busy_);
  if (!conn_) raise_interface_error("the connection is closed");
  PGresult* res;
  {
    py::gil_scoped_release nogil;
    res = PQexecParams(conn_, sql.c_str(), p.size(), nullptr, p.values.data(), p.lengths.data(), p.formats.data(), 0);
  }
  ResultGuard guard{checked(res, true)};
  const int ncols = PQnfields(res), nrows = PQntuples(res);
  py::tuple columns(ncols);
  std::vector<Oid> types(static_cast<size_t>(ncols));
  for (int c = 0; c < ncols; ++c) {
    columns[static_cast<size_t>(c)] = py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(
        PQfname(res, c), static_cast<Py_ssize_t>(std::strlen(PQfname(res, c))), "replace"));
    types[static_cast<size_t>(c)] = PQftype(res, c);
  }
  py::list rows(nrows);
  for (int r = 0; r < nrows; ++r) {
    PyObject* row = PyTuple_New(ncols);
    if (!row) throw py::error_already_set();
    PyList_SET_ITEM(rows.ptr(), r, row);
    for (int c = 0; c < ncols; ++c) {
      PyObject* v;
      if (PQgetisnull(res, r, c)) {
        Py_INCREF(Py_None);
        v = Py_None;
      } else {
        v = decode_value(types[static_cast<size_t>(c)], PQgetvalue(res, r, c), PQgetlength(res, r, c));
        if (!v) throw py::error_already_set();
      }
      PyTuple_SET_ITEM(row, c, v);
    }
  }
  return py::make_tuple(py::str(PQcmdStatus(res)), columns, rows);
}

std::string Connection::execute(const std::string& sql, const py::object& args) {
  Params p;
  if (!encode_params(args.ptr(), &p)) throw py::error_already_set();
  p.finish();
  Busy busy(busy_);
  if (!conn_) raise_interface_error("the connection is closed");
  PGresult* res;
  {
    py::gil_scoped_release nogil;
    if (p.size() == 0)
      res = PQexec(conn_, sql.c_str());
    else
      res = PQexecParams(conn_, sql.c_str(), p.size(), nullptr, p.values.data(), p.lengths.data(), p.formats.data(), 0);
  }
  ResultGuard guard{checked(res, false)};
  return PQcmdStatus(res);
}

std::string Connection::execute_many(const std::string& sql, const py::object& many) {
  std::vector<Params> all;
  for (auto args : many) {
    all.emplace_back();
    if (!encode_params(args.ptr(), &all.back())) throw py::error_already_set();
    all.back().finish();
  }
  Busy busy(busy_);
  if (!conn_) raise_interface_error("the connection is closed");
  PGresult* failed = nullptr;
  std::string status;
  bool good = true;
  {
    py::gil_scoped_release nogil;
    const bool own_tx = PQtransactionStatus(conn_) == PQTRANS_IDLE;
    auto ok = [](PGresult* r) {
      ExecStatusType st = PQresultStatus(r);
      return r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY);
    };
    auto step = [&](PGresult* r) {
      if (ok(r)) {
        status = PQcmdStatus(r);
        PQclear(r);
        return true;
      }
      failed = r;
      return false;
    };
    good = !own_tx || step(PQexec(conn_, "BEGIN"));
    if (good) good = step(PQprepare(conn_, "", sql.c_str(), 0, nullptr));
    for (size_t i = 0; good && i < all.size(); ++i) {
      const Params& p = all[i];
      good = step(PQexecPrepared(conn_, "", p.size(), p.values.data(), p.lengths.data(), p.formats.data(), 0));
    }
    if (own_tx) {
      std::string last = status;
      if (good) {
        good = step(PQexec(conn_, "COMMIT"));
      } else {
        PQclear(PQexec(conn_, "ROLLBACK"));
      }
      status = last;
    }
  }
  if (!good) checked(failed, false);  // raises
  return status;
}

void Connection::cancel() {
  py::gil_scoped_release nogil;
  std::lock_guard<std::mutex> lock(cancel_mutex_);
  if (!cancel_) return;
  char err[256];
  PQcancel(cancel_, err, sizeof err);
}

void Connection::close() {
  py::gil_scoped_release nogil;
  std::lock_guard<std::mutex> busy(busy_);
  std::lock_guard<std::mutex> lock(cancel_mutex_);
  if (cancel_) PQfreeCancel(cancel_);
  cancel_ = nullptr;
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
}

bool Connection::closed() const { return !conn_ || PQstatus(conn_) != CONNECTION_OK; }

int Connection::transaction_status() const { return conn_ ? static_cast<int>(PQtransactionStatus(conn_)) : 4; }

int Connection::server_version() const { return conn_ ? PQserverVersion(conn_) : 0; }

int Connection::backend_pid() const { return conn_ ? PQbackendPID(conn_) : 0; }

}  // namespace graphstore::pg
