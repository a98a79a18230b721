#include "results.hpp"

#include <pybind11/stl.h>

#include "errors.hpp"

namespace gspy {

namespace {

// The module graphstore._types, kept for the life of the process.
PyObject* g_types = nullptr;

}  // namespace

void init_results() { g_types = py::module_::import("graphstore._types").release().ptr(); }

py::object result_class(const char* name) {
  return py::reinterpret_borrow<py::module_>(g_types).attr(name);
}

py::object plugin_info_to_py(const graphstore::PluginInfo& info) {
  bool nonblocking = false;
  for (const auto& c : info.capabilities) nonblocking = nonblocking || c == "nonblocking";
  return result_class("PluginInfo")(info.id, info.name, info.version, info.path, info.abi_major, info.abi_minor,
                                    info.thread_safe, info.capabilities, nonblocking);
}

py::list entities_to_py(std::vector<graphstore::Entity>&& entities, const Factories& f) {
  py::list out(entities.size());
  for (size_t i = 0; i < entities.size(); ++i)
    PyList_SET_ITEM(out.ptr(), i, entity_to_py(std::move(entities[i]), f).release().ptr());
  return out;
}

py::list relations_to_py(std::vector<graphstore::Relation>&& relations, const Factories& f) {
  py::list out(relations.size());
  for (size_t i = 0; i < relations.size(); ++i)
    PyList_SET_ITEM(out.ptr(), i, relation_to_py(std::move(relations[i]), f).release().ptr());
  return out;
}

py::list neighbors_to_py(std::vector<graphstore::Neighbor>&& neighbors, const Factories& f) {
  py::object cls = result_class("Neighbor");
  py::list out(neighbors.size());
  for (size_t i = 0; i < neighbors.size(); ++i) {
    py::object n = cls(relation_to_py(std::move(neighbors[i].relation), f), entity_to_py(std::move(neighbors[i].entity), f));
    PyList_SET_ITEM(out.ptr(), i, n.release().ptr());
  }
  return out;
}

py::object traverse_to_py(graphstore::TraverseResult&& r, const Factories& f) {
  py::object cls = result_class("TraverseHit");
  py::list hits(r.hits.size());
  for (size_t i = 0; i < r.hits.size(); ++i) {
    auto& h = r.hits[i];
    py::object via = h.depth == 0 ? py::object(py::none()) : relation_to_py(std::move(h.via), f);
    PyList_SET_ITEM(hits.ptr(), i, cls(entity_to_py(std::move(h.entity), f), h.depth, via).release().ptr());
  }
  return result_class("TraverseResult")(hits, r.truncated);
}

py::list paths_to_py(std::vector<graphstore::Path>&& paths, const Factories& f) {
  py::object cls = result_class("Path");
  py::list out(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    py::object p = cls(entities_to_py(std::move(paths[i].entities), f), relations_to_py(std::move(paths[i].relations), f));
    PyList_SET_ITEM(out.ptr(), i, p.release().ptr());
  }
  return out;
}

py::object path_result_to_py(graphstore::PathResult&& r, const Factories& f) {
  return result_class("PathResult")(paths_to_py(std::move(r.paths), f), r.truncated);
}

py::object subgraph_to_py(graphstore::Subgraph&& g, const Factories& f) {
  return result_class("Subgraph")(entities_to_py(std::move(g.entities), f), relations_to_py(std::move(g.relations), f));
}

py::list scored_to_py(std::vector<graphstore::ScoredEntity>&& hits, const Factories& f) {
  py::object cls = result_class("ScoredEntity");
  py::list out(hits.size());
  for (size_t i = 0; i < hits.size(); ++i)
    PyList_SET_ITEM(out.ptr(), i, cls(entity_to_py(std::move(hits[i].entity), f), hits[i].score).release().ptr());
  return out;
}

py::object bulk_to_py(const graphstore::BulkResult& r) {
  py::list skipped(r.skipped.size());
  for (size_t i = 0; i < r.skipped.size(); ++i) {
    const auto& s = r.skipped[i];
    PyList_SET_ITEM(skipped.ptr(), i, py::make_tuple(s.index, make_error(s.status, s.index)).release().ptr());
  }
  return result_class("BulkResult")(r.added, skipped);
}

py::object stats_to_py(const graphstore::Stats& s) {
  return result_class("Stats")(s.entity_count, s.relation_count, s.entities_by_type, s.relations_by_type);
}

py::object removed_to_py(const graphstore::Removed& r) { return result_class("Removed")(r.entities, r.relations); }

py::object query_result_to_py(graphstore::QueryResult&& r, const Factories& f) {
  return result_class("QueryResult")(entities_to_py(std::move(r.entities), f), relations_to_py(std::move(r.relations), f),
                                     paths_to_py(std::move(r.paths), f), r.scores, r.truncated);
}

py::object swap_report_to_py(const graphstore::SwapReport& r) {
  return result_class("SwapReport")(r.copied_entities, r.copied_relations, r.caught_up_writes, r.seconds,
                                    r.paused_seconds);
}

}  // namespace gspy
