// export_store: every entity, then every relation, of the chosen tenants
// into a RecordSink, page by page through the id-ordered scans (the cursor
// is the last id of the previous page), so memory holds one page at most.
#include <chrono>
#include <set>

#include "graphstore/io.hpp"
#include "graphstore/tenant.hpp"
#include "io/format_table.hpp"
#include "io/formats.hpp"

namespace graphstore {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class Exporter {
 public:
  Exporter(Store& store, const ExportOptions& o, ExportReport* rep, io::RecordSink* sink)
      : store_(store), o_(o), rep_(rep), sink_(sink), types_(o.entity_types.begin(), o.entity_types.end()) {}

  Status run(const std::vector<std::string>& tenants) {
    for (const auto& t : tenants) {
      Stats st;
      if (Status s = store_.get_stats(t, &st); !s.ok()) return s;
      total_ += st.entity_count + st.relation_count;
    }
    for (const auto& t : tenants)
      if (Status s = entities(t); !s.ok()) return s;
    for (const auto& t : tenants)
      if (Status s = relations(t); !s.ok()) return s;
    return progress();
  }

 private:
  Status progress() {
    if (!o_.progress) return Status::Ok();
    Progress p;
    p.phase = "export";
    p.records = rep_->entities + rep_->relations;
    p.total = total_;
    if (o_.progress(p)) return Status::Ok();
    return Unavailable("export stopped after " + std::to_string(p.records) + " records");
  }

  bool wanted(const std::string& type) const { return types_.empty() || types_.count(type) > 0; }

  Status entities(const std::string& tenant) {
    ScanOptions scan;
    scan.limit = o_.page_size;
    // One type: the scan filters; several: every entity, filtered here, so
    // that the order stays by id.
    if (types_.size() == 1) scan.type = *types_.begin();
    for (;;) {
      uint64_t seen = 0;
      Status write_status;
      Status s = store_.scan_entities(tenant, scan, [&](const Entity& e) {
        ++seen;
        scan.after_id = e.id;
        if (!wanted(e.entity_type)) return true;
        write_status = sink_->entity(e);
        if (!write_status.ok()) return false;
        ++rep_->entities;
        ++rep_->tenants[tenant].entities;
        return true;
      });
      if (!s.ok()) return s;
      if (!write_status.ok()) return write_status;
      if (Status p = progress(); !p.ok()) return p;
      if (seen < o_.page_size) return Status::Ok();
    }
  }

  Status relations(const std::string& tenant) {
    ScanOptions scan;
    scan.limit = o_.page_size;
    std::vector<Relation> page;
    for (;;) {
      uint64_t seen = 0;
      Status write_status;
      page.clear();
      Status s = store_.scan_relations(tenant, scan, [&](const Relation& r) {
        ++seen;
        scan.after_id = r.id;
        if (!types_.empty()) {
          page.push_back(r);  // endpoints are looked up after the scan returns
          return true;
        }
        write_status = sink_->relation(r);
        if (!write_status.ok()) return false;
        ++rep_->relations;
        ++rep_->tenants[tenant].relations;
        return true;
      });
      if (!s.ok()) return s;
      if (!write_status.ok()) return write_status;
      for (const Relation& r : page) {
        bool keep = true;
        for (const std::string* id : {&r.source_id, &r.target_id}) {
          Entity e;
          Status g = store_.get_entity(tenant, *id, &e);
          if (!g.ok() && !g.is_not_found()) return g;
          keep = keep && g.ok() && wanted(e.entity_type);
        }
        if (!keep) continue;
        if (Status w = sink_->relation(r); !w.ok()) return w;
        ++rep_->relations;
        ++rep_->tenants[tenant].relations;
      }
      if (Status p = progress(); !p.ok()) return p;
      if (seen < o_.page_size) return Status::Ok();
    }
  }

  Store& store_;
  const ExportOptions& o_;
  ExportReport* rep_;
  io::RecordSink* sink_;
  std::set<std::string> types_;
  uint64_t total_ = 0;
};

}  // namespace

std::vector<std::filesystem::path> export_files(const std::filesystem::path& path, const ExportOptions& options) {
  if (path == "-") return {};
  const io::FormatRow& row = io::format_row(options.format ? *options.format : format_from_path(path));
  if (row.part == nullptr) return {path};
  bool gzip = options.gzip ? *options.gzip : ends_with(path.string(), ".gz");
  std::vector<std::filesystem::path> files;
  for (const char* kind : {"entities", "relations"}) {
    std::filesystem::path part = row.part(path, kind);
    // As the pair's writer: --gzip on a name without ".gz" adds it.
    if (gzip && !ends_with(part.string(), ".gz")) part += ".gz";
    files.push_back(part);
  }
  return files;
}

Status export_store(Store& store, const std::filesystem::path& path, const ExportOptions& options,
                    ExportReport* report) {
  auto t0 = std::chrono::steady_clock::now();
  *report = ExportReport{};
  if (options.page_size == 0) return InvalidArgument("export: page_size must be at least 1");
  if (options.gzip_level < 1 || options.gzip_level > 9) return InvalidArgument("export: gzip_level must be 1 to 9");
  std::vector<std::string> tenants;
  if (options.tenant) {
    if (!sdk::valid_tenant(*options.tenant))
      return InvalidArgument("export: invalid tenant id '" + *options.tenant + "'");
    tenants.push_back(*options.tenant);
  } else {
    if (Status s = store.list_tenants(&tenants); !s.ok()) return s;
    tenants.insert(tenants.begin(), "");
  }
  report->format = options.format ? *options.format : format_from_path(path);
  const io::FormatRow& row = io::format_row(report->format);
  if (row.part != nullptr && path == "-")
    return InvalidArgument(std::string("export: ") + row.label +
                           " writes two files (entities and relations); give a file name, not '-'");
  if (options.csv_formula_guard && !row.formula_guard)
    return InvalidArgument(std::string("export: the CSV formula guard applies to CSV only, not ") + row.name);
  report->gzip = options.gzip ? *options.gzip : ends_with(path.string(), ".gz");
  std::unique_ptr<io::RecordSink> sink;
  io::SinkOptions so;
  so.gzip = report->gzip;
  so.level = options.gzip_level;
  so.formula_guard = options.csv_formula_guard;
  Status s = row.open_sink(path, so, &sink);
  if (!s.ok()) return s;
  Exporter exporter(store, options, report, sink.get());
  s = exporter.run(tenants);
  if (s.ok()) s = sink->finish();
  if (s.ok()) report->files = sink->files();
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

}  // namespace graphstore
