// migrate: tenant by tenant (the global one first, then by name), entities
// then relations, one page of batch_size records from an id-ordered scan of
// the source per Store::apply on the target, a checkpoint after each.
#include <algorithm>
#include <chrono>

#include "graphstore/migrate.hpp"
#include "io/migrate_checkpoint.hpp"

namespace graphstore {
namespace {

class Migrator {
 public:
  Migrator(Store& source, Store& target, const MigrateOptions& o, MigrateReport* rep)
      : src_(source), dst_(target), o_(o), rep_(rep) {}

  Status run() {
    // In name order, which a resumed run relies on ("" sorts first).
    std::vector<std::string> tenants = o_.tenants;
    std::sort(tenants.begin(), tenants.end());
    tenants.erase(std::unique(tenants.begin(), tenants.end()), tenants.end());
    if (tenants.empty()) {
      if (Status s = src_.list_tenants(&tenants); !s.ok()) return s;
      tenants.insert(tenants.begin(), "");
    }
    for (const auto& t : tenants) {
      Stats st;
      if (Status s = src_.get_stats(t, &st); !s.ok()) return s;
      total_ += st.entity_count + st.relation_count;
      if (st.entity_count + st.relation_count > 0) rep_->source_stats[t] = std::move(st);
    }
    cp_.source = {o_.source_identity, src_.plugin().id};
    cp_.target = {o_.target_identity, dst_.plugin().id};
    cp_.tenants = tenants;
    cp_.batch_size = o_.batch_size;
    if (!o_.checkpoint.empty())
      if (Status s = start_from_checkpoint(tenants); !s.ok()) return s;
    if (o_.dry_run || rep_->already_complete) return Status::Ok();
    for (const auto& t : tenants) {
      if (rep_->resumed && t < cp_.tenant) continue;  // finished by an earlier run
      bool same = rep_->resumed && t == cp_.tenant;
      std::string after = same ? cp_.after_id : std::string();
      if (!(same && cp_.phase == "relations")) {
        if (Status s = copy(t, true, after); !s.ok()) return s;
        after.clear();
      }
      if (Status s = copy(t, false, after); !s.ok()) return s;
    }
    cp_.phase = "done";
    cp_.after_id.clear();
    if (!o_.checkpoint.empty())
      if (Status s = io::write_checkpoint(o_.checkpoint, cp_); !s.ok()) return s;
    return Status::Ok();
  }

 private:
  // Reads the checkpoint, if there is one, and checks that it is of these
  // stores and that the target still holds what it held at the checkpoint;
  // then takes its place and the target's counts as they are now.
  Status start_from_checkpoint(const std::vector<std::string>& tenants) {
    io::Checkpoint old;
    bool exists = false;
    const std::string file = o_.checkpoint.string();
    if (Status s = io::read_checkpoint(o_.checkpoint, &old, &exists); !s.ok()) return s;
    if (exists) {
      if (auto diff = io::checkpoint_mismatches(old, cp_); !diff.empty())
        return InvalidArgument(file + ": the checkpoint is of another migration: " + join(diff));
    }
    if (exists || !o_.dry_run) {
      for (const auto& t : tenants) {
        Stats st;
        if (Status s = dst_.get_stats(t, &st); !s.ok()) return s;
        cp_.target_held[t] = {st.entity_count, st.relation_count};
      }
    }
    if (!exists) return Status::Ok();
    if (auto diff = io::target_mismatches(old, cp_.target_held, old.phase != "done"); !diff.empty())
      return InvalidArgument(file + ": the target does not hold what it held at the checkpoint (" + join(diff) +
                             "): it was changed or emptied since; empty it and migrate again without the checkpoint");
    old.target_held = cp_.target_held;
    old.batch_size = o_.batch_size;
    cp_ = std::move(old);
    rep_->resumed = true;
    rep_->already_complete = cp_.phase == "done";
    rep_->resumed_tenant = cp_.tenant;
    rep_->resumed_phase = cp_.phase;
    rep_->resumed_after_id = cp_.after_id;
    resuming_ = !rep_->already_complete;
    done_ = cp_.entities + cp_.relations;
    return Status::Ok();
  }

  static std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
  }

