#include "expected_state.hpp"

#include "soak_records.hpp"

namespace graphstore::soak {

bool ExpectedState::apply(const LogOp& op, std::string* error) {
  auto fail = [&](const char* why) { return *error = op.kind + " " + op.id + ": " + why, false; };
  if (op.kind == "AE") {
    if (entity_map_.count(op.id)) return fail("already present");
    entity_map_[op.id] = {{op.version, op.embedding}, entity_ids_.size()};
    entity_ids_.push_back(op.id);
  } else if (op.kind == "UE") {
    auto it = entity_map_.find(op.id);
    if (it == entity_map_.end()) return fail("absent");
    it->second.first = {op.version, op.embedding};
  } else if (op.kind == "DE") {
    if (!entity_map_.count(op.id)) return fail("absent");
    erase_entity(op.id);
  } else if (op.kind == "AR") {
    if (relation_map_.count(op.id)) return fail("already present");
    if (!entity_map_.count(op.source) || !entity_map_.count(op.target)) return fail("endpoint absent");
    relation_map_[op.id] = {{op.source, op.target, op.version}, relation_ids_.size()};
    relation_ids_.push_back(op.id);
    adjacency_[op.source].insert(op.id);
    adjacency_[op.target].insert(op.id);
  } else if (op.kind == "UR") {
    auto it = relation_map_.find(op.id);
    if (it == relation_map_.end()) return fail("absent");
    it->second.first.version = op.version;
  } else if (op.kind == "DR") {
    if (!relation_map_.count(op.id)) return fail("absent");
    erase_relation(op.id);
  } else {
    return fail("unknown kind");
  }
  return true;
}

bool ExpectedState::apply_all(const std::vector<LogOp>& ops, std::string* error) {
  for (const LogOp& op : ops)
    if (!apply(op, error)) return false;
  return true;
}

void ExpectedState::forget(const std::string& id) {
  if (entity_map_.count(id)) erase_entity(id);
  if (relation_map_.count(id)) erase_relation(id);
}

void ExpectedState::erase_entity(const std::string& id) {
  auto adj = adjacency_.find(id);
  if (adj != adjacency_.end()) {
    std::set<std::string> touching = adj->second;
    for (const std::string& r : touching) erase_relation(r);
    adjacency_.erase(id);
  }
  size_t slot = entity_map_[id].second;
  entity_map_[entity_ids_.back()].second = slot;
  std::swap(entity_ids_[slot], entity_ids_.back());
  entity_ids_.pop_back();
  entity_map_.erase(id);
}

void ExpectedState::erase_relation(const std::string& id) {
  auto& [state, slot] = relation_map_[id];
  for (const std::string* end : {&state.source, &state.target}) {
    auto adj = adjacency_.find(*end);
    if (adj == adjacency_.end()) continue;
    adj->second.erase(id);
    if (adj->second.empty()) adjacency_.erase(adj);
  }
  relation_map_[relation_ids_.back()].second = slot;
  std::swap(relation_ids_[slot], relation_ids_.back());
  relation_ids_.pop_back();
  relation_map_.erase(id);
}

const ExpectedState::EntityState* ExpectedState::entity(const std::string& id) const {
  auto it = entity_map_.find(id);
  return it == entity_map_.end() ? nullptr : &it->second.first;
}

const ExpectedState::RelationState* ExpectedState::relation(const std::string& id) const {
  auto it = relation_map_.find(id);
  return it == relation_map_.end() ? nullptr : &it->second.first;
}

const std::string& ExpectedState::random_entity(std::mt19937_64& rng) const {
  return entity_ids_[rng() % entity_ids_.size()];
}

const std::string& ExpectedState::random_relation(std::mt19937_64& rng) const {
  return relation_ids_[rng() % relation_ids_.size()];
}

std::set<std::string> ExpectedState::relations_of(const std::string& entity_id) const {
  auto it = adjacency_.find(entity_id);
  return it == adjacency_.end() ? std::set<std::string>{} : it->second;
}

std::map<std::string, Entity> ExpectedState::entities() const {
  std::map<std::string, Entity> out;
  for (const auto& [id, value] : entity_map_) out[id] = expected_entity(id, value.first.version, value.first.embedding);
  return out;
}

std::map<std::string, Relation> ExpectedState::relations() const {
  std::map<std::string, Relation> out;
  for (const auto& [id, value] : relation_map_)
    out[id] = expected_relation(id, value.first.source, value.first.target, value.first.version);
  return out;
}

}  // namespace graphstore::soak
