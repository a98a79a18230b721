// The pieces under the formats: gzip detection and errors (byte_stream),
// the bounded line reader, and the codec's strictness (depth, UTF-8, keys,
// the properties text kept as written).
#include <zlib.h>

#include <string>

#include "graphstore/record_json.hpp"
#include "io/byte_stream.hpp"
#include "io/line_reader.hpp"
#include "io_fixture.hpp"

namespace graphstore::testing {
namespace {

using io::InputFile;
using io::LineReader;

std::string read_all(const fs::path& p, Status* status, bool* gzip = nullptr) {
  std::unique_ptr<InputFile> in;
  *status = InputFile::open(p, &in);
  if (!status->ok()) return "";
  if (gzip) *gzip = in->gzip();
  std::string out;
  char buf[7];  // small reads cross every boundary
  for (;;) {
    size_t got = 0;
    *status = in->read(buf, sizeof buf, &got);
    if (!status->ok() || got == 0) return out;
    out.append(buf, got);
  }
}

class Primitives : public IoTest {};

TEST_F(Primitives, GzipIsRecognisedByItsMagicBytesNotItsName) {
  write_gzip("compressed_without_suffix.jsonl", "hello\nworld\n");
  Status s;
  bool gz = false;
  EXPECT_EQ(read_all(path("compressed_without_suffix.jsonl"), &s, &gz), "hello\nworld\n");
  EXPECT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(gz);
  // A plain file named .gz is read as the plain text it is.
  write_file("plain.jsonl.gz", "plain text\n");
  EXPECT_EQ(read_all(path("plain.jsonl.gz"), &s, &gz), "plain text\n");
  EXPECT_TRUE(s.ok());
  EXPECT_FALSE(gz);
}

TEST_F(Primitives, TruncatedGzipIsAnErrorNamingTheFile) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + " of some text that compresses\n";
  write_gzip("full.gz", text);
  std::string gz = read_file("full.gz");
  write_file("cut.gz", gz.substr(0, gz.size() / 2));
  Status s;
  std::string got = read_all(path("cut.gz"), &s);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("cut.gz: truncated gzip stream"), std::string::npos) << s.message();
  EXPECT_LT(got.size(), text.size());
  // Cut inside the 8-byte trailer: the data is whole but the stream is not.
  write_file("cut_trailer.gz", gz.substr(0, gz.size() - 3));
  read_all(path("cut_trailer.gz"), &s);
  EXPECT_NE(s.message().find("truncated gzip stream"), std::string::npos) << s.message();
}

TEST_F(Primitives, CorruptGzipAndTrailingGarbageAreErrors) {
  write_gzip("ok.gz", std::string(10000, 'x'));
  std::string gz = read_file("ok.gz");
  std::string bad = gz;
  for (size_t i = 12; i < bad.size() - 8; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5a);
  write_file("corrupt.gz", bad);
  Status s;
  read_all(path("corrupt.gz"), &s);
  EXPECT_NE(s.message().find("corrupt gzip stream"), std::string::npos) << s.message();
  write_file("garbage.gz", gz + "not gzip");
  read_all(path("garbage.gz"), &s);
  EXPECT_NE(s.message().find("trailing garbage"), std::string::npos) << s.message();
}

TEST_F(Primitives, ConcatenatedGzipMembersReadAsOne) {
  write_gzip("a.gz", "first\n");
  write_gzip("b.gz", "second\n");
  write_file("ab.gz", read_file("a.gz") + read_file("b.gz"));
  Status s;
  EXPECT_EQ(read_all(path("ab.gz"), &s), "first\nsecond\n");
  EXPECT_TRUE(s.ok()) << s.to_string();
}

TEST_F(Primitives, MissingFileIsNotFound) {
  Status s;
  read_all(path("nope.jsonl"), &s);
  EXPECT_TRUE(s.is_not_found());
  EXPECT_NE(s.message().find("nope.jsonl"), std::string::npos);
}

