#include "io_bindings.hpp"

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <exception>
#include <filesystem>

#include "errors.hpp"
#include "graphstore/io.hpp"
#include "graphstore/migrate.hpp"
#include "records.hpp"
#include "results.hpp"
#include "store_object.hpp"

namespace gspy {

namespace {

namespace fs = std::filesystem;
using graphstore::Status;
using namespace pybind11::literals;

// A Python progress(phase, done, total) as the core's ProgressFn. It runs
// on the calling thread with the GIL taken back; a False return stops the
// operation, an exception stops it too and is raised once the call has
// returned.
class Progress {
 public:
  explicit Progress(py::object fn) : fn_(std::move(fn)) {}
  ~Progress() {
    // Released with the GIL held, by the binding's scope.
  }
  graphstore::ProgressFn as_fn() {
    if (fn_.is_none()) return nullptr;
    return [this](const graphstore::Progress& p) {
      py::gil_scoped_acquire gil;
      try {
        py::object r = fn_(py::str(p.phase.data(), p.phase.size()), p.records, p.total);
        return r.is_none() || PyObject_IsTrue(r.ptr()) == 1;
      } catch (py::error_already_set& e) {
        error_ = std::current_exception();
        return false;
      }
    };
  }
  // Raises the callback's exception, if it raised one.
  void rethrow() {
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  py::object fn_;
  std::exception_ptr error_;
};

graphstore::Format format_of(py::handle v) {
  graphstore::Format f;
  if (!graphstore::parse_format(str_view(v, "format"), &f))
    raise_code("INVALID_ARGUMENT", "format must be 'jsonl', 'json' or 'csv', not '" + std::string(str_view(v, "format")) + "'");
  return f;
}

py::dict tenant_counts(const std::map<std::string, graphstore::TenantCounts>& m) {
  py::dict d;
  for (const auto& [tenant, c] : m) d[py::str(tenant)] = py::make_tuple(c.entities, c.relations);
  return d;
}

void bind_store_io(py::class_<PyStore>& cls) {
  cls.def(
      "export",
      [](PyStore& s, const fs::path& path, py::handle format, py::handle gzip, py::handle tenant, py::object progress,
         std::vector<std::string> entity_types) {
        graphstore::ExportOptions o;
        if (!format.is_none()) o.format = format_of(format);
        if (!gzip.is_none()) o.gzip = gzip.cast<bool>();
        if (!tenant.is_none()) o.tenant = std::string(str_view(tenant, "tenant"));
        o.entity_types = std::move(entity_types);
        Progress p(std::move(progress));
        o.progress = p.as_fn();
        graphstore::ExportReport r;
        Status st = s.read([&](graphstore::Store& store) { return graphstore::export_store(store, path, o, &r); });
        p.rethrow();
        check(st);
        return result_class("ExportReport")(r.files, graphstore::format_name(r.format), r.gzip, r.entities,
                                             r.relations, tenant_counts(r.tenants), r.seconds);
      },
      "path"_a, "format"_a = py::none(), "gzip"_a = py::none(), "tenant"_a = py::none(), "progress"_a = py::none(),
      "entity_types"_a = std::vector<std::string>{},
      "Writes every entity, then every relation, to path (format from the name unless given: jsonl, json, csv; "
      "gzip when it ends in .gz). tenant None: the global namespace and every tenant. progress(phase, done, "
      "total) is called every few thousand records; returning False stops the export.");
  cls.def(
      "import_file",
      [](PyStore& s, const fs::path& path, py::handle format, py::handle on_error, py::handle on_conflict,
         py::handle tenant, uint64_t batch_size, py::object progress) {
        graphstore::ImportOptions o;
        if (!format.is_none()) o.format = format_of(format);
        std::string_view err = str_view(on_error, "on_error");
        if (err == "error" || err == "abort") o.on_error = graphstore::OnError::kAbort;
        else if (err == "skip") o.on_error = graphstore::OnError::kSkip;
        else raise_code("INVALID_ARGUMENT", "on_error must be 'error' or 'skip'");
        std::string_view conflict = str_view(on_conflict, "on_conflict");
        if (conflict == "error") o.on_conflict = graphstore::OnConflict::kError;
        else if (conflict == "skip") o.on_conflict = graphstore::OnConflict::kSkip;
        else if (conflict == "replace") o.on_conflict = graphstore::OnConflict::kReplace;
        else raise_code("INVALID_ARGUMENT", "on_conflict must be 'error', 'skip' or 'replace'");
        if (!tenant.is_none()) o.tenant = std::string(str_view(tenant, "tenant"));
        o.batch_size = batch_size;
        Progress p(std::move(progress));
        o.progress = p.as_fn();
        graphstore::ImportReport r;
        Status st = s.read([&](graphstore::Store& store) { return graphstore::import_file(store, path, o, &r); });
        p.rethrow();
        check(st);
        return result_class("ImportReport")(
            r.files, graphstore::format_name(r.format), r.gzip, r.records, r.entities_added, r.relations_added,
            r.entities_replaced, r.relations_replaced, r.entity_duplicates, r.relation_duplicates, r.rejected,
            r.deferred_relations, r.batches, r.rejects_file, r.error_file, r.error_line, r.seconds);
      },
      "path"_a, "format"_a = py::none(), "on_error"_a = "error", "on_conflict"_a = "error", "tenant"_a = py::none(),
      "batch_size"_a = 5000, "progress"_a = py::none(),
      "Reads a file written by export (or the reference's JSONL) into the store, entities before the relations "
      "that need them. tenant None: each record into its own tenant_id. on_error 'skip' writes bad records to "
      "FILE.rejected.jsonl; on_conflict 'skip' or 'replace' for ids that exist.");
  cls.def(
      "migrate_to",
      [](PyStore& s, PyStore& target, bool verify, py::object progress, uint64_t batch_size, py::handle checkpoint,
         bool dry_run) {
        if (&s == &target) raise_code("INVALID_ARGUMENT", "a store cannot be migrated into itself");
        graphstore::MigrateOptions o;
        o.verify = verify;
        o.batch_size = batch_size;
        o.dry_run = dry_run;
        if (!checkpoint.is_none()) o.checkpoint = checkpoint.cast<fs::path>();
        Progress p(std::move(progress));
        o.progress = p.as_fn();
        graphstore::MigrateReport r;
        Status st = s.read_pair(target, [&](graphstore::Store& src, graphstore::Store& dst) {
          return graphstore::migrate(src, dst, o, &r);
        });
        p.rethrow();
        if (!st.ok() && !r.mismatches.empty()) {
          std::string msg = st.message();
          for (const auto& m : r.mismatches) msg += "\n  " + m;
          raise_status(Status(st.code(), msg));
        }
        check(st);
        return result_class("MigrateReport")(r.entities, r.relations, r.batches, tenant_counts(r.copied), r.verified,
                                              r.mismatches, r.resumed, r.seconds);
      },
      "target"_a, "verify"_a = true, "progress"_a = py::none(), "batch_size"_a = 5000, "checkpoint"_a = py::none(),
      "dry_run"_a = false,
      "Copies every tenant's entities, then relations, into target (any backend), in batches; with verify, "
      "compares content summaries of both afterwards (CorruptionError listing the differences). progress(phase, "
      "done, total) after every batch; False stops (UnavailableError; a checkpoint file lets a rerun resume).");
}

}  // namespace

void bind_io(py::module_& m) {
  auto cls = py::reinterpret_borrow<py::class_<PyStore>>(m.attr("Store"));
  bind_store_io(cls);
}

}  // namespace gspy
