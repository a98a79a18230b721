#include "records.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <structmember.h>

#include <cstring>

#include "errors.hpp"
#include "py_json.hpp"
#include "timestamps.hpp"

namespace gspy {

namespace {

PyTypeObject* g_entity_type = nullptr;
PyTypeObject* g_relation_type = nullptr;

// Interned attribute names, created once (never freed: they must outlive
// every record, interpreter shutdown included).
struct Names {
  PyObject *id, *entity_type, *relation_type, *source_id, *target_id, *properties, *embedding, *weight,
      *created_at, *updated_at, *source, *tenant_id;
};
Names* g_names = nullptr;
// The same fields read from the slots of the registered model classes
// (register_model_types): the stored forms behind their lazy properties.
Names* g_slot_names = nullptr;
PyTypeObject* g_model_entity = nullptr;
PyTypeObject* g_model_relation = nullptr;

// Where a registered class keeps each field (g_slot_names' order): the
// offset of its __slots__ member, read without an attribute lookup; -1 for
// a field that is not a plain slot there (read by getattr).
struct Offsets {
  Py_ssize_t id = -1, entity_type = -1, relation_type = -1, source_id = -1, target_id = -1, properties = -1,
             embedding = -1, weight = -1, created_at = -1, updated_at = -1, source = -1, tenant_id = -1;
};
Offsets g_entity_offsets, g_relation_offsets;
// The `_from_store` functions of the registered classes, while every field
// of theirs is a plain slot (else null: records go through the factory).
PyObject* g_entity_from_store = nullptr;
PyObject* g_relation_from_store = nullptr;

Py_ssize_t slot_offset(PyTypeObject* type, PyObject* name) {
  PyObject* d = PyObject_GetAttr(reinterpret_cast<PyObject*>(type), name);
  if (d == nullptr) {
    PyErr_Clear();
    return -1;
  }
  Py_ssize_t off = -1;
  if (Py_IS_TYPE(d, &PyMemberDescr_Type)) {
    PyMemberDef* m = reinterpret_cast<PyMemberDescrObject*>(d)->d_member;
    if (m->type == T_OBJECT_EX) off = m->offset;
  }
  Py_DECREF(d);
  return off;
}

Offsets offsets_of(PyTypeObject* type, const Names& n) {
  Offsets o;
  o.id = slot_offset(type, n.id);
  o.entity_type = slot_offset(type, n.entity_type);
  o.relation_type = slot_offset(type, n.relation_type);
  o.source_id = slot_offset(type, n.source_id);
  o.target_id = slot_offset(type, n.target_id);
  o.properties = slot_offset(type, n.properties);
  o.embedding = slot_offset(type, n.embedding);
  o.weight = slot_offset(type, n.weight);
  o.created_at = slot_offset(type, n.created_at);
  o.updated_at = slot_offset(type, n.updated_at);
  o.source = slot_offset(type, n.source);
  o.tenant_id = slot_offset(type, n.tenant_id);
  return o;
}

PyObject* intern(const char* s) { return PyUnicode_InternFromString(s); }

void init_names() {
  g_names = new Names{intern("id"),         intern("entity_type"), intern("relation_type"), intern("source_id"),
                      intern("target_id"),  intern("properties"),  intern("embedding"),     intern("weight"),
                      intern("created_at"), intern("updated_at"),  intern("source"),        intern("tenant_id")};
  g_slot_names = new Names(*g_names);
  g_slot_names->properties = intern("_properties");
  g_slot_names->embedding = intern("_embedding");
  g_slot_names->created_at = intern("_created_at");
  g_slot_names->updated_at = intern("_updated_at");
}

py::object str_of(std::string_view s) {
  PyObject* o = PyUnicode_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object optional_str(const std::optional<std::string>& s) { return s ? str_of(*s) : py::none(); }

// An attribute, or a null object when absent (optional fields).
py::object get_attr(py::handle obj, PyObject* name, bool required, const char* record) {
  PyObject* v = PyObject_GetAttr(obj.ptr(), name);
  if (v == nullptr) {
    if (!required && PyErr_ExceptionMatches(PyExc_AttributeError)) {
      PyErr_Clear();
      return py::object();
    }
    if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
      PyErr_Clear();
      throw py::type_error(std::string(record) + " needs attribute '" + PyUnicode_AsUTF8(name) + "' (got " +
                           Py_TYPE(obj.ptr())->tp_name + ")");
    }
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::object>(v);
}

// A field of a record: its slot when `off` >= 0 (null when unset), else
// get_attr. An unset required slot raises as a missing attribute does.
py::object read_field(py::handle obj, PyObject* name, Py_ssize_t off, bool required, const char* record) {
  if (off < 0) return get_attr(obj, name, required, record);
  PyObject* v = *reinterpret_cast<PyObject**>(reinterpret_cast<char*>(obj.ptr()) + off);
  if (v == nullptr) {
    if (!required) return py::object();
    throw py::type_error(std::string(record) + " needs attribute '" + PyUnicode_AsUTF8(name) + "' (got " +
                         Py_TYPE(obj.ptr())->tp_name + ")");
  }
  return py::reinterpret_borrow<py::object>(v);
}

std::string string_field(py::handle v, const char* what) { return std::string(str_view(v, what)); }

std::optional<std::string> optional_string(py::handle v, const char* what) {
  if (!v || v.is_none()) return std::nullopt;
  return string_field(v, what);
}

std::string tenant_field(py::handle v) {
  if (!v || v.is_none()) return {};
  return string_field(v, "tenant_id");
}

// properties: a dict (converted in C++), a JSON object's text, or None.
void properties_from_py(py::handle v, std::string* out) {
  if (!v || v.is_none()) {
    *out = "{}";
  } else if (PyUnicode_Check(v.ptr())) {
    *out = std::string(str_view(v, "properties"));
  } else if (PyDict_Check(v.ptr())) {
    to_json(v, "properties", out);
  } else if (PyMapping_Check(v.ptr()) && !PySequence_Check(v.ptr())) {
    to_json(py::dict(py::reinterpret_borrow<py::object>(v)), "properties", out);
  } else {
    throw py::type_error(std::string("properties must be a dict, not ") + Py_TYPE(v.ptr())->tp_name);
  }
}

py::object properties_of(py::object& props, const std::string& json) {
  if (!props) props = from_json(json);
  return props;
}

PyEntity& as_entity(py::handle h) { return h.cast<PyEntity&>(); }
PyRelation& as_relation(py::handle h) { return h.cast<PyRelation&>(); }

py::object vectorcall(const py::object& fn, PyObject* const* args, size_t n) {
  PyObject* r = PyObject_Vectorcall(fn.ptr(), args, n, nullptr);
  if (r == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

py::object tenant_out(const std::string& t) { return t.empty() ? py::none() : str_of(t); }

py::object embedding_attr(py::handle v) {
  if (v.is_none()) return py::none();
  std::vector<float> values;
  embedding_from_py(v, &values);
  return embedding_to_py(std::move(values));
}

bool equal(py::handle a, py::handle b) {
  int r = PyObject_RichCompareBool(a.ptr(), b.ptr(), Py_EQ);
  if (r < 0) throw py::error_already_set();
  return r == 1;
}

bool equal_embeddings(const py::object& a, const py::object& b) {
  if (a.is_none() || b.is_none()) return a.is_none() && b.is_none();
  return py::module_::import("numpy").attr("array_equal")(a, b).cast<bool>();
}

}  // namespace

std::string_view str_view(py::handle obj, const char* what) {
  if (!PyUnicode_Check(obj.ptr()))
    throw py::type_error(std::string(what) + " must be a str, not " + Py_TYPE(obj.ptr())->tp_name);
  Py_ssize_t n;
  const char* d = PyUnicode_AsUTF8AndSize(obj.ptr(), &n);
  if (d == nullptr) throw py::error_already_set();
  return {d, static_cast<size_t>(n)};
}

void embedding_from_py(py::handle obj, std::vector<float>* out) {
  out->clear();
  PyObject* o = obj.ptr();
  if (o == Py_None) return;
  if (PyList_Check(o) || PyTuple_Check(o)) {
    Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject** items = PySequence_Fast_ITEMS(o);
    out->resize(static_cast<size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
      PyObject* item = items[i];
      double d = PyFloat_CheckExact(item) ? PyFloat_AS_DOUBLE(item) : PyFloat_AsDouble(item);
      if (d == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        throw py::type_error("embedding[" + std::to_string(i) + "] must be a number, not " + Py_TYPE(item)->tp_name);
      }
      (*out)[static_cast<size_t>(i)] = static_cast<float>(d);
    }
    return;
  }
  if (PyObject_CheckBuffer(o)) {
    // float32 C-contiguous input is read in place; any other dtype or
    // layout is converted by numpy first.
    auto arr = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(obj);
    if (!arr) throw py::type_error("embedding must be a 1-D array of numbers");
    if (arr.ndim() != 1) throw py::type_error("embedding must be 1-D, not " + std::to_string(arr.ndim()) + "-D");
    out->assign(arr.data(), arr.data() + arr.shape(0));
    return;
  }
  throw py::type_error(std::string("embedding must be a list, tuple or numpy array, not ") + Py_TYPE(o)->tp_name);
}

py::object embedding_to_py(std::vector<float>&& values) {
  if (values.empty()) return py::none();
  auto* owned = new std::vector<float>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<float>*>(p); });
  return py::array_t<float>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

namespace {

// Reads a record's fields: from the slots of the registered model class
// when obj is exactly that class (a subclass may redefine a property), where
// they hold the store's JSON text, float32 array and microseconds until a
// property is read, so nothing is materialised just to be written; else
// from its attributes by name.
class FieldReader {
 public:
  FieldReader(py::handle obj, PyTypeObject* model, const Offsets& model_offsets, const char* record)
      : obj_(obj),
        slots_(Py_TYPE(obj.ptr()) == model),
        names_(slots_ ? *g_slot_names : *g_names),
        offsets_(slots_ ? model_offsets : kByName),
        record_(record) {}

  // The field (null when absent and not required): see read_field.
  py::object operator()(PyObject* Names::*name, Py_ssize_t Offsets::*offset, bool required) const {
    return read_field(obj_, names_.*name, offsets_.*offset, required, record_);
  }

 private:
  static inline const Offsets kByName{};
  py::handle obj_;
  bool slots_;
  const Names& names_;
  const Offsets& offsets_;
  const char* record_;
};

// The fields entities and relations share after their own: timestamps,
// source, tenant.
template <class Record>
void read_common_fields(const FieldReader& field, Record* r) {
  if (py::object v = field(&Names::created_at, &Offsets::created_at, false)) r->created_at = us_from_py(v, "created_at");
  if (py::object v = field(&Names::updated_at, &Offsets::updated_at, false)) r->updated_at = us_from_py(v, "updated_at");
  r->source = optional_string(field(&Names::source, &Offsets::source, false), "source");
  r->tenant_id = tenant_field(field(&Names::tenant_id, &Offsets::tenant_id, false));
}

}  // namespace

graphstore::Entity entity_from_py(py::handle obj) {
  graphstore::Entity e;
  if (PyObject_TypeCheck(obj.ptr(), g_entity_type)) {
    const PyEntity& p = as_entity(obj);
    e.id = p.id;
    e.entity_type = p.entity_type;
    if (p.props) properties_from_py(p.props, &e.properties);
    else e.properties = p.props_json;
    if (p.embedding && !p.embedding.is_none()) embedding_from_py(p.embedding, &e.embedding);
    e.created_at = p.created_at;
    e.updated_at = p.updated_at;
    e.source = p.source;
    e.tenant_id = p.tenant_id;
    return e;
  }
  const FieldReader field(obj, g_model_entity, g_entity_offsets, "an entity");
  e.id = string_field(field(&Names::id, &Offsets::id, true), "entity id");
  e.entity_type = string_field(field(&Names::entity_type, &Offsets::entity_type, true), "entity_type");
  properties_from_py(field(&Names::properties, &Offsets::properties, false), &e.properties);
  if (py::object v = field(&Names::embedding, &Offsets::embedding, false)) embedding_from_py(v, &e.embedding);
  read_common_fields(field, &e);
  return e;
}

graphstore::Relation relation_from_py(py::handle obj) {
  graphstore::Relation r;
  if (PyObject_TypeCheck(obj.ptr(), g_relation_type)) {
    const PyRelation& p = as_relation(obj);
    r.id = p.id;
    r.relation_type = p.relation_type;
    r.source_id = p.source_id;
    r.target_id = p.target_id;
    if (p.props) properties_from_py(p.props, &r.properties);
    else r.properties = p.props_json;
    r.weight = p.weight;
    r.created_at = p.created_at;
    r.updated_at = p.updated_at;
    r.source = p.source;
    r.tenant_id = p.tenant_id;
    return r;
  }
  const FieldReader field(obj, g_model_relation, g_relation_offsets, "a relation");
  r.id = string_field(field(&Names::id, &Offsets::id, true), "relation id");
  r.relation_type = string_field(field(&Names::relation_type, &Offsets::relation_type, true), "relation_type");
  r.source_id = string_field(field(&Names::source_id, &Offsets::source_id, true), "source_id");
  r.target_id = string_field(field(&Names::target_id, &Offsets::target_id, true), "target_id");
  properties_from_py(field(&Names::properties, &Offsets::properties, false), &r.properties);
  if (py::object v = field(&Names::weight, &Offsets::weight, false); v && !v.is_none()) {
    r.weight = PyFloat_AsDouble(v.ptr());
    if (r.weight == -1.0 && PyErr_Occurred()) throw py::error_already_set();
  }
  read_common_fields(field, &r);
  return r;
}

namespace {

// Stores v (stolen) in the slot at off of a freshly allocated object.
void put_slot(PyObject* obj, Py_ssize_t off, py::object v) {
  *reinterpret_cast<PyObject**>(reinterpret_cast<char*>(obj) + off) = v.release().ptr();
}

py::object new_instance(PyTypeObject* type) {
  PyObject* obj = type->tp_alloc(type, 0);
  if (obj == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(obj);
}

py::object us_to_py(graphstore::Timestamp us) {
  PyObject* v = PyLong_FromLongLong(us);
  if (v == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(v);
}

// A type name as a str, shared between records: a store returns few
// distinct types, and a hit saves an allocation per record. The last eight
// seen are kept (GIL held, so no lock), each for the life of the process.
py::object type_str(std::string_view type) {
  struct Entry {
    std::string name;
    PyObject* str = nullptr;
  };
  static Entry cache[8];
  static size_t next = 0;
  for (Entry& e : cache)
    if (e.str != nullptr && e.name == type) return py::reinterpret_borrow<py::object>(e.str);
  py::object s = str_of(type);
  Entry& slot = cache[next++ % 8];
  Py_XDECREF(slot.str);
  slot.name.assign(type);
  slot.str = s.inc_ref().ptr();
  return s;
}

// created_at and updated_at as ints: one object when they are equal (a
// record never updated).
std::pair<py::object, py::object> stamps_to_py(graphstore::Timestamp created, graphstore::Timestamp updated) {
  py::object c = us_to_py(created);
  return {c, created == updated ? c : us_to_py(updated)};
}

// tenant "" (the global namespace) is None, as `_from_store` makes it.
py::object tenant_to_py(const std::string& t) { return t.empty() ? py::object(py::none()) : str_of(t); }

// The slots entities and relations share: timestamps, source, tenant.
template <class Record>
void put_common_slots(PyObject* p, const Offsets& o, const Record& r) {
  auto [created, updated] = stamps_to_py(r.created_at, r.updated_at);
  put_slot(p, o.created_at, std::move(created));
  put_slot(p, o.updated_at, std::move(updated));
  put_slot(p, o.source, optional_str(r.source));
  put_slot(p, o.tenant_id, tenant_to_py(r.tenant_id));
}

// Entity._from_store, done in C++: same slots, same values.
py::object entity_by_slots(graphstore::Entity&& e) {
  py::object obj = new_instance(g_model_entity);
  PyObject* p = obj.ptr();
  const Offsets& o = g_entity_offsets;
  put_slot(p, o.id, str_of(e.id));
  put_slot(p, o.entity_type, type_str(e.entity_type));
  put_slot(p, o.properties, str_of(e.properties));
  put_slot(p, o.embedding, embedding_to_py(std::move(e.embedding)));
  put_common_slots(p, o, e);
  return obj;
}

// Relation._from_store, done in C++.
py::object relation_by_slots(graphstore::Relation&& r) {
  py::object obj = new_instance(g_model_relation);
  PyObject* p = obj.ptr();
  const Offsets& o = g_relation_offsets;
  put_slot(p, o.id, str_of(r.id));
  put_slot(p, o.relation_type, type_str(r.relation_type));
  put_slot(p, o.source_id, str_of(r.source_id));
  put_slot(p, o.target_id, str_of(r.target_id));
  put_slot(p, o.properties, str_of(r.properties));
  PyObject* w = PyFloat_FromDouble(r.weight);
  if (w == nullptr) throw py::error_already_set();
  put_slot(p, o.weight, py::reinterpret_steal<py::object>(w));
  put_common_slots(p, o, r);
  return obj;
}

// The function behind cls._from_store when every listed slot is plain, else null.
PyObject* slot_builder(PyTypeObject* cls, std::initializer_list<Py_ssize_t> offsets) {
  for (Py_ssize_t off : offsets)
    if (off < 0) return nullptr;
  PyObject* m = PyObject_GetAttrString(reinterpret_cast<PyObject*>(cls), "_from_store");
  if (m == nullptr) {
    PyErr_Clear();
    return nullptr;
  }
  PyObject* fn = PyMethod_Check(m) ? PyMethod_GET_FUNCTION(m) : nullptr;
  Py_XINCREF(fn);  // held for the life of the process, as the class
  Py_DECREF(m);
  return fn;
}

// Whether factory is cls._from_store with fn behind it.
bool is_bound_builder(py::handle factory, PyTypeObject* cls, PyObject* fn) {
  return fn != nullptr && cls != nullptr && PyMethod_Check(factory.ptr()) &&
         PyMethod_GET_SELF(factory.ptr()) == reinterpret_cast<PyObject*>(cls) &&
         PyMethod_GET_FUNCTION(factory.ptr()) == fn;
}

}  // namespace

Factories factories_of(py::object entity, py::object relation) {
  Factories f;
  if (!entity.is_none()) {
    f.entity_slots = is_bound_builder(entity, g_model_entity, g_entity_from_store);
    f.entity = std::move(entity);
  }
  if (!relation.is_none()) {
    f.relation_slots = is_bound_builder(relation, g_model_relation, g_relation_from_store);
    f.relation = std::move(relation);
  }
  return f;
}

py::object entity_to_py(graphstore::Entity&& e, const Factories& f) {
  if (f.entity_slots) return entity_by_slots(std::move(e));
  if (f.entity) {
    py::object args[8] = {str_of(e.id),
                          str_of(e.entity_type),
                          str_of(e.properties),
                          embedding_to_py(std::move(e.embedding)),
                          py::reinterpret_steal<py::object>(PyLong_FromLongLong(e.created_at)),
                          py::reinterpret_steal<py::object>(PyLong_FromLongLong(e.updated_at)),
                          optional_str(e.source),
                          str_of(e.tenant_id)};
    PyObject* raw[8];
    for (int i = 0; i < 8; ++i) raw[i] = args[i].ptr();
    return vectorcall(f.entity, raw, 8);
  }
  PyEntity p;
  p.id = std::move(e.id);
  p.entity_type = std::move(e.entity_type);
  p.props_json = std::move(e.properties);
  p.embedding = embedding_to_py(std::move(e.embedding));
  p.created_at = e.created_at;
  p.updated_at = e.updated_at;
  p.source = std::move(e.source);
  p.tenant_id = std::move(e.tenant_id);
  return py::cast(std::move(p));
}

py::object relation_to_py(graphstore::Relation&& r, const Factories& f) {
  if (f.relation_slots) return relation_by_slots(std::move(r));
  if (f.relation) {
    py::object args[10] = {str_of(r.id),
                           str_of(r.relation_type),
                           str_of(r.source_id),
                           str_of(r.target_id),
                           str_of(r.properties),
                           py::reinterpret_steal<py::object>(PyFloat_FromDouble(r.weight)),
                           py::reinterpret_steal<py::object>(PyLong_FromLongLong(r.created_at)),
                           py::reinterpret_steal<py::object>(PyLong_FromLongLong(r.updated_at)),
                           optional_str(r.source),
                           str_of(r.tenant_id)};
    PyObject* raw[10];
    for (int i = 0; i < 10; ++i) raw[i] = args[i].ptr();
    return vectorcall(f.relation, raw, 10);
  }
  PyRelation p;
  p.id = std::move(r.id);
  p.relation_type = std::move(r.relation_type);
  p.source_id = std::move(r.source_id);
  p.target_id = std::move(r.target_id);
  p.props_json = std::move(r.properties);
  p.weight = r.weight;
  p.created_at = r.created_at;
  p.updated_at = r.updated_at;
  p.source = std::move(r.source);
  p.tenant_id = std::move(r.tenant_id);
  return py::cast(std::move(p));
}

void register_model_types(py::handle entity, py::handle relation) {
  // Held for the life of the process, as the interned names.
  if (!entity.is_none()) {
    if (!PyType_Check(entity.ptr())) throw py::type_error("entity must be a class");
    g_model_entity = reinterpret_cast<PyTypeObject*>(entity.inc_ref().ptr());
    g_entity_offsets = offsets_of(g_model_entity, *g_slot_names);
    const Offsets& o = g_entity_offsets;
    g_entity_from_store = slot_builder(g_model_entity, {o.id, o.entity_type, o.properties, o.embedding, o.created_at,
                                                        o.updated_at, o.source, o.tenant_id});
  }
  if (!relation.is_none()) {
    if (!PyType_Check(relation.ptr())) throw py::type_error("relation must be a class");
    g_model_relation = reinterpret_cast<PyTypeObject*>(relation.inc_ref().ptr());
    g_relation_offsets = offsets_of(g_model_relation, *g_slot_names);
    const Offsets& o = g_relation_offsets;
    g_relation_from_store =
        slot_builder(g_model_relation, {o.id, o.relation_type, o.source_id, o.target_id, o.properties, o.weight,
                                        o.created_at, o.updated_at, o.source, o.tenant_id});
  }
}

void bind_records(py::module_& m) {
  init_names();
  using namespace pybind11::literals;
  m.def("register_model_types", &register_model_types, "entity"_a, "relation"_a,
        "Declares the drop-in's model classes, whose instances are read from their slots (_properties: dict or "
        "JSON text, _embedding: list or array, _created_at/_updated_at: datetime or int microseconds) instead "
        "of their lazy properties. Exact classes only; None leaves a kind unregistered.");

  py::class_<PyEntity> entity(m, "Entity",
                              "An entity: id, entity_type, properties (dict), embedding (float32 array or None), "
                              "created_at/updated_at (aware UTC datetimes; None = stamped by the store), source, "
                              "tenant_id (None = the global namespace).");
  entity
      .def(py::init([](py::object id, py::object type, py::object properties, py::object embedding,
                       py::object created_at, py::object updated_at, py::object source, py::object tenant_id) {
             PyEntity p;
             p.id = string_field(id, "id");
             p.entity_type = string_field(type, "entity_type");
             // A dict is kept as given (converted when written to a store).
             if (PyDict_Check(properties.ptr())) p.props = properties;
             else if (!properties.is_none()) properties_from_py(properties, &p.props_json);
             p.embedding = embedding_attr(embedding);
             p.created_at = us_from_py(created_at, "created_at");
             p.updated_at = us_from_py(updated_at, "updated_at");
             p.source = optional_string(source, "source");
             p.tenant_id = tenant_field(tenant_id);
             return p;
           }),
           "id"_a, "entity_type"_a, "properties"_a = py::none(), "embedding"_a = py::none(),
           "created_at"_a = py::none(), "updated_at"_a = py::none(), "source"_a = py::none(),
           "tenant_id"_a = py::none())
      .def_readwrite("id", &PyEntity::id)
      .def_readwrite("entity_type", &PyEntity::entity_type)
      .def_property(
          "properties", [](PyEntity& p) { return properties_of(p.props, p.props_json); },
          [](PyEntity& p, py::object v) {
            if (v.is_none()) v = py::dict();
            if (!PyDict_Check(v.ptr())) throw py::type_error("properties must be a dict");
            p.props = v;
          })
      .def_property(
          "embedding", [](PyEntity& p) { return p.embedding ? p.embedding : py::none(); },
          [](PyEntity& p, py::object v) { p.embedding = embedding_attr(v); })
      .def_property(
          "created_at", [](PyEntity& p) { return datetime_from_us(p.created_at); },
          [](PyEntity& p, py::object v) { p.created_at = us_from_py(v, "created_at"); })
      .def_property(
          "updated_at", [](PyEntity& p) { return datetime_from_us(p.updated_at); },
          [](PyEntity& p, py::object v) { p.updated_at = us_from_py(v, "updated_at"); })
      .def_readwrite("source", &PyEntity::source)
      .def_property(
          "tenant_id", [](PyEntity& p) { return tenant_out(p.tenant_id); },
          [](PyEntity& p, py::object v) { p.tenant_id = tenant_field(v); })
      .def("__eq__",
           [](PyEntity& a, py::object other) -> py::object {
             if (!py::isinstance<PyEntity>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             PyEntity& b = other.cast<PyEntity&>();
             return py::bool_(a.id == b.id && a.entity_type == b.entity_type &&
                              equal(properties_of(a.props, a.props_json), properties_of(b.props, b.props_json)) &&
                              equal_embeddings(a.embedding, b.embedding) && a.created_at == b.created_at &&
                              a.updated_at == b.updated_at && a.source == b.source && a.tenant_id == b.tenant_id);
           })
      .def("__repr__", [](PyEntity& p) {
        return "Entity(id=" + py::repr(py::str(p.id)).cast<std::string>() +
               ", entity_type=" + py::repr(py::str(p.entity_type)).cast<std::string>() +
               ", properties=" + py::repr(properties_of(p.props, p.props_json)).cast<std::string>() +
               (p.embedding && !p.embedding.is_none()
                    ? ", embedding=<" + std::to_string(py::len(p.embedding)) + " floats>"
                    : std::string()) +
               (p.tenant_id.empty() ? std::string() : ", tenant_id=" + py::repr(py::str(p.tenant_id)).cast<std::string>()) +
               ")";
      });
  entity.attr("__hash__") = py::none();
  g_entity_type = reinterpret_cast<PyTypeObject*>(entity.ptr());

  py::class_<PyRelation> relation(m, "Relation",
                                  "A relation from source_id to target_id: relation_type, properties, weight in "
                                  "[0, 1], timestamps, source and tenant_id as Entity's.");
  relation
      .def(py::init([](py::object id, py::object type, py::object source_id, py::object target_id,
                       py::object properties, double weight, py::object created_at, py::object updated_at,
                       py::object source, py::object tenant_id) {
             PyRelation p;
             p.id = string_field(id, "id");
             p.relation_type = string_field(type, "relation_type");
             p.source_id = string_field(source_id, "source_id");
             p.target_id = string_field(target_id, "target_id");
             if (PyDict_Check(properties.ptr())) p.props = properties;
             else if (!properties.is_none()) properties_from_py(properties, &p.props_json);
             p.weight = weight;
             p.created_at = us_from_py(created_at, "created_at");
             p.updated_at = us_from_py(updated_at, "updated_at");
             p.source = optional_string(source, "source");
             p.tenant_id = tenant_field(tenant_id);
             return p;
           }),
           "id"_a, "relation_type"_a, "source_id"_a, "target_id"_a, "properties"_a = py::none(), "weight"_a = 1.0,
           "created_at"_a = py::none(), "updated_at"_a = py::none(), "source"_a = py::none(),
           "tenant_id"_a = py::none())
      .def_readwrite("id", &PyRelation::id)
      .def_readwrite("relation_type", &PyRelation::relation_type)
      .def_readwrite("source_id", &PyRelation::source_id)
      .def_readwrite("target_id", &PyRelation::target_id)
      .def_property(
          "properties", [](PyRelation& p) { return properties_of(p.props, p.props_json); },
          [](PyRelation& p, py::object v) {
            if (v.is_none()) v = py::dict();
            if (!PyDict_Check(v.ptr())) throw py::type_error("properties must be a dict");
            p.props = v;
          })
      .def_readwrite("weight", &PyRelation::weight)
      .def_property(
          "created_at", [](PyRelation& p) { return datetime_from_us(p.created_at); },
          [](PyRelation& p, py::object v) { p.created_at = us_from_py(v, "created_at"); })
      .def_property(
          "updated_at", [](PyRelation& p) { return datetime_from_us(p.updated_at); },
          [](PyRelation& p, py::object v) { p.updated_at = us_from_py(v, "updated_at"); })
      .def_readwrite("source", &PyRelation::source)
      .def_property(
          "tenant_id", [](PyRelation& p) { return tenant_out(p.tenant_id); },
          [](PyRelation& p, py::object v) { p.tenant_id = tenant_field(v); })
      .def("__eq__",
           [](PyRelation& a, py::object other) -> py::object {
             if (!py::isinstance<PyRelation>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             PyRelation& b = other.cast<PyRelation&>();
             return py::bool_(a.id == b.id && a.relation_type == b.relation_type && a.source_id == b.source_id &&
                              a.target_id == b.target_id &&
                              equal(properties_of(a.props, a.props_json), properties_of(b.props, b.props_json)) &&
                              a.weight == b.weight && a.created_at == b.created_at && a.updated_at == b.updated_at &&
                              a.source == b.source && a.tenant_id == b.tenant_id);
           })
      .def("__repr__", [](PyRelation& p) {
        return "Relation(id=" + py::repr(py::str(p.id)).cast<std::string>() +
               ", relation_type=" + py::repr(py::str(p.relation_type)).cast<std::string>() +
               ", source_id=" + py::repr(py::str(p.source_id)).cast<std::string>() +
               ", target_id=" + py::repr(py::str(p.target_id)).cast<std::string>() +
               ", properties=" + py::repr(properties_of(p.props, p.props_json)).cast<std::string>() +
               ", weight=" + py::repr(py::float_(p.weight)).cast<std::string>() + ")";
      });
  relation.attr("__hash__") = py::none();
  g_relation_type = reinterpret_cast<PyTypeObject*>(relation.ptr());
}

}  // namespace gspy