TEST_F(Primitives, OutputGoesThroughPartialAndGzipRoundTrips) {
  std::unique_ptr<io::OutputFile> out;
  ASSERT_TRUE(io::OutputFile::create(path("o.gz"), true, 6, &out).ok());
  ASSERT_TRUE(out->write("abc\n").ok());
  EXPECT_TRUE(fs::exists(path("o.gz.partial")));
  EXPECT_FALSE(fs::exists(path("o.gz")));
  ASSERT_TRUE(out->close().ok());
  EXPECT_FALSE(fs::exists(path("o.gz.partial")));
  Status s;
  bool gz = false;
  EXPECT_EQ(read_all(path("o.gz"), &s, &gz), "abc\n");
  EXPECT_TRUE(gz);
  // Abandoned without close: no file that looks complete.
  ASSERT_TRUE(io::OutputFile::create(path("gone.jsonl"), false, 6, &out).ok());
  ASSERT_TRUE(out->write("x").ok());
  out.reset();
  EXPECT_FALSE(fs::exists(path("gone.jsonl")));
  EXPECT_FALSE(fs::exists(path("gone.jsonl.partial")));
}

std::vector<LineReader::Line> lines_of(const fs::path& p, size_t max, std::vector<std::string>* texts, Status* s) {
  std::unique_ptr<InputFile> in;
  EXPECT_TRUE(InputFile::open(p, &in).ok());
  LineReader r(in.get(), max);
  std::vector<LineReader::Line> out;
  LineReader::Line line;
  while (r.next(&line, s)) {
    texts->emplace_back(line.text);
    out.push_back(line);
  }
  return out;
}

TEST_F(Primitives, LineReaderHandlesCrlfAndALastLineWithoutNewline) {
  write_file("l.txt", "a\r\nbb\n\nccc");
  std::vector<std::string> texts;
  Status s;
  auto lines = lines_of(path("l.txt"), 100, &texts, &s);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(texts, (std::vector<std::string>{"a", "bb", "", "ccc"}));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[3].number, 4u);
}

TEST_F(Primitives, LineReaderReportsAndSkipsOverLongLines) {
  std::string longline(5000, 'x');
  write_file("l.txt", "short\n" + longline + "\nafter\n" + longline);
  std::vector<std::string> texts;
  Status s;
  auto lines = lines_of(path("l.txt"), 1000, &texts, &s);
  EXPECT_TRUE(s.ok());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_FALSE(lines[0].too_long);
  EXPECT_TRUE(lines[1].too_long);
  EXPECT_EQ(lines[1].number, 2u);
  EXPECT_LE(texts[1].size(), 1000u);
  EXPECT_EQ(texts[2], "after");
  EXPECT_TRUE(lines[3].too_long);
  EXPECT_EQ(io::size_text(64u << 20), "64 MiB");
}

TEST(Codec, KeepsThePropertiesTextAsWritten) {
  Record rec;
  const std::string props = R"({ "b" : 1,   "a": [1, 2.50, {"x": "\u00e9"}] , "big": 123456789012345678901234567890 })";
  ASSERT_TRUE(
      parse_record(R"({"data": {"id": "x", "entity_type": "T", "properties": )" + props + R"(}, "type": "entity"})",
                   &rec)
          .ok());
  EXPECT_EQ(rec.kind, RecordKind::kEntity);
  EXPECT_EQ(rec.entity.properties, props);
}

