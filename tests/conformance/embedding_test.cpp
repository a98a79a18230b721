// Embedding dimensions: one per tenant; a mismatch on add, update, bulk,
// batch or query is INVALID_ARGUMENT and changes nothing.
#include <cstring>

#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Embeddings);

TEST_P(Embeddings, EmbeddingRoundTripsExactly) {
  std::vector<float> v{0.1f, -0.0f, 3.4028235e38f, 1.17549435e-38f, -2.5f, 1e-45f};
  GS_ASSERT_OK(store().add_entity("", make_entity("e", "T", "{}", v)));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "e", &got));
  ASSERT_EQ(got.embedding.size(), v.size());
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(std::memcmp(&got.embedding[i], &v[i], sizeof(float)), 0) << i;
}

TEST_P(Embeddings, AddWithAnotherDimensionIsInvalid) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a", "T", "{}", {1, 2, 3})));
  GS_ASSERT_OK(store().add_entity("", make_entity("plain")));  // no embedding is always fine
  GS_EXPECT_CODE(store().add_entity("", make_entity("b", "T", "{}", {1, 2, 3, 4})), kInvalidArgument);
  GS_EXPECT_CODE(store().add_entity("", make_entity("c", "T", "{}", {1, 2})), kInvalidArgument);
  Entity got;
  GS_EXPECT_CODE(store().get_entity("", "b", &got), kNotFound);
  GS_EXPECT_OK(store().add_entity("", make_entity("d", "T", "{}", {4, 5, 6})));
  GS_EXPECT_OK(store().add_entity("other", make_entity("b", "T", "{}", {1, 2, 3, 4}))) << "dimension is per tenant";
}

TEST_P(Embeddings, UpdateWithAnotherDimensionIsInvalidAndKeepsTheRecord) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a", "T", R"({"v":1})", {1, 2, 3})));
  GS_ASSERT_OK(store().add_entity("", make_entity("b", "T", "{}", {3, 2, 1})));
  GS_EXPECT_CODE(store().update_entity("", make_entity("a", "T", R"({"v":2})", {1, 2})), kInvalidArgument);
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "a", &got));
  EXPECT_EQ(got.embedding, (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(got.properties, R"({"v":1})");
  GS_EXPECT_OK(store().update_entity("", make_entity("a", "T", R"({"v":3})", {7, 8, 9})));
  GS_EXPECT_OK(store().update_entity("", make_entity("b", "T", "{}")));
}

TEST_P(Embeddings, QueryWithAnotherDimensionOrNoneIsInvalid) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a", "T", "{}", {1, 2, 3})));
  for_each_mode([&] {
    std::vector<ScoredEntity> out;
    GS_EXPECT_CODE(store().vector_search("", vector_query({1, 2}), &out), kInvalidArgument);
    GS_EXPECT_CODE(store().vector_search("", vector_query({1, 2, 3, 4}), &out), kInvalidArgument);
    GS_EXPECT_CODE(store().vector_search("", vector_query({}), &out), kInvalidArgument);
    GS_EXPECT_OK(store().vector_search("", vector_query({1, 2, 3}), &out));
    EXPECT_EQ(out.size(), 1u);
  });
}

TEST_P(Embeddings, BulkAndBatchRejectAnotherDimension) {
  GS_ASSERT_OK(store().add_entity("", make_entity("a", "T", "{}", {1, 2, 3})));
  for_each_mode([&] {
    BulkResult r;
    std::vector<Entity> items{make_entity("bad", "T", "{}", {1, 2}), make_entity("ok", "T", "{}", {3, 3, 3})};
    GS_ASSERT_OK(store().add_entities_bulk("", items, &r));
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_EQ(r.skipped[0].index, 0u);
    EXPECT_EQ(r.skipped[0].status.code(), Code::kInvalidArgument);
    GS_ASSERT_OK(store().delete_entity("", "ok"));
  });
  WriteBatch batch;
  batch.add_entity(make_entity("fine", "T", "{}", {0, 0, 1}));
  batch.add_entity(make_entity("bad", "T", "{}", {1, 2}));
  size_t failed = 99;
  GS_EXPECT_CODE(store().apply("", batch, &failed), kInvalidArgument);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(ids_of(all_entities(store(), "")), std::vector<std::string>{"a"});
}

}  // namespace
}  // namespace graphstore::conformance
