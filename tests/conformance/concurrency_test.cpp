// Eight threads at once: four writers on disjoint ids (adds, relations,
// rewrites) and four readers that check every record they see is whole,
// i.e. all its fields come from one write. At the end every write is there.
// The Store serialises plugins that declare GS_THREADING_SERIAL, so this
// holds for every backend.
#include <rapidjson/document.h>

#include <atomic>
#include <thread>

#include "conformance.hpp"
#include "random_graph.hpp"

namespace graphstore::conformance {
namespace {

GS_CONFORMANCE_SUITE(Concurrency);

constexpr int kWriters = 4;
constexpr int kReaders = 4;
constexpr int kPerWriter = 60;
constexpr int kFinalVersion = 2;

std::string id_of(int writer, int i) { return "w" + std::to_string(writer) + "-" + std::to_string(i); }

// Every field of a version-v write of entity (writer, i) derives from the
// three numbers, so a reader can recompute the whole record from its id and
// the version it carries.
Entity version_of(int writer, int i, int v) {
  std::string payload(200 + (i * 7 + v * 13) % 300, static_cast<char>('a' + (writer + i + v) % 26));
  Entity e = make_entity(id_of(writer, i), "V" + std::to_string(v),
                         R"({"writer":)" + std::to_string(writer) + R"(,"i":)" + std::to_string(i) + R"(,"v":)" +
                             std::to_string(v) + R"(,"payload":")" + payload + R"("})",
                         std::vector<float>(4, static_cast<float>(v + 1)));
  e.created_at = 1000 + i;
  e.updated_at = 1000 + i + v;
  return e;
}

// Empty when e is a whole version of itself, else what is wrong.
std::string wholeness_error(const Entity& e) {
  rapidjson::Document doc;
  doc.Parse(e.properties.c_str());
  bool readable = !doc.HasParseError() && doc.IsObject();
  for (const char* key : {"writer", "i", "v"}) readable = readable && doc.HasMember(key) && doc[key].IsInt();
  if (!readable) return "entity " + e.id + ": unreadable properties " + e.properties.substr(0, 80);
  Entity want = version_of(doc["writer"].GetInt(), doc["i"].GetInt(), doc["v"].GetInt());
  return e == want ? std::string() : "entity " + e.id + " mixes fields of different writes";
}

TEST_P(Concurrency, ReadersSeeWholeRecordsWhileWritersWrite) {
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> errors{0};
  std::atomic<long> reads{0};
  auto fail = [&](const std::string& what) {
    if (errors++ < 5) ADD_FAILURE() << what;
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        if (Status s = store().add_entity("", version_of(w, i, 0)); !s.ok()) fail("add: " + s.to_string());
        if (i > 0) {
          Relation r = make_relation(id_of(w, i) + "-link", id_of(w, i - 1), id_of(w, i));
          if (Status s = store().add_relation("", r); !s.ok()) fail("add_relation: " + s.to_string());
        }
      }
      for (int v = 1; v <= kFinalVersion; ++v)
        for (int i = 0; i < kPerWriter; ++i)
          if (Status s = store().update_entity("", version_of(w, i, v)); !s.ok()) fail("update: " + s.to_string());
      --writers_left;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&, r] {
      Rng rng(100 + r);
      // At least a few rounds, and until every writer is done.
      for (int round = 0; round < 5 || writers_left.load() > 0; ++round) {
        Entity e;
        std::string id = id_of(static_cast<int>(rng.below(kWriters)), static_cast<int>(rng.below(kPerWriter)));
        Status s = store().get_entity("", id, &e);
        if (s.ok()) {
          if (auto err = wholeness_error(e); !err.empty()) fail(err);
        } else if (!s.is_not_found()) {
          fail("get: " + s.to_string());
        }
        if (round % 8 == 0) {
          Status fs = store().for_each_entity("", [&](const Entity& x) {
            if (auto err = wholeness_error(x); !err.empty()) fail(err);
            return true;
          });
          if (!fs.ok()) fail("for_each: " + fs.to_string());
          TraverseResult t;
          Status ts = store().traverse("", id_of(0, 0), TraverseOptions{Direction::kOut, "", 3, 10}, &t);
          if (!ts.ok() && !ts.is_not_found()) fail("traverse: " + ts.to_string());
          for (const auto& h : t.hits)
            if (auto err = wholeness_error(h.entity); !err.empty()) fail(err);
        }
        ++reads;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(reads.load(), 0);

  auto entities = all_entities(store(), "");
  ASSERT_EQ(entities.size(), static_cast<size_t>(kWriters * kPerWriter));
  for (int w = 0; w < kWriters; ++w)
    for (int i = 0; i < kPerWriter; ++i) {
      Entity got;
      GS_ASSERT_OK(store().get_entity("", id_of(w, i), &got));
      EXPECT_EQ(got, version_of(w, i, kFinalVersion));
    }
  EXPECT_EQ(all_relations(store(), "").size(), static_cast<size_t>(kWriters * (kPerWriter - 1)));
  Stats stats;
  GS_ASSERT_OK(store().get_stats("", &stats));
  EXPECT_EQ(stats.entities_by_type, (std::map<std::string, uint64_t>{{"V2", kWriters * kPerWriter}}));
}

}  // namespace
}  // namespace graphstore::conformance
