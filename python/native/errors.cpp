#include "errors.hpp"

namespace gspy {

namespace {

// Borrowed for the life of the process: the module's classes must outlive
// every store, also during interpreter shutdown.
PyObject* g_by_code = nullptr;
PyObject* g_error = nullptr;

py::object error_class(std::string_view code) {
  PyObject* cls = PyDict_GetItemString(g_by_code, std::string(code).c_str());
  return py::reinterpret_borrow<py::object>(cls != nullptr ? cls : g_error);
}

py::object build(std::string_view code, std::string_view message, std::optional<size_t> index) {
  py::object cls = error_class(code);
  py::object idx = index ? py::object(py::int_(*index)) : py::object(py::none());
  return cls(py::str(code.data(), code.size()), py::str(message.data(), message.size()), idx);
}

[[noreturn]] void raise_object(const py::object& exc) {
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw py::error_already_set();
}

}  // namespace

void init_errors() {
  py::module_ m = py::module_::import("graphstore._errors");
  g_by_code = py::object(m.attr("BY_CODE")).release().ptr();
  g_error = py::object(m.attr("Error")).release().ptr();
}

py::object make_error(const graphstore::Status& status, std::optional<size_t> index) {
  return build(graphstore::code_name(status.code()), status.message(), index);
}

void raise_status(const graphstore::Status& status, std::optional<size_t> index) {
  raise_object(make_error(status, index));
}

void raise_code(std::string_view code, std::string_view message) { raise_object(build(code, message, std::nullopt)); }

}  // namespace gspy
