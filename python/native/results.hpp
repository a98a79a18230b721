// Host result structs -> the small classes of graphstore/_types.py.
#ifndef GRAPHSTORE_PY_RESULTS_HPP
#define GRAPHSTORE_PY_RESULTS_HPP

#include <pybind11/pybind11.h>

#include <vector>

#include "graphstore/store.hpp"
#include "graphstore/store_handle.hpp"
#include "records.hpp"

namespace gspy {

namespace py = pybind11;

// Imports graphstore._types; once, from the module's init.
void init_results();

py::object plugin_info_to_py(const graphstore::PluginInfo& info);
py::list entities_to_py(std::vector<graphstore::Entity>&& entities, const Factories& f);
py::list relations_to_py(std::vector<graphstore::Relation>&& relations, const Factories& f);
py::list neighbors_to_py(std::vector<graphstore::Neighbor>&& neighbors, const Factories& f);
py::object traverse_to_py(graphstore::TraverseResult&& r, const Factories& f);
py::list paths_to_py(std::vector<graphstore::Path>&& paths, const Factories& f);
py::object path_result_to_py(graphstore::PathResult&& r, const Factories& f);
py::object subgraph_to_py(graphstore::Subgraph&& g, const Factories& f);
py::list scored_to_py(std::vector<graphstore::ScoredEntity>&& hits, const Factories& f);
py::object bulk_to_py(const graphstore::BulkResult& r);
py::object stats_to_py(const graphstore::Stats& s);
py::object removed_to_py(const graphstore::Removed& r);
py::object query_result_to_py(graphstore::QueryResult&& r, const Factories& f);
py::object swap_report_to_py(const graphstore::SwapReport& r);
// Any class of graphstore._types by name, for the io bindings.
py::object result_class(const char* name);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_RESULTS_HPP
