// The record codec: shape, timestamps, defaults and errors (graphstore/record_json.hpp).
#include "graphstore/record_json.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace graphstore {
namespace {

constexpr Timestamp kSecond = 1'000'000;
// 2025-12-09T10:11:12 UTC
constexpr Timestamp kSample = 1765275072 * kSecond;

TEST(Timestamp, FormatsLikePythonIsoformat) {
  EXPECT_EQ(format_timestamp(kSample), "2025-12-09T10:11:12");
  EXPECT_EQ(format_timestamp(kSample + 123456), "2025-12-09T10:11:12.123456");
  EXPECT_EQ(format_timestamp(kSample + 1), "2025-12-09T10:11:12.000001");
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999999");
}

TEST(Timestamp, ParsesWhatItFormatsAndTheAcceptedSuffixes) {
  Timestamp t = 0;
  ASSERT_TRUE(parse_timestamp("2025-12-09T10:11:12.123456", &t));
  EXPECT_EQ(t, kSample + 123456);
  ASSERT_TRUE(parse_timestamp("2025-12-09T10:11:12", &t));
  EXPECT_EQ(t, kSample);
  ASSERT_TRUE(parse_timestamp("2025-12-09T10:11:12.5Z", &t));
  EXPECT_EQ(t, kSample + 500000);
  ASSERT_TRUE(parse_timestamp("2025-12-09 10:11:12+00:00", &t));
  EXPECT_EQ(t, kSample);
  ASSERT_TRUE(parse_timestamp("1969-12-31T23:59:59.999999", &t));
  EXPECT_EQ(t, -1);
}

TEST(Timestamp, RejectsMalformedAndOutOfRange) {
  Timestamp t = 7;
  for (const char* bad : {"", "2025-12-09", "2025-12-09T10:11", "2025-13-01T00:00:00", "2025-02-30T00:00:00",
                          "2025-12-09T24:00:00", "2025-12-09T10:11:12.", "2025-12-09T10:11:12.1234567",
                          "2025-12-09T10:11:12+01:00", "2025-12-09T10:11:12 ", "25-12-09T10:11:12"}) {
    EXPECT_FALSE(parse_timestamp(bad, &t)) << bad;
  }
  EXPECT_EQ(t, 7);
}

TEST(RecordJson, WritesEntityKeysInTheReferenceOrder) {
  Entity e;
  e.id = "p1";
  e.entity_type = "Person";
  e.properties = R"({"name":"Ada","tags":["x"]})";
  e.embedding = {0.1f, -2.5f};
  e.created_at = kSample + 250000;
  e.updated_at = kSample;
  EXPECT_EQ(entity_json(e),
            R"({"id":"p1","entity_type":"Person","properties":{"name":"Ada","tags":["x"]},"embedding":[0.1,-2.5],)"
            R"("created_at":"2025-12-09T10:11:12.250000","updated_at":"2025-12-09T10:11:12","source":null,)"
            R"("tenant_id":null})");
  e.embedding.clear();
  e.source = "doc-17";
  e.tenant_id = "acme";
  EXPECT_NE(entity_json(e).find(R"("embedding":null,)"), std::string::npos);
  EXPECT_NE(entity_json(e).find(R"("source":"doc-17","tenant_id":"acme"})"), std::string::npos);
}

TEST(RecordJson, EntityRoundTripsThroughText) {
  Entity e;
  e.id = "p1";
  e.entity_type = "Person";
  e.properties = R"({"n":1.25,"nested":{"a":[1,2]}})";
  e.embedding = {0.1f, 0.2f, 0.3f};
  e.created_at = kSample + 1;
  e.updated_at = kSample + 2;
  e.source = "s";
  e.tenant_id = "t";
  Entity back;
  ASSERT_TRUE(parse_entity_text(entity_json(e), &back).ok());
  EXPECT_EQ(back, e);
}

TEST(RecordJson, OmittedEntityFieldsTakeDefaults) {
  Entity e;
  ASSERT_TRUE(parse_entity_text(R"({"id": "a", "entity_type": "T"})", &e).ok());
  EXPECT_EQ(e.properties, "{}");
  EXPECT_TRUE(e.embedding.empty());
  EXPECT_EQ(e.created_at, kNoTimestamp);
  EXPECT_EQ(e.updated_at, kNoTimestamp);
  EXPECT_FALSE(e.source.has_value());
  EXPECT_EQ(e.tenant_id, "");
}

TEST(RecordJson, TheEpochIsATimeAndNullIsAbsent) {
  Entity e;
  ASSERT_TRUE(parse_entity_text(R"({"id": "a", "entity_type": "T", "created_at": "1970-01-01T00:00:00",)"
                                R"( "updated_at": "1969-12-31T23:59:59.999999"})",
                                &e)
                  .ok());
  EXPECT_EQ(e.created_at, 0);
  EXPECT_EQ(e.updated_at, -1);
  EXPECT_NE(entity_json(e).find(R"("created_at":"1970-01-01T00:00:00","updated_at":"1969-12-31T23:59:59.999999")"),
            std::string::npos)
      << entity_json(e);
  ASSERT_TRUE(parse_entity_text(R"({"id": "a", "entity_type": "T", "created_at": null, "updated_at": null})", &e).ok());
  EXPECT_EQ(e.created_at, kNoTimestamp);
  EXPECT_EQ(e.updated_at, kNoTimestamp);
  EXPECT_NE(entity_json(e).find(R"("created_at":null,"updated_at":null)"), std::string::npos) << entity_json(e);
  Relation r;
  ASSERT_TRUE(parse_relation_text(R"({"id": "r", "relation_type": "K", "source_id": "a", "target_id": "b",)"
                                  R"( "created_at": "1970-01-01T00:00:00"})",
                                  &r)
                  .ok());
  EXPECT_EQ(r.created_at, 0);
  EXPECT_EQ(r.updated_at, 0);  // a relation without updated_at takes its created_at
}

TEST(Timestamp, FormatsTheEndsOfTheRangeWithoutOverflow) {
  // Not readable back (years outside 0000-9999), but never undefined.
  EXPECT_FALSE(format_timestamp(std::numeric_limits<Timestamp>::max()).empty());
  EXPECT_FALSE(format_timestamp(std::numeric_limits<Timestamp>::min() + 1).empty());
  Timestamp t = 0;
  ASSERT_TRUE(parse_timestamp("0001-01-01T00:00:00", &t));
  EXPECT_EQ(format_timestamp(t), "0001-01-01T00:00:00");
}

TEST(RecordJson, ARepeatedTypeIsARecordKey) {
  Record rec;
  Status s = parse_record(R"({"type":"entity","type":"relation","data":{"id":"a","entity_type":"T"}})", &rec);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), "record key 'type' appears twice");
  s = parse_record(R"({"type":"entity","data":{"id":"a","entity_type":"T"},"data":{}})", &rec);
  EXPECT_EQ(s.message(), "record key 'data' appears twice");
  s = parse_relation_text(R"({"type":"relation","type":"relation","data":{}})", &rec.relation);
  EXPECT_EQ(s.message(), "record key 'type' appears twice");
  // Inside data the keys are the record's own.
  s = parse_record(R"({"type":"entity","data":{"id":"a","id":"b","entity_type":"T"}})", &rec);
  EXPECT_EQ(s.message(), "entity key 'id' appears twice");
  s = parse_record(R"({"id":"a","id":"b","entity_type":"T"})", &rec);
  EXPECT_EQ(s.message(), "entity key 'id' appears twice");
}

