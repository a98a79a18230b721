// Registry, open_backend and open (the CLI's config rules) for Python.
#ifndef GRAPHSTORE_PY_OPEN_BINDINGS_HPP
#define GRAPHSTORE_PY_OPEN_BINDINGS_HPP

#include <pybind11/pybind11.h>

namespace gspy {

void bind_open(pybind11::module_& m);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_OPEN_BINDINGS_HPP
