// import_file: records from a RecordSource into a Store, batch by batch.
//
// Entities and relations wait in two pending batches of one tenant each; a
// batch is written (Store::apply, all or nothing) when it is full, when the
// tenant changes, and at the end, entities always before relations. A
// relation batch refused because an endpoint is missing is split: the
// relations whose endpoints exist now are written, the others go to the
// spool and are written after the last entity, when a missing endpoint is
// an error of that record. The common path (no conflicts, endpoints
// present) is one apply per batch and no lookups; a refused batch is
// examined record by record only then.
#include <chrono>

#include "graphstore/io.hpp"
#include "graphstore/scoring.hpp"
#include "io/formats.hpp"
#include "io/prefetch.hpp"
#include "io/rejects.hpp"
#include "io/spool.hpp"

namespace graphstore {
namespace {

using io::RecordSource;
using io::SourceItem;

constexpr uint64_t kProgressEvery = 8192;

struct Meta {
  uint32_t file = 0;
  uint64_t line = 0;
};

// "batch op 3: entity 'x' ..." -> "entity 'x' ...".
std::string strip_op_prefix(const std::string& m) {
  if (m.rfind("batch op ", 0) == 0) {
    size_t colon = m.find(": ");
    if (colon != std::string::npos) return m.substr(colon + 2);
  }
  return m;
}

bool is_add(WriteBatch::Kind k) { return k == WriteBatch::Kind::kAddEntity || k == WriteBatch::Kind::kAddRelation; }
bool is_relation(WriteBatch::Kind k) {
  return k == WriteBatch::Kind::kAddRelation || k == WriteBatch::Kind::kUpdateRelation;
}

void push_op(WriteBatch* b, WriteBatch::Kind kind, const WriteBatch::Op& op) {
  switch (kind) {
    case WriteBatch::Kind::kAddEntity:
      b->add_entity(op.entity);
      break;
    case WriteBatch::Kind::kUpdateEntity:
      b->update_entity(op.entity);
      break;
    case WriteBatch::Kind::kAddRelation:
      b->add_relation(op.relation);
      break;
    case WriteBatch::Kind::kUpdateRelation:
      b->update_relation(op.relation);
      break;
    case WriteBatch::Kind::kDeleteEntity:
      b->delete_entity(op.id);
      break;
    case WriteBatch::Kind::kDeleteRelation:
      b->delete_relation(op.id);
      break;
  }
}

class Importer {
 public:
  Importer(Store& store, const ImportOptions& o, ImportReport* rep, RecordSource* src, io::RejectsFile* rejects)
      : store_(store), o_(o), rep_(rep), src_(src), rejects_(rejects), spool_(o.spool_dir) {}

  Status run() {
    io::Prefetcher reader(src_);
    reader_ = &reader;
    Status s = read_all(reader);
    reader_ = nullptr;
    return s;
  }

 private:
  Status read_all(io::Prefetcher& reader) {
    SourceItem* item = nullptr;
    Status fatal;
    uint64_t last_line = 0;
    while (reader.next(&item, &fatal)) {
      ++rep_->records;
      last_line = item->line;
      Meta meta{file_index(item->file), item->line};
      if (!item->error.ok()) {
        if (!bad_record(meta, item->error.message(), item->raw, item->raw_truncated)) return stop_;
      } else if (!take(std::move(item->record), meta)) {
        return stop_;
      }
      if (rep_->records % kProgressEvery == 0 && !progress("import")) return stop_;
    }
    if (!fatal.ok()) {
      discard();
      std::string where = last_line > 0 ? " (after line " + std::to_string(last_line) + ")" : "";
      rep_->error_file = src_->files().empty() ? "" : src_->files().back();
      return Status(fatal.code(), fatal.message() + where);
    }
    if (!flush_relations()) return stop_;
    if (!progress("import")) return stop_;
    if (!replay()) return stop_;
    return Status::Ok();
  }

  uint32_t file_index(const std::string* file) const {
    const auto& files = src_->files();
    for (size_t i = 0; i < files.size(); ++i)
      if (&files[i] == file) return static_cast<uint32_t>(i);
    return 0;
  }
  const std::string& file_name(const Meta& m) const { return src_->files()[m.file]; }
  std::string where(const Meta& m) const { return file_name(m) + ":" + std::to_string(m.line) + ": "; }

