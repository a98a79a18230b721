// Timestamps (microseconds since the epoch, UTC) <-> datetime.
#ifndef GRAPHSTORE_PY_TIMESTAMPS_HPP
#define GRAPHSTORE_PY_TIMESTAMPS_HPP

#include <pybind11/pybind11.h>

#include "graphstore/types.hpp"

namespace gspy {

namespace py = pybind11;

// Loads the datetime C API; once, from the module's init.
void init_timestamps();

// A timezone-aware UTC datetime; None for kNoTimestamp. A time outside
// datetime's years 1..9999 raises InvalidArgumentError.
py::object datetime_from_us(graphstore::Timestamp us);

// None -> kNoTimestamp; a datetime (naive = UTC, aware converted to UTC);
// an int is taken as microseconds. Anything else raises TypeError naming
// `what`.
graphstore::Timestamp us_from_py(py::handle value, const char* what);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_TIMESTAMPS_HPP
