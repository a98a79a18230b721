#include "worker.hpp"

#include <set>
#include <thread>

#include "soak_records.hpp"

namespace graphstore::soak {

namespace {

using Clock = std::chrono::steady_clock;

// The mix, in parts per 1,000 (reads first); write ops whose records are
// missing (no entity to update yet) fall back to an add.
struct Weighted {
  int weight;
  void (Worker::*op)();
};

}  // namespace

Worker::Worker(Store* store, WorkerConfig config)
    : store_(store),
      config_(std::move(config)),
      owner_(owner_name(config_.identity, config_.thread)),
      log_(config_.log_path),
      rng_(config_.seed) {}

Figures Worker::figures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return figures_;
}

void Worker::count_op(const char* kind) {
  std::lock_guard<std::mutex> lock(mu_);
  ++figures_.ops[kind];
}

void Worker::fail(const std::string& name, const std::string& detail) {
  std::lock_guard<std::mutex> lock(mu_);
  figures_.fail(name, owner_ + ": " + detail);
}

std::string Worker::new_id(char kind, int part) const {
  std::string id = owner_ + "." + kind + std::to_string(seq_);
  if (part >= 0) id += "." + std::to_string(part);
  return id;
}

void Worker::run() {
  if (!log_.ok()) {
    fail("log", "cannot open " + config_.log_path);
    return;
  }
  static const Weighted mix[] = {
      {250, &Worker::get},          {100, &Worker::neighbors},
      {50, &Worker::search_text},   {30, &Worker::stats},
      {220, &Worker::add_entity},   {120, &Worker::add_relation},
      {80, &Worker::update_entity}, {40, &Worker::update_relation},
      {40, &Worker::delete_entity}, {40, &Worker::delete_relation},
      {25, &Worker::batch},         {5, &Worker::bulk},
  };
  int total = 0;
  for (const auto& w : mix) total += w.weight;
  while (Clock::now() < config_.deadline) {
    int pick = static_cast<int>(rng_() % static_cast<uint64_t>(total));
    for (const auto& w : mix) {
      if (pick < w.weight) {
        (this->*w.op)();
        break;
      }
      pick -= w.weight;
    }
  }
}

Status Worker::read(const char* kind, const Call& call) {
  count_op(kind);
  auto give_up_at = Clock::now() + config_.retry_limit;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    Status st = call();
    if (!st.is_unavailable() || Clock::now() >= give_up_at) return st;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++figures_.retried[code_name(st.code())];
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(64));
  }
}

void Worker::write(const char* kind, const std::vector<LogOp>& ops, const Call& call, const ShowsCommitted& committed) {
  count_op(kind);
  uint64_t seq = seq_++;
  if (!log_.intend(seq, ops)) {
    fail("log", "cannot append to " + config_.log_path);
    return;
  }
  bool retried = false;
  auto give_up_at = Clock::now() + config_.retry_limit;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    Status st = call();
    if (st.ok() || (retried && committed(st))) {
      std::string error;
      if (!state_.apply_all(ops, &error)) fail("worker_state", error);
      if (!log_.acknowledge(seq)) fail("log", "cannot append to " + config_.log_path);
      std::lock_guard<std::mutex> lock(mu_);
      ++figures_.writes_acknowledged;
      if (!st.ok()) ++figures_.found_committed_on_retry;
      return;
    }
    if (st.is_unavailable() && Clock::now() < give_up_at) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++figures_.retried[code_name(st.code())];
      }
      retried = true;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(64));
      continue;
    }
    fail(std::string(kind) + " " + code_name(st.code()), "seq " + std::to_string(seq) + ": " + st.message());
    (void)log_.abandon(seq);  // the checker treats a write without "A" as in doubt either way
    for (const LogOp& op : ops) {
      uncertain_.insert(op.id);
      for (const std::string& r : state_.relations_of(op.id)) uncertain_.insert(r);
      state_.forget(op.id);
    }
    return;
  }
}

// ---- reads ----