  bool progress(std::string_view phase) {
    if (!o_.progress) return true;
    Progress p;
    p.phase = phase;
    p.records = rep_->records;
    p.bytes = reader_ != nullptr ? reader_->bytes_read() : 0;
    p.bytes_total = src_->bytes_total();
    if (o_.progress(p)) return true;
    discard();
    stop_ = Unavailable("import stopped after " + std::to_string(rep_->records) + " records (" +
                        std::to_string(rep_->batches) + " batches committed)");
    return false;
  }

  // A record that cannot be imported: stops the import (abort) or goes to
  // the rejects file (skip). False when the import stops.
  bool bad_record(Meta m, const std::string& reason, std::string_view text, bool truncated) {
    if (o_.on_error == OnError::kAbort) {
      discard();
      rep_->error_file = file_name(m);
      rep_->error_line = m.line;
      stop_ = InvalidArgument(where(m) + reason);
      return false;
    }
    ++rep_->rejected;
    if (Status s = rejects_->add(file_name(m), m.line, reason, text, truncated); !s.ok()) {
      discard();
      stop_ = s;
      return false;
    }
    return true;
  }

  bool bad_op(const WriteBatch::Op& op, const Meta& m, const std::string& reason) {
    std::string text;
    if (is_relation(op.kind)) {
      io::append_jsonl(op.relation, &text);
    } else {
      io::append_jsonl(op.entity, &text);
    }
    return bad_record(m, reason, text, false);
  }

  bool take(Record&& rec, const Meta& m) {
    std::string& tenant = rec.kind == RecordKind::kEntity ? rec.entity.tenant_id : rec.relation.tenant_id;
    if (o_.tenant) tenant = *o_.tenant;
    if (tenant != tenant_) {
      if (!flush_relations()) return false;
      tenant_ = tenant;
    }
    if (rec.kind == RecordKind::kEntity) {
      ents_.add_entity(std::move(rec.entity));
      ent_meta_.push_back(m);
      if (ents_.size() >= o_.batch_size) return flush_entities();
    } else {
      rels_.add_relation(std::move(rec.relation));
      rel_meta_.push_back(m);
      if (rels_.size() >= o_.batch_size) return flush_relations();
    }
    return true;
  }

  void discard() {
    ents_.clear();
    ent_meta_.clear();
    rels_.clear();
    rel_meta_.clear();
  }

  bool flush_entities() {
    bool ok = write(&ents_, &ent_meta_, false);
    done_with(&ents_);
    ent_meta_.clear();
    return ok;
  }

  bool flush_relations() {
    if (!flush_entities()) return false;
    bool ok = write(&rels_, &rel_meta_, !replaying_);
    done_with(&rels_);
    rel_meta_.clear();
    return ok;
  }

  // Empties a written batch: on the reading thread while there is one.
  void done_with(WriteBatch* b) {
    if (b->empty()) return;
    if (reader_ != nullptr) {
      *b = reader_->recycle(std::move(*b));
    } else {
      b->clear();
    }
  }

  // Writes b, dealing with refused records by the policies; b is consumed.
  bool write(WriteBatch* b, std::vector<Meta>* metas, bool may_defer) {
    bool examined = false;
    while (!b->empty()) {
      size_t idx = SIZE_MAX;
      Status s = store_.apply(tenant_, *b, &idx);
      if (s.ok()) {
        count(*b);
        return true;
      }
      if (idx >= b->size()) {  // a failure of the whole call
        stop_ =
            Status(s.code(), "writing the batch that ends at " + where(metas->back()) + strip_op_prefix(s.message()));
        discard();
        return false;
      }
      const WriteBatch::Op& op = b->ops()[idx];
      std::string msg = strip_op_prefix(s.message());
      if (s.is_already_exists() && is_add(op.kind)) {
        if (!examined) {
          examined = true;
          if (!examine_conflicts(b, metas)) return false;
          continue;
        }
        if (!resolve_conflict(b, metas, idx)) return false;
        continue;
      }
      if (s.is_not_found() && is_relation(op.kind) && may_defer) {
        size_t before = b->size();
        if (!defer_missing(b, metas)) return false;
        if (b->size() < before) continue;
      }
      if (s.is_not_found() && is_relation(op.kind))
        msg += " (dangling: the endpoint is neither in the store nor in the file)";
      if (s.is_invalid_argument() || s.is_not_found() || s.is_already_exists()) {
        if (!bad_op(op, (*metas)[idx], msg)) return false;
        remove(b, metas, idx);
        continue;
      }
      // Anything else (unavailable, out of memory, corruption) ends the import.
      Meta m = (*metas)[idx];
      discard();
      rep_->error_file = file_name(m);
      rep_->error_line = m.line;
      stop_ = Status(s.code(), where(m) + msg);
      return false;
    }
    return true;
  }

