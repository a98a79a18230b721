// Python arguments to host values, shared by the pybind11 bindings and the
// METH_FASTCALL methods. Raise InvalidArgumentError (or TypeError, from
// str_view) naming what is wrong. GIL held.
#ifndef GRAPHSTORE_PY_ARGUMENTS_HPP
#define GRAPHSTORE_PY_ARGUMENTS_HPP

#include <string>
#include <string_view>

#include "errors.hpp"
#include "graphstore/types.hpp"
#include "records.hpp"

namespace gspy {

// "out", "in" or "both".
inline graphstore::Direction direction_of(std::string_view d) {
  if (d == "out") return graphstore::Direction::kOut;
  if (d == "in") return graphstore::Direction::kIn;
  if (d == "both") return graphstore::Direction::kBoth;
  raise_code("INVALID_ARGUMENT", "direction must be 'out', 'in' or 'both', not '" + std::string(d) + "'");
}

// A str, or None as the empty text.
inline std::string optional_text(py::handle v, const char* what) {
  if (v.is_none()) return {};
  return std::string(str_view(v, what));
}

}  // namespace gspy

#endif  // GRAPHSTORE_PY_ARGUMENTS_HPP
