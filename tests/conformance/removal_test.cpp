// Removal (ABI 1.3): clear one tenant or every tenant, and delete_by_source.
// Each case runs with the plugin's native slots and with the core's
// defaults, which must remove the same records and report the same counts;
// other tenants and other sources stay exactly as they were.
#include <string>
#include <vector>

#include "conformance.hpp"

namespace graphstore {
void PrintTo(const Removed& r, std::ostream* os) {
  *os << "{" << r.entities << " entities, " << r.relations << " relations}";
}
}  // namespace graphstore

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Removal);

const char* const kRemovalTenants[] = {"", "alpha", "beta"};

// Everything a tenant holds, as the reads return it.
struct Snapshot {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(Store& s, std::string_view tenant) { return {all_entities(s, tenant), all_relations(s, tenant)}; }

Entity sourced(std::string id, std::optional<std::string> source, std::string text = "plain words",
               std::vector<float> embedding = {1, 0}) {
  Entity e = make_entity(std::move(id), "Doc", R"({"text":")" + text + R"("})", std::move(embedding));
  e.source = std::move(source);
  e.created_at = e.updated_at = 100;
  return e;
}

Relation sourced(std::string id, std::string from, std::string to, std::optional<std::string> source) {
  Relation r = make_relation(std::move(id), std::move(from), std::move(to));
  r.source = std::move(source);
  r.created_at = r.updated_at = 200;
  return r;
}

// The same graph in each tenant: entities a, b (doc-1), c, e (doc-2), d (no
// source), f (source "Doc-1", another byte sequence); relations ab (doc-2,
// between two doc-1 entities), cd (doc-1, between survivors), ce (doc-2), dc
// (none), da (none, touching a), ff (none, a self-loop on f).
void load(Store& s, std::string_view tenant) {
  for (const Entity& e : {sourced("a", "doc-1", "needle words", {0, 1}), sourced("b", "doc-1"), sourced("c", "doc-2"),
                          sourced("d", std::nullopt), sourced("e", "doc-2"), sourced("f", "Doc-1")})
    ASSERT_TRUE(IsOk(s.add_entity(tenant, e)));
  for (const Relation& r : {sourced("ab", "a", "b", "doc-2"), sourced("cd", "c", "d", "doc-1"),
                            sourced("ce", "c", "e", "doc-2"), sourced("dc", "d", "c", std::nullopt),
                            sourced("da", "d", "a", std::nullopt), sourced("ff", "f", "f", std::nullopt)})
    ASSERT_TRUE(IsOk(s.add_relation(tenant, r)));
}

class RemovalCase {
 public:
  explicit RemovalCase(Store& s) : s_(s) {}

  // True for a store that cannot remove right now (a degradation store while
  // degraded: README there): it must then refuse every removal with
  // UNAVAILABLE and keep every record, which this checks before the caller
  // returns. False for a store that removes.
  bool refuses_removals() {
    Removed r;
    if (s_.delete_by_source("probe", "probe", &r).code() != Code::kUnavailable) return false;
    std::vector<Snapshot> before;
    for (const char* t : kRemovalTenants) {
      load(s_, t);
      before.push_back(snapshot(s_, t));
    }
    EXPECT_EQ(s_.clear("", ClearScope::kAllTenants, &r).code(), Code::kUnavailable);
    EXPECT_EQ(s_.clear("alpha", ClearScope::kTenant, &r).code(), Code::kUnavailable);
    EXPECT_EQ(s_.delete_by_source("alpha", "doc-1", &r).code(), Code::kUnavailable);
    EXPECT_EQ(r, (Removed{0, 0}));
    for (size_t i = 0; i < std::size(kRemovalTenants); ++i)
      EXPECT_EQ(snapshot(s_, kRemovalTenants[i]), before[i]) << "tenant '" << kRemovalTenants[i] << "' changed";
    return true;
  }

  // Empties the store and loads the graph into every tenant.
  void reset() {
    GS_ASSERT_OK(s_.clear("", ClearScope::kAllTenants));
    for (const char* t : kRemovalTenants) load(s_, t);
  }