  void count(const WriteBatch& b) {
    ++rep_->batches;
    for (const auto& op : b.ops()) {
      switch (op.kind) {
        case WriteBatch::Kind::kAddEntity:
          ++rep_->entities_added;
          break;
        case WriteBatch::Kind::kUpdateEntity:
          ++rep_->entities_replaced;
          break;
        case WriteBatch::Kind::kAddRelation:
          ++rep_->relations_added;
          break;
        case WriteBatch::Kind::kUpdateRelation:
          ++rep_->relations_replaced;
          break;
        default:
          break;
      }
    }
  }

  static void remove(WriteBatch* b, std::vector<Meta>* metas, size_t idx) {
    WriteBatch nb;
    for (size_t i = 0; i < b->size(); ++i)
      if (i != idx) push_op(&nb, b->ops()[i].kind, b->ops()[i]);
    *b = std::move(nb);
    metas->erase(metas->begin() + static_cast<std::ptrdiff_t>(idx));
  }

  static void to_update(WriteBatch* b, size_t idx) {
    WriteBatch nb;
    for (size_t i = 0; i < b->size(); ++i) {
      const auto& op = b->ops()[i];
      WriteBatch::Kind k = op.kind;
      if (i == idx)
        k = k == WriteBatch::Kind::kAddEntity ? WriteBatch::Kind::kUpdateEntity : WriteBatch::Kind::kUpdateRelation;
      push_op(&nb, k, op);
    }
    *b = std::move(nb);
  }

  bool exists(const WriteBatch::Op& op) {
    if (op.kind == WriteBatch::Kind::kAddEntity) {
      Entity e;
      return store_.get_entity(tenant_, op.entity.id, &e).ok();
    }
    Relation r;
    return store_.get_relation(tenant_, op.relation.id, &r).ok();
  }

  static std::string duplicate_message(const WriteBatch::Op& op) {
    bool rel = is_relation(op.kind);
    return std::string("duplicate id: ") + (rel ? "relation '" + op.relation.id : "entity '" + op.entity.id) +
           "' already exists (in the store or earlier in the file; --on-conflict skip or replace accepts it)";
  }

  // One refused duplicate, by the conflict policy.
  bool resolve_conflict(WriteBatch* b, std::vector<Meta>* metas, size_t idx) {
    const WriteBatch::Op& op = b->ops()[idx];
    switch (o_.on_conflict) {
      case OnConflict::kError:
        if (!bad_op(op, (*metas)[idx], duplicate_message(op))) return false;
        remove(b, metas, idx);
        return true;
      case OnConflict::kSkip:
        ++(is_relation(op.kind) ? rep_->relation_duplicates : rep_->entity_duplicates);
        remove(b, metas, idx);
        return true;
      case OnConflict::kReplace:
        to_update(b, idx);
        return true;
    }
    return true;
  }

  // After the first duplicate of a batch: looks every add up once and
  // applies the policy to all that exist, so a batch of many duplicates
  // costs one more apply, not one per duplicate.
  bool examine_conflicts(WriteBatch* b, std::vector<Meta>* metas) {
    for (size_t i = b->size(); i-- > 0;) {
      const WriteBatch::Op& op = b->ops()[i];
      if (!is_add(op.kind) || !exists(op)) continue;
      // Walk backwards so that indexes stay valid; an abort must still name
      // the first duplicate, so find it first.
      if (o_.on_conflict == OnConflict::kError && o_.on_error == OnError::kAbort) {
        size_t first = i;
        for (size_t j = 0; j < i; ++j)
          if (is_add(b->ops()[j].kind) && exists(b->ops()[j])) {
            first = j;
            break;
          }
        return bad_op(b->ops()[first], (*metas)[first], duplicate_message(b->ops()[first]));
      }
      if (!resolve_conflict(b, metas, i)) return false;
    }
    return true;
  }

