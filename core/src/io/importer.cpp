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
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "graphstore/io.hpp"
#include "graphstore/tenant.hpp"
#include "io/format_table.hpp"
#include "io/formats.hpp"
#include "io/line_reader.hpp"
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
      if (src_->gzip() && o_.gzip_check == GzipCheck::kStream && rep_->batches > 0)
        where += "; the " + std::to_string(rep_->batches) +
                 " batches committed were decoded before the gzip check failed (streaming gzip) and may hold "
                 "records read from the damaged data";
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
    uint64_t size = record_size(op);
    if (size <= kWholeRejectBytes) {
      std::string text;
      if (is_relation(op.kind)) {
        io::append_jsonl(op.relation, &text);
      } else {
        io::append_jsonl(op.entity, &text);
      }
      return bad_record(m, reason, text, false);
    }
    return bad_record(m,
                      reason + " (the record holds about " + std::to_string(size) +
                          " bytes; the rejects file keeps the first " + io::size_text(kRejectPrefixBytes) +
                          " of its line)",
                      reject_prefix(op), true);
  }

  // A refused record up to this size goes to the rejects file whole; a
  // larger one (e.g. too big for the backend) as the first
  // kRejectPrefixBytes of its line, as an over-long input line does, so the
  // rejects file never holds a copy of a huge record.
  static constexpr uint64_t kWholeRejectBytes = 1 << 20;
  static constexpr size_t kRejectPrefixBytes = 4096;

  // About the bytes of a record's JSONL line (strings, and each float of an
  // embedding at its longest), without writing it.
  static uint64_t record_size(const WriteBatch::Op& op) {
    auto strings = [](const auto& r) {
      return r.id.size() + r.properties.size() + (r.source ? r.source->size() : 0) + r.tenant_id.size();
    };
    if (is_relation(op.kind)) {
      const Relation& r = op.relation;
      return strings(r) + r.relation_type.size() + r.source_id.size() + r.target_id.size();
    }
    return strings(op.entity) + op.entity.entity_type.size() + 16 * op.entity.embedding.size();
  }

  // The first kRejectPrefixBytes of a large record's JSONL line, written
  // from a copy with every string cut to that many bytes (and properties
  // closed so that they are still written as an object) and the embedding
  // to that many floats: each cut field ends past the kept prefix, so the
  // prefix is the real line's.
  static std::string reject_prefix(const WriteBatch::Op& op) {
    auto cut = [](std::string* s) {
      if (s->size() > kRejectPrefixBytes) s->resize(kRejectPrefixBytes);
    };
    auto cut_common = [&](auto* r) {
      cut(&r->id);
      if (r->properties.size() > kRejectPrefixBytes) {
        r->properties.resize(kRejectPrefixBytes);
        r->properties += '}';
      }
      if (r->source) cut(&*r->source);
      cut(&r->tenant_id);
    };
    std::string text;
    if (is_relation(op.kind)) {
      Relation r;
      r.id = op.relation.id.substr(0, kRejectPrefixBytes + 1);
      r.relation_type = op.relation.relation_type.substr(0, kRejectPrefixBytes);
      r.source_id = op.relation.source_id.substr(0, kRejectPrefixBytes);
      r.target_id = op.relation.target_id.substr(0, kRejectPrefixBytes);
      r.properties = op.relation.properties.substr(0, kRejectPrefixBytes + 1);
      r.weight = op.relation.weight;
      r.created_at = op.relation.created_at;
      r.updated_at = op.relation.updated_at;
      if (op.relation.source) r.source = op.relation.source->substr(0, kRejectPrefixBytes);
      r.tenant_id = op.relation.tenant_id;
      cut_common(&r);
      io::append_jsonl(r, &text);
    } else {
      Entity e;
      e.id = op.entity.id.substr(0, kRejectPrefixBytes + 1);
      e.entity_type = op.entity.entity_type.substr(0, kRejectPrefixBytes);
      e.properties = op.entity.properties.substr(0, kRejectPrefixBytes + 1);
      size_t floats = std::min(op.entity.embedding.size(), kRejectPrefixBytes);
      e.embedding.assign(op.entity.embedding.begin(),
                         op.entity.embedding.begin() + static_cast<std::ptrdiff_t>(floats));
      e.created_at = op.entity.created_at;
      e.updated_at = op.entity.updated_at;
      if (op.entity.source) e.source = op.entity.source->substr(0, kRejectPrefixBytes);
      e.tenant_id = op.entity.tenant_id;
      cut_common(&e);
      io::append_jsonl(e, &text);
    }
    if (text.size() > kRejectPrefixBytes) text.resize(kRejectPrefixBytes);
    return text;
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
  // The common case is one apply. A refused batch is settled in time linear
  // in its size, however many of its records are refused (settle()).
  bool write(WriteBatch* b, std::vector<Meta>* metas, bool may_defer) {
    if (b->empty()) return true;
    size_t idx = SIZE_MAX;
    Status s = store_.apply(tenant_, *b, &idx);
    if (s.ok()) {
      count(b->ops(), 0, b->size(), nullptr);
      return true;
    }
    if (idx >= b->size()) idx = SIZE_MAX;  // a failure of the whole call
    Pending p;
    p.ops = b->take_ops();
    p.metas = std::move(*metas);
    metas->clear();
    p.drop.assign(p.ops.size(), 0);
    return settle(&p, s, idx, may_defer);
  }

  // A refused batch taken apart: ops marked in drop are settled (rejected,
  // skipped or deferred) and left out of every later apply.
  struct Pending {
    std::vector<WriteBatch::Op> ops;
    std::vector<Meta> metas;
    std::vector<char> drop;
  };

  // The first run applied after a single refused record; runs double while
  // they succeed, so a refusal wastes at most the run it sits in, which is
  // at most twice the records written since the previous one.
  static constexpr size_t kFirstRun = 16;

  // Settles a batch whose apply of ops [0, size) failed with s at op idx.
  // The first duplicate looks every add up once and the first missing
  // endpoint every relation's endpoints once, for the whole batch; after
  // that the records are written in runs: the ops before a refused one (the
  // store ran them without error) are applied on their own, the refused one
  // is settled by the policies, and the next run starts small again.
  bool settle(Pending* p, Status s, size_t idx, bool may_defer) {
    const size_t n = p->ops.size();
    size_t begin = 0, end = n, run = kFirstRun;
    bool dups_checked = false, ends_checked = false;
    for (;;) {
      if (s.ok()) {
        begin = end;
        if (begin >= n) return true;
        end = std::min(n, begin + run);
        run = std::min(run * 2, n);
      } else {
        if (idx == SIZE_MAX) {  // a failure of the whole call
          stop_ = Status(s.code(),
                         "writing the batch that ends at " + where(p->metas[end - 1]) + strip_op_prefix(s.message()));
          discard();
          return false;
        }
        WriteBatch::Op& op = p->ops[idx];
        if (s.is_already_exists() && is_add(op.kind) && !dups_checked) {
          dups_checked = true;
          if (!check_duplicates(p, begin)) return false;
          end = n;
        } else if (s.is_not_found() && is_relation(op.kind) && !ends_checked) {
          ends_checked = true;
          if (!check_endpoints(p, begin, may_defer)) return false;
          end = n;
        } else {
          if (!settle_one(p, idx, s, may_defer)) return false;
          if (o_.on_error == OnError::kAbort) {
            // A bad record will stop the import with nothing of this batch
            // written, so the batch stays whole; only duplicates within the
            // batch and deferrals come here, each once.
            end = n;
          } else {
            end = idx > begin ? idx : std::min(n, idx + kFirstRun);
            run = kFirstRun;
          }
        }
      }
      s = apply_range(p, begin, end, &idx);
    }
  }

  // Applies the ops of [begin, end) not dropped as one batch. On a refusal
  // *idx is the refused op's index in p->ops, SIZE_MAX for a failure of the
  // whole call. The ops are moved into the batch and back, never copied.
  Status apply_range(Pending* p, size_t begin, size_t end, size_t* idx) {
    WriteBatch wb;
    std::vector<size_t> at;
    for (size_t i = begin; i < end; ++i)
      if (!p->drop[i]) {
        wb.add(std::move(p->ops[i]));
        at.push_back(i);
      }
    if (wb.empty()) return Status::Ok();
    size_t failed = SIZE_MAX;
    Status s = store_.apply(tenant_, wb, &failed);
    std::vector<WriteBatch::Op> back = wb.take_ops();
    for (size_t j = 0; j < back.size(); ++j) p->ops[at[j]] = std::move(back[j]);
    *idx = failed < at.size() ? at[failed] : SIZE_MAX;
    if (s.ok()) count(p->ops, begin, end, &p->drop);
    return s;
  }

  // One refused record, by the policies: dropped (rejected, skipped as a
  // duplicate, deferred) or turned into an update (replace).
  bool settle_one(Pending* p, size_t idx, const Status& s, bool may_defer) {
    WriteBatch::Op& op = p->ops[idx];
    const Meta& m = p->metas[idx];
    if (s.is_already_exists() && is_add(op.kind)) return resolve_conflict(p, idx);
    if (s.is_not_found() && is_relation(op.kind) && may_defer) return defer(p, idx);
    std::string msg = strip_op_prefix(s.message());
    if (s.is_not_found() && is_relation(op.kind))
      msg += " (dangling: the endpoint is neither in the store nor in the file)";
    if (s.is_invalid_argument() || s.is_not_found() || s.is_already_exists()) {
      p->drop[idx] = 1;
      return bad_op(op, m, msg);
    }
    // Anything else (unavailable, out of memory, corruption) ends the import.
    discard();
    rep_->error_file = file_name(m);
    rep_->error_line = m.line;
    stop_ = Status(s.code(), where(m) + msg);
    return false;
  }

  void count(const std::vector<WriteBatch::Op>& ops, size_t begin, size_t end, const std::vector<char>* drop) {
    ++rep_->batches;
    for (size_t i = begin; i < end; ++i) {
      if (drop != nullptr && (*drop)[i]) continue;
      switch (ops[i].kind) {
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

  // One duplicate, by the conflict policy.
  bool resolve_conflict(Pending* p, size_t idx) {
    WriteBatch::Op& op = p->ops[idx];
    switch (o_.on_conflict) {
      case OnConflict::kError:
        p->drop[idx] = 1;
        return bad_op(op, p->metas[idx], duplicate_message(op));
      case OnConflict::kSkip:
        ++(is_relation(op.kind) ? rep_->relation_duplicates : rep_->entity_duplicates);
        p->drop[idx] = 1;
        return true;
      case OnConflict::kReplace:
        op.kind = op.kind == WriteBatch::Kind::kAddEntity ? WriteBatch::Kind::kUpdateEntity
                                                          : WriteBatch::Kind::kUpdateRelation;
        return true;
    }
    return true;
  }

  // After the first duplicate of a batch: looks every add from begin on up
  // once and applies the policy to all that exist, so a batch of many
  // duplicates costs one look-up each and one more apply.
  bool check_duplicates(Pending* p, size_t begin) {
    for (size_t i = begin; i < p->ops.size(); ++i) {
      if (p->drop[i] || !is_add(p->ops[i].kind) || !exists(p->ops[i])) continue;
      if (!resolve_conflict(p, i)) return false;
    }
    return true;
  }

  // After the first relation refused for a missing endpoint: looks up the
  // endpoints of every relation from begin on once. Those missing one wait
  // in the spool (may_defer) or are rejected as dangling.
  bool check_endpoints(Pending* p, size_t begin, bool may_defer) {
    for (size_t i = begin; i < p->ops.size(); ++i) {
      const WriteBatch::Op& op = p->ops[i];
      if (p->drop[i] || !is_relation(op.kind)) continue;
      Entity e;
      if (store_.get_entity(tenant_, op.relation.source_id, &e).ok() &&
          store_.get_entity(tenant_, op.relation.target_id, &e).ok())
        continue;
      if (may_defer) {
        if (!defer(p, i)) return false;
        continue;
      }
      p->drop[i] = 1;
      std::string which = store_.get_entity(tenant_, op.relation.source_id, &e).ok()
                              ? "target '" + op.relation.target_id + "'"
                              : "source '" + op.relation.source_id + "'";
      if (!bad_op(op, p->metas[i],
                  "relation '" + op.relation.id + "': " + which +
                      " does not exist (dangling: the endpoint is neither in the store nor in the file)"))
        return false;
    }
    return true;
  }

  // Moves a relation whose endpoint is missing now to the spool.
  bool defer(Pending* p, size_t idx) {
    if (Status s = spool_.write(p->ops[idx].relation, p->metas[idx].file, p->metas[idx].line); !s.ok()) {
      discard();
      stop_ = s;
      return false;
    }
    p->drop[idx] = 1;
    ++rep_->deferred_relations;
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

namespace {

// An explicit spool directory must exist and take new files, checked
// before the import writes anything rather than when the first relation
// waits for its entities.
Status check_spool_dir(const std::filesystem::path& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec))
    return InvalidArgument("import: spool directory '" + dir.string() + "' does not exist");
  if (!std::filesystem::is_directory(dir, ec))
    return InvalidArgument("import: spool directory '" + dir.string() + "' is not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return InvalidArgument("import: spool directory '" + dir.string() + "' is not writable: " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

std::vector<std::filesystem::path> import_files(const std::filesystem::path& path, const ImportOptions& options) {
  if (path == "-") return {};
  const io::FormatRow& row = io::format_row(options.format ? *options.format : format_from_path(path));
  std::vector<std::filesystem::path> files{path};
  if (row.part != nullptr)
    for (const char* kind : {"entities", "relations"}) files.push_back(row.part(path, kind));
  return files;
}

namespace {

Status import_unguarded(Store& store, const std::filesystem::path& path, const ImportOptions& options,
                        ImportReport* report) {
  auto t0 = std::chrono::steady_clock::now();
  *report = ImportReport{};
  if (options.batch_size == 0) return InvalidArgument("import: batch_size must be at least 1");
  if (options.max_line_bytes == 0 || options.max_line_bytes > kMaxLineBytesLimit)
    return InvalidArgument("import: max_line_bytes must be from 1 to " + std::to_string(kMaxLineBytesLimit) +
                           " (the largest record a backend stores), not " + std::to_string(options.max_line_bytes));
  if (Status s = check_spool_dir(options.spool_dir); !s.ok()) return s;
  if (options.tenant && !sdk::valid_tenant(*options.tenant))
    return InvalidArgument("import: invalid tenant id '" + *options.tenant + "'");
  Format format = options.format ? *options.format : format_from_path(path);
  report->format = format;
  std::unique_ptr<io::RecordSource> src;
  io::SourceOptions so;
  so.max_record = options.max_line_bytes;
  so.verify_gzip = options.gzip_check == GzipCheck::kVerifyFirst;
  so.spool_dir = options.spool_dir;
  Status s = io::format_row(format).open_source(path, so, &src);
  if (!s.ok()) {
    if (so.verify_gzip && s.message().find("gzip") != std::string::npos)
      s = Status(s.code(), s.message() +
                               "; nothing was imported (gzip input is checked whole before any record is "
                               "written)");
    return s;
  }
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

}  // namespace

Status import_file(Store& store, const std::filesystem::path& path, const ImportOptions& options,
                   ImportReport* report) {
  // Errors are values here: running out of memory (the importer's buffers,
  // or a Store call's, which throws std::bad_alloc) ends the import as any
  // fatal error does, with the batches committed so far kept.
  try {
    return import_unguarded(store, path, options, report);
  } catch (const std::bad_alloc&) {
    return Status(Code::kResourceExhausted, "import: out of memory after " + std::to_string(report->batches) +
                                                " committed batches (importing again with OnConflict::kSkip resumes)");
  }
}

}  // namespace graphstore
