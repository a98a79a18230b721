#include "decode.hpp"

#include <datetime.h>

#include <strings.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace graphstore::pg {
namespace {

// Type OIDs (pg_type.dat); stable across server versions.
enum : Oid {
  kBool = 16, kBytea = 17, kChar = 18, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26,
  kJson = 114, kFloat4 = 700, kFloat8 = 701, kBpchar = 1042, kVarchar = 1043, kDate = 1082, kTime = 1083,
  kTimestamp = 1114, kTimestamptz = 1184, kTimetz = 1266, kNumeric = 1700, kUuid = 2950, kJsonb = 3802,
};

PyObject* g_decimal = nullptr;  // decimal.Decimal
PyObject* g_uuid = nullptr;     // uuid.UUID
PyObject* g_utc = nullptr;      // datetime.timezone.utc

// The element type of the array types decoded as lists; 0 for any other type.
Oid element_of(Oid array) {
  switch (array) {
    case 1000: return kBool;
    case 1001: return kBytea;
    case 1002: return kChar;
    case 1003: return kName;
    case 1005: return kInt2;
    case 1007: return kInt4;
    case 1016: return kInt8;
    case 1028: return kOid;
    case 1009: return kText;
    case 1014: return kBpchar;
    case 1015: return kVarchar;
    case 1021: return kFloat4;
    case 1022: return kFloat8;
    case 1231: return kNumeric;
    case 1115: return kTimestamp;
    case 1185: return kTimestamptz;
    case 1182: return kDate;
    case 1183: return kTime;
    case 199: return kJson;
    case 3807: return kJsonb;
    case 2951: return kUuid;
    default: return 0;
  }
}

PyObject* text_of(const char* text, int len) { return PyUnicode_DecodeUTF8(text, len, "strict"); }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

PyObject* decode_bytea(const char* text, int len) {
  if (len >= 2 && text[0] == '\\' && text[1] == 'x') {
    size_t n = static_cast<size_t>(len - 2) / 2;
    PyObject* out = PyBytes_FromStringAndSize(nullptr, static_cast<Py_ssize_t>(n));
    if (!out) return nullptr;
    char* dst = PyBytes_AS_STRING(out);
    for (size_t i = 0; i < n; ++i) {
      int hi = hex_digit(text[2 + 2 * i]), lo = hex_digit(text[3 + 2 * i]);
      if (hi < 0 || lo < 0) {
        Py_DECREF(out);
        PyErr_SetString(PyExc_ValueError, "malformed bytea value from the server");
        return nullptr;
      }
      dst[i] = static_cast<char>(hi * 16 + lo);
    }
    return out;
  }
  // bytea_output = escape: libpq knows that format.
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
  if (!raw) return PyErr_NoMemory();
  PyObject* out = PyBytes_FromStringAndSize(reinterpret_cast<const char*>(raw), static_cast<Py_ssize_t>(n));
  PQfreemem(raw);
  return out;
}

// Parses digits at *p (at least min, at most max), advancing p.
bool digits(const char*& p, int min, int max, long* out) {
  long v = 0;
  int n = 0;
  while (n < max && *p >= '0' && *p <= '9') {
    v = v * 10 + (*p - '0');
    ++p;
    ++n;
  }
  *out = v;
  return n >= min;
}

// "HH:MM:SS[.ffffff]" at p.
bool parse_time(const char*& p, long* h, long* mi, long* s, long* us) {
  if (!digits(p, 2, 2, h) || *p++ != ':' || !digits(p, 2, 2, mi) || *p++ != ':' || !digits(p, 2, 2, s)) return false;
  *us = 0;
  if (*p == '.') {
    ++p;
    int n = 0;
    while (*p >= '0' && *p <= '9') {
      if (n < 6) *us = *us * 10 + (*p - '0');
      ++n;
      ++p;
    }
    for (; n < 6; ++n) *us *= 10;
  }
  return true;
}

// "+HH[:MM[:SS]]" or "-..." at p, in seconds east of UTC.
bool parse_offset(const char*& p, long* seconds) {
  if (*p != '+' && *p != '-') return false;
  int sign = *p++ == '-' ? -1 : 1;
  long h = 0, m = 0, s = 0;
  if (!digits(p, 2, 2, &h)) return false;
  if (*p == ':') {
    ++p;
    if (!digits(p, 2, 2, &m)) return false;
    if (*p == ':') {
      ++p;
      if (!digits(p, 2, 2, &s)) return false;
    }
  }
  *seconds = sign * (h * 3600 + m * 60 + s);
  return true;
}

// A tzinfo for the offset: UTC itself, or a fixed-offset timezone.
PyObject* tz_of(long seconds) {
  if (seconds == 0) {
    Py_INCREF(g_utc);
    return g_utc;
  }
  PyObject* delta = PyDelta_FromDSU(0, static_cast<int>(seconds), 0);
  if (!delta) return nullptr;
  PyObject* tz = PyTimeZone_FromOffset(delta);
  Py_DECREF(delta);
  return tz;
}

PyObject* infinity_of(PyObject* type, bool negative, bool aware) {
  PyObject* v = PyObject_GetAttrString(type, negative ? "min" : "max");
  if (!v || !aware) return v;
  PyObject* out = PyObject_CallMethod(v, "replace", nullptr);
  Py_DECREF(v);
  if (!out) return nullptr;
  PyObject* kwargs = Py_BuildValue("{s:O}", "tzinfo", g_utc);
  PyObject* replace = PyObject_GetAttrString(out, "replace");
  Py_DECREF(out);
  if (!kwargs || !replace) {
    Py_XDECREF(kwargs);
    Py_XDECREF(replace);
    return nullptr;
  }
  PyObject* empty = PyTuple_New(0);
  PyObject* aware_v = PyObject_Call(replace, empty, kwargs);
  Py_DECREF(empty);
  Py_DECREF(replace);
  Py_DECREF(kwargs);
  return aware_v;
}

// ISO DateStyle "YYYY-MM-DD HH:MM:SS[.f][+HH[:MM]]". Years before 1 or after
// 9999 (and BC dates) have no datetime: they come back as text.
PyObject* decode_timestamp(const char* text, int len, bool aware) {
  auto* type = reinterpret_cast<PyObject*>(PyDateTimeAPI->DateTimeType);
  if (std::strcmp(text, "infinity") == 0) return infinity_of(type, false, aware);
  if (std::strcmp(text, "-infinity") == 0) return infinity_of(type, true, aware);
  const char* p = text;
  long y, mo, d, h, mi, s, us, off = 0;
  bool ok = digits(p, 4, 9, &y) && *p++ == '-' && digits(p, 2, 2, &mo) && *p++ == '-' && digits(p, 2, 2, &d) &&
            *p++ == ' ' && parse_time(p, &h, &mi, &s, &us);
  if (ok && aware) ok = parse_offset(p, &off);
  if (!ok || *p != '\0' || y < 1 || y > 9999) return text_of(text, len);
  PyObject* tz = aware ? tz_of(off) : Py_None;
  if (!tz) return nullptr;
  if (!aware) Py_INCREF(tz);
  PyObject* v = PyDateTimeAPI->DateTime_FromDateAndTime(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d),
                                                         static_cast<int>(h), static_cast<int>(mi), static_cast<int>(s),
                                                         static_cast<int>(us), tz, PyDateTimeAPI->DateTimeType);
  Py_DECREF(tz);
  if (v && aware && off != 0) {
    PyObject* utc = PyObject_CallMethod(v, "astimezone", "O", g_utc);
    Py_DECREF(v);
    return utc;
  }
  return v;
}

