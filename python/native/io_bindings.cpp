#include "io_bindings.hpp"

namespace gspy {

void bind_io(pybind11::module_&) {}

}  // namespace gspy
