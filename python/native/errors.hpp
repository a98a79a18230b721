// Status -> Python exception: one class per code, defined in
// graphstore/_errors.py (imported once, at module load).
#ifndef GRAPHSTORE_PY_ERRORS_HPP
#define GRAPHSTORE_PY_ERRORS_HPP

#include <pybind11/pybind11.h>

#include <cstddef>
#include <optional>
#include <string_view>

#include "graphstore/status.hpp"

namespace gspy {

namespace py = pybind11;

// Imports graphstore._errors; call once from the module's init, GIL held.
void init_errors();

// An instance of the class for status's code, not raised (bulk skips).
py::object make_error(const graphstore::Status& status, std::optional<size_t> index = std::nullopt);

// Raises the exception for status (never OK) as a C++ exception pybind11
// passes on to Python. GIL held.
[[noreturn]] void raise_status(const graphstore::Status& status, std::optional<size_t> index = std::nullopt);

// Raises `code` (a name of _errors.BY_CODE) with message.
[[noreturn]] void raise_code(std::string_view code, std::string_view message);

inline void check(const graphstore::Status& status) {
  if (!status.ok()) raise_status(status);
}

}  // namespace gspy

#endif  // GRAPHSTORE_PY_ERRORS_HPP
