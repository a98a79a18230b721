#include "store_bindings.hpp"

#include <pybind11/stl.h>

#include <limits>
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
using namespace pybind11::literals;

graphstore::TextMethod text_method_of(std::string_view m) {
  if (m == "bm25") return graphstore::TextMethod::kBm25;
  if (m == "jaccard") return graphstore::TextMethod::kJaccard;
  if (m == "cosine") return graphstore::TextMethod::kCosine;
  if (m == "levenshtein") return graphstore::TextMethod::kLevenshtein;
  raise_code("INVALID_ARGUMENT",
             "method must be 'bm25', 'jaccard', 'cosine' or 'levenshtein', not '" + std::string(m) + "'");
}

uint64_t limit_of(py::handle v) { return v.is_none() ? graphstore::kNoLimit : v.cast<uint64_t>(); }

// A page of a scan, collected in C++ and converted once the call returned
// (no Python runs inside a store callback).
template <class Record>
py::tuple scan_page(PyStore& self, bool entities, py::handle type, py::handle after_id, uint64_t offset,
                    py::handle limit, py::handle tenant) {
  graphstore::ScanOptions options;
  options.type = optional_text(type, "type");
  options.after_id = optional_text(after_id, "after_id");
  options.offset = offset;
  options.limit = limit_of(limit);
  auto t = self.tenant_of(tenant);
  std::vector<Record> page;
  Status s = self.read([&](Store& st) {
    auto collect = [&page](const Record& r) {
      page.push_back(r);
      return true;
    };
    if constexpr (std::is_same_v<Record, graphstore::Entity>) return st.scan_entities(t, options, collect);
    else return st.scan_relations(t, options, collect);
  });
  (void)entities;
  check(s);
  py::object last = page.empty() ? py::object(py::none()) : py::object(py::str(page.back().id));
  if constexpr (std::is_same_v<Record, graphstore::Entity>) return py::make_tuple(entities_to_py(std::move(page), self.factories), last);
  else return py::make_tuple(relations_to_py(std::move(page), self.factories), last);
}

template <class Record, class Convert>
std::vector<Record> records_of(py::handle items, Convert convert) {
  std::vector<Record> out;
  py::object seq = py::reinterpret_steal<py::object>(PySequence_Fast(items.ptr(), "records must be iterable"));
  if (!seq) throw py::error_already_set();
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
  PyObject** data = PySequence_Fast_ITEMS(seq.ptr());
  out.reserve(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) out.push_back(convert(data[i]));
  return out;
}

// A reference GraphQuery (or any object with its attribute names) -> the
// host's. query_type may be a str or an enum whose value is one.
graphstore::GraphQuery query_of(py::handle q) {
  graphstore::GraphQuery out;
  auto attr = [&q](const char* name) -> py::object {
    return py::hasattr(q, name) ? py::object(q.attr(name)) : py::object(py::none());
  };
  py::object type = attr("query_type");
  if (py::hasattr(type, "value")) type = type.attr("value");
  std::string t = type.is_none() ? std::string() : py::str(type).cast<std::string>();
  using T = graphstore::GraphQuery::Type;
  if (t == "entity_lookup") out.type = T::kEntityLookup;
  else if (t == "vector_search") out.type = T::kVectorSearch;
  else if (t == "traversal") out.type = T::kTraversal;
  else if (t == "path_finding") out.type = T::kPathFinding;
  else if (t == "subgraph") out.type = T::kSubgraph;
  else raise_code("UNSUPPORTED", "query_type '" + t + "' is not run by a store");
  py::object source = attr("entity_id");
  if (source.is_none()) source = attr("source_entity_id");
  out.entity_id = optional_text(source, "entity_id");
  out.target_entity_id = optional_text(attr("target_entity_id"), "target_entity_id");
  if (py::object ids = attr("entity_ids"); !ids.is_none()) out.entity_ids = ids.cast<std::vector<std::string>>();
  if (py::object e = attr("embedding"); !e.is_none()) embedding_from_py(e, &out.embedding);
  out.entity_type = optional_text(attr("entity_type"), "entity_type");
  out.relation_type = optional_text(attr("relation_type"), "relation_type");
  if (py::object v = attr("max_depth"); !v.is_none()) out.max_depth = v.cast<uint32_t>();
  if (py::object v = attr("max_results"); !v.is_none()) out.max_results = v.cast<uint64_t>();
  if (py::object v = attr("score_threshold"); !v.is_none()) out.score_threshold = v.cast<double>();
  return out;
}

