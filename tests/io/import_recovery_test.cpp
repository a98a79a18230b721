// How the import settles refused records (duplicates, dangling relations,
// conflicts within a batch) and how it checks gzip input read from a pipe.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "io/byte_stream.hpp"
#include "io_fixture.hpp"

namespace graphstore::testing {
namespace {

std::string relation_line(const std::string& id, const std::string& from, const std::string& to) {
  return R"({"type":"relation","data":{"id":")" + id + R"(","relation_type":"K","source_id":")" + from +
         R"(","target_id":")" + to + "\"}}\n";
}

// Calls of apply_batch the metered store has seen.
uint64_t apply_calls(Store& store) {
  std::string text;
  EXPECT_TRUE(store.metrics_text(&text).ok());
  std::istringstream in(text);
  std::string line;
  const std::string key = R"(op="apply_batch"})";
  while (std::getline(in, line))
    if (line.rfind("graphstore_backend_call_seconds_count{", 0) == 0 && line.find(key) != std::string::npos)
      return std::stoull(line.substr(line.rfind(' ') + 1));
  return 0;
}

class ImportRecovery : public IoTest {};

// Dangling relations are found with one look-up pass per batch, not one
// apply per refused record.
TEST_F(ImportRecovery, DanglingRelationsAreSettledInAFewApplies) {
  std::string data = entity_lines(500);
  for (int i = 0; i < 500; ++i) data += relation_line("r" + std::to_string(i), "e" + std::to_string(i), "ghost");
  data += relation_line("ok", "e0", "e1");
  write_file("in.jsonl", data);
  auto store = open("inmemory");
  store->enable_metrics();
  ImportOptions o;
  o.on_error = OnError::kSkip;
  ImportReport r;
  ASSERT_TRUE(import_file(*store, path("in.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entities_added, 500u);
  EXPECT_EQ(r.relations_added, 1u);
  EXPECT_EQ(r.rejected, 500u);
  EXPECT_LE(apply_calls(*store), 8u);
  std::vector<std::string> rejects = read_lines("in.jsonl.rejected.jsonl");
  ASSERT_EQ(rejects.size(), 500u);
  EXPECT_NE(rejects[0].find(R"("line":501)"), std::string::npos) << rejects[0];
  EXPECT_NE(rejects[499].find(R"("line":1000)"), std::string::npos) << rejects[499];
  EXPECT_NE(rejects[0].find("dangling"), std::string::npos) << rejects[0];
}

// Re-importing a file: every record a duplicate of the store, by each
// policy, with the counts and the stored records each policy promises.
TEST_F(ImportRecovery, DuplicatesOfTheStoreBySkipAndReplace) {
  write_file("first.jsonl", entity_lines(300));
  std::string changed;
  for (int i = 0; i < 300; ++i)
    changed += R"({"id":"e)" + std::to_string(i) + R"(","entity_type":"T","properties":{"v":2}})" + "\n";
  changed += R"({"id":"new","entity_type":"T"})"
             "\n";
  write_file("again.jsonl", changed);
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = 128;
  ImportReport r;
  ASSERT_TRUE(import_file(*store, path("first.jsonl"), o, &r).ok());

  o.on_conflict = OnConflict::kSkip;
  ASSERT_TRUE(import_file(*store, path("again.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entity_duplicates, 300u);
  EXPECT_EQ(r.entities_added, 1u);
  Entity e;
  ASSERT_TRUE(store->get_entity("", "e299", &e).ok());
  EXPECT_EQ(e.properties, "{}");

  o.on_conflict = OnConflict::kReplace;
  ASSERT_TRUE(import_file(*store, path("again.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entities_replaced, 301u);
  EXPECT_EQ(r.entities_added, 0u);
  ASSERT_TRUE(store->get_entity("", "e299", &e).ok());
  EXPECT_EQ(e.properties, R"({"v":2})");
  EXPECT_EQ(count_entities(*store), 301u);
}

// Ids repeated within one batch are refused one at a time (the look-up
// pass cannot see them); the rest of the batch is still written, in order.
TEST_F(ImportRecovery, DuplicatesWithinABatchAreRejectedAndTheRestWritten) {
  std::string data;
  for (int i = 0; i < 200; ++i) {
    data += R"({"id":"e)" + std::to_string(i) + R"(","entity_type":"T"})" + "\n";
    data += R"({"id":"e)" + std::to_string(i) + R"(","entity_type":"Again"})" + "\n";
  }
  write_file("in.jsonl", data);
  auto store = open("inmemory");
  ImportOptions o;
  o.on_error = OnError::kSkip;
  ImportReport r;
  ASSERT_TRUE(import_file(*store, path("in.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entities_added, 200u);
  EXPECT_EQ(r.rejected, 200u);
  EXPECT_EQ(count_entities(*store), 200u);
  Entity e;
  ASSERT_TRUE(store->get_entity("", "e150", &e).ok());
  EXPECT_EQ(e.entity_type, "T");
  std::vector<std::string> rejects = read_lines("in.jsonl.rejected.jsonl");
  ASSERT_EQ(rejects.size(), 200u);
  for (size_t i = 0; i < rejects.size(); ++i)
    EXPECT_NE(rejects[i].find("\"line\":" + std::to_string(2 * i + 2) + ","), std::string::npos) << rejects[i];

  // Replace keeps the later record of each pair.
  auto other = open("inmemory");
  o.on_conflict = OnConflict::kReplace;
  ASSERT_TRUE(import_file(*other, path("in.jsonl"), o, &r).ok());
  EXPECT_EQ(r.entities_added, 200u);
  EXPECT_EQ(r.entities_replaced, 200u);
  ASSERT_TRUE(other->get_entity("", "e150", &e).ok());
  EXPECT_EQ(e.entity_type, "Again");
}

// A gzip stream that is not a file (a pipe) is copied to the spool
// directory while it is checked; a damaged one imports nothing.
TEST_F(ImportRecovery, GzipFromAPipeIsCheckedBeforeAnyWrite) {
  write_gzip("good.jsonl.gz", entity_lines(3000));
  std::string gz = read_file("good.jsonl.gz");
  std::string bad = gz;
  bad[bad.size() - 8] ^= 0x01;  // the member's CRC
  fs::create_directory(path("spool"));
  for (const std::string* data : {&gz, &bad}) {
    fs::path fifo = path("pipe");
    fs::remove(fifo);
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << *data; });
    auto store = open("inmemory");
    ImportOptions o;
    o.format = Format::kJsonl;
    o.batch_size = 100;
    o.spool_dir = path("spool");
    ImportReport r;
    Status s = import_file(*store, fifo, o, &r);
    writer.join();
    if (data == &gz) {
      ASSERT_TRUE(s.ok()) << s.to_string();
      EXPECT_EQ(r.entities_added, 3000u);
      EXPECT_TRUE(r.gzip);
    } else {
      ASSERT_FALSE(s.ok());
      EXPECT_NE(s.message().find("incorrect data check"), std::string::npos) << s.message();
      EXPECT_EQ(r.batches, 0u);
      EXPECT_EQ(count_entities(*store), 0u);
    }
    EXPECT_TRUE(fs::is_empty(path("spool")));  // the copy was never named
  }
}

}  // namespace
}  // namespace graphstore::testing
