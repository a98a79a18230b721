// The classes Store, StoreHandle and Batch of graphstore._native.
#ifndef GRAPHSTORE_PY_STORE_BINDINGS_HPP
#define GRAPHSTORE_PY_STORE_BINDINGS_HPP

#include <pybind11/pybind11.h>

namespace gspy {

void bind_store(pybind11::module_& m);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_STORE_BINDINGS_HPP