void bind_batch(py::module_& m) {
  py::class_<graphstore::WriteBatch>(m, "Batch",
                                     "Writes applied all or nothing by Store.batch(): ops run in order, later ones "
                                     "see earlier ones. Records are converted when added. One thread at a time.")
      .def(py::init<>())
      .def("add_entity", [](graphstore::WriteBatch& b, py::handle e) { b.add_entity(entity_from_py(e)); }, "entity"_a)
      .def("update_entity", [](graphstore::WriteBatch& b, py::handle e) { b.update_entity(entity_from_py(e)); }, "entity"_a)
      .def("delete_entity", [](graphstore::WriteBatch& b, py::handle id) { b.delete_entity(std::string(str_view(id, "id"))); }, "id"_a)
      .def("add_relation", [](graphstore::WriteBatch& b, py::handle r) { b.add_relation(relation_from_py(r)); }, "relation"_a)
      .def("update_relation", [](graphstore::WriteBatch& b, py::handle r) { b.update_relation(relation_from_py(r)); }, "relation"_a)
      .def("delete_relation", [](graphstore::WriteBatch& b, py::handle id) { b.delete_relation(std::string(str_view(id, "id"))); }, "id"_a)
      .def("clear", &graphstore::WriteBatch::clear)
      .def("__len__", &graphstore::WriteBatch::size);
}

}  // namespace

