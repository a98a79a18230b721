#include "tenant_move.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "catalog.hpp"
#include "graphstore/migrate.hpp"
#include "graphstore/tenant.hpp"
#include "options.hpp"

namespace graphstore::sharding {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Status from_sdk(const sdk::Status& s) {
  return s.ok() ? Status::Ok() : Status(static_cast<Code>(s.code), s.message);
}

// A shard section's backend and options, opened through registry.
Status open_shard(Registry& registry, const sharded::ShardSection& shard, std::unique_ptr<Store>* out) {
  rapidjson::Document doc;
  doc.Parse(shard.section.data(), shard.section.size());  // written by parse_options: valid
  std::string options = "{}";
  if (doc.HasMember("options") && doc["options"].IsObject()) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    doc["options"].Accept(w);
    options.assign(sb.GetString(), sb.GetSize());
  }
  if (Status s = registry.open(doc["backend"].GetString(), options, out); !s.ok())
    return Status(s.code(), "shard '" + shard.name + "': " + s.message());
  return Status::Ok();
}

// The sharded store's options, its catalog, and the two shards of a move.
struct Setup {
  sharded::Options options;
  std::unique_ptr<sharded::Catalog> catalog;
  std::chrono::duration<double> settle{};  // placement_ttl + move_grace

  Status load(std::string_view json) {
    if (sdk::Status s = sharded::parse_options(json, &options); !s.ok()) return from_sdk(s);
    if (sdk::Status s = sharded::Catalog::open(options.catalog_dsn, options.catalog_schema, &catalog); !s.ok())
      return from_sdk(s);
    settle = std::chrono::duration<double>(options.placement_ttl_s + options.move_grace_s);
    return Status::Ok();
  }
  const sharded::ShardSection* shard(std::string_view name) const {
    for (const auto& s : options.shards)
      if (s.name == name) return &s;
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& s : options.shards) out.push_back(s.name);
    return out;
  }
  // Every router has seen the last placement change once this returns.
  void wait_for_routers() const { std::this_thread::sleep_for(settle); }
};

// The Store calls a replay makes on one kind of record.
template <class Record>
struct RecordCalls {
  Status (Store::*get)(std::string_view, std::string_view, Record*);
  Status (Store::*add)(std::string_view, const Record&);
  Status (Store::*update)(std::string_view, const Record&);
  Status (Store::*remove)(std::string_view, std::string_view);
};
constexpr RecordCalls<Entity> kEntityCalls{&Store::get_entity, &Store::add_entity, &Store::update_entity,
                                           &Store::delete_entity};
constexpr RecordCalls<Relation> kRelationCalls{&Store::get_relation, &Store::add_relation, &Store::update_relation,
                                               &Store::delete_relation};

// Makes the target's copy of one record what the source holds now.
template <class Record>
Status replay_record(Store& source, Store& target, const std::string& tenant, const std::string& id,
                     const RecordCalls<Record>& calls) {
  Record now;
  Status s = (source.*calls.get)(tenant, id, &now);
  if (s.is_not_found()) {
    Status d = (target.*calls.remove)(tenant, id);
    return d.is_not_found() ? Status::Ok() : d;
  }
  if (!s.ok()) return s;
  Record held;
  Status h = (target.*calls.get)(tenant, id, &held);
  if (h.is_not_found()) {
    // Only a relation's add is NOT_FOUND, for want of an endpoint: one
    // deleted and added again since this entry was logged. Its new add, and
    // this relation's, are later in the log and replayed then.
    Status a = (target.*calls.add)(tenant, now);
    return a.is_not_found() ? Status::Ok() : a;
  }
  if (!h.ok()) return h;
  return (target.*calls.update)(tenant, now);
}

Status replay_one(Store& source, Store& target, const std::string& tenant, const sharded::Change& c) {
  return c.kind == GS_KIND_ENTITY ? replay_record(source, target, tenant, c.id, kEntityCalls)
                                  : replay_record(source, target, tenant, c.id, kRelationCalls);
}

// Replays ids on `threads` threads sharing both stores (calls on a store may
// run concurrently); the first failure is returned.
Status replay_all(Store& source, Store& target, const std::string& tenant, const std::vector<sharded::Change>& ids,
                  unsigned threads) {
  std::atomic<size_t> next{0};
  std::mutex mutex;
  Status first;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < ids.size();) {
      const sharded::Change& c = ids[i];
      Status s = replay_one(source, target, tenant, c);
      if (s.ok()) continue;
      std::lock_guard lock(mutex);
      if (first.ok())
        first = Status(s.code(), "catching up on " + std::string(c.kind == GS_KIND_ENTITY ? "entity" : "relation") +
                                     " '" + c.id + "': " + s.message());
      next = ids.size();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads && t < ids.size(); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return first;
}

