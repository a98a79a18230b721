// The import's reading thread (core/src/io/prefetch.*) under the thread
// sanitizer (label "concurrency"): many chunks, a stop in the middle of the
// input, an abort while the reader is ahead, and a rejected record copied
// across threads.
#include "io_fixture.hpp"

namespace graphstore::testing {
namespace {

class Prefetch : public IoTest {};

TEST_F(Prefetch, ManyChunksArriveInOrder) {
  std::string text = entity_lines(6000);
  for (int i = 0; i < 6000; i += 3)
    text += R"({"type": "relation", "data": {"id": "r)" + std::to_string(i) +
            R"(", "relation_type": "K", "source_id": "e)" + std::to_string(i) + R"(", "target_id": "e)" +
            std::to_string(5999 - i) +
            R"("}})"
            "\n";
  write_gzip("g.jsonl.gz", text);
  auto store = open("inmemory");
  ImportOptions o;
  o.batch_size = 997;
  ImportReport r;
  ASSERT_TRUE(import_file(*store, path("g.jsonl.gz"), o, &r).ok());
  EXPECT_EQ(r.entities_added, 6000u);
  EXPECT_EQ(r.relations_added, 2000u);
}

TEST_F(Prefetch, StoppingOrAbortingWhileTheReaderIsAheadIsClean) {
  write_file("g.jsonl", entity_lines(9000) + "{bad\n" + entity_lines(100, 9000));
  for (int round = 0; round < 3; ++round) {
    auto store = open("inmemory");
    ImportOptions o;
    o.batch_size = 100;
    if (round == 0) o.progress = [](const Progress& p) { return p.records < 4000; };
    if (round == 2) o.on_error = OnError::kSkip;
    ImportReport r;
    Status s = import_file(*store, path("g.jsonl"), o, &r);
    if (round == 0) {
      EXPECT_EQ(s.code(), Code::kUnavailable);
    }
    if (round == 1) {
      EXPECT_EQ(r.error_line, 9001u);
    }
    if (round == 2) {
      EXPECT_TRUE(s.ok()) << s.to_string();
      EXPECT_EQ(r.rejected, 1u);
      EXPECT_EQ(count_entities(*store), 9100u);
    }
  }
}

}  // namespace
}  // namespace graphstore::testing
