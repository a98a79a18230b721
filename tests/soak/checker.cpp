#include "checker.hpp"

#include <filesystem>
#include <map>
#include <optional>

#include "ack_log.hpp"
#include "expected_state.hpp"
#include "soak_records.hpp"

namespace graphstore::soak {

namespace {

// What the store returned, by owner then id (a duplicate id keeps the first
// copy; the read counts it).
struct StoreContent {
  std::map<std::string, std::map<std::string, Entity>> entities;
  std::map<std::string, std::map<std::string, Relation>> relations;
  std::set<std::string> entity_ids;
};

// The two views of an owner's records a check compares against.
struct View {
  std::map<std::string, Entity> entities;
  std::map<std::string, Relation> relations;
};

View view_of(const ExpectedState& s) { return {s.entities(), s.relations()}; }

template <typename Record, typename Same>
bool matches(const std::map<std::string, Record>& want, const std::map<std::string, Record>& got, const std::string& id,
             Same same, std::string* why) {
  auto w = want.find(id);
  auto g = got.find(id);
  if (w == want.end() && g == got.end()) return true;
  if (w == want.end()) return *why = "present, not expected", false;
  if (g == got.end()) return *why = "absent, expected", false;
  return same(w->second, g->second, why);
}

// The ids whose record differs between two views.
std::set<std::string> differing(const View& a, const View& b) {
  std::set<std::string> out;
  std::string why;
  auto scan = [&](const auto& x, const auto& y, auto same) {
    for (const auto& [id, rec] : x)
      if (!matches(x, y, id, same, &why)) out.insert(id);
    for (const auto& [id, rec] : y)
      if (!matches(x, y, id, same, &why)) out.insert(id);
  };
  scan(a.entities, b.entities, same_entity);
  scan(a.relations, b.relations, same_relation);
  return out;
}

bool same_in(const View& want, const StoreContent& got, const std::string& owner, const std::string& id,
             std::string* why) {
  static const std::map<std::string, Entity> no_entities;
  static const std::map<std::string, Relation> no_relations;
  auto ge = got.entities.find(owner);
  auto gr = got.relations.find(owner);
  return matches(want.entities, ge == got.entities.end() ? no_entities : ge->second, id, same_entity, why) &&
         matches(want.relations, gr == got.relations.end() ? no_relations : gr->second, id, same_relation, why);
}

void note(CheckResult* r, const std::string& text) {
  if (r->examples.size() < 10) r->examples.push_back(text);
}

void check_owner(const std::string& owner, const std::vector<LoggedWrite>& writes, bool killed, const StoreContent& got,
                 CheckResult* r) {
  ++r->logs;
  ExpectedState without;
  std::vector<size_t> doubtful;
  std::string error;
  for (size_t i = 0; i < writes.size(); ++i) {
    if (writes[i].outcome != LoggedWrite::Outcome::kAcknowledged) {
      doubtful.push_back(i);
      if (writes[i].outcome == LoggedWrite::Outcome::kOpen && !killed) {
        ++r->open_in_live_process;
        note(r, owner + ": write " + std::to_string(writes[i].seq) + " unfinished in a process that was not killed");
      }
      continue;
    }
    ++r->writes_acknowledged;
    if (!without.apply_all(writes[i].ops, &error)) {
      ++r->log_errors;
      note(r, owner + ": log contradicts itself at write " + std::to_string(writes[i].seq) + ": " + error);
      return;
    }
  }
  View base = view_of(without);
  r->in_doubt += doubtful.size();

  // Each in-doubt write: all of it applied, or none of it.
  std::set<std::string> in_doubt_ids;
  for (size_t d : doubtful) {
    ExpectedState with;
    bool applicable = true;
    for (size_t i = 0; i < writes.size() && applicable; ++i)
      if (writes[i].outcome == LoggedWrite::Outcome::kAcknowledged || i == d)
        applicable = with.apply_all(writes[i].ops, &error);
    std::set<std::string> touched;
    std::optional<View> applied;
    if (applicable) {
      applied = view_of(with);
      touched = differing(base, *applied);
    }
    bool all_base = true, all_applied = applicable;
    std::string why;
    for (const std::string& id : touched) {
      all_base = all_base && same_in(base, got, owner, id, &why);
      all_applied = all_applied && same_in(*applied, got, owner, id, &why);
    }
    if (all_base) {
      ++r->in_doubt_absent;
    } else if (all_applied) {
      ++r->in_doubt_applied;
    } else {
      ++r->in_doubt_torn;
      note(r, owner + ": in-doubt write " + std::to_string(writes[d].seq) + " applied in part or with other values");
    }
    in_doubt_ids.insert(touched.begin(), touched.end());
  }

  std::set<std::string> ids;
  for (const auto& [id, e] : base.entities) ids.insert(id);
  for (const auto& [id, rel] : base.relations) ids.insert(id);
  if (auto it = got.entities.find(owner); it != got.entities.end())
    for (const auto& [id, e] : it->second) ids.insert(id);
  if (auto it = got.relations.find(owner); it != got.relations.end())
    for (const auto& [id, rel] : it->second) ids.insert(id);
  for (const std::string& id : ids) {
    if (in_doubt_ids.count(id)) continue;
    bool expected = base.entities.count(id) || base.relations.count(id);
    std::string why;
    if (expected) ++r->records_expected;
    if (same_in(base, got, owner, id, &why)) {
      if (expected) ++r->records_found;
      continue;
    }
    if (!expected) {
      ++r->unexpected;
    } else if (why.rfind("absent", 0) == 0) {
      ++r->missing;
    } else {
      ++r->wrong_value;
    }
    note(r, owner + ": " + id + ": " + why);
  }
}

}  // namespace

CheckResult check_store(Store* store, const std::string& log_dir, const std::set<std::string>& killed_identities) {
  CheckResult r;
  StoreContent got;
  std::map<std::string, int> seen;
  Status st = store->for_each_entity("", [&](const Entity& e) {
    if (seen[e.id]++ == 0) {
      got.entities[owner_of(e.id)].emplace(e.id, e);
      got.entity_ids.insert(e.id);
    } else {
      ++r.duplicates;
      note(&r, "entity " + e.id + " returned twice");
    }
    return true;
  });
  if (st.ok())
    st = store->for_each_relation("", [&](const Relation& rel) {
      if (seen[rel.id]++ == 0) {
        got.relations[owner_of(rel.id)].emplace(rel.id, rel);
        if (!got.entity_ids.count(rel.source_id) || !got.entity_ids.count(rel.target_id)) {
          ++r.dangling;
          note(&r, "relation " + rel.id + " joins an absent entity");
        }
      } else {
        ++r.duplicates;
        note(&r, "relation " + rel.id + " returned twice (or shares an entity's id)");
      }
      return true;
    });
  if (!st.ok()) {
    r.read_error = st.to_string();
    return r;
  }

  std::set<std::string> owners_with_logs;
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(log_dir, ec)) {
    if (file.path().extension() != ".log") continue;
    std::string owner = file.path().stem().string();
    owners_with_logs.insert(owner);
    std::vector<LoggedWrite> writes;
    std::string error;
    if (!read_ack_log(file.path().string(), &writes, &error)) {
      ++r.log_errors;
      note(&r, error);
      continue;
    }
    std::string identity = owner.substr(0, owner.find('.'));
    check_owner(owner, writes, killed_identities.count(identity) > 0, got, &r);
  }
  if (ec) {
    ++r.log_errors;
    note(&r, "cannot list " + log_dir + ": " + ec.message());
  }
  // Records of an owner that kept no log: nobody wrote them.
  for (const auto& [owner, records] : got.entities)
    if (!owners_with_logs.count(owner)) {
      r.unexpected += records.size();
      note(&r, std::to_string(records.size()) + " entities of unknown writer '" + owner + "'");
    }
  for (const auto& [owner, records] : got.relations)
    if (!owners_with_logs.count(owner)) {
      r.unexpected += records.size();
      note(&r, std::to_string(records.size()) + " relations of unknown writer '" + owner + "'");
    }
  return r;
}

bool CheckResult::passed() const {
  return read_error.empty() && in_doubt_torn == 0 && open_in_live_process == 0 && missing == 0 && wrong_value == 0 &&
         unexpected == 0 && duplicates == 0 && dangling == 0 && log_errors == 0 && records_found == records_expected;
}

void CheckResult::print(std::ostream& out) const {
  out << "content check: " << logs << " writer logs, " << writes_acknowledged << " writes acknowledged\n"
      << "  records expected " << records_expected << ", found with their last acknowledged value " << records_found
      << "\n"
      << "  in doubt " << in_doubt << " (applied " << in_doubt_applied << ", absent " << in_doubt_absent << ", torn "
      << in_doubt_torn << ")\n"
      << "  missing " << missing << ", wrong value " << wrong_value << ", unexpected " << unexpected << ", duplicates "
      << duplicates << ", dangling relations " << dangling << ", unfinished writes of live processes "
      << open_in_live_process << ", log errors " << log_errors << "\n";
  if (!read_error.empty()) out << "  full read failed: " << read_error << "\n";
  for (const auto& e : examples) out << "  - " << e << "\n";
}

}  // namespace graphstore::soak
