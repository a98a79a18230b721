#include "timestamps.hpp"

#include <datetime.h>

#include <string>

#include "errors.hpp"

namespace gspy {

namespace {

constexpr int64_t kUsPerDay = 86400LL * 1000000LL;

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

}  // namespace

void init_timestamps() {
  PyDateTime_IMPORT;
  if (PyDateTimeAPI == nullptr) throw py::error_already_set();
}

py::object datetime_from_us(graphstore::Timestamp us) {
  if (us == graphstore::kNoTimestamp) return py::none();
  int64_t days = us / kUsPerDay;
  int64_t rem = us % kUsPerDay;
  if (rem < 0) {
    rem += kUsPerDay;
    days -= 1;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  if (y < 1 || y > 9999) raise_code("INVALID_ARGUMENT", "timestamp " + std::to_string(us) + " us is outside datetime's years 1..9999");
  int64_t secs = rem / 1000000;
  PyObject* dt = PyDateTimeAPI->DateTime_FromDateAndTime(
      static_cast<int>(y), static_cast<int>(m), static_cast<int>(d), static_cast<int>(secs / 3600),
      static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60), static_cast<int>(rem % 1000000),
      PyDateTime_TimeZone_UTC, PyDateTimeAPI->DateTimeType);
  if (dt == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(dt);
}

graphstore::Timestamp us_from_py(py::handle value, const char* what) {
  PyObject* o = value.ptr();
  if (o == Py_None) return graphstore::kNoTimestamp;
  if (PyDateTime_Check(o)) {
    int64_t days = days_from_civil(PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o), PyDateTime_GET_DAY(o));
    int64_t us = days * kUsPerDay +
                 (PyDateTime_DATE_GET_HOUR(o) * 3600LL + PyDateTime_DATE_GET_MINUTE(o) * 60LL +
                  PyDateTime_DATE_GET_SECOND(o)) * 1000000LL +
                 PyDateTime_DATE_GET_MICROSECOND(o);
    PyObject* tz = PyDateTime_DATE_GET_TZINFO(o);
    if (tz != Py_None && tz != PyDateTime_TimeZone_UTC) {
      py::object offset = py::reinterpret_borrow<py::object>(value).attr("utcoffset")();
      if (!offset.is_none()) {
        PyObject* td = offset.ptr();
        us -= (PyDateTime_DELTA_GET_DAYS(td) * 86400LL + PyDateTime_DELTA_GET_SECONDS(td)) * 1000000LL +
              PyDateTime_DELTA_GET_MICROSECONDS(td);
      }
    }
    return us;
  }
  if (PyLong_Check(o) && !PyBool_Check(o)) {
    // Not PyLong_AsLongLong: for an int of more than one digit (every
    // timestamp) it goes through a byte array, a tenth of an add's cost.
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow != 0) {
      PyErr_Format(PyExc_OverflowError, "%s is out of the 64-bit range of microseconds", what);
      throw py::error_already_set();
    }
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    return v;
  }
  throw py::type_error(std::string(what) + " must be a datetime or None, not " + Py_TYPE(o)->tp_name);
}

}  // namespace gspy