  // Copies one kind of one tenant, from after `after`.
  Status copy(const std::string& tenant, bool entities, std::string after) {
    ScanOptions scan;
    scan.limit = o_.batch_size;
    scan.after_id = std::move(after);
    WriteBatch batch;
    for (;;) {
      batch.clear();
      Status s = entities ? src_.scan_entities(tenant, scan,
                                               [&](const Entity& e) {
                                                 batch.add_entity(e);
                                                 return true;
                                               })
                          : src_.scan_relations(tenant, scan, [&](const Relation& r) {
                              batch.add_relation(r);
                              return true;
                            });
      if (!s.ok()) return s;
      if (batch.empty()) return Status::Ok();
      const auto& last = batch.ops().back();
      scan.after_id = entities ? last.entity.id : last.relation.id;
      size_t n = batch.size();  // written by this batch
      if (s = !entities && o_.live_source ? add_live_relations(tenant, batch, &n) : apply(tenant, &batch, &n); !s.ok())
        return s;
      auto& counts = rep_->copied[tenant];
      (entities ? counts.entities : counts.relations) += n;
      (entities ? rep_->entities : rep_->relations) += n;
      (entities ? cp_.entities : cp_.relations) += n;
      auto& held = cp_.target_held[tenant];
      (entities ? held.entities : held.relations) += n;
      ++rep_->batches;
      done_ += n;
      cp_.tenant = tenant;
      cp_.phase = entities ? "entities" : "relations";
      cp_.after_id = scan.after_id;
      if (!o_.checkpoint.empty())
        if (s = io::write_checkpoint(o_.checkpoint, cp_); !s.ok()) return s;
      if (o_.progress) {
        Progress p;
        p.phase = entities ? "entities" : "relations";
        p.records = done_;
        p.total = total_;
        if (!o_.progress(p))
          return Unavailable("migration stopped after " + std::to_string(rep_->batches) +
                             " batches; run it again with the same checkpoint to resume");
      }
      if (batch.size() < o_.batch_size) return Status::Ok();
    }
  }

  // A page of relations of a live source, in bulk: one whose endpoint is
  // missing is skipped (counted in relations_left), any other skip fails.
  Status add_live_relations(const std::string& tenant, const WriteBatch& batch, size_t* added) {
    std::vector<Relation> relations;
    relations.reserve(batch.size());
    for (const auto& op : batch.ops()) relations.push_back(op.relation);
    BulkResult result;
    if (Status s = dst_.add_relations_bulk(tenant, relations, &result); !s.ok()) return s;
    for (const auto& skip : result.skipped)
      if (!skip.status.is_not_found())
        return Status(skip.status.code(), "relation '" + relations[skip.index].id + "': " + skip.status.message());
    rep_->relations_left += result.skipped.size();
    *added = result.added;
    return Status::Ok();
  }

  // Applies a page; *written is how many records it added. A resumed run may
  // meet the batch an interrupted run committed after its last checkpoint:
  // records already in the target are dropped until a batch applies with
  // none.
  Status apply(const std::string& tenant, WriteBatch* batch, size_t* written) {
    size_t idx = SIZE_MAX;
    *written = batch->size();
    Status s = dst_.apply(tenant, *batch, &idx);
    if (s.ok()) {
      resuming_ = false;
      return s;
    }
    if (!s.is_already_exists() || idx >= batch->size()) return s;
    const auto& op = batch->ops()[idx];
    bool entity = op.kind == WriteBatch::Kind::kAddEntity;
    std::string id = entity ? op.entity.id : op.relation.id;
    if (!resuming_)
      return AlreadyExists("the target already holds " + std::string(entity ? "entity '" : "relation '") + id +
                           "' (tenant " + (tenant.empty() ? std::string("global") : tenant) +
                           "): migrate into an empty store, or resume with the checkpoint of the run that copied it");
    WriteBatch rest;
    for (const auto& o : batch->ops()) {
      if (o.kind == WriteBatch::Kind::kAddEntity) {
        Entity e;
        if (!dst_.get_entity(tenant, o.entity.id, &e).ok()) rest.add_entity(o.entity);
      } else {
        Relation r;
        if (!dst_.get_relation(tenant, o.relation.id, &r).ok()) rest.add_relation(o.relation);
      }
    }
    *written = rest.size();
    if (rest.empty()) return Status::Ok();
    s = dst_.apply(tenant, rest);
    if (s.ok()) resuming_ = false;
    return s;
  }

  Store& src_;
  Store& dst_;
  const MigrateOptions& o_;
  MigrateReport* rep_;
  io::Checkpoint cp_;
  bool resuming_ = false;
  uint64_t total_ = 0, done_ = 0;
};

}  // namespace

Status migrate(Store& source, Store& target, const MigrateOptions& options, MigrateReport* report) {
  auto t0 = std::chrono::steady_clock::now();
  *report = MigrateReport{};
  if (options.batch_size == 0) return InvalidArgument("migrate: batch_size must be at least 1");
  if (&source == &target) return InvalidArgument("migrate: the source and the target are the same store");
  Migrator m(source, target, options, report);
  Status s = m.run();
  if (s.ok() && options.verify && !options.dry_run) {
    s = summarize_store(source, &report->source_summary, options.progress);
    if (s.ok()) s = summarize_store(target, &report->target_summary, options.progress);
    if (s.ok()) {
      report->verified = true;
      report->mismatches = compare_summaries(report->source_summary, report->target_summary);
      if (!report->mismatches.empty())
        s = Status(Code::kCorruption, "verify: the target differs from the source: " + report->mismatches.front() +
                                          (report->mismatches.size() > 1
                                               ? " (and " + std::to_string(report->mismatches.size() - 1) + " more)"
                                               : ""));
    }
  }
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

}  // namespace graphstore
