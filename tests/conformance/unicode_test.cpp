// Text round-trips byte for byte: non-ASCII ids (CJK, emoji, combining
// marks, which must not be normalised), such properties, and a 1 MiB value.
#include "conformance.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Unicode);

// "é" precomposed (U+00E9) and decomposed (e + U+0301) are different ids.
const std::string kPrecomposed = "caf\xC3\xA9";
const std::string kDecomposed = "cafe\xCC\x81";
const std::string kCjk = "知识图谱-节点";
const std::string kEmoji = "\xF0\x9F\x9A\x80rocket\xF0\x9F\x94\xA5";  // U+1F680 ... U+1F525
const std::string kProperties =
    R"({"名前":"東京タワー","emoji":"👩‍👩‍👧‍👦 family","mark":"a\u0301 vs á","escaped":"tab\tquote\"nl\n","zwj":"‍"})";

TEST_P(Unicode, IdsAndPropertiesRoundTripByteForByte) {
  for (const auto& id : {kPrecomposed, kDecomposed, kCjk, kEmoji}) {
    Entity e = make_entity(id, "类型", kProperties);
    e.source = "源-" + id;
    GS_ASSERT_OK(store().add_entity("", e));
  }
  for (const auto& id : {kPrecomposed, kDecomposed, kCjk, kEmoji}) {
    Entity got;
    GS_ASSERT_OK(store().get_entity("", id, &got));
    EXPECT_EQ(got.id, id);
    EXPECT_EQ(got.entity_type, "类型");
    EXPECT_EQ(got.properties, kProperties);
    EXPECT_EQ(got.source, "源-" + id);
  }
  EXPECT_EQ(all_entities(store(), "").size(), 4u) << "precomposed and decomposed ids are distinct";
}

TEST_P(Unicode, RelationsBetweenUnicodeIdsTraverseAndScanInByteOrder) {
  for (const auto& id : {kPrecomposed, kDecomposed, kCjk, kEmoji})
    GS_ASSERT_OK(store().add_entity("", make_entity(id)));
  Relation r = make_relation("关系-1", kCjk, kEmoji, "連結");
  r.properties = kProperties;
  r.created_at = r.updated_at = 3;
  GS_ASSERT_OK(store().add_relation("", r));
  GS_ASSERT_OK(store().add_relation("", make_relation("关系-2", kEmoji, kDecomposed, "連結")));
  Relation got;
  GS_ASSERT_OK(store().get_relation("", "关系-1", &got));
  EXPECT_EQ(got, r);
  for_each_mode([&] {
    TraverseResult t;
    GS_ASSERT_OK(store().traverse("", kCjk, {}, &t));
    ASSERT_EQ(t.hits.size(), 2u);
    EXPECT_EQ(t.hits[0].entity.id, kEmoji);
    EXPECT_EQ(t.hits[1].entity.id, kDecomposed);
    EXPECT_EQ(t.hits[0].via.properties, kProperties);
    PathResult p;
    GS_ASSERT_OK(store().find_paths("", kCjk, kDecomposed, {}, &p));
    ASSERT_EQ(p.paths.size(), 1u);
    EXPECT_EQ(p.paths[0].relations[1].id, "关系-2");
    // Bytewise: "cafe" + U+0301 < "caf" + U+00E9 (0x65 < 0xC3) < CJK < emoji.
    EXPECT_EQ(ids_of(scan_entities(store(), "", {})),
              (std::vector<std::string>{kDecomposed, kPrecomposed, kCjk, kEmoji}));
  });
}

TEST_P(Unicode, TextSearchMatchesNonAsciiWords) {
  GS_ASSERT_OK(store().add_entity("", make_entity("doc", "T", R"({"t":"東京タワー 見学"})")));
  GS_ASSERT_OK(store().add_entity("other", make_entity("doc2", "T", R"({"t":"plain"})")));
  for_each_mode([&] {
    std::vector<ScoredEntity> out;
    GS_ASSERT_OK(store().text_search("", text_query("東京タワー", TextMethod::kJaccard), &out));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].entity.properties, R"({"t":"東京タワー 見学"})");
  });
}

TEST_P(Unicode, OneMebibytePropertyValueRoundTrips) {
  std::string big;
  big.reserve(1 << 20);
  const std::string pattern = "0123456789abcdef知识";  // ASCII and 3-byte sequences
  while (big.size() + pattern.size() <= (1 << 20) - 16) big += pattern;
  std::string props = R"({"blob":")" + big + R"("})";
  GS_ASSERT_OK(store().add_entity("", make_entity("big", "Blob", props)));
  GS_ASSERT_OK(store().add_entity("", make_entity("small")));
  Relation r = make_relation("big-rel", "big", "small");
  r.properties = props;
  GS_ASSERT_OK(store().add_relation("", r));
  Entity got;
  GS_ASSERT_OK(store().get_entity("", "big", &got));
  EXPECT_TRUE(got.properties == props) << "size " << got.properties.size() << " want " << props.size();
  Relation got_r;
  GS_ASSERT_OK(store().get_relation("", "big-rel", &got_r));
  EXPECT_TRUE(got_r.properties == props) << "size " << got_r.properties.size();
  for_each_mode([&] {
    auto scanned = scan_entities(store(), "", scan_of_type("Blob"));
    ASSERT_EQ(scanned.size(), 1u);
    EXPECT_TRUE(scanned[0].properties == props);
  });
  Entity u = make_entity("big", "Blob", R"({"blob":"small now"})");
  GS_ASSERT_OK(store().update_entity("", u));
  GS_ASSERT_OK(store().get_entity("", "big", &got));
  EXPECT_EQ(got.properties, u.properties);
}

}  // namespace
}  // namespace graphstore::conformance