TEST(RecordJson, AcceptsAJsonlLineOfTheRightKind) {
  Entity e;
  ASSERT_TRUE(parse_entity_text(R"({"type": "entity", "data": {"id": "a", "entity_type": "T"}})", &e).ok());
  EXPECT_EQ(e.id, "a");
  Status s = parse_entity_text(R"({"type": "relation", "data": {"id": "r"}})", &e);
  EXPECT_TRUE(s.is_invalid_argument());
  Relation r;
  ASSERT_TRUE(parse_relation_text(R"({"type": "relation", "data": {"id": "r", "relation_type": "K", "source_id": "a",)"
                                  R"( "target_id": "b", "weight": 0.5, "created_at": "2025-12-09T10:11:12"}})",
                                  &r)
                  .ok());
  EXPECT_EQ(r.weight, 0.5);
  EXPECT_EQ(r.created_at, kSample);
  EXPECT_EQ(r.updated_at, kSample);  // the reference's relations have none: created_at
}

TEST(RecordJson, ReportsTheOffendingKey) {
  Entity e;
  Status s = parse_entity_text(R"({"id": "a", "entity_type": "T", "embedding": [1, "x"]})", &e);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_NE(s.message().find("'embedding'"), std::string::npos) << s.message();
  s = parse_entity_text(R"({"id": "a", "entity_type": "T", "properties": [1]})", &e);
  EXPECT_NE(s.message().find("'properties'"), std::string::npos) << s.message();
  s = parse_entity_text(R"({"id": "a", "entity_type": "T", "colour": "red"})", &e);
  EXPECT_NE(s.message().find("unknown entity key 'colour'"), std::string::npos) << s.message();
  s = parse_entity_text(R"({"id": "a", "created_at": "yesterday"})", &e);
  EXPECT_NE(s.message().find("'created_at'"), std::string::npos) << s.message();
  s = parse_entity_text(R"({"id": "a",)", &e);
  EXPECT_NE(s.message().find("invalid JSON at offset"), std::string::npos) << s.message();
  Relation r;
  s = parse_relation_text(R"({"id": "r", "weight": "heavy"})", &r);
  EXPECT_NE(s.message().find("'weight'"), std::string::npos) << s.message();
}

// A \u escape of a lone low surrogate decodes (in RapidJSON 1.1) to bytes
// that are not UTF-8: such a field is refused, naming it, while a proper
// surrogate pair is text and round-trips.
TEST(RecordJson, RefusesAFieldEscapingALoneSurrogate) {
  Entity e;
  Status s = parse_entity_text(R"({"id": "a\ude00b", "entity_type": "T"})", &e);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_NE(s.message().find("entity key 'id'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("lone UTF-16 surrogate"), std::string::npos) << s.message();
  Relation r;
  s = parse_relation_text(R"({"id": "r", "relation_type": "K", "source_id": "\udfff", "target_id": "b"})", &r);
  EXPECT_NE(s.message().find("relation key 'source_id'"), std::string::npos) << s.message();

  ASSERT_TRUE(parse_entity_text(R"({"id": "\ud83d\ude00", "entity_type": "T"})", &e).ok());
  EXPECT_EQ(e.id, "\xf0\x9f\x98\x80");
  Entity again;
  ASSERT_TRUE(parse_entity_text(entity_json(e), &again).ok());
  EXPECT_EQ(again, e);
}

}  // namespace
}  // namespace graphstore
