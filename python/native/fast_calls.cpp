#include "fast_calls.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "errors.hpp"
#include "records.hpp"
#include "results.hpp"
#include "store_object.hpp"

namespace gspy {

namespace {

using graphstore::Status;
using graphstore::Store;

// Parses (first, *, tenant=None) from a vectorcall; false with TypeError set.
bool parse(const char* fname, const char* first_name, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
           PyObject** first, PyObject** tenant) {
  *first = nargs >= 1 ? args[0] : nullptr;
  *tenant = Py_None;
  if (nargs > 1) {
    PyErr_Format(PyExc_TypeError, "%s() takes 1 positional argument but %zd were given", fname, nargs);
    return false;
  }
  Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t i = 0; i < nkw; ++i) {
    const char* key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, i));
    if (key == nullptr) return false;
    if (std::strcmp(key, "tenant") == 0) {
      *tenant = args[nargs + i];
    } else if (std::strcmp(key, first_name) == 0 && *first == nullptr) {
      *first = args[nargs + i];
    } else {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", fname, key);
      return false;
    }
  }
  if (*first == nullptr) {
    PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", fname, first_name);
    return false;
  }
  return true;
}

// Runs body, turning C++ exceptions into Python errors (as pybind11 does).
template <class Body>
PyObject* guarded(Body&& body) {
  try {
    return body().release().ptr();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (py::builtin_exception& e) {
    e.set_error();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

PyTypeObject* g_store_type = nullptr;
PyTypeObject* g_handle_type = nullptr;

// A vector of entities of this thread, kept between calls so that a
// neighbours call reuses its records' buffers (Store::get_neighbor_entities
// overwrites them) instead of allocating each string anew. Up to kKeep
// records stay; a call that re-enters (Python code run while records are
// converted, a finaliser say) gets a vector of its own.
class ScratchEntities {
 public:
  ScratchEntities() {
    Kept& k = kept();
    if (!k.in_use) {
      k.in_use = true;
      records_ = &k.records;
    }
  }
  ~ScratchEntities() {
    if (records_ == &own_) return;
    if (records_->size() > kKeep) records_->resize(kKeep);
    kept().in_use = false;
  }
  ScratchEntities(const ScratchEntities&) = delete;
  ScratchEntities& operator=(const ScratchEntities&) = delete;

  std::vector<graphstore::Entity>& get() { return *records_; }

 private:
  static constexpr size_t kKeep = 64;
  struct Kept {
    std::vector<graphstore::Entity> records;
    bool in_use = false;
  };
  static Kept& kept() {
    thread_local Kept k;
    return k;
  }
  std::vector<graphstore::Entity> own_;
  std::vector<graphstore::Entity>* records_ = &own_;
};

// The PyStore behind self. For the module's own two classes the value is
// read straight from the pybind11 instance: a cast looks the C++ type up
// by name (a hash of its mangled name), a fifth of a point read's cost.
PyStore& self_of(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  if (type == g_store_type || type == g_handle_type) {
    void* value = reinterpret_cast<py::detail::instance*>(self)->get_value_and_holder().value_ptr();
    if (value != nullptr) {
      if (type == g_handle_type) return *static_cast<PyStoreHandle*>(value);
      return *static_cast<PyStore*>(value);
    }
  }
  return py::handle(self).cast<PyStore&>();  // a Python subclass, or not constructed: pybind11 says
}

PyObject* get_entity(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  PyObject *id, *tenant;
  if (!parse("get_entity", "id", args, nargs, kwnames, &id, &tenant)) return nullptr;
  return guarded([&]() -> py::object {
    PyStore& s = self_of(self);
    auto idv = str_view(id, "id");
    auto t = s.tenant_of(tenant);
    graphstore::Entity e;
    Status st = s.read([&](Store& store) { return store.get_entity(t, idv, &e); });
    if (st.is_not_found()) return py::none();
    check(st);
    return entity_to_py(std::move(e), s.factories);
  });
}

PyObject* get_relation(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  PyObject *id, *tenant;
  if (!parse("get_relation", "id", args, nargs, kwnames, &id, &tenant)) return nullptr;
  return guarded([&]() -> py::object {
    PyStore& s = self_of(self);
    auto idv = str_view(id, "id");
    auto t = s.tenant_of(tenant);
    graphstore::Relation r;
    Status st = s.read([&](Store& store) { return store.get_relation(t, idv, &r); });
    if (st.is_not_found()) return py::none();
    check(st);
    return relation_to_py(std::move(r), s.factories);
  });
}

PyObject* add_entity(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  PyObject *obj, *tenant;
  if (!parse("add_entity", "entity", args, nargs, kwnames, &obj, &tenant)) return nullptr;
  return guarded([&]() -> py::object {
    PyStore& s = self_of(self);
    graphstore::Entity e = entity_from_py(obj);
    auto t = s.tenant_of(tenant);
    check(s.write([&](auto& target) { return target.add_entity(t, e); }));
    return py::none();
  });
}

PyObject* add_relation(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  PyObject *obj, *tenant;
  if (!parse("add_relation", "relation", args, nargs, kwnames, &obj, &tenant)) return nullptr;
  return guarded([&]() -> py::object {
    PyStore& s = self_of(self);
    graphstore::Relation r = relation_from_py(obj);
    auto t = s.tenant_of(tenant);
    check(s.write([&](auto& target) { return target.add_relation(t, r); }));
    return py::none();
  });
}

// neighbor_entities(id, direction="out", relation_type=None, *, tenant=None,
// distinct=False): the drop-in's get_neighbors, once per call.
PyObject* neighbor_entities(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static const char* const kNames[] = {"id", "direction", "relation_type", "tenant", "distinct"};
  PyObject* given[5] = {nullptr, nullptr, Py_None, Py_None, Py_False};
  if (nargs > 3) {
    PyErr_Format(PyExc_TypeError, "neighbor_entities() takes at most 3 positional arguments but %zd were given", nargs);
    return nullptr;
  }
  for (Py_ssize_t i = 0; i < nargs; ++i) given[i] = args[i];
  Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t i = 0; i < nkw; ++i) {
    const char* key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, i));
    if (key == nullptr) return nullptr;
    int slot = -1;
    for (int k = 0; k < 5; ++k)
      if (std::strcmp(key, kNames[k]) == 0) slot = k;
    if (slot < 0 || slot < nargs) {
      PyErr_Format(PyExc_TypeError, "neighbor_entities() got an unexpected or repeated keyword argument '%s'", key);
      return nullptr;
    }
    given[slot] = args[nargs + i];
  }
  if (given[0] == nullptr) {
    PyErr_SetString(PyExc_TypeError, "neighbor_entities() missing required argument 'id'");
    return nullptr;
  }
  int distinct = PyObject_IsTrue(given[4]);
  if (distinct < 0) return nullptr;
  return guarded([&]() -> py::object {
    PyStore& s = self_of(self);
    auto idv = str_view(given[0], "id");
    auto dir = given[1] == nullptr ? graphstore::Direction::kOut : direction_of(str_view(given[1], "direction"));
    std::string type = optional_text(given[2], "relation_type");
    auto t = s.tenant_of(given[3]);
    ScratchEntities scratch;
    std::vector<graphstore::Entity>& out = scratch.get();
    Status st = s.read([&](Store& store) { return store.get_neighbor_entities(t, idv, dir, type, distinct, &out); });
    if (!st.is_not_found()) check(st);  // an absent entity: [] (as neighbors)
    // The records stay in the scratch vector (a converter takes at most
    // their embeddings), for the next call to overwrite.
    return entities_to_py(std::move(out), s.factories);
  });
}