PyObject* decode_date(const char* text, int len) {
  auto* type = reinterpret_cast<PyObject*>(PyDateTimeAPI->DateType);
  if (std::strcmp(text, "infinity") == 0) return infinity_of(type, false, false);
  if (std::strcmp(text, "-infinity") == 0) return infinity_of(type, true, false);
  const char* p = text;
  long y, mo, d;
  if (!(digits(p, 4, 9, &y) && *p++ == '-' && digits(p, 2, 2, &mo) && *p++ == '-' && digits(p, 2, 2, &d)) ||
      *p != '\0' || y < 1 || y > 9999)
    return text_of(text, len);
  return PyDate_FromDate(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d));
}

PyObject* decode_time(const char* text, int len, bool aware) {
  const char* p = text;
  long h, mi, s, us, off = 0;
  bool ok = parse_time(p, &h, &mi, &s, &us);
  if (ok && aware) ok = parse_offset(p, &off);
  if (!ok || *p != '\0' || h > 23) return text_of(text, len);  // 24:00:00 has no time
  PyObject* tz = aware ? tz_of(off) : Py_None;
  if (!tz) return nullptr;
  if (!aware) Py_INCREF(tz);
  PyObject* v = PyDateTimeAPI->Time_FromTime(static_cast<int>(h), static_cast<int>(mi), static_cast<int>(s),
                                             static_cast<int>(us), tz, PyDateTimeAPI->TimeType);
  Py_DECREF(tz);
  return v;
}