void bind_store(py::module_& m) {
  bind_batch(m);
  py::class_<PyStore> store(m, "Store",
                            "One open store of one plugin. Every data method takes tenant=None (the store's default "
                            "tenant; \"\" is the global namespace). Calls release the GIL. Closed by close(), by "
                            "`with`, or when collected.");
  store
      .def_property_readonly("plugin", [](PyStore& s) { return plugin_info_to_py(s.plugin_info()); })
      .def_property_readonly("tenant", [](PyStore& s) -> py::object {
        return s.default_tenant().empty() ? py::object(py::none()) : py::object(py::str(s.default_tenant()));
      })
      .def_property_readonly("closed", &PyStore::closed)
      .def("close", &PyStore::close, "Closes the store (idempotent); waits for calls under way on other threads.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyStore& s, py::args) { s.close(); return false; })
      .def(
          "set_record_factories",
          [](PyStore& s, py::object entity, py::object relation) {
            s.factories = factories_of(std::move(entity), std::move(relation));
          },
          "entity_factory"_a = py::none(), "relation_factory"_a = py::none(),
          "Every record this store returns is built by calling the factory with the record's fields "
          "(docs/python.md); None: the native Entity / Relation.")
      // ---- Tier 1 ----
      // get_entity, get_relation, add_entity, add_relation: fast_calls.cpp
      // (METH_FASTCALL methods, installed on this class after it is made).
      .def(
          "update_entity",
          [](PyStore& s, py::handle entity, py::handle tenant) {
            graphstore::Entity e = entity_from_py(entity);
            auto t = s.tenant_of(tenant);
            check(s.write([&](auto& target) { return target.update_entity(t, e); }));
          },
          "entity"_a, py::kw_only(), "tenant"_a = py::none(), "Replaces all but id and created_at; NotFoundError when absent.")
      .def(
          "delete_entity",
          [](PyStore& s, py::handle id, py::handle tenant) {
            auto idv = str_view(id, "id");
            auto t = s.tenant_of(tenant);
            check(s.write([&](auto& target) { return target.delete_entity(t, idv); }));
          },
          "id"_a, py::kw_only(), "tenant"_a = py::none(), "Deletes the entity and its relations; NotFoundError when absent.")
      .def(
          "update_relation",
          [](PyStore& s, py::handle relation, py::handle tenant) {
            graphstore::Relation r = relation_from_py(relation);
            auto t = s.tenant_of(tenant);
            check(s.write([&](auto& target) { return target.update_relation(t, r); }));
          },
          "relation"_a, py::kw_only(), "tenant"_a = py::none(), "Replaces all but id, endpoints and created_at.")
      .def(
          "delete_relation",
          [](PyStore& s, py::handle id, py::handle tenant) {
            auto idv = str_view(id, "id");
            auto t = s.tenant_of(tenant);
            check(s.write([&](auto& target) { return target.delete_relation(t, idv); }));
          },
          "id"_a, py::kw_only(), "tenant"_a = py::none(), "Deletes one relation; NotFoundError when absent.")
      .def(
          "neighbors",
          [](PyStore& s, py::handle id, py::handle direction, py::handle relation_type, py::handle tenant) {
            auto idv = str_view(id, "id");
            auto dir = direction_of(str_view(direction, "direction"));
            std::string type = optional_text(relation_type, "relation_type");
            auto t = s.tenant_of(tenant);
            std::vector<graphstore::Neighbor> out;
            Status st = s.read([&](Store& store) { return store.get_neighbors(t, idv, dir, type, &out); });
            // The host answers NOT_FOUND for an absent entity; Python callers
            // get [] (docs/python.md), as the reference's stores answered.
            if (!st.is_not_found()) check(st);
            return neighbors_to_py(std::move(out), s.factories);
          },
          "id"_a, "direction"_a = "out", "relation_type"_a = py::none(), py::kw_only(), "tenant"_a = py::none(),
          "The relations of one direction touching the entity, each with the entity at its other end, by relation id "
          "([] for an absent entity).")
      .def(
          "list_tenants",
          [](PyStore& s) {
            std::vector<std::string> out;
            check(s.read([&](Store& store) { return store.list_tenants(&out); }));
            return out;
          },
          "The non-global tenants holding data, sorted.")
      .def(
          "_apply",
          [](PyStore& s, graphstore::WriteBatch& batch, py::handle tenant) {
            auto t = s.tenant_of(tenant);
            size_t failed = 0;
            Status st = s.write([&](auto& target) { return target.apply(t, batch, &failed); });
            if (!st.ok()) raise_status(st, failed);
          },
          "batch"_a, py::kw_only(), "tenant"_a = py::none())
      // ---- Tier 2 ----
      .def(
          "traverse",
          [](PyStore& s, py::handle start, py::handle direction, py::handle relation_type, uint32_t max_depth,
             uint64_t max_results, py::handle tenant) {
            auto idv = str_view(start, "start_id");
            graphstore::TraverseOptions o;
            o.direction = direction_of(str_view(direction, "direction"));
            o.relation_type = optional_text(relation_type, "relation_type");
            o.max_depth = max_depth;
            o.max_results = max_results;
            auto t = s.tenant_of(tenant);
            graphstore::TraverseResult out;
            check(s.read([&](Store& store) { return store.traverse(t, idv, o, &out); }));
            return traverse_to_py(std::move(out), s.factories);
          },
          "start_id"_a, "direction"_a = "out", "relation_type"_a = py::none(), "max_depth"_a = 3,
          "max_results"_a = 1000, py::kw_only(), "tenant"_a = py::none(),
          "Breadth-first walk; the start is the first hit (depth 0, via None).")
      .def(
          "find_paths",
          [](PyStore& s, py::handle source, py::handle target, py::handle relation_type, uint32_t max_depth,
             uint64_t max_paths, py::handle tenant) {
            auto src = str_view(source, "source_id");
            auto dst = str_view(target, "target_id");
            graphstore::PathOptions o;
            o.relation_type = optional_text(relation_type, "relation_type");
            o.max_depth = max_depth;
            o.max_paths = max_paths;
            auto t = s.tenant_of(tenant);
            graphstore::PathResult out;
            check(s.read([&](Store& store) { return store.find_paths(t, src, dst, o, &out); }));
            return path_result_to_py(std::move(out), s.factories);
          },
          "source_id"_a, "target_id"_a, "relation_type"_a = py::none(), "max_depth"_a = 5, "max_paths"_a = 10,
          py::kw_only(), "tenant"_a = py::none(), "Simple paths, shortest first.")
      .def(
          "subgraph",
          [](PyStore& s, py::handle ids, py::handle tenant) {
            std::vector<std::string> list = ids.cast<std::vector<std::string>>();
            auto t = s.tenant_of(tenant);
            graphstore::Subgraph out;
            check(s.read([&](Store& store) { return store.subgraph(t, list, &out); }));
            return subgraph_to_py(std::move(out), s.factories);
          },
          "ids"_a, py::kw_only(), "tenant"_a = py::none(), "The entities of ids that exist and the relations between them.")
      .def(
          "_scan_entities_page",
          [](PyStore& s, py::handle type, py::handle after_id, uint64_t offset, py::handle limit, py::handle tenant) {
            return scan_page<graphstore::Entity>(s, true, type, after_id, offset, limit, tenant);
          },
          "type"_a, "after_id"_a, "offset"_a, "limit"_a, "tenant"_a)
      .def(
          "_scan_relations_page",
          [](PyStore& s, py::handle type, py::handle after_id, uint64_t offset, py::handle limit, py::handle tenant) {
            return scan_page<graphstore::Relation>(s, false, type, after_id, offset, limit, tenant);
          },
          "type"_a, "after_id"_a, "offset"_a, "limit"_a, "tenant"_a)
      .def(
          "get_all_entities",
          [](PyStore& s, py::handle type, uint64_t offset, py::handle limit, py::handle tenant) {
            graphstore::ScanOptions o;
            o.type = optional_text(type, "type");
            o.offset = offset;
            o.limit = limit_of(limit);
            auto t = s.tenant_of(tenant);
            std::vector<graphstore::Entity> out;
            check(s.read([&](Store& store) { return store.get_all_entities(t, o, &out); }));
            return entities_to_py(std::move(out), s.factories);
          },
          "type"_a = py::none(), "offset"_a = 0, "limit"_a = py::none(), py::kw_only(), "tenant"_a = py::none(),
          "Entities by id, of one type or all.")
      .def(
          "vector_search",
          [](PyStore& s, py::handle vector, uint32_t k, py::handle entity_type, py::handle min_score,
             py::handle tenant, bool exact) {
            graphstore::VectorQuery q;
            embedding_from_py(vector, &q.vector);
            q.k = k;
            q.exact = exact;
            q.entity_type = optional_text(entity_type, "entity_type");
            if (!min_score.is_none()) q.min_score = min_score.cast<double>();
            auto t = s.tenant_of(tenant);
            std::vector<graphstore::ScoredEntity> out;
            check(s.read([&](Store& store) { return store.vector_search(t, q, &out); }));
            return scored_to_py(std::move(out), s.factories);
          },
          "vector"_a, "k"_a = 10, "entity_type"_a = py::none(), "min_score"_a = py::none(), py::kw_only(),
          "tenant"_a = py::none(), "exact"_a = false,
          "The k entities most similar to vector, best first; score is raw cosine in [-1, 1]. exact=True finds them "
          "by a full scan where the store keeps an approximate index.")
      .def(
          "text_search",
          [](PyStore& s, py::handle text, py::handle method, uint32_t k, py::handle entity_type, double min_score,
             py::handle tenant) {
            graphstore::TextQuery q;
            q.text = std::string(str_view(text, "text"));
            q.method = text_method_of(str_view(method, "method"));
            q.k = k;
            q.entity_type = optional_text(entity_type, "entity_type");
            q.min_score = min_score;
            auto t = s.tenant_of(tenant);
            std::vector<graphstore::ScoredEntity> out;
            check(s.read([&](Store& store) { return store.text_search(t, q, &out); }));
            return scored_to_py(std::move(out), s.factories);
          },
          "text"_a, "method"_a = "bm25", "k"_a = 10, "entity_type"_a = py::none(), "min_score"_a = 0.0,
          py::kw_only(), "tenant"_a = py::none(), "The k best text matches by method, best first.")
      .def(
          "add_entities_bulk",
          [](PyStore& s, py::handle entities, py::handle tenant, bool into_tenant) {
            auto records = records_of<graphstore::Entity>(entities, [](PyObject* o) { return entity_from_py(o); });
            auto t = s.tenant_of(tenant);
            if (into_tenant)
              for (auto& e : records) e.tenant_id.assign(t);
            graphstore::BulkResult out;
            check(s.write([&](auto& target) { return target.add_entities_bulk(t, records, &out); }));
            return bulk_to_py(out);
          },
          "entities"_a, py::kw_only(), "tenant"_a = py::none(), "into_tenant"_a = false,
          "Adds what it can; duplicates and invalid items are in .skipped as (index, Error). into_tenant=True "
          "stores every record under the call's tenant whatever its own tenant_id (the objects are not changed).")
      .def(
          "add_relations_bulk",
          [](PyStore& s, py::handle relations, py::handle tenant, bool into_tenant) {
            auto records = records_of<graphstore::Relation>(relations, [](PyObject* o) { return relation_from_py(o); });
            auto t = s.tenant_of(tenant);
            if (into_tenant)
              for (auto& r : records) r.tenant_id.assign(t);
            graphstore::BulkResult out;
            check(s.write([&](auto& target) { return target.add_relations_bulk(t, records, &out); }));
            return bulk_to_py(out);
          },
          "relations"_a, py::kw_only(), "tenant"_a = py::none(), "into_tenant"_a = false,
          "As add_entities_bulk, for relations.")
      .def(
          "stats",
          [](PyStore& s, py::handle tenant) {
            auto t = s.tenant_of(tenant);
            graphstore::Stats out;
            check(s.read([&](Store& store) { return store.get_stats(t, &out); }));
            return stats_to_py(out);
          },
          py::kw_only(), "tenant"_a = py::none(), "Counts of entities and relations, per type.")
      .def(
          "execute_query",
          [](PyStore& s, py::handle query, py::handle tenant) {
            graphstore::GraphQuery q = query_of(query);
            auto t = s.tenant_of(tenant);
            graphstore::QueryResult out;
            check(s.read([&](Store& store) { return store.execute_query(t, q, &out); }));
            return query_result_to_py(std::move(out), s.factories);
          },
          "query"_a, py::kw_only(), "tenant"_a = py::none(), "Runs a reference GraphQuery (by its attributes).")
      // ---- Removal ----
      .def(
          "clear",
          [](PyStore& s, bool all_tenants, py::handle tenant) {
            std::string_view t = all_tenants && tenant.is_none() ? std::string_view() : s.tenant_of(tenant);
            auto scope = all_tenants ? graphstore::ClearScope::kAllTenants : graphstore::ClearScope::kTenant;
            graphstore::Removed out;
            check(s.write([&](auto& target) { return target.clear(t, scope, &out); }));
            return removed_to_py(out);
          },
          "all_tenants"_a = false, py::kw_only(), "tenant"_a = py::none(),
          "Removes the tenant's records, or with all_tenants every record of the store.")
      .def(
          "delete_by_source",
          [](PyStore& s, py::handle source, py::handle tenant) {
            auto src = str_view(source, "source");
            auto t = s.tenant_of(tenant);
            graphstore::Removed out;
            check(s.write([&](auto& target) { return target.delete_by_source(t, src, &out); }));
            return removed_to_py(out);
          },
          "source"_a, py::kw_only(), "tenant"_a = py::none(),
          "Removes the records whose source equals source, and the relations touching removed entities.")
      // ---- Health and metrics ----
      .def(
          "probe",
          [](PyStore& s) {
            double seconds = 0;
            check(s.read([&](Store& store) { return store.probe(&seconds); }));
            return seconds;
          },
          "One cheap call to the backend; its duration in seconds, or the backend's error.")
      .def(
          "enable_metrics", [](PyStore& s) { check(s.read([](Store& store) { store.enable_metrics(); return Status::Ok(); })); },
          "Records latency and outcome of every call from now on (call before sharing the store).")
      .def(
          "metrics_text",
          [](PyStore& s) {
            std::string out;
            check(s.read([&](Store& store) { return store.metrics_text(&out); }));
            return out;
          },
          "Prometheus text: latency histograms (when enabled) and the plugin's gauges.")
      .def(
          "state",
          [](PyStore& s) {
            std::vector<std::pair<std::string, std::string>> out;
            check(s.read([&](Store& store) { return store.state(&out); }));
            py::dict d;
            for (auto& [k, v] : out) d[py::str(k)] = py::str(v);
            return d;
          },
          "The plugin's own account of its state (key -> text).");

  py::class_<PyStoreHandle, PyStore>(m, "StoreHandle",
                                     "A Store that can move to another backend while in use (swap). Writes through "
                                     "it are caught up on the new store by a migrating swap.")
      .def(py::init([](PyStore& store) {
             std::string tenant = store.default_tenant();
             Factories f = store.factories;
             auto handle = std::make_unique<PyStoreHandle>(std::make_unique<graphstore::StoreHandle>(store.take_store()),
                                                           std::move(tenant));
             handle->factories = f;
             return handle;
           }),
           "store"_a, "Takes over store (which ends closed).")
      .def(
          "swap",
          [](PyStoreHandle& self, PyStore& next, bool migrate, uint64_t batch_size) {
            if (&next == &self) raise_code("INVALID_ARGUMENT", "a store cannot be swapped for itself");
            graphstore::StoreHandle& handle = self.handle();
            std::unique_ptr<graphstore::Store> store = next.take_store();
            graphstore::SwapOptions options;
            options.migrate = migrate;
            options.batch_size = batch_size;
            graphstore::SwapReport report;
            Status st = self.write([&](auto&) {
              return handle.swap(std::move(store), options, &report);
            });
            check(st);
            return swap_report_to_py(report);
          },
          "new_store"_a, "migrate"_a = false, "batch_size"_a = 5000,
          "Makes new_store (which ends closed: the handle owns it) the current store; with migrate, copies the "
          "data first while calls go on. No call fails because of the swap.");
}

}  // namespace gspy
