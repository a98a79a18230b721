// ABI mechanics: a sink returning non-zero stops every streaming slot (which
// still returns OK), shorter structs from an older minor are read correctly,
// and error messages respect the host's buffer.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>

#include "test_util.hpp"

namespace gs_test {
namespace {

class InMemoryAbiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 5; ++i) {
      Entity e = embedded(cat("e", i), {1, float(i)});
      e.properties = R"({"text":"common words here"})";
      ASSERT_TRUE(c.add(e).ok());
    }
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(c.add(relation(cat("r", i), cat("e", i), cat("e", i + 1))).ok());
    ASSERT_TRUE(c.add(relation("shortcut", "e0", "e4")).ok());
  }
  Client c;
  int calls = 0;
  char buf[256];
  gs_errbuf err{buf, sizeof buf};
  gs_str global{"", 0};
};

// Each sink stops at its first call.
int32_t stop_entity(void* ctx, const gs_entity*) { return ++*static_cast<int*>(ctx); }
int32_t stop_relation(void* ctx, const gs_relation*) { return ++*static_cast<int*>(ctx); }
int32_t stop_scored(void* ctx, const gs_entity*, double) { return ++*static_cast<int*>(ctx); }
int32_t stop_traverse(void* ctx, const gs_entity*, uint32_t, const gs_relation*) { return ++*static_cast<int*>(ctx); }
int32_t stop_path(void* ctx, const gs_entity* const*, size_t, const gs_relation* const*, size_t) {
  return ++*static_cast<int*>(ctx);
}
int32_t stop_stats(void* ctx, int32_t, gs_str, uint64_t) { return ++*static_cast<int*>(ctx); }
int32_t stop_tenant(void* ctx, gs_str) { return ++*static_cast<int*>(ctx); }

TEST_F(InMemoryAbiTest, EverySinkStopIsHonoured) {
  const gs_store_api* a = c.api();
  gs_store* s = c.raw();
  auto once = [&](gs_status st) {
    EXPECT_EQ(st, GS_OK);
    EXPECT_EQ(calls, 1);
    calls = 0;
  };
  once(a->for_each_entity(s, global, stop_entity, &calls, &err));
  once(a->for_each_relation(s, global, stop_relation, &calls, &err));

  gs_scan_params scan{};
  scan.struct_size = sizeof scan;
  scan.limit = GS_NO_LIMIT;
  once(a->scan_entities(s, global, &scan, stop_entity, &calls, &err));
  once(a->scan_relations(s, global, &scan, stop_relation, &calls, &err));

  gs_traverse_params t{};
  t.struct_size = sizeof t;
  t.start_id = str("e0");
  t.direction = GS_DIRECTION_BOTH;
  t.max_depth = 5;
  t.max_results = 100;
  int32_t truncated = -1;
  once(a->traverse(s, global, &t, stop_traverse, &calls, &truncated, &err));

  gs_paths_params p{};
  p.struct_size = sizeof p;
  p.source_id = str("e0");
  p.target_id = str("e4");
  p.max_depth = 5;
  p.max_paths = 10;
  once(a->find_paths(s, global, &p, stop_path, &calls, &truncated, &err));

  gs_str ids[] = {str("e0"), str("e1")};
  once(a->subgraph(s, global, ids, 2, stop_entity, stop_relation, &calls, &err));

  float q[] = {1, 1};
  gs_vector_params v{};
  v.struct_size = sizeof v;
  v.query = q;
  v.dim = 2;
  v.k = 10;
  v.min_score = -1;
  once(a->vector_search(s, global, &v, stop_scored, &calls, &err));

  gs_text_params x{};
  x.struct_size = sizeof x;
  x.query = str("common words");
  x.method = GS_TEXT_BM25;
  x.k = 10;
  once(a->text_search(s, global, &x, stop_scored, &calls, &err));

  once(a->get_stats(s, global, stop_stats, &calls, &err));

  ASSERT_TRUE(c.add(entity("a"), "t1").ok());
  ASSERT_TRUE(c.add(entity("a"), "t2").ok());
  once(a->list_tenants(s, stop_tenant, &calls, &err));
}

TEST_F(InMemoryAbiTest, ShorterParamStructsTakeDefaults) {
  // A host of an older minor would not know the last field: limit then
  // means "all".
  gs_scan_params scan{};
  scan.struct_size = offsetof(gs_scan_params, limit);
  scan.limit = 1;  // beyond struct_size: must be ignored
  auto count = +[](void* ctx, const gs_entity*) -> int32_t {
    ++*static_cast<int*>(ctx);
    return 0;
  };
  ASSERT_EQ(c.api()->scan_entities(c.raw(), global, &scan, count, &calls, &err), GS_OK);
  EXPECT_EQ(calls, 5);

  // An entity struct that ends before `source` has no source.
  Entity e = entity("short");
  e.source = "ignored";
  gs_entity v = view(e);
  v.struct_size = offsetof(gs_entity, source);
  ASSERT_EQ(c.api()->add_entity(c.raw(), global, &v, &err), GS_OK);
  Entity got;
  ASSERT_TRUE(c.get_entity("short", &got).ok());
  EXPECT_FALSE(got.source.has_value());
}

TEST_F(InMemoryAbiTest, ErrorMessagesAreTruncatedToTheBuffer) {
  char tiny[8];
  std::memset(tiny, 'x', sizeof tiny);
  gs_errbuf small{tiny, sizeof tiny};
  std::string id(100, 'z');
  auto ignore = +[](void*, const gs_entity*) -> int32_t { return 0; };
  EXPECT_EQ(c.api()->get_entity(c.raw(), global, str(id), ignore, nullptr, &small), GS_NOT_FOUND);
  EXPECT_EQ(std::strlen(tiny), sizeof tiny - 1);
  gs_errbuf none{nullptr, 0};
  EXPECT_EQ(c.api()->get_entity(c.raw(), global, str(id), ignore, nullptr, &none), GS_NOT_FOUND);
  EXPECT_EQ(c.api()->get_entity(c.raw(), global, str(id), ignore, nullptr, nullptr), GS_NOT_FOUND);
}

}  // namespace
}  // namespace gs_test