PyObject* decode_int(const char* text, int len) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno == 0 && end == text + len) return PyLong_FromLongLong(v);
  return PyLong_FromString(text, nullptr, 10);
}

PyObject* decode_float(const char* text) {
  double v = PyOS_string_to_double(text, nullptr, nullptr);
  if (v == -1.0 && PyErr_Occurred()) return nullptr;
  return PyFloat_FromDouble(v);
}

// Array text format: "{a,"b c",NULL,{...}}", optionally preceded by
// dimension bounds ("[0:2]={...}"). Unquoted NULL is SQL NULL.
class ArrayParser {
 public:
  ArrayParser(const char* text, Oid element) : p_(text), element_(element) {}

  PyObject* parse() {
    if (*p_ == '[') {
      while (*p_ && *p_ != '=') ++p_;
      if (*p_ == '=') ++p_;
    }
    if (*p_ != '{') return bad();
    return list();
  }

 private:
  PyObject* bad() {
    PyErr_SetString(PyExc_ValueError, "malformed array value from the server");
    return nullptr;
  }

  PyObject* list() {
    ++p_;  // '{'
    PyObject* out = PyList_New(0);
    if (!out) return nullptr;
    if (*p_ == '}') {
      ++p_;
      return out;
    }
    for (;;) {
      while (*p_ == ' ') ++p_;
      PyObject* item = *p_ == '{' ? list() : element();
      if (!item || PyList_Append(out, item) < 0) {
        Py_XDECREF(item);
        Py_DECREF(out);
        return nullptr;
      }
      Py_DECREF(item);
      while (*p_ == ' ') ++p_;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        return out;
      }
      Py_DECREF(out);
      return bad();
    }
  }

  PyObject* element() {
    std::string buf;
    if (*p_ == '"') {
      ++p_;
      while (*p_ && *p_ != '"') {
        if (*p_ == '\\' && p_[1]) ++p_;
        buf.push_back(*p_++);
      }
      if (*p_ != '"') return bad();
      ++p_;
    } else {
      while (*p_ && *p_ != ',' && *p_ != '}') buf.push_back(*p_++);
      while (!buf.empty() && buf.back() == ' ') buf.pop_back();
      if (buf.size() == 4 && strncasecmp(buf.c_str(), "NULL", 4) == 0) Py_RETURN_NONE;
    }
    return decode_value(element_, buf.c_str(), static_cast<int>(buf.size()));
  }

  const char* p_;
  Oid element_;
};

PyObject* import_attr(const char* module, const char* name) {
  PyObject* m = PyImport_ImportModule(module);
  if (!m) return nullptr;
  PyObject* v = PyObject_GetAttrString(m, name);
  Py_DECREF(m);
  return v;
}

}  // namespace

bool init_decode() {
  PyDateTime_IMPORT;
  if (!PyDateTimeAPI) return false;
  g_decimal = import_attr("decimal", "Decimal");
  g_uuid = import_attr("uuid", "UUID");
  g_utc = PyDateTime_TimeZone_UTC;
  Py_XINCREF(g_utc);
  return g_decimal && g_uuid && g_utc;
}

PyObject* decode_value(Oid oid, const char* text, int len) {
  switch (oid) {
    case kBool: return PyBool_FromLong(text[0] == 't');
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: return decode_int(text, len);
    case kFloat4:
    case kFloat8: return decode_float(text);
    case kNumeric: return PyObject_CallFunction(g_decimal, "s#", text, static_cast<Py_ssize_t>(len));
    case kBytea: return decode_bytea(text, len);
    case kTimestamp: return decode_timestamp(text, len, false);
    case kTimestamptz: return decode_timestamp(text, len, true);
    case kDate: return decode_date(text, len);
    case kTime: return decode_time(text, len, false);
    case kTimetz: return decode_time(text, len, true);
    case kUuid: return PyObject_CallFunction(g_uuid, "s#", text, static_cast<Py_ssize_t>(len));
    default: break;
  }
  if (Oid element = element_of(oid)) return ArrayParser(text, element).parse();
  return text_of(text, len);
}

}  // namespace graphstore::pg
