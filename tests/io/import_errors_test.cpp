// Every bad input of the import: the error message, and
// what the store holds afterwards. With --on-error abort the batch holding
// the bad record is not written and the batches before it stay; with skip
// the rest is imported and the bad record lands in the rejects file.
#include <rapidjson/document.h>

#include <fstream>

#include "io_fixture.hpp"

namespace graphstore::testing {
namespace {

constexpr uint64_t kBatch = 4;

struct BadCase {
  const char* name;
  std::string bad_line;  // line 11, after e0..e9; e10 and e11 follow
  std::string message;   // expected in the error, after "FILE:11: "
  // With abort: the entities the store holds (e0..e(n-1)); the two full
  // batches before the bad record, unless the bad record is only found at
  // the end (a dangling relation: all entities are in by then).
  uint64_t entities_after_abort = 2 * kBatch;
};

std::vector<BadCase> cases() {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  return {
      {"MalformedJson", R"({"type": "entity", "data": {"id": "m", "entity_type": "T",)",
       "invalid JSON at offset 58: Missing a name for object member."},
      {"InvalidUtf8", "{\"type\": \"entity\", \"data\": {\"id\": \"bad\xc3\x28\", \"entity_type\": \"T\"}}",
       "invalid UTF-8 at offset 38"},
      {"NestedTooDeep",
       R"({"type": "entity", "data": {"id": "d", "entity_type": "T", "properties": {"a": )" + deep + "}}}",
       "JSON nested deeper than 512 levels"},
      {"WrongFieldType", R"({"type": "entity", "data": {"id": "w", "entity_type": 7}})",
       "entity key 'entity_type' must be a string"},
      {"WrongFieldTypeRelation",
       R"({"type": "relation", "data": {"id": "r", "relation_type": "K", "source_id": "e0", "target_id": "e1", "weight": "heavy"}})",
       "relation key 'weight' must be a number from 0.0 to 1.0"},
      {"InvalidTenant", R"({"type": "entity", "data": {"id": "t", "entity_type": "T", "tenant_id": "acme corp!"}})",
       "entity key 'tenant_id': invalid tenant id 'acme corp!': use 1 to 255 letters, digits, '-' or '_'"},
      {"DuplicateId", R"({"type": "entity", "data": {"id": "e3", "entity_type": "T"}})",
       "duplicate id: entity 'e3' already exists (in the store or earlier in the file; --on-conflict skip or replace "
       "accepts it)"},
      {"DanglingRelation",
       R"({"type": "relation", "data": {"id": "r1", "relation_type": "K", "source_id": "e0", "target_id": "ghost"}})",
       "(dangling: the endpoint is neither in the store nor in the file)", 12},
  };
}

std::string file_with(const std::string& bad) { return entity_lines(10) + bad + "\n" + entity_lines(2, 10); }

class ImportErrors : public IoTest, public ::testing::WithParamInterface<BadCase> {};

TEST_P(ImportErrors, AbortStopsAtTheRecordAndWritesNoPartialBatch) {
  const BadCase& c = GetParam();
  write_file("in.jsonl", file_with(c.bad_line));
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = kBatch;
  ImportReport r;
  Status s = import_file(*store, path("in.jsonl"), o, &r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind(path("in.jsonl").string() + ":11: ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find(c.message), std::string::npos) << s.message() << "\nwant: " << c.message;
  EXPECT_EQ(r.error_line, 11u);
  EXPECT_EQ(r.error_file, path("in.jsonl").string());
  // Exactly the committed batches: e0.. in order, nothing of the failing one.
  EXPECT_EQ(count_entities(*store), c.entities_after_abort);
  EXPECT_EQ(count_relations(*store), 0u);
  EXPECT_EQ(r.entities_added, c.entities_after_abort);
  for (uint64_t i = 0; i < c.entities_after_abort; ++i) {
    Entity e;
    EXPECT_TRUE(store->get_entity("", "e" + std::to_string(i), &e).ok()) << i;
  }
  EXPECT_FALSE(fs::exists(path("in.jsonl.rejected.jsonl")));
}

TEST_P(ImportErrors, SkipImportsTheRestAndRejectsTheLineWithItsReason) {
  const BadCase& c = GetParam();
  write_file("in.jsonl", file_with(c.bad_line));
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = kBatch;
  o.on_error = OnError::kSkip;
  ImportReport r;
  Status s = import_file(*store, path("in.jsonl"), o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(count_entities(*store), 12u);
  EXPECT_EQ(r.records, 13u);
  EXPECT_EQ(r.rejected, 1u);
  EXPECT_EQ(r.rejects_file, path("in.jsonl.rejected.jsonl").string());
  auto lines = read_lines("in.jsonl.rejected.jsonl");
  ASSERT_EQ(lines.size(), 1u);
  rapidjson::Document doc;
  doc.Parse(lines[0].c_str());
  ASSERT_FALSE(doc.HasParseError()) << lines[0];
  EXPECT_EQ(std::string(doc["file"].GetString()), path("in.jsonl").string());
  EXPECT_EQ(doc["line"].GetUint64(), 11u);
  EXPECT_NE(std::string(doc["reason"].GetString()).find(c.message), std::string::npos) << lines[0];
  EXPECT_TRUE(doc["text"].IsString());
}

INSTANTIATE_TEST_SUITE_P(BadInput, ImportErrors, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<BadCase>& i) { return std::string(i.param.name); });

class ImportLimits : public IoTest {};

TEST_F(ImportLimits, AHundredMebibyteLineIsABadRecordNotAnAllocation) {
  {
    std::ofstream out(path("big.jsonl"), std::ios::binary);
    out << entity_lines(10);
    out << R"({"type": "entity", "data": {"id": "big", "entity_type": "T", "properties": {"blob": ")";
    std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 100; ++i) out << chunk;
    out << "\"}}}\n" << entity_lines(2, 10);
  }
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = kBatch;
  ImportReport r;
  Status s = import_file(*store, path("big.jsonl"), o, &r);
  EXPECT_EQ(s.message(), path("big.jsonl").string() + ":11: line 11 is longer than 64 MiB");
  EXPECT_EQ(count_entities(*store), 2 * kBatch);

  auto store2 = open("inmemory");
  o.on_error = OnError::kSkip;
  s = import_file(*store2, path("big.jsonl"), o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(count_entities(*store2), 12u);
  auto lines = read_lines("big.jsonl.rejected.jsonl");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_LT(lines[0].size(), 10000u);  // a prefix of the line, marked as such
  EXPECT_NE(lines[0].find(R"("text_truncated":true)"), std::string::npos);
}

TEST_F(ImportLimits, TruncatedGzipImportsNothingByDefault) {
  write_gzip("full.jsonl.gz", entity_lines(3000));
  std::string gz = read_file("full.jsonl.gz");
  write_file("cut.jsonl.gz", gz.substr(0, gz.size() * 6 / 10));
  for (OnError policy : {OnError::kAbort, OnError::kSkip}) {
    auto store = open("inmemory");
    ImportOptions o;
    o.batch_size = 100;
    o.on_error = policy;
    ImportReport r;
    Status s = import_file(*store, path("cut.jsonl.gz"), o, &r);
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_EQ(s.message().rfind(path("cut.jsonl.gz").string() + ": truncated gzip stream", 0), 0u) << s.message();
    EXPECT_NE(s.message().find("nothing was imported"), std::string::npos) << s.message();
    EXPECT_EQ(count_entities(*store), 0u);
    EXPECT_EQ(r.batches, 0u);
  }
}

// Streaming gzip (no check first): the batches before the cut stay, whole.
TEST_F(ImportLimits, TruncatedGzipStopsUnderEitherPolicyWithoutAHalfBatch) {
  std::string text = entity_lines(3000);
  write_gzip("full.jsonl.gz", text);
  std::string gz = read_file("full.jsonl.gz");
  write_file("cut.jsonl.gz", gz.substr(0, gz.size() * 6 / 10));
  for (OnError policy : {OnError::kAbort, OnError::kSkip}) {
    auto store = open("inmemory");
    ImportOptions o;
    o.batch_size = 100;
    o.on_error = policy;
    o.gzip_check = GzipCheck::kStream;
    ImportReport r;
    Status s = import_file(*store, path("cut.jsonl.gz"), o, &r);
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_EQ(s.message().rfind(path("cut.jsonl.gz").string() + ": truncated gzip stream", 0), 0u) << s.message();
    EXPECT_NE(s.message().find("(after line "), std::string::npos) << s.message();
    uint64_t n = count_entities(*store);
    EXPECT_GT(n, 0u);
    EXPECT_LT(n, 3000u);
    EXPECT_EQ(n % 100, 0u) << "a half batch was written";
    EXPECT_EQ(n, r.batches * 100);
    Entity e;
    EXPECT_TRUE(store->get_entity("", "e" + std::to_string(n - 1), &e).ok());
    EXPECT_TRUE(store->get_entity("", "e" + std::to_string(n), &e).is_not_found());
  }
}

TEST_F(ImportLimits, MaxLineBytesIsAnOption) {
  write_file("in.jsonl", entity_lines(3));
  auto store = open("inmemory");
  ImportOptions o;
  o.max_line_bytes = 40;
  ImportReport r;
  Status s = import_file(*store, path("in.jsonl"), o, &r);
  EXPECT_EQ(s.message(), path("in.jsonl").string() + ":1: line 1 is longer than 40 bytes");
}

class ImportPolicies : public IoTest {};

TEST_F(ImportPolicies, ConflictSkipKeepsTheStoredAndReplaceUpdatesIt) {
  write_file("a.jsonl", entity_lines(10));
  write_file("b.jsonl", R"({"type": "entity", "data": {"id": "e2", "entity_type": "New", "properties": {"v": 2}}})"
                        "\n" +
                            entity_lines(2, 10));
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = 3;
  ImportReport r;
  ASSERT_TRUE(import_file(*store, path("a.jsonl"), o, &r).ok());
  // Importing the same file again: every record is a duplicate.
  o.on_conflict = OnConflict::kSkip;
  ASSERT_TRUE(import_file(*store, path("a.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entity_duplicates, 10u);
  EXPECT_EQ(r.entities_added, 0u);
  ASSERT_TRUE(import_file(*store, path("b.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entity_duplicates, 1u);
  EXPECT_EQ(r.entities_added, 2u);
  Entity e;
  ASSERT_TRUE(store->get_entity("", "e2", &e).ok());
  EXPECT_EQ(e.entity_type, "T");
  o.on_conflict = OnConflict::kReplace;
  ASSERT_TRUE(import_file(*store, path("b.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entities_replaced, 3u);
  ASSERT_TRUE(store->get_entity("", "e2", &e).ok());
  EXPECT_EQ(e.entity_type, "New");
  EXPECT_EQ(e.properties, R"({"v": 2})");
  EXPECT_EQ(count_entities(*store), 12u);
}

TEST_F(ImportPolicies, ADuplicateWithinOneBatchFollowsThePolicy) {
  write_file("in.jsonl", entity_lines(3) + R"({"type": "entity", "data": {"id": "e1", "entity_type": "Second"}})"
                                           "\n");
  auto store = open("inmemory");
  ImportOptions o;
  o.on_conflict = OnConflict::kReplace;
  ImportReport r;
  ASSERT_TRUE(import_file(*store, path("in.jsonl"), o, &r).ok());
  Entity e;
  ASSERT_TRUE(store->get_entity("", "e1", &e).ok());
  EXPECT_EQ(e.entity_type, "Second");
  EXPECT_EQ(r.entities_added, 3u);
  EXPECT_EQ(r.entities_replaced, 1u);
}

TEST_F(ImportPolicies, RelationsBeforeTheirEntitiesWaitForThem) {
  std::string text;
  for (int i = 0; i < 9; ++i)
    text += R"({"type": "relation", "data": {"id": "r)" + std::to_string(i) +
            R"(", "relation_type": "K", "source_id": "e)" + std::to_string(i) + R"(", "target_id": "e)" +
            std::to_string(i + 1) +
            R"("}})"
            "\n";
  text += entity_lines(10);
  write_file("in.jsonl", text);
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = 4;
  ImportReport r;
  Status s = import_file(*store, path("in.jsonl"), o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(count_entities(*store), 10u);
  EXPECT_EQ(count_relations(*store), 9u);
  EXPECT_EQ(r.relations_added, 9u);
  EXPECT_GT(r.deferred_relations, 0u);
}

TEST_F(ImportPolicies, RecordsGoToTheirTenantsOrToTheChosenOne) {
  write_file("in.jsonl", R"({"id": "a", "entity_type": "T", "tenant_id": "acme"})"
                         "\n"
                         R"({"id": "a", "entity_type": "T"})"
                         "\n"
                         R"({"id": "b", "entity_type": "T", "tenant_id": "beta"})"
                         "\n");
  auto store = open("inmemory");
  ImportOptions o;
  ImportReport r;
  ASSERT_TRUE(import_file(*store, path("in.jsonl"), o, &r).ok());
  EXPECT_EQ(count_entities(*store, "acme"), 1u);
  EXPECT_EQ(count_entities(*store, ""), 1u);
  EXPECT_EQ(count_entities(*store, "beta"), 1u);
  auto other = open("inmemory");
  o.tenant = "moved";
  o.on_conflict = OnConflict::kSkip;
  ASSERT_TRUE(import_file(*other, path("in.jsonl"), o, &r).ok());
  EXPECT_EQ(count_entities(*other, "moved"), 2u);  // "a" twice: one duplicate
  EXPECT_EQ(r.entity_duplicates, 1u);
  EXPECT_EQ(count_entities(*other, ""), 0u);
}

TEST_F(ImportPolicies, ABadElementOfAJsonDocumentIsOneBadRecord) {
  write_file("in.json",
             "{\"entities\": [\n"
             R"({"id": "a", "entity_type": "T"},)"
             "\n"
             R"({"id": 5, "entity_type": "T"},)"
             "\n"
             R"({"id": "c", "entity_type": "T"})"
             "\n],\n\"relations\": []}\n");
  auto store = open("inmemory");
  ImportOptions o;
  ImportReport r;
  Status s = import_file(*store, path("in.json"), o, &r);
  EXPECT_EQ(s.message(), path("in.json").string() + ":3: entity key 'id' must be a string");
  EXPECT_EQ(count_entities(*store), 0u);
  o.on_error = OnError::kSkip;
  ASSERT_TRUE(import_file(*store, path("in.json"), o, &r).ok());
  EXPECT_EQ(count_entities(*store), 2u);
  // A broken document structure ends the import under either policy.
  write_file("broken.json", R"({"entities": [{"id": "a", "entity_type": "T"} {"id": "b"}]})");
  s = import_file(*store, path("broken.json"), o, &r);
  EXPECT_EQ(s.message(), path("broken.json").string() + ":1: expected ',' or ']' between records (after line 1)");
}

TEST_F(ImportPolicies, ABadCsvRowNamesItsLine) {
  write_file("in.csv", "id,entity_type,properties\na,T,\"{\"\"k\"\": 1}\"\nb,T,[1]\nc,T,\n");
  auto store = open("inmemory");
  ImportOptions o;
  ImportReport r;
  Status s = import_file(*store, path("in.csv"), o, &r);
  EXPECT_EQ(s.message(), path("in.csv").string() + ":3: column properties: not a JSON object");
  o.on_error = OnError::kSkip;
  ASSERT_TRUE(import_file(*store, path("in.csv"), o, &r).ok());
  EXPECT_EQ(count_entities(*store), 2u);
  Entity e;
  ASSERT_TRUE(store->get_entity("", "a", &e).ok());
  EXPECT_EQ(e.properties, R"({"k": 1})");
}

TEST_F(ImportPolicies, AProgressCallbackCanStopTheImport) {
  write_file("in.jsonl", entity_lines(50000));
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = 1000;
  o.progress = [](const Progress& p) { return p.records < 10000; };
  ImportReport r;
  Status s = import_file(*store, path("in.jsonl"), o, &r);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("stopped"), std::string::npos);
  EXPECT_EQ(count_entities(*store) % 1000, 0u);
  EXPECT_LT(count_entities(*store), 50000u);
}

}  // namespace
}  // namespace graphstore::testing