// Replays the change log after *after_seq up to its end now; returns how
// many ids it replayed. Each id once per batch read: every entry of a batch
// was written before the batch was read, so one replay after the read covers
// them all. An entry of a later batch may follow a write that committed after
// this batch's replay, so it is replayed again. Within a batch, the entities
// go before the relations (a relation the source holds has its endpoints
// there, and they are replayed first); records of one kind are independent
// and replayed on several threads.
Status catch_up(sharded::Catalog& catalog, Store& source, Store& target, const std::string& tenant, int64_t* after_seq,
                unsigned threads, uint64_t* replayed) {
  *replayed = 0;
  for (;;) {
    std::vector<sharded::Change> changes;
    if (sdk::Status s = catalog.read_changes(tenant, *after_seq, 10000, &changes); !s.ok()) return from_sdk(s);
    if (changes.empty()) return Status::Ok();
    std::set<std::pair<int32_t, std::string>> seen;
    std::vector<sharded::Change> entities, relations;
    for (const auto& c : changes)
      if (seen.emplace(c.kind, c.id).second) (c.kind == GS_KIND_ENTITY ? entities : relations).push_back(c);
    if (Status s = replay_all(source, target, tenant, entities, threads); !s.ok()) return s;
    if (Status s = replay_all(source, target, tenant, relations, threads); !s.ok()) return s;
    *replayed += entities.size() + relations.size();
    *after_seq = changes.back().seq;
  }
}

// Both counts at once: on a large tenant each is a scan of its rows, and
// writes of the tenant wait meanwhile.
Status same_counts(Store& source, Store& target, const std::string& tenant) {
  Stats a, b;
  Status sa;
  std::thread other([&] { sa = source.get_stats(tenant, &a); });
  Status sb = target.get_stats(tenant, &b);
  other.join();
  if (!sa.ok()) return sa;
  if (!sb.ok()) return sb;
  if (a == b) return Status::Ok();
  return Status(Code::kCorruption, "after the catch-up the target holds " + std::to_string(b.entity_count) +
                                       " entities and " + std::to_string(b.relation_count) +
                                       " relations, the source " + std::to_string(a.entity_count) + " and " +
                                       std::to_string(a.relation_count));
}

}  // namespace

