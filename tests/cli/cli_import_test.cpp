// graphstore import through the CLI: damaged gzip input, the spool
// directory, the line limit and what the rejects file keeps.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_fixture.hpp"

namespace {

using namespace graphstore::test;
namespace fs = std::filesystem;

uint32_t crc32(const std::string& data) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

void put_le(std::string* out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// One gzip member holding data in stored (uncompressed) deflate blocks: a
// changed byte of data then leaves the deflate structure intact, so only
// the member's CRC at its end can tell.
std::string gzip_stored(const std::string& data) {
  std::string out = {'\x1f', '\x8b', '\x08', '\0', '\0', '\0', '\0', '\0', '\0', '\xff'};
  size_t pos = 0;
  do {
    size_t n = std::min<size_t>(65535, data.size() - pos);
    out.push_back(pos + n == data.size() ? '\x01' : '\x00');
    put_le(&out, static_cast<uint32_t>(n), 2);
    put_le(&out, static_cast<uint32_t>(~n & 0xFFFF), 2);
    out.append(data, pos, n);
    pos += n;
  } while (pos < data.size());
  put_le(&out, crc32(data), 4);
  put_le(&out, static_cast<uint32_t>(data.size()), 4);
  return out;
}

std::string entities(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += R"({"id":"e)" + std::to_string(i) + R"(","entity_type":"T"})" + "\n";
  return s;
}

// entities(2000) with e1500 turned into e1900 inside the compressed data,
// after the member's CRC was computed: a flipped byte.
std::string flipped_gzip() {
  std::string gz = gzip_stored(entities(2000));
  size_t at = gz.find(R"("e1500")");
  EXPECT_NE(at, std::string::npos);
  gz[at + 3] = '9';
  return gz;
}

void write(const fs::path& p, const std::string& data) { std::ofstream(p, std::ios::binary) << data; }

class CliImport : public CliTest {};

TEST_F(CliImport, GzipThatDoesNotVerifyCommitsNothing) {
  write(dir_ / "good.jsonl.gz", gzip_stored(entities(2000)));
  Result r = run({"--json", "import", "good.jsonl.gz", "--batch-size", "100", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_TRUE(doc["gzip"].GetBool());
  EXPECT_EQ(doc["entities_added"].GetUint64(), 2000u);

  write(dir_ / "flip.jsonl.gz", flipped_gzip());
  r = run({"--json", "import", "flip.jsonl.gz", "--on-error", "skip", "--batch-size", "100", "--no-progress"});
  EXPECT_EQ(r.exit_code, 1);
  parse(r, &doc);
  EXPECT_EQ(doc["entities_added"].GetUint64(), 0u);
  EXPECT_EQ(doc["batches"].GetUint64(), 0u);
  EXPECT_EQ(doc["rejected"].GetUint64(), 0u);
  EXPECT_NE(r.err.find("incorrect data check"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "flip.jsonl.gz.rejected.jsonl"));

  // The same through standard input, and with a good member before the
  // damaged one.
  write(dir_ / "two.jsonl.gz", gzip_stored(entities(10)) + flipped_gzip());
  for (const char* file : {"flip.jsonl.gz", "two.jsonl.gz"}) {
    r = run({"--json", "import", "-", "--batch-size", "100", "--no-progress"}, true,
            {.env = {}, .stdin_file = dir_ / file, .cwd = {}});
    EXPECT_EQ(r.exit_code, 1) << file;
    parse(r, &doc);
    EXPECT_EQ(doc["entities_added"].GetUint64(), 0u) << file;
    EXPECT_NE(r.err.find("incorrect data check"), std::string::npos) << r.err;
  }
}

// A CSV pair is checked whole, both files, before its first row: a damaged
// relations file leaves the entities file's rows unwritten too.
TEST_F(CliImport, CsvPairWithADamagedRelationsFileImportsNothing) {
  std::string ents = "id,entity_type,properties,embedding,created_at,updated_at,source,tenant_id\n";
  for (int i = 0; i < 500; ++i) ents += "e" + std::to_string(i) + ",T,,,,,,\n";
  std::string rels = "id,relation_type,source_id,target_id,properties,weight,created_at,updated_at,source,tenant_id\n";
  for (int i = 0; i < 200; ++i) rels += "r" + std::to_string(i) + ",K,e" + std::to_string(i) + ",e1,,0.5,,,,\n";
  std::string bad = gzip_stored(rels);
  bad[bad.size() - 8] ^= 0x01;  // the member's CRC
  write(dir_ / "g.entities.csv.gz", gzip_stored(ents));
  write(dir_ / "g.relations.csv.gz", bad);
  Result r = run({"--json", "import", "g.csv.gz", "--batch-size", "100", "--no-progress"});
  EXPECT_EQ(r.exit_code, 1);
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(doc["entities_added"].GetUint64(), 0u);
  EXPECT_NE(r.err.find("g.relations.csv.gz: corrupt gzip stream: incorrect data check"), std::string::npos) << r.err;

  write(dir_ / "g.relations.csv.gz", gzip_stored(rels));
  r = run({"--json", "import", "g.csv.gz", "--batch-size", "100", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  parse(r, &doc);
  EXPECT_EQ(doc["entities_added"].GetUint64(), 500u);
  EXPECT_EQ(doc["relations_added"].GetUint64(), 200u);
}

TEST_F(CliImport, StreamingGzipSaysTheCommittedBatchesMayBeDamaged) {
  write(dir_ / "flip.jsonl.gz", flipped_gzip());
  Result r = run({"--json", "import", "flip.jsonl.gz", "--gzip-check", "stream", "--on-error", "skip", "--batch-size",
                  "100", "--no-progress"});
  EXPECT_EQ(r.exit_code, 1);
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_GT(doc["batches"].GetUint64(), 0u);
  EXPECT_NE(r.err.find("incorrect data check"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("may hold records read from the damaged data"), std::string::npos) << r.err;
  EXPECT_EQ(run({"import", "flip.jsonl.gz", "--gzip-check", "maybe"}).exit_code, 2);
}

TEST_F(CliImport, SpoolDirIsCheckedBeforeAnythingIsWritten) {
  // Two batches of entities, then a relation that waits in the spool for
  // e2, which comes after it.
  std::string data = entities(2) +
                     R"({"type":"relation","data":{"id":"r","relation_type":"K","source_id":"e0","target_id":"e2"}})" +
                     "\n" + R"({"id":"e2","entity_type":"T"})" + "\n";
  write(dir_ / "in.jsonl", data);
  write(dir_ / "plain_file", "x");
  for (const char* spool : {"no_such_dir", "plain_file"}) {
    Result r = run({"--json", "import", "in.jsonl", "--spool-dir", spool, "--batch-size", "1", "--no-progress"});
    EXPECT_EQ(r.exit_code, 1) << spool;
    rapidjson::Document doc;
    parse(r, &doc);
    EXPECT_EQ(doc["entities_added"].GetUint64(), 0u) << spool;
    EXPECT_EQ(doc["batches"].GetUint64(), 0u) << spool;
    EXPECT_NE(r.err.find(std::string("spool directory '") + spool + "'"), std::string::npos) << r.err;
  }
  fs::create_directory(dir_ / "spool");
  Result r = run({"--json", "import", "in.jsonl", "--spool-dir", "spool", "--batch-size", "1", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(doc["relations_added"].GetUint64(), 1u);
  EXPECT_EQ(doc["deferred_relations"].GetUint64(), 1u);
}

TEST_F(CliImport, MaxLineBytesStopsAtWhatABackendStores) {
  write(dir_ / "in.jsonl", entities(2));
  Result r = run({"import", "in.jsonl", "--max-line-bytes", "1000000001"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("1000000000"), std::string::npos) << r.err;
  EXPECT_EQ(run({"import", "in.jsonl", "--max-line-bytes", "17179869184"}).exit_code, 2);
  r = run({"import", "in.jsonl", "--max-line-bytes", "1000000000", "--no-progress"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// An over-long line is rejected under skip with its own line number and a
// bounded prefix, wherever it sits and whether or not a newline ends it.
TEST_F(CliImport, OverLongLinesAreRejectedWithTheirLineNumber) {
  std::string big = R"({"id":"big","entity_type":"T","properties":{"p":")" + std::string(5000, 'x') + R"("}})";
  std::string small = R"({"id":"s","entity_type":"T"})";
  struct Case {
    std::string data;
    uint64_t line;
  } cases[] = {{small + "\n" + big, 2}, {small + "\n" + big + "\n", 2}, {big + "\n" + small + "\n", 1}};
  for (const auto& c : cases) {
    write(dir_ / "in.jsonl", c.data);
    Result r = run({"--json", "import", "in.jsonl", "--on-error", "skip", "--max-line-bytes", "1000", "--rejects",
                    "rej.jsonl", "--overwrite", "--no-progress"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rapidjson::Document doc;
    parse(r, &doc);
    EXPECT_EQ(doc["entities_added"].GetUint64(), 1u);
    EXPECT_EQ(doc["rejected"].GetUint64(), 1u);
    std::string rejects = slurp(dir_ / "rej.jsonl");
    rapidjson::Document rej;
    rej.Parse(rejects.c_str());
    ASSERT_FALSE(rej.HasParseError()) << rejects;
    EXPECT_EQ(rej["line"].GetUint64(), c.line) << c.data.substr(0, 40);
    EXPECT_TRUE(rej["text_truncated"].GetBool());
    EXPECT_LE(rej["text"].GetStringLength(), 1000u);
  }
}

// A record the store refuses whole (here a dangling relation of 2 MiB)
// reaches the rejects file as a prefix of its line, not a copy.
TEST_F(CliImport, ALargeRefusedRecordLeavesOnlyAPrefixInTheRejects) {
  std::string props = R"({"p":")" + std::string(2 << 20, 'x') + R"("})";
  std::string data = entities(1) + R"({"type":"relation","data":{"id":"r","relation_type":"K","source_id":"e0",)" +
                     R"("target_id":"ghost","properties":)" + props + "}}\n";
  write(dir_ / "in.jsonl", data);
  Result r = run({"--json", "import", "in.jsonl", "--on-error", "skip", "--max-line-bytes", "4194304", "--rejects",
                  "rej.jsonl", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(doc["rejected"].GetUint64(), 1u);
  EXPECT_LT(fs::file_size(dir_ / "rej.jsonl"), 8192u);
  rapidjson::Document rej;
  std::string rejects = slurp(dir_ / "rej.jsonl");
  rej.Parse(rejects.c_str());
  ASSERT_FALSE(rej.HasParseError()) << rejects.substr(0, 200);
  EXPECT_EQ(rej["line"].GetUint64(), 2u);
  EXPECT_TRUE(rej["text_truncated"].GetBool());
  std::string text = str(rej["text"]);
  EXPECT_EQ(text.size(), 4096u);
  EXPECT_EQ(text.rfind(R"({"type":"relation","data":{"id":"r")", 0), 0u) << text.substr(0, 80);
  EXPECT_NE(str(rej["reason"]).find("dangling"), std::string::npos) << str(rej["reason"]);
  EXPECT_NE(str(rej["reason"]).find("keeps the first 4 KiB"), std::string::npos) << str(rej["reason"]);
}

}  // namespace
