#include "encode.hpp"

#include <datetime.h>

#include <cmath>

namespace graphstore::pg {
namespace {

PyObject* g_json_dumps = nullptr;

// The UTF-8 of str(obj) (or of obj itself when it is a str) into out.
bool utf8_of(PyObject* obj, std::string* out) {
  PyObject* s = PyUnicode_Check(obj) ? (Py_INCREF(obj), obj) : PyObject_Str(obj);
  if (!s) return false;
  Py_ssize_t n = 0;
  const char* p = PyUnicode_AsUTF8AndSize(s, &n);
  if (p) out->assign(p, static_cast<size_t>(n));
  Py_DECREF(s);
  return p != nullptr;
}

bool float_text(PyObject* obj, std::string* out) {
  double v = PyFloat_AsDouble(obj);
  if (v == -1.0 && PyErr_Occurred()) return false;
  if (std::isnan(v)) {
    *out = "NaN";
  } else if (std::isinf(v)) {
    *out = v > 0 ? "Infinity" : "-Infinity";
  } else {
    char* s = PyOS_double_to_string(v, 'r', 0, 0, nullptr);
    if (!s) return false;
    *out = s;
    PyMem_Free(s);
  }
  return true;
}

bool call_text(PyObject* obj, const char* method, std::string* out) {
  PyObject* s = PyObject_CallMethod(obj, method, nullptr);
  if (!s) return false;
  bool ok = utf8_of(s, out);
  Py_DECREF(s);
  return ok;
}

// The text of one non-NULL scalar or nested value, as a parameter or as an
// array element. *binary is set for bytes-like values at the top level.
bool value_text(PyObject* obj, std::string* out, bool* binary, bool in_array);

bool array_text(PyObject* seq, std::string* out) {
  PyObject* fast = PySequence_Fast(seq, "expected a sequence");
  if (!fast) return false;
  out->push_back('{');
  Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
  for (Py_ssize_t i = 0; i < n; ++i) {
    if (i) out->push_back(',');
    PyObject* item = PySequence_Fast_GET_ITEM(fast, i);
    if (item == Py_None) {
      *out += "NULL";
      continue;
    }
    std::string text;
    bool binary = false;
    if (!value_text(item, &text, &binary, true)) {
      Py_DECREF(fast);
      return false;
    }
    if (PyList_Check(item) || PyTuple_Check(item)) {
      *out += text;  // a sub-array is not quoted
      continue;
    }
    out->push_back('"');
    for (char c : text) {
      if (c == '"' || c == '\\') out->push_back('\\');
      out->push_back(c);
    }
    out->push_back('"');
  }
  out->push_back('}');
  Py_DECREF(fast);
  return true;
}

bool bytes_hex(const char* p, Py_ssize_t n, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->reserve(2 + 2 * static_cast<size_t>(n));
  *out = "\\x";
  for (Py_ssize_t i = 0; i < n; ++i) {
    auto b = static_cast<unsigned char>(p[i]);
    out->push_back(kHex[b >> 4]);
    out->push_back(kHex[b & 15]);
  }
  return true;
}

bool value_text(PyObject* obj, std::string* out, bool* binary, bool in_array) {
  if (PyBool_Check(obj)) {
    *out = obj == Py_True ? "true" : "false";
    return true;
  }
  if (PyLong_Check(obj)) {
    PyObject* plain = PyNumber_Index(obj);  // an IntEnum as its number
    if (!plain) return false;
    PyObject* s = PyObject_Str(plain);
    Py_DECREF(plain);
    if (!s) return false;
    bool ok = utf8_of(s, out);
    Py_DECREF(s);
    return ok;
  }
  if (PyFloat_Check(obj)) return float_text(obj, out);
  if (PyUnicode_Check(obj)) return utf8_of(obj, out);
  if (PyBytes_Check(obj) || PyByteArray_Check(obj) || PyMemoryView_Check(obj)) {
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) return false;
    const char* p = static_cast<const char*>(view.buf);
    if (in_array) {
      bytes_hex(p, view.len, out);
    } else {
      out->assign(p, static_cast<size_t>(view.len));
      *binary = true;
    }
    PyBuffer_Release(&view);
    return true;
  }
  if (PyDateTime_Check(obj) || PyDate_Check(obj) || PyTime_Check(obj)) return call_text(obj, "isoformat", out);
  if (PyDelta_Check(obj)) {
    // Days apart from the time, as PostgreSQL keeps them (a timedelta of one
    // day reads back as "1 day", not "24:00:00").
    *out = std::to_string(PyDateTime_DELTA_GET_DAYS(obj)) + " days " +
           std::to_string(PyDateTime_DELTA_GET_SECONDS(obj)) + " seconds " +
           std::to_string(PyDateTime_DELTA_GET_MICROSECONDS(obj)) + " microseconds";
    return true;
  }
  if (PyList_Check(obj) || PyTuple_Check(obj)) return array_text(obj, out);
  if (PyDict_Check(obj)) {
    PyObject* s = PyObject_CallOneArg(g_json_dumps, obj);
    if (!s) return false;
    bool ok = utf8_of(s, out);
    Py_DECREF(s);
    return ok;
  }
  if (PyObject_HasAttrString(obj, "tolist")) {
    // numpy arrays and scalars: as the lists and numbers they hold.
    PyObject* plain = PyObject_CallMethod(obj, "tolist", nullptr);
    if (!plain) return false;
    bool ok = value_text(plain, out, binary, in_array);
    Py_DECREF(plain);
    return ok;
  }
  return utf8_of(obj, out);  // Decimal, UUID, enums' str, ...
}

}  // namespace

void Params::finish() {
  values.resize(text.size());
  lengths.resize(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    values[i] = is_null[i] ? nullptr : text[i].data();
    lengths[i] = static_cast<int>(text[i].size());
  }
}

bool init_encode() {
  PyDateTime_IMPORT;
  if (!PyDateTimeAPI) return false;
  PyObject* json = PyImport_ImportModule("json");
  if (!json) return false;
  g_json_dumps = PyObject_GetAttrString(json, "dumps");
  Py_DECREF(json);
  return g_json_dumps != nullptr;
}

bool encode_params(PyObject* args, Params* out) {
  if (args == nullptr || args == Py_None) return true;
  PyObject* fast = PySequence_Fast(args, "query arguments must be a sequence");
  if (!fast) return false;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* item = PySequence_Fast_GET_ITEM(fast, i);
    out->text.emplace_back();
    out->is_null.push_back(item == Py_None);
    bool binary = false;
    if (item != Py_None && !value_text(item, &out->text.back(), &binary, false)) {
      Py_DECREF(fast);
      return false;
    }
    out->formats.push_back(binary ? 1 : 0);
  }
  Py_DECREF(fast);
  return true;
}

}  // namespace graphstore::pg
