// export, import_file and migrate_to for Python, with progress callbacks.
#ifndef GRAPHSTORE_PY_IO_BINDINGS_HPP
#define GRAPHSTORE_PY_IO_BINDINGS_HPP

#include <pybind11/pybind11.h>

namespace gspy {

void bind_io(pybind11::module_& m);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_IO_BINDINGS_HPP
