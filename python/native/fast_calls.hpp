// The hottest Store methods (get_entity, get_relation, add_entity,
// add_relation, neighbor_entities) as METH_FASTCALL methods, without pybind11's generic
// dispatch (which costs more than the in-memory store's own lookup).
// Same names, arguments and errors as pybind11 bindings of them would have.
#ifndef GRAPHSTORE_PY_FAST_CALLS_HPP
#define GRAPHSTORE_PY_FAST_CALLS_HPP

#include <pybind11/pybind11.h>

namespace gspy {

// Installs them on the class Store (after bind_store).
void install_fast_calls(pybind11::module_& m);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_FAST_CALLS_HPP