 private:
  Store& s_;
};

TEST_P(Removal, ClearingOneTenantLeavesTheOthersIdentical) {
  RemovalCase c(store());
  if (c.refuses_removals()) return;
  for_each_mode([&] {
    for (const char* cleared : kRemovalTenants) {
      SCOPED_TRACE(std::string("clearing tenant '") + cleared + "'");
      c.reset();
      std::vector<Snapshot> before;
      for (const char* t : kRemovalTenants) before.push_back(snapshot(store(), t));
      Removed removed;
      GS_ASSERT_OK(store().clear(cleared, ClearScope::kTenant, &removed));
      EXPECT_EQ(removed, (Removed{6, 6}));
      for (size_t i = 0; i < std::size(kRemovalTenants); ++i) {
        if (std::string_view(kRemovalTenants[i]) == cleared) {
          EXPECT_EQ(snapshot(store(), kRemovalTenants[i]), Snapshot{});
          Stats stats;
          GS_EXPECT_OK(store().get_stats(kRemovalTenants[i], &stats));
          EXPECT_EQ(stats, Stats{});
        } else {
          EXPECT_EQ(snapshot(store(), kRemovalTenants[i]), before[i]) << "tenant '" << kRemovalTenants[i] << "' changed";
        }
      }
      // Clearing what is empty removes nothing and succeeds.
      GS_ASSERT_OK(store().clear(cleared, ClearScope::kTenant, &removed));
      EXPECT_EQ(removed, (Removed{0, 0}));
    }
  });
}

TEST_P(Removal, ClearingEveryTenantLeavesNothing) {
  RemovalCase c(store());
  if (c.refuses_removals()) return;
  for_each_mode([&] {
    c.reset();
    Removed removed;
    GS_ASSERT_OK(store().clear("", ClearScope::kAllTenants, &removed));
    EXPECT_EQ(removed, (Removed{18, 18}));
    for (const char* t : kRemovalTenants) EXPECT_EQ(snapshot(store(), t), Snapshot{}) << "tenant '" << t << "'";
    std::vector<std::string> tenants;
    GS_ASSERT_OK(store().list_tenants(&tenants));
    EXPECT_TRUE(tenants.empty());
    std::vector<ScoredEntity> hits;
    GS_ASSERT_OK(store().text_search("alpha", text_query("needle"), &hits));
    EXPECT_TRUE(hits.empty());
  });
}

TEST_P(Removal, BadClearArgumentsRemoveNothing) {
  RemovalCase c(store());
  if (c.refuses_removals()) return;
  for_each_mode([&] {
    c.reset();
    std::vector<Snapshot> before;
    for (const char* t : kRemovalTenants) before.push_back(snapshot(store(), t));
    Removed removed{9, 9};
    GS_EXPECT_CODE(store().clear("alpha", ClearScope::kAllTenants, &removed), kInvalidArgument);
    EXPECT_EQ(removed, (Removed{0, 0}));
    GS_EXPECT_CODE(store().clear("", static_cast<ClearScope>(7), &removed), kInvalidArgument);
    GS_EXPECT_CODE(store().clear("", static_cast<ClearScope>(0), &removed), kInvalidArgument);
    GS_EXPECT_CODE(store().clear("bad tenant!", ClearScope::kTenant, &removed), kInvalidArgument);
    for (size_t i = 0; i < std::size(kRemovalTenants); ++i) EXPECT_EQ(snapshot(store(), kRemovalTenants[i]), before[i]);
  });
}

TEST_P(Removal, DeleteBySourceRemovesItsRecordsAndTheirRelations) {
  RemovalCase c(store());
  if (c.refuses_removals()) return;
  for_each_mode([&] {
    c.reset();
    Snapshot global = snapshot(store(), "");
    Snapshot beta = snapshot(store(), "beta");
    Removed removed;
    GS_ASSERT_OK(store().delete_by_source("alpha", "doc-1", &removed));
    // a, b; cd by its source, ab and da by touching a or b.
    EXPECT_EQ(removed, (Removed{2, 3}));
    EXPECT_EQ(ids_of(all_entities(store(), "alpha")), (std::vector<std::string>{"c", "d", "e", "f"}));
    EXPECT_EQ(ids_of(all_relations(store(), "alpha")), (std::vector<std::string>{"ce", "dc", "ff"}));
    EXPECT_EQ(snapshot(store(), ""), global);
    EXPECT_EQ(snapshot(store(), "beta"), beta);
    Stats stats;
    GS_ASSERT_OK(store().get_stats("alpha", &stats));
    EXPECT_EQ(stats.entity_count, 4u);
    EXPECT_EQ(stats.relation_count, 3u);
    std::vector<ScoredEntity> hits;
    GS_ASSERT_OK(store().text_search("alpha", text_query("needle"), &hits));
    EXPECT_TRUE(hits.empty());
    GS_ASSERT_OK(store().vector_search("alpha", vector_query({0, 1}, 10, "", 0.5), &hits));
    EXPECT_TRUE(hits.empty()) << "the only entity near (0, 1) was removed";
    GS_ASSERT_OK(store().text_search("beta", text_query("needle"), &hits));
    EXPECT_EQ(hits.size(), 1u);
    // A source nothing holds removes nothing; the removed one is gone.
    GS_ASSERT_OK(store().delete_by_source("alpha", "doc-1", &removed));
    EXPECT_EQ(removed, (Removed{0, 0}));
    GS_ASSERT_OK(store().delete_by_source("alpha", "doc-2", &removed));
    EXPECT_EQ(removed, (Removed{2, 2}));  // c, e; ce by its source (and touching), dc touching c
    EXPECT_EQ(ids_of(all_entities(store(), "alpha")), (std::vector<std::string>{"d", "f"}));
  });
}

TEST_P(Removal, DeleteBySourceMatchesBytesExactly) {
  RemovalCase c(store());
  if (c.refuses_removals()) return;
  for_each_mode([&] {
    c.reset();
    Removed removed;
    GS_ASSERT_OK(store().delete_by_source("", "Doc-1", &removed));
    EXPECT_EQ(removed, (Removed{1, 1}));  // f and its self-loop, once
    GS_ASSERT_OK(store().delete_by_source("", "doc-", &removed));
    EXPECT_EQ(removed, (Removed{0, 0}));
    EXPECT_EQ(ids_of(all_entities(store(), "")), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  });
}

TEST_P(Removal, DeleteBySourceRefusesABadSource) {
  RemovalCase c(store());
  if (c.refuses_removals()) return;
  c.reset();
  Snapshot before = snapshot(store(), "alpha");
  Removed removed;
  GS_EXPECT_CODE(store().delete_by_source("alpha", "", &removed), kInvalidArgument);
  GS_EXPECT_CODE(store().delete_by_source("alpha", std::string(4097, 'x'), &removed), kInvalidArgument);
  GS_EXPECT_CODE(store().delete_by_source("alpha", "\xff\xfe", &removed), kInvalidArgument);
  GS_EXPECT_CODE(store().delete_by_source("bad tenant!", "doc-1", &removed), kInvalidArgument);
  EXPECT_EQ(snapshot(store(), "alpha"), before);
  GS_EXPECT_OK(store().delete_by_source("alpha", std::string(4096, 'x')));  // the longest source; no counts asked
}

}  // namespace
}  // namespace graphstore::conformance
