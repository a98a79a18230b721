// Python values <-> JSON text, in C++ (never json.dumps): dict, list,
// tuple, str, int, float, bool and None, plus numpy-style scalars (anything
// with __index__ or __float__). Used for record properties.
#ifndef GRAPHSTORE_PY_JSON_HPP
#define GRAPHSTORE_PY_JSON_HPP

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

namespace gspy {

namespace py = pybind11;

// Appends obj as JSON text to *out. A value JSON cannot hold (a set, a
// datetime, NaN, a non-string key other than int/bool/None, nesting deeper
// than 512, a cycle) raises InvalidArgumentError naming its key path, e.g.
// "properties['a'][2]: float nan is not JSON". GIL held.
void to_json(py::handle obj, std::string_view what, std::string* out);

// Parses JSON text (as the store returns it) into Python values. Invalid
// text raises CorruptionError. GIL held.
py::object from_json(std::string_view text);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_JSON_HPP
