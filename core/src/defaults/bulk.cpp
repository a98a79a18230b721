// Default bulk adds: the one-by-one semantics of the contract, applied as one
// atomic batch.
//
// Each item is first checked the way add_entity / add_relation would judge it
// (its id taken earlier in the call or in the store, a missing endpoint); the
// survivors go to apply_batch together, so a hard failure leaves nothing. An
// item the batch itself refuses as a skip (ALREADY_EXISTS, NOT_FOUND,
// INVALID_ARGUMENT: say an embedding of the wrong dimension) is reported and
// the batch retried without it. Every retry drops one item for good, so there
// are at most about 2n of them.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "defaults/common.hpp"

namespace graphstore::defaults {
namespace {

struct Skip {
  gs_status status;
  std::string message;
};

bool skippable(gs_status st) { return st == GS_ALREADY_EXISTS || st == GS_NOT_FOUND || st == GS_INVALID_ARGUMENT; }

// What differs between entities and relations.
struct EntityKind {
  using Item = gs_entity;
  static constexpr const char* name = "entity";
  static constexpr int32_t op = GS_OP_ADD_ENTITY;
  static gs_str id(const gs_entity& e) { return e.id; }
  static void set(gs_write_op* op, const gs_entity* e) { op->entity = e; }
  static gs_status probe(const Backend& b, gs_str tenant, gs_str id, gs_errbuf* err) {
    return detail::get_entity(
        b, tenant, id, [](const gs_entity*) { return true; }, err);
  }
};

struct RelationKind {
  using Item = gs_relation;
  static constexpr const char* name = "relation";
  static constexpr int32_t op = GS_OP_ADD_RELATION;
  static gs_str id(const gs_relation& r) { return r.id; }
  static void set(gs_write_op* op, const gs_relation* r) { op->relation = r; }
  static gs_status probe(const Backend& b, gs_str tenant, gs_str id, gs_errbuf* err) {
    return detail::get_relation(
        b, tenant, id, [](const gs_relation*) { return true; }, err);
  }
};

template <class Kind>
class Bulk {
  using Item = typename Kind::Item;

 public:
  Bulk(const Backend& b, gs_str tenant, const Item* const* items, size_t n, gs_errbuf* err)
      : b_(b), tenant_(tenant), items_(items), n_(n), err_(err) {}

  // Checks, applies, and leaves the skips in skips(). Returns the status of
  // the whole call; *added is set on success.
  gs_status run(uint64_t* added) {
    std::vector<size_t> survivors;
    for (size_t i = 0; i < n_; ++i) {
      bool accepted = false;
      if (gs_status st = admit(i, &accepted); st != GS_OK) return st;
      if (accepted) survivors.push_back(i);
    }
    for (;;) {
      if (survivors.empty()) {
        *added = 0;
        return GS_OK;
      }
      size_t failed = 0;
      detail::LocalErr local;
      gs_status st = apply(survivors, &failed, &local.err);
      if (st == GS_OK) {
        *added = survivors.size();
        return GS_OK;
      }
      if (!skippable(st) || failed >= survivors.size()) return detail::fail(err_, st, local.message());
      size_t dropped = survivors[failed];
      survivors.erase(survivors.begin() + static_cast<std::ptrdiff_t>(failed));
      skips_[dropped] = Skip{st, std::string(local.message())};
      std::string id(sdk::view(Kind::id(*items_[dropped])));
      taken_.erase(id);
      // Added one by one, the first later item with the same id would now
      // have gone in: it takes the dropped item's place.
      if (gs_status s = promote(id, &survivors); s != GS_OK) return s;
    }
  }

  const std::map<size_t, Skip>& skips() const { return skips_; }

 private:
  // Judges item i as the call's one-by-one semantics would. Sets *accepted,
  // or records a skip; returns a failure that ends the call.
  gs_status admit(size_t i, bool* accepted) {
    *accepted = false;
    if (items_[i] == nullptr) {
      skips_[i] = Skip{GS_INVALID_ARGUMENT, "the item is NULL"};
      return GS_OK;
    }
    const Item& item = *items_[i];
    std::string id(sdk::view(Kind::id(item)));
    if (taken_.count(id) != 0) {
      skips_[i] = already_exists(id);
      later_duplicates_[id].push_back(i);
      return GS_OK;
    }
    detail::LocalErr local;
    gs_status st = Kind::probe(b_, tenant_, Kind::id(item), &local.err);
    if (st == GS_OK) {
      skips_[i] = already_exists(id);
      return GS_OK;
    }
    if (st != GS_NOT_FOUND) return detail::fail(err_, st, local.message());
    if constexpr (std::is_same_v<Item, gs_relation>) {
      for (auto [role, endpoint] : {std::pair{"source", item.source_id}, std::pair{"target", item.target_id}}) {
        bool exists = false;
        if (gs_status s = entity_exists(endpoint, &exists); s != GS_OK) return s;
        if (!exists) {
          skips_[i] = Skip{GS_NOT_FOUND, std::string("relation ") + sdk::quoted_prefix(id) + ": " + role + " entity " +
                                             sdk::quoted_prefix(sdk::view(endpoint)) + " not found in " +
                                             sdk::describe_tenant(sdk::view(tenant_))};
          return GS_OK;
        }
      }
    }
    taken_.insert(id);
    *accepted = true;
    return GS_OK;
  }

