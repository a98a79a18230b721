#include "py_json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cmath>
#include <vector>

#include "errors.hpp"

namespace gspy {

namespace {

constexpr int kMaxDepth = 512;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// A failure while writing: the reason and the key path, innermost last
// (filled while the recursion unwinds, so success pays nothing for it).
struct JsonFailure {
  std::string reason;
  std::vector<std::string> path;
};

std::string type_name(py::handle obj) { return Py_TYPE(obj.ptr())->tp_name; }

bool utf8_of(py::handle s, const char** data, Py_ssize_t* size) {
  *data = PyUnicode_AsUTF8AndSize(s.ptr(), size);
  if (*data == nullptr) {
    PyErr_Clear();
    return false;
  }
  return true;
}

// The text of a dict key as json.dumps makes it: str as is; int, bool and
// None spelled out; anything else refused.
bool key_text(py::handle key, std::string* out) {
  PyObject* k = key.ptr();
  if (PyUnicode_Check(k)) {
    const char* d;
    Py_ssize_t n;
    if (!utf8_of(key, &d, &n)) return false;
    out->assign(d, static_cast<size_t>(n));
    return true;
  }
  if (k == Py_True) return *out = "true", true;
  if (k == Py_False) return *out = "false", true;
  if (k == Py_None) return *out = "null", true;
  if (PyLong_Check(k)) {
    *out = py::str(key).cast<std::string>();
    return true;
  }
  return false;
}

std::string repr_key(std::string_view key) {
  std::string r = "['";
  r.append(key);
  r += "']";
  return r;
}

bool write_value(Writer& w, py::handle obj, int depth, JsonFailure* fail);

bool write_number_like(Writer& w, py::handle obj, JsonFailure* fail) {
  PyObject* o = obj.ptr();
  if (PyLong_Check(o) || (!PyFloat_Check(o) && PyIndex_Check(o))) {
    py::object as_int = py::reinterpret_steal<py::object>(PyNumber_Index(o));
    if (!as_int) throw py::error_already_set();
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(as_int.ptr(), &overflow);
    if (overflow == 0) return w.Int64(v);
    if (overflow > 0) {
      unsigned long long u = PyLong_AsUnsignedLongLong(as_int.ptr());
      if (!PyErr_Occurred()) return w.Uint64(u);
      PyErr_Clear();
    }
    // Beyond 64 bits: its decimal digits are still a JSON number.
    std::string digits = py::str(as_int).cast<std::string>();
    return w.RawValue(digits.data(), digits.size(), rapidjson::kNumberType);
  }
  double d = PyFloat_Check(o) ? PyFloat_AS_DOUBLE(o) : PyFloat_AsDouble(o);
  if (d == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  if (!std::isfinite(d)) {
    fail->reason = "float " + py::repr(obj).cast<std::string>() + " is not JSON";
    return false;
  }
  return w.Double(d);
}

bool write_value(Writer& w, py::handle obj, int depth, JsonFailure* fail) {
  PyObject* o = obj.ptr();
  if (depth > kMaxDepth) {
    fail->reason = "nested deeper than 512 levels (or a cycle)";
    return false;
  }
  if (PyUnicode_Check(o)) {
    const char* d;
    Py_ssize_t n;
    if (!utf8_of(obj, &d, &n)) {
      fail->reason = "str is not valid UTF-8 (lone surrogate)";
      return false;
    }
    return w.String(d, static_cast<rapidjson::SizeType>(n));
  }
  if (o == Py_None) return w.Null();
  if (o == Py_True) return w.Bool(true);
  if (o == Py_False) return w.Bool(false);
  if (PyDict_Check(o)) {
    w.StartObject();
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    std::string k;
    while (PyDict_Next(o, &pos, &key, &value)) {
      if (!key_text(key, &k)) {
        fail->reason = "key " + py::repr(key).cast<std::string>() + " is not a string";
        return false;
      }
      w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      if (!write_value(w, value, depth + 1, fail)) {
        fail->path.push_back(repr_key(k));
        return false;
      }
    }
    return w.EndObject();
  }
  if (PyList_Check(o) || PyTuple_Check(o)) {
    w.StartArray();
    py::object seq = py::reinterpret_steal<py::object>(PySequence_Fast(o, "not a sequence"));
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
    PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
    for (Py_ssize_t i = 0; i < n; ++i) {
      if (!write_value(w, items[i], depth + 1, fail)) {
        fail->path.push_back("[" + std::to_string(i) + "]");
        return false;
      }
    }
    return w.EndArray();
  }
  if (PyLong_Check(o) || PyFloat_Check(o) || PyIndex_Check(o) ||
      (Py_TYPE(o)->tp_as_number != nullptr && Py_TYPE(o)->tp_as_number->nb_float != nullptr)) {
    return write_number_like(w, obj, fail);
  }
  fail->reason = type_name(obj) + " is not JSON";
  return false;
}

py::object from_value(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return py::none();
    case rapidjson::kFalseType:
      return py::bool_(false);
    case rapidjson::kTrueType:
      return py::bool_(true);
    case rapidjson::kStringType:
      return py::reinterpret_steal<py::object>(PyUnicode_FromStringAndSize(v.GetString(), v.GetStringLength()));
    case rapidjson::kNumberType:
      if (v.IsInt64()) return py::reinterpret_steal<py::object>(PyLong_FromLongLong(v.GetInt64()));
      if (v.IsUint64()) return py::reinterpret_steal<py::object>(PyLong_FromUnsignedLongLong(v.GetUint64()));
      return py::reinterpret_steal<py::object>(PyFloat_FromDouble(v.GetDouble()));
    case rapidjson::kArrayType: {
      py::list out(v.Size());
      size_t i = 0;
      for (const auto& item : v.GetArray()) PyList_SET_ITEM(out.ptr(), i++, from_value(item).release().ptr());
      return out;
    }
    case rapidjson::kObjectType: {
      py::dict out;
      for (const auto& m : v.GetObject()) {
        py::object key = py::reinterpret_steal<py::object>(
            PyUnicode_FromStringAndSize(m.name.GetString(), m.name.GetStringLength()));
        if (PyDict_SetItem(out.ptr(), key.ptr(), from_value(m.value).ptr()) != 0) throw py::error_already_set();
      }
      return out;
    }
  }
  return py::none();
}

// Appends a str as a JSON string; false for a str that is not valid UTF-8.
bool append_json_string(PyObject* s, std::string* out) {
  Py_ssize_t n;
  const char* d = PyUnicode_AsUTF8AndSize(s, &n);
  if (d == nullptr) {
    PyErr_Clear();
    return false;
  }
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const char* run = d;  // start of the bytes not yet copied
  const char* end = d + n;
  for (const char* p = d; p < end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(run, p);
    run = p + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default: {
        char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(u, 6);
      }
    }
  }
  out->append(run, end);
  out->push_back('"');
  return true;
}

// The common properties dict: str keys, values str, int (64-bit), bool or
// None, no nesting. Written straight into `out`; false (out unspecified)
// for anything else, which the general writer then handles and reports.
bool flat_dict_to_json(PyObject* dict, std::string* out) {
  out->clear();
  // Room for short keys and values in one allocation, guessed from the
  // size (a pass over the items to measure them cost what it saved).
  out->reserve(2 + 40 * static_cast<size_t>(PyDict_GET_SIZE(dict)));
  out->push_back('{');
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  bool first = true;
  char digits[24];
  while (PyDict_Next(dict, &pos, &key, &value)) {
    if (!PyUnicode_CheckExact(key)) return false;
    if (!first) out->push_back(',');
    first = false;
    if (!append_json_string(key, out)) return false;
    out->push_back(':');
    if (PyUnicode_CheckExact(value)) {
      if (!append_json_string(value, out)) return false;
    } else if (value == Py_None) {
      out->append("null");
    } else if (value == Py_True) {
      out->append("true");
    } else if (value == Py_False) {
      out->append("false");
    } else if (PyLong_CheckExact(value)) {
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
      if (overflow != 0 || (v == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return false;
      }
      auto r = std::to_chars(digits, digits + sizeof digits, v);
      out->append(digits, r.ptr);
    } else {
      return false;
    }
  }
  out->push_back('}');
  return true;
}

}  // namespace

void to_json(py::handle obj, std::string_view what, std::string* out) {
  if (PyDict_CheckExact(obj.ptr()) && flat_dict_to_json(obj.ptr(), out)) return;
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  JsonFailure fail;
  if (!write_value(w, obj, 1, &fail)) {
    std::string where(what);
    for (auto it = fail.path.rbegin(); it != fail.path.rend(); ++it) where += *it;
    raise_code("INVALID_ARGUMENT", where + ": " + fail.reason);
  }
  out->assign(buffer.GetString(), buffer.GetSize());
}

py::object from_json(std::string_view text) {
  if (text == "{}") return py::dict();
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    raise_code("CORRUPTION", std::string("stored JSON does not parse: ") + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return from_value(doc);
}

}  // namespace gspy