TEST(Codec, ReadsTheReferenceExampleLines) {
  // docs/record-format.md, verbatim.
  Record rec;
  ASSERT_TRUE(
      parse_record(
          R"({"type": "entity", "data": {"id": "person_001", "entity_type": "Person", "properties": {"name": "Ada", "tags": ["math", "engines"]}, "embedding": [0.1, 0.2, 0.3], "created_at": "2026-01-05T09:30:00.250000", "updated_at": "2026-01-05T09:30:00.250000", "source": "doc-17", "tenant_id": null}})",
          &rec)
          .ok());
  EXPECT_EQ(rec.entity.id, "person_001");
  EXPECT_EQ(rec.entity.embedding, (std::vector<float>{0.1f, 0.2f, 0.3f}));
  EXPECT_EQ(format_timestamp(rec.entity.created_at), "2026-01-05T09:30:00.250000");
  EXPECT_EQ(rec.entity.source, "doc-17");
  EXPECT_EQ(rec.entity.tenant_id, "");
  ASSERT_TRUE(
      parse_record(
          R"({"type": "relation", "data": {"id": "rel_001", "relation_type": "WORKS_FOR", "source_id": "person_001", "target_id": "company_001", "properties": {"since": 2024}, "weight": 0.9, "created_at": "2026-01-05T09:30:01", "source": null, "tenant_id": null}})",
          &rec)
          .ok());
  EXPECT_EQ(rec.kind, RecordKind::kRelation);
  EXPECT_EQ(rec.relation.weight, 0.9);
  EXPECT_EQ(rec.relation.updated_at, rec.relation.created_at);  // no updated_at: created_at
  EXPECT_FALSE(rec.relation.source.has_value());
  // A bare entity line, and the accepted timestamp suffixes.
  ASSERT_TRUE(parse_record(R"({"id": "b", "entity_type": "T", "created_at": "2026-01-05T09:30:01Z",)"
                           R"( "updated_at": "2026-01-05T09:30:01+00:00"})",
                           &rec)
                  .ok());
  EXPECT_EQ(rec.kind, RecordKind::kEntity);
  EXPECT_EQ(rec.entity.created_at, rec.entity.updated_at);
}

TEST(Codec, RefusesDeepNestingWithoutRecursing) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  Record rec;
  Status s = parse_record(R"({"id": "x", "entity_type": "T", "properties": {"a": )" + deep + "}}", &rec);
  EXPECT_EQ(s.message(), "JSON nested deeper than 512 levels");
  std::string ok_depth = std::string(500, '[') + std::string(500, ']');
  EXPECT_TRUE(parse_record(R"({"id": "x", "entity_type": "T", "properties": {"a": )" + ok_depth + "}}", &rec).ok());
}

TEST(Codec, NamesTheProblem) {
  Record rec;
  auto msg = [&](const std::string& text) { return parse_record(text, &rec).message(); };
  EXPECT_EQ(msg(R"({"id": 5, "entity_type": "T"})"), "entity key 'id' must be a string");
  EXPECT_EQ(msg(R"({"type": "relation", "data": {"id": "r", "relation_type": "K", "source_id": "a",)"
                R"( "target_id": "b", "weight": 1.5}})"),
            "relation key 'weight' must be a number from 0.0 to 1.0");
  EXPECT_EQ(msg(R"({"id": "a", "entity_type": "T", "tenant_id": "acme corp!"})"),
            "entity key 'tenant_id': invalid tenant id 'acme corp!': use 1 to 255 letters, digits, '-' or '_'");
  EXPECT_EQ(msg(R"({"id": "a", "entity_type": "T", "id": "b"})"), "entity key 'id' appears twice");
  EXPECT_EQ(msg(R"({"id": "a"})"), "entity key 'entity_type' is missing");
  EXPECT_EQ(msg(R"({"type": "entity", "data": {"id": "a", "entity_type": "T", "weight": 1}})"),
            "unknown entity key 'weight'");
  EXPECT_EQ(msg(R"({"type": "thing", "data": {}})"), R"(record key 'type' must be "entity" or "relation")");
  EXPECT_EQ(msg("[1, 2]"), "a record must be a JSON object");
  EXPECT_EQ(msg("{\"id\": \"a\xff\", \"entity_type\": \"T\"}"), "invalid UTF-8 at offset 9");
  EXPECT_EQ(msg("{\"id\": \"a\xed\xa0\x80\", \"entity_type\": \"T\"}"), "invalid UTF-8 at offset 9");  // a surrogate
  EXPECT_EQ(msg(std::string("{\"id\": \"a\0b\", \"entity_type\": \"T\"}", 33)), "a NUL byte at offset 9");
  EXPECT_EQ(msg(R"({"id": "a", "entity_type": "T", "embedding": [1e39]})"),
            "entity key 'embedding' holds 1e39, out of float32 range");
}

}  // namespace
}  // namespace graphstore::testing