  // Re-admits the earliest item skipped only because `id` was taken.
  gs_status promote(const std::string& id, std::vector<size_t>* survivors) {
    auto it = later_duplicates_.find(id);
    if (it == later_duplicates_.end()) return GS_OK;
    std::vector<size_t> waiting = std::move(it->second);
    later_duplicates_.erase(it);
    for (size_t k = 0; k < waiting.size(); ++k) {
      size_t j = waiting[k];
      skips_.erase(j);
      bool accepted = false;
      if (gs_status st = admit(j, &accepted); st != GS_OK) return st;
      if (!accepted) continue;
      survivors->insert(std::lower_bound(survivors->begin(), survivors->end(), j), j);
      // The rest stay duplicates of the promoted item.
      for (size_t rest = k + 1; rest < waiting.size(); ++rest) {
        skips_[waiting[rest]] = already_exists(id);
        later_duplicates_[id].push_back(waiting[rest]);
      }
      break;
    }
    return GS_OK;
  }

  gs_status entity_exists(gs_str id, bool* exists) {
    std::string key(sdk::view(id));
    auto it = endpoints_.find(key);
    if (it == endpoints_.end()) {
      detail::LocalErr local;
      gs_status st = EntityKind::probe(b_, tenant_, id, &local.err);
      if (st != GS_OK && st != GS_NOT_FOUND) return detail::fail(err_, st, local.message());
      it = endpoints_.emplace(std::move(key), st == GS_OK).first;
    }
    *exists = it->second;
    return GS_OK;
  }

  gs_status apply(const std::vector<size_t>& survivors, size_t* failed, gs_errbuf* err) {
    std::vector<gs_write_op> ops(survivors.size());
    std::vector<const gs_write_op*> ptrs(survivors.size());
    for (size_t k = 0; k < survivors.size(); ++k) {
      const Item* item = items_[survivors[k]];
      ops[k].struct_size = sizeof(gs_write_op);
      ops[k].kind = Kind::op;
      Kind::set(&ops[k], item);
      ops[k].id = Kind::id(*item);
      ptrs[k] = &ops[k];
    }
    return b_.api->apply_batch(b_.store, tenant_, ptrs.data(), ptrs.size(), failed, err);
  }

  Skip already_exists(const std::string& id) const {
    return Skip{GS_ALREADY_EXISTS, std::string(Kind::name) + " " + sdk::quoted_prefix(id) + " already exists in " +
                                       sdk::describe_tenant(sdk::view(tenant_))};
  }

  const Backend& b_;
  gs_str tenant_;
  const Item* const* items_;
  size_t n_;
  gs_errbuf* err_;
  std::unordered_set<std::string> taken_;  // ids of the items accepted so far
  std::unordered_map<std::string, std::vector<size_t>> later_duplicates_;
  std::unordered_map<std::string, bool> endpoints_;  // entity id -> exists
  std::map<size_t, Skip> skips_;
};

template <class Kind>
gs_status bulk_add(const Backend& b, gs_str tenant, const typename Kind::Item* const* items, size_t n,
                   gs_skip_sink skip, void* ctx, uint64_t* added, gs_errbuf* err) {
  uint64_t ignored = 0;
  if (added == nullptr) added = &ignored;
  *added = 0;
  if (n != 0 && items == nullptr) return detail::fail(err, GS_INVALID_ARGUMENT, "bulk add: items is NULL");
  return detail::guarded(err, [&] {
    Bulk<Kind> bulk(b, tenant, items, n, err);
    gs_status st = bulk.run(added);
    if (st != GS_OK) *added = 0;
    // Every skip found is reported, in input order, even when the call fails.
    if (skip != nullptr)
      for (const auto& [index, s] : bulk.skips()) skip(ctx, index, s.status, sdk::str(s.message));
    return st;
  });
}

}  // namespace

gs_status add_entities_bulk(const Backend& b, gs_str tenant, const gs_entity* const* entities, size_t n,
                            gs_skip_sink skip, void* ctx, uint64_t* added, gs_errbuf* err) {
  return bulk_add<EntityKind>(b, tenant, entities, n, skip, ctx, added, err);
}

gs_status add_relations_bulk(const Backend& b, gs_str tenant, const gs_relation* const* relations, size_t n,
                             gs_skip_sink skip, void* ctx, uint64_t* added, gs_errbuf* err) {
  return bulk_add<RelationKind>(b, tenant, relations, n, skip, ctx, added, err);
}

}  // namespace graphstore::defaults
