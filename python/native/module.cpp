// graphstore._native: the host API for Python (docs/python.md). The
// pure-Python package graphstore re-exports it and adds thin glue (lazy
// scans, the batch context manager).
#include <pybind11/pybind11.h>

#include "errors.hpp"
#include "fast_calls.hpp"
#include "io_bindings.hpp"
#include "open_bindings.hpp"
#include "records.hpp"
#include "results.hpp"
#include "store_bindings.hpp"
#include "timestamps.hpp"

PYBIND11_MODULE(_native, m) {
  m.doc() = "graphstore's host API (the extension under the graphstore package)";
  gspy::init_errors();
  gspy::init_results();
  gspy::init_timestamps();
  gspy::bind_records(m);
  gspy::bind_store(m);
  gspy::install_fast_calls(m);
  gspy::bind_open(m);
  gspy::bind_io(m);
}