Status move_tenant(Registry& registry, std::string_view sharded_options_json, const MoveOptions& o,
                   MoveReport* report) {
  *report = MoveReport{};
  auto started = Clock::now();
  Setup setup;
  if (Status s = setup.load(sharded_options_json); !s.ok()) return s;
  if (setup.shard(o.to) == nullptr)
    return InvalidArgument("move: no shard named '" + o.to + "' in the sharded store's options");
  sharded::Catalog& catalog = *setup.catalog;
  const std::string& tenant = o.tenant;

  // Where the tenant is now. One never written to has no placement: it is
  // placed on its default shard first, where its first write would put it.
  std::optional<sharded::Placement> placed;
  if (sdk::Status s = catalog.lookup(tenant, &placed); !s.ok()) return from_sdk(s);
  if (!placed) {
    sharded::Placement p;
    if (sdk::Status s = catalog.place(tenant, sharded::default_shard(tenant, setup.names()), &p); !s.ok())
      return from_sdk(s);
    placed = p;
  }
  if (placed->state != sharded::PlacementState::kActive)
    return InvalidArgument("move: " + sdk::describe_tenant(tenant) + " is already moving from shard '" + placed->shard +
                           "' to '" + placed->target + "' (abandon that move first)");
  report->from = placed->shard;
  report->to = o.to;
  if (placed->shard == o.to) {
    report->already_there = true;
    return Status::Ok();
  }
  const sharded::ShardSection* from_section = setup.shard(placed->shard);
  if (from_section == nullptr)
    return Internal("move: the catalog puts " + sdk::describe_tenant(tenant) + " on shard '" + placed->shard +
                    "', which the options do not name");
  std::unique_ptr<Store> source, target;
  if (Status s = open_shard(registry, *from_section, &source); !s.ok()) return s;
  if (Status s = open_shard(registry, *setup.shard(o.to), &target); !s.ok()) return s;
  // Left there by an abandoned move: the catalog says the tenant is not there.
  if (Status s = target->clear(tenant, ClearScope::kTenant); !s.ok()) return s;

  if (sdk::Status s = catalog.begin_move(tenant, placed->shard, o.to); !s.ok()) return from_sdk(s);
  auto abandon = [&](Status why) {
    (void)catalog.abort_move(tenant);
    (void)target->clear(tenant, ClearScope::kTenant);
    return Status(why.code(), "move of " + sdk::describe_tenant(tenant) + " from '" + report->from + "' to '" + o.to +
                                  "' abandoned: " + why.message());
  };
  setup.wait_for_routers();

  // 1. Copy.
  auto copy_started = Clock::now();
  MigrateOptions mo;
  mo.tenants = {tenant};
  mo.batch_size = o.batch_size;
  mo.live_source = true;
  mo.progress = o.progress;
  MigrateReport mr;
  if (Status s = migrate(*source, *target, mo, &mr); !s.ok()) return abandon(s);
  report->entities = mr.entities;
  report->relations = mr.relations;
  report->copy_seconds = since(copy_started);

  // 2. Catch up while writes go on.
  auto catch_up_started = Clock::now();
  int64_t seq = 0;
  for (;;) {
    uint64_t n = 0;
    if (Status s = catch_up(catalog, *source, *target, tenant, &seq, o.catch_up_threads, &n); !s.ok()) return abandon(s);
    report->changes_replayed += n;
    ++report->catch_up_passes;
    if (o.progress) {
      Progress p;
      p.phase = "catch-up";
      p.records = report->changes_replayed;
      if (!o.progress(p)) return abandon(Unavailable("stopped"));
    }
    if (n < o.catch_up_until || report->catch_up_passes >= 20) break;
  }
  report->catch_up_seconds = since(catch_up_started);

  // 3. Switch: writes wait, the rest is replayed, the counts compared.
  auto switch_started = Clock::now();
  if (sdk::Status s = catalog.set_switching(tenant); !s.ok()) return abandon(from_sdk(s));
  setup.wait_for_routers();
  uint64_t n = 0;
  if (Status s = catch_up(catalog, *source, *target, tenant, &seq, o.catch_up_threads, &n); !s.ok()) return abandon(s);
  report->changes_replayed += n;
  if (Status s = same_counts(*source, *target, tenant); !s.ok()) return abandon(s);
  if (sdk::Status s = catalog.finish_move(tenant); !s.ok()) return abandon(from_sdk(s));
  report->switch_seconds = since(switch_started);

  // Reads may still reach the source until every router has seen the switch.
  setup.wait_for_routers();
  if (Status s = source->clear(tenant, ClearScope::kTenant); !s.ok())
    return Status(s.code(), "move done, but its copy on shard '" + report->from + "' could not be removed: " +
                                s.message() + " (clear it there; the catalog no longer routes to it)");
  report->seconds = since(started);
  return Status::Ok();
}

Status abandon_move(Registry& registry, std::string_view sharded_options_json, std::string_view tenant) {
  Setup setup;
  if (Status s = setup.load(sharded_options_json); !s.ok()) return s;
  std::optional<sharded::Placement> placed;
  if (sdk::Status s = setup.catalog->lookup(tenant, &placed); !s.ok()) return from_sdk(s);
  if (!placed || placed->state == sharded::PlacementState::kActive)
    return InvalidArgument("abandon: " + sdk::describe_tenant(tenant) + " is not moving");
  const sharded::ShardSection* to = setup.shard(placed->target);
  if (sdk::Status s = setup.catalog->abort_move(tenant); !s.ok()) return from_sdk(s);
  if (to == nullptr) return Status::Ok();
  std::unique_ptr<Store> target;
  if (Status s = open_shard(registry, *to, &target); !s.ok()) return s;
  setup.wait_for_routers();  // no router still logs for the move
  return target->clear(std::string(tenant), ClearScope::kTenant);
}

Status list_placements(std::string_view sharded_options_json, std::vector<PlacementRow>* out) {
  Setup setup;
  if (Status s = setup.load(sharded_options_json); !s.ok()) return s;
  std::vector<sharded::Placement> all;
  if (sdk::Status s = setup.catalog->all(&all); !s.ok()) return from_sdk(s);
  out->clear();
  for (const auto& p : all) out->push_back({p.tenant, p.shard, sharded::state_name(p.state), p.target});
  return Status::Ok();
}

}  // namespace graphstore::sharding