void Worker::get() {
  bool own = state_.entity_count() > 0 && rng_() % 10 < 7;
  if (!own) {
    // Another writer's id, which may or may not exist: only the status is
    // checked.
    const std::string& identity = config_.identities[rng_() % config_.identities.size()];
    std::string id =
        owner_name(identity, static_cast<int>(rng_() % static_cast<uint64_t>(config_.threads_per_identity))) + ".e" +
        std::to_string(rng_() % (seq_ + 1));
    Entity got;
    Status st = read("get", [&] { return store_->get_entity("", id, &got); });
    if (!st.ok() && !st.is_not_found()) fail(std::string("get ") + code_name(st.code()), st.message());
    return;
  }
  std::string id = state_.random_entity(rng_);
  const auto* want = state_.entity(id);
  Entity got;
  Status st = read("get", [&] { return store_->get_entity("", id, &got); });
  if (!st.ok()) return fail(std::string("get ") + code_name(st.code()), id + ": " + st.message());
  std::string why;
  if (!same_entity(expected_entity(id, want->version, want->embedding), got, &why))
    return fail("read_mismatch", "get " + id + ": " + why);
  std::lock_guard<std::mutex> lock(mu_);
  ++figures_.reads_checked;
}

void Worker::neighbors() {
  if (state_.entity_count() == 0) return get();
  std::string id = state_.random_entity(rng_);
  std::vector<Neighbor> got;
  Status st = read("neighbors", [&] { return store_->get_neighbors("", id, Direction::kBoth, "", &got); });
  if (!st.ok()) return fail(std::string("neighbors ") + code_name(st.code()), id + ": " + st.message());
  std::set<std::string> want = state_.relations_of(id), seen;
  for (const Neighbor& n : got) {
    if (uncertain_.count(n.relation.id) || uncertain_.count(n.entity.id)) continue;
    const auto* r = state_.relation(n.relation.id);
    std::string why;
    if (!r || !want.count(n.relation.id))
      return fail("read_mismatch", "neighbors of " + id + ": unexpected relation " + n.relation.id);
    if (!same_relation(expected_relation(n.relation.id, r->source, r->target, r->version), n.relation, &why))
      return fail("read_mismatch", "neighbors of " + id + ": relation " + n.relation.id + ": " + why);
    if (!seen.insert(n.relation.id).second)
      return fail("read_mismatch", "neighbors of " + id + ": relation " + n.relation.id + " listed twice");
  }
  if (seen != want)
    return fail("read_mismatch", "neighbors of " + id + ": " + std::to_string(got.size()) + " relations, expected " +
                                     std::to_string(want.size()));
  std::lock_guard<std::mutex> lock(mu_);
  ++figures_.reads_checked;
}

void Worker::search_text() {
  TextQuery q;
  q.text = vocabulary()[rng_() % vocabulary().size()];
  q.k = 5;
  std::vector<ScoredEntity> got;
  Status st = read("search_text", [&] { return store_->text_search("", q, &got); });
  if (!st.ok()) fail(std::string("search_text ") + code_name(st.code()), st.message());
}

void Worker::stats() {
  Stats got;
  Status st = read("stats", [&] { return store_->get_stats("", &got); });
  if (!st.ok()) fail(std::string("stats ") + code_name(st.code()), st.message());
}

// ---- writes ----

void Worker::add_entity() {
  LogOp op{"AE", new_id('e'), seq_, rng_() % 4 == 0, "", ""};
  Entity e = expected_entity(op.id, op.version, op.embedding);
  write(
      "add_entity", {op}, [&] { return store_->add_entity("", e); },
      [](const Status& s) { return s.is_already_exists(); });
}

void Worker::add_relation() {
  if (state_.entity_count() < 2) return add_entity();
  std::string source = state_.random_entity(rng_), target = state_.random_entity(rng_);
  if (source == target) return add_entity();
  LogOp op{"AR", new_id('r'), seq_, false, source, target};
  Relation r = expected_relation(op.id, source, target, op.version);
  write(
      "add_relation", {op}, [&] { return store_->add_relation("", r); },
      [](const Status& s) { return s.is_already_exists(); });
}