// Static: method descriptors keep a pointer to their PyMethodDef.
PyMethodDef g_methods[] = {
    {"get_entity", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(get_entity)), METH_FASTCALL | METH_KEYWORDS,
     "get_entity(id, *, tenant=None)\n\nThe entity, or None when the id is absent."},
    {"get_relation", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(get_relation)),
     METH_FASTCALL | METH_KEYWORDS, "get_relation(id, *, tenant=None)\n\nThe relation, or None when the id is absent."},
    {"add_entity", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(add_entity)), METH_FASTCALL | METH_KEYWORDS,
     "add_entity(entity, *, tenant=None)\n\nAdds an entity; AlreadyExistsError when its id exists."},
    {"add_relation", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(add_relation)),
     METH_FASTCALL | METH_KEYWORDS,
     "add_relation(relation, *, tenant=None)\n\nAdds a relation; NotFoundError for a missing endpoint, "
     "AlreadyExistsError for an existing id."},
    {"neighbor_entities", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(neighbor_entities)),
     METH_FASTCALL | METH_KEYWORDS,
     "neighbor_entities(id, direction=\"out\", relation_type=None, *, tenant=None, distinct=False)\n\n"
     "neighbors() without the relations: the entity at the other end of each relation, in relation id order "
     "(an entity reached by two relations appears twice, unless distinct=True: then once, at its first place)."},
};

}  // namespace

void install_fast_calls(py::module_& m) {
  py::object cls = m.attr("Store");
  auto* type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  g_store_type = type;  // the module holds both classes for the life of the process
  g_handle_type = reinterpret_cast<PyTypeObject*>(m.attr("StoreHandle").ptr());
  for (PyMethodDef& def : g_methods) {
    py::object descr = py::reinterpret_steal<py::object>(PyDescr_NewMethod(type, &def));
    if (!descr) throw py::error_already_set();
    cls.attr(def.ml_name) = descr;
  }
}

}  // namespace gspy