  // Moves the relations of b whose endpoints are missing now to the spool.
  bool defer_missing(WriteBatch* b, std::vector<Meta>* metas) {
    WriteBatch keep;
    std::vector<Meta> keep_meta;
    for (size_t i = 0; i < b->size(); ++i) {
      const WriteBatch::Op& op = b->ops()[i];
      Entity e;
      bool present = !is_relation(op.kind) || (store_.get_entity(tenant_, op.relation.source_id, &e).ok() &&
                                               store_.get_entity(tenant_, op.relation.target_id, &e).ok());
      if (present) {
        push_op(&keep, op.kind, op);
        keep_meta.push_back((*metas)[i]);
        continue;
      }
      if (Status s = spool_.write(op.relation, (*metas)[i].file, (*metas)[i].line); !s.ok()) {
        discard();
        stop_ = s;
        return false;
      }
      ++rep_->deferred_relations;
    }
    *b = std::move(keep);
    *metas = std::move(keep_meta);
    return true;
  }

  // Writes the deferred relations, now that every entity is in.
  bool replay() {
    if (spool_.count() == 0) return true;
    if (Status s = spool_.rewind(); !s.ok()) {
      stop_ = s;
      return false;
    }
    replaying_ = true;
    Relation r;
    Meta m;
    Status error;
    uint64_t done = 0;
    while (spool_.read(&r, &m.file, &m.line, &error)) {
      if (r.tenant_id != tenant_) {
        if (!flush_relations()) return false;
        tenant_ = r.tenant_id;
      }
      rels_.add_relation(std::move(r));
      rel_meta_.push_back(m);
      if (rels_.size() >= o_.batch_size && !flush_relations()) return false;
      if (++done % kProgressEvery == 0 && !progress("relations (deferred)")) return false;
    }
    if (!error.ok()) {
      stop_ = error;
      return false;
    }
    return flush_relations() && progress("relations (deferred)");
  }

  Store& store_;
  const ImportOptions& o_;
  ImportReport* rep_;
  RecordSource* src_;
  io::RejectsFile* rejects_;
  io::RelationSpool spool_;
  std::string tenant_;
  WriteBatch ents_, rels_;
  std::vector<Meta> ent_meta_, rel_meta_;
  bool replaying_ = false;
  io::Prefetcher* reader_ = nullptr;  // while run() reads
  Status stop_;
};

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::kJsonl:
      return "jsonl";
    case Format::kJson:
      return "json";
    case Format::kCsv:
      return "csv";
  }
  return "jsonl";
}

bool parse_format(std::string_view name, Format* out) {
  for (Format f : {Format::kJsonl, Format::kJson, Format::kCsv})
    if (name == format_name(f)) {
      *out = f;
      return true;
    }
  return false;
}

Format format_from_path(const std::filesystem::path& path) {
  std::filesystem::path p = path;
  if (p.extension() == ".gz") p = p.stem();
  std::string ext = p.extension().string();
  if (ext == ".json") return Format::kJson;
  if (ext == ".csv") return Format::kCsv;
  return Format::kJsonl;
}

Status import_file(Store& store, const std::filesystem::path& path, const ImportOptions& options,
                   ImportReport* report) {
  auto t0 = std::chrono::steady_clock::now();
  *report = ImportReport{};
  if (options.batch_size == 0) return InvalidArgument("import: batch_size must be at least 1");
  if (options.max_line_bytes == 0) return InvalidArgument("import: max_line_bytes must be at least 1");
  if (options.tenant && !sdk::valid_tenant(*options.tenant))
    return InvalidArgument("import: invalid tenant id '" + *options.tenant + "'");
  Format format = options.format ? *options.format : format_from_path(path);
  report->format = format;
  std::unique_ptr<io::RecordSource> src;
  Status s;
  switch (format) {
    case Format::kJsonl:
      s = io::open_jsonl_source(path, options.max_line_bytes, &src);
      break;
    case Format::kJson:
      s = io::open_json_source(path, options.max_line_bytes, &src);
      break;
    case Format::kCsv:
      s = io::open_csv_source(path, options.max_line_bytes, &src);
      break;
  }
  if (!s.ok()) return s;
  report->files = src->files();
  io::RejectsFile rejects;
  if (options.on_error == OnError::kSkip) {
    std::filesystem::path rp = options.rejects;
    if (rp.empty()) rp = default_rejects_path(path);
    if (s = rejects.open(rp); !s.ok()) return s;
  }
  Importer importer(store, options, report, src.get(), &rejects);
  s = importer.run();
  report->gzip = src->gzip();
  Status rs = rejects.close();
  if (report->rejected > 0) report->rejects_file = rejects.path();
  if (s.ok()) s = rs;
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

}  // namespace graphstore