void Worker::update_entity() {
  if (state_.entity_count() == 0) return add_entity();
  LogOp op{"UE", state_.random_entity(rng_), seq_, rng_() % 4 == 0, "", ""};
  Entity e = expected_entity(op.id, op.version, op.embedding);
  // An update is idempotent: a retry after a committed attempt succeeds.
  write(
      "update_entity", {op}, [&] { return store_->update_entity("", e); }, [](const Status&) { return false; });
}

void Worker::update_relation() {
  if (state_.relation_count() == 0) return add_relation();
  std::string id = state_.random_relation(rng_);
  const auto* now = state_.relation(id);
  LogOp op{"UR", id, seq_, false, "", ""};
  Relation r = expected_relation(id, now->source, now->target, op.version);
  write(
      "update_relation", {op}, [&] { return store_->update_relation("", r); }, [](const Status&) { return false; });
}

void Worker::delete_entity() {
  // Keep a working set, so reads and relations have something to find.
  if (state_.entity_count() < 30) return add_entity();
  LogOp op{"DE", state_.random_entity(rng_), 0, false, "", ""};
  write(
      "delete_entity", {op}, [&] { return store_->delete_entity("", op.id); },
      [](const Status& s) { return s.is_not_found(); });
}

void Worker::delete_relation() {
  if (state_.relation_count() < 10) return add_relation();
  LogOp op{"DR", state_.random_relation(rng_), 0, false, "", ""};
  write(
      "delete_relation", {op}, [&] { return store_->delete_relation("", op.id); },
      [](const Status& s) { return s.is_not_found(); });
}

void Worker::batch() {
  // Starts with an add, so a retry of a batch that committed fails at op 0
  // with ALREADY_EXISTS; the update and delete touch records the adds do not.
  std::vector<LogOp> ops;
  WriteBatch b;
  for (int k = 0; k < 2; ++k) {
    ops.push_back({"AE", new_id('e', k), seq_, k == 1, "", ""});
    b.add_entity(expected_entity(ops.back().id, seq_, ops.back().embedding));
  }
  ops.push_back({"AR", new_id('r', 0), seq_, false, ops[0].id, ops[1].id});
  b.add_relation(expected_relation(ops.back().id, ops[0].id, ops[1].id, seq_));
  if (state_.entity_count() > 0) {
    ops.push_back({"UE", state_.random_entity(rng_), seq_, false, "", ""});
    b.update_entity(expected_entity(ops.back().id, seq_, false));
  }
  if (state_.relation_count() > 10) {
    ops.push_back({"DR", state_.random_relation(rng_), 0, false, "", ""});
    b.delete_relation(ops.back().id);
  }
  size_t failed = 0;
  write(
      "batch", ops, [&] { return store_->apply("", b, &failed); },
      [&](const Status& s) { return s.is_already_exists() && failed == 0; });
}

void Worker::bulk() {
  std::vector<LogOp> ops;
  std::vector<Entity> items;
  for (size_t k = 0; k < config_.bulk_size; ++k) {
    ops.push_back({"AE", new_id('e', static_cast<int>(k)), seq_, k % 8 == 0, "", ""});
    items.push_back(expected_entity(ops.back().id, seq_, ops.back().embedding));
  }
  write(
      "bulk_add", ops,
      [&] {
        BulkResult result;
        Status st = store_->add_entities_bulk("", items, &result);
        if (!st.ok()) return st;
        if (result.added == items.size()) return Status::Ok();
        bool all_exist = result.added == 0 && result.skipped.size() == items.size();
        for (const auto& skip : result.skipped) all_exist = all_exist && skip.status.is_already_exists();
        if (all_exist) return AlreadyExists("every item of the bulk add exists");
        return Internal("bulk add applied in part: added " + std::to_string(result.added) + ", skipped " +
                        std::to_string(result.skipped.size()) +
                        (result.skipped.empty() ? "" : ", first: " + result.skipped[0].status.to_string()));
      },
      [](const Status& s) { return s.is_already_exists(); });
}

}  // namespace graphstore::soak
