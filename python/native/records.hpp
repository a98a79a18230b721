// Entity and Relation for Python: the native record classes, what every
// method taking a record accepts (these, or any object with the same
// attribute names), and what every method returning one builds (these, or
// the store's record factories).
#ifndef GRAPHSTORE_PY_RECORDS_HPP
#define GRAPHSTORE_PY_RECORDS_HPP

#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <vector>

#include "graphstore/types.hpp"

namespace gspy {

namespace py = pybind11;

// The native Entity. properties is parsed from props_json on first access
// (records read from a store are often passed on untouched).
struct PyEntity {
  std::string id;
  std::string entity_type;
  py::object props;  // a dict once parsed or set; null until then
  std::string props_json = "{}";
  py::object embedding;  // None or a float32 numpy array
  graphstore::Timestamp created_at = graphstore::kNoTimestamp;
  graphstore::Timestamp updated_at = graphstore::kNoTimestamp;
  std::optional<std::string> source;
  std::string tenant_id;
};

struct PyRelation {
  std::string id;
  std::string relation_type;
  std::string source_id;
  std::string target_id;
  py::object props;
  std::string props_json = "{}";
  double weight = 1.0;
  graphstore::Timestamp created_at = graphstore::kNoTimestamp;
  graphstore::Timestamp updated_at = graphstore::kNoTimestamp;
  std::optional<std::string> source;
  std::string tenant_id;
};

// Who builds the records a store returns: None (native records) or a
// callable taking the record-factory fields (docs/python.md). `*_slots` is
// set by factories_of when the callable is the `_from_store` classmethod of
// a class declared by register_model_types: the record is then built by
// writing that class's slots, which is all `_from_store` does, without
// running a Python frame (about a third of a neighbours call's cost).
struct Factories {
  py::object entity;
  py::object relation;
  bool entity_slots = false;
  bool relation_slots = false;
};

// The Factories of two callables (None: the native record).
Factories factories_of(py::object entity, py::object relation);

// Registers Entity and Relation on the module.
void bind_records(py::module_& m);

// Any object with the record's attribute names -> the host record. Bad
// values raise TypeError or InvalidArgumentError naming the field. GIL held.
graphstore::Entity entity_from_py(py::handle obj);
graphstore::Relation relation_from_py(py::handle obj);

// A list, tuple or numpy array of numbers -> floats (empty for None or an
// empty sequence). Raises TypeError for anything else.
void embedding_from_py(py::handle obj, std::vector<float>* out);
// A float32 numpy array owning the vector's memory (no copy); None if empty.
py::object embedding_to_py(std::vector<float>&& values);

// Host record -> Python, by the factory when set, else the native class.
// The record is consumed. GIL held.
py::object entity_to_py(graphstore::Entity&& e, const Factories& f);
py::object relation_to_py(graphstore::Relation&& r, const Factories& f);

// A str's UTF-8 bytes, valid while obj lives; TypeError naming `what` for a
// non-str.
std::string_view str_view(py::handle obj, const char* what);

}  // namespace gspy

#endif  // GRAPHSTORE_PY_RECORDS_HPP
