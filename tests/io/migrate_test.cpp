// Migration between stores: copy with verify, dry run, an interrupted run
// resumed from its checkpoint without duplicates (also when the checkpoint
// lags one batch behind what was committed), and the refusals: a checkpoint
// of other stores, of a source whose tenants changed, of a target that was
// emptied or changed.
#include "io_fixture.hpp"

namespace graphstore::testing {
namespace {

class Migrate : public IoTest {
 protected:
  // The target: sqlite when the build has it, else inmemory.
  std::string target_plugin() const { return have_sqlite() ? "sqlite" : "inmemory"; }

  // A crash after a batch commits and before its checkpoint is written:
  // migrates src into dst in batches of 5 with checkpoint cp.json, stops
  // after the seventh batch, and puts back the checkpoint written after batch
  // `kept`. o is left ready for the resume.
  void stop_with_an_older_checkpoint(Store& src, Store& dst, int kept, MigrateOptions* o) {
    o->batch_size = 5;
    o->checkpoint = path("cp.json");
    int batches = 0;
    std::string older;
    o->progress = [&](const Progress&) {
      if (++batches == kept) older = read_file("cp.json");
      return batches < 7;
    };
    MigrateReport r;
    EXPECT_EQ(migrate(src, dst, *o, &r).code(), Code::kUnavailable);
    write_file("cp.json", older);
    o->progress = nullptr;
  }
};

TEST_F(Migrate, CopiesEveryTenantAndVerifies) {
  auto src = open("inmemory");
  fill_sample(*src, 2);
  for (const std::string& to : {std::string("inmemory"), target_plugin()}) {
    auto dst = open(to);
    MigrateOptions o;
    o.batch_size = 7;
    o.verify = true;
    uint64_t calls = 0, last = 0;
    o.progress = [&](const Progress& p) {
      ++calls;
      EXPECT_GE(p.records, last);
      last = p.records;
      EXPECT_EQ(p.total, 3 * (41u + 42u));
      return true;
    };
    MigrateReport r;
    Status s = migrate(*src, *dst, o, &r);
    ASSERT_TRUE(s.ok()) << to << ": " << s.to_string();
    EXPECT_EQ(r.entities, 3 * 41u);
    EXPECT_EQ(r.relations, 3 * 42u);
    EXPECT_EQ(r.copied.size(), 3u);
    EXPECT_TRUE(r.verified);
    EXPECT_TRUE(r.mismatches.empty());
    EXPECT_EQ(r.source_summary, r.target_summary);
    EXPECT_EQ(r.source_summary.size(), 3u);
    EXPECT_GT(calls, 10u);
    EXPECT_EQ(last, r.entities + r.relations);
    EXPECT_EQ(summary(*src), summary(*dst)) << to;
  }
}

TEST_F(Migrate, OnlyTheNamedTenantsAreCopied) {
  auto src = open("inmemory");
  fill_sample(*src, 2);
  auto dst = open(target_plugin());
  MigrateOptions o;
  o.batch_size = 7;
  o.tenants = {"beta-2", "acme", "beta-2"};  // any order, repeats ignored
  MigrateReport r;
  Status s = migrate(*src, *dst, o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(r.copied.size(), 2u);
  EXPECT_EQ(r.entities, 2 * 41u);
  EXPECT_EQ(r.relations, 2 * 42u);
  StoreSummary from = summary(*src), to = summary(*dst);
  EXPECT_EQ(to.count(""), 0u) << "the global namespace was not named";
  EXPECT_EQ(to.at("acme"), from.at("acme"));
  EXPECT_EQ(to.at("beta-2"), from.at("beta-2"));
}

TEST_F(Migrate, DryRunReportsAndWritesNothing) {
  auto src = open("inmemory");
  fill_sample(*src);
  auto dst = open("inmemory");
  MigrateOptions o;
  o.dry_run = true;
  o.checkpoint = path("cp.json");
  MigrateReport r;
  ASSERT_TRUE(migrate(*src, *dst, o, &r).ok());
  EXPECT_EQ(r.entities + r.relations, 0u);
  ASSERT_EQ(r.source_stats.size(), 3u);
  EXPECT_EQ(r.source_stats.at("acme").entity_count, 21u);
  EXPECT_EQ(r.source_stats.at("acme").entities_by_type.at("Person"), 7u);
  EXPECT_EQ(r.source_stats.at("").relations_by_type.at("KNOWS"), 12u);
  EXPECT_TRUE(summary(*dst).empty());
  EXPECT_FALSE(fs::exists(path("cp.json")));
}

TEST_F(Migrate, AnInterruptedMigrationResumesWithoutDuplicates) {
  auto src = open("inmemory");
  fill_sample(*src, 3);
  auto dst = open(target_plugin());
  MigrateOptions o;
  o.batch_size = 10;
  o.checkpoint = path("cp.json");
  int batches = 0;
  o.progress = [&](const Progress&) { return ++batches < 13; };  // stop in the second tenant
  MigrateReport r;
  Status s = migrate(*src, *dst, o, &r);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("same checkpoint to resume"), std::string::npos) << s.message();
  EXPECT_EQ(r.batches, 13u);
  std::string cp = read_file("cp.json");
  EXPECT_NE(cp.find(R"("phase":)"), std::string::npos) << cp;
  uint64_t copied = r.entities + r.relations;
  EXPECT_GT(copied, 100u);
  EXPECT_LT(copied, 3 * (61u + 62u));

  o.progress = nullptr;
  o.verify = true;
  s = migrate(*src, *dst, o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(r.resumed);
  EXPECT_EQ(r.entities + r.relations + copied, 3 * (61u + 62u));  // each record copied once
  EXPECT_TRUE(r.mismatches.empty());
  EXPECT_EQ(summary(*src), summary(*dst));
  EXPECT_NE(read_file("cp.json").find(R"("phase":"done")"), std::string::npos);

  // Running it again with the finished checkpoint does nothing.
  s = migrate(*src, *dst, o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(r.already_complete);
  EXPECT_EQ(r.entities + r.relations, 0u);
}

TEST_F(Migrate, ACheckpointOneBatchBehindTheTargetStillResumesCleanly) {
  auto src = open("inmemory");
  fill_sample(*src, 2);
  auto dst = open("inmemory");
  MigrateOptions o;
  stop_with_an_older_checkpoint(*src, *dst, 6, &o);  // the seventh committed batch is not in it
  MigrateReport r;
  o.verify = true;
  Status s = migrate(*src, *dst, o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(r.mismatches.empty());
  EXPECT_EQ(summary(*src), summary(*dst));
}

TEST_F(Migrate, ACheckpointMoreThanOneBatchBehindTheTargetIsRefused) {
  auto src = open("inmemory");
  fill_sample(*src, 2);
  auto dst = open("inmemory");
  MigrateOptions o;
  stop_with_an_older_checkpoint(*src, *dst, 4, &o);  // three committed batches are not in it
  MigrateReport r;
  Status s = migrate(*src, *dst, o, &r);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("the target does not hold what it held at the checkpoint (tenant global: 35 entities, "
                             "the checkpoint recorded 20)"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(r.entities + r.relations, 0u);
}

// A checkpoint of a migration stopped midway, resumed into a target that
// was emptied meanwhile, must not copy the rest and call it done.
TEST_F(Migrate, AnEmptiedTargetIsRefusedMidwayAndWhenDone) {
  auto src = open("inmemory");
  fill_sample(*src, 2);
  auto dst = open("inmemory");
  MigrateOptions o;
  o.batch_size = 10;
  o.checkpoint = path("cp.json");
  int batches = 0;
  o.progress = [&](const Progress&) { return ++batches < 3; };
  MigrateReport r;
  EXPECT_EQ(migrate(*src, *dst, o, &r).code(), Code::kUnavailable);
  o.progress = nullptr;
  auto emptied = open("inmemory");
  Status s = migrate(*src, *emptied, o, &r);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find(path("cp.json").string() +
                             ": the target does not hold what it held at the checkpoint (tenant global: 0 entities, "
                             "the checkpoint recorded 30)"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(count_entities(*emptied), 0u);
  // The dry run says so too.
  o.dry_run = true;
  EXPECT_TRUE(migrate(*src, *emptied, o, &r).is_invalid_argument());
  o.dry_run = false;

  // Finished, then the target emptied: not "already complete".
  ASSERT_TRUE(migrate(*src, *dst, o, &r).ok());
  EXPECT_NE(read_file("cp.json").find(R"("phase":"done")"), std::string::npos);
  ASSERT_TRUE(migrate(*src, *dst, o, &r).ok());
  EXPECT_TRUE(r.already_complete);
  ASSERT_TRUE(dst->delete_relation("acme", "r0").ok());
  s = migrate(*src, *dst, o, &r);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("tenant acme: 41 relations, the checkpoint recorded 42"), std::string::npos)
      << s.message();
  EXPECT_FALSE(r.already_complete);
}

TEST_F(Migrate, ATargetHoldingOtherRecordsResumesWithItsOwnCounts) {
  auto src = open("inmemory");
  fill_sample(*src);
  auto dst = open("inmemory");
  Entity other;
  other.id = "zz-not-from-the-source";
  other.entity_type = "Other";
  ASSERT_TRUE(dst->add_entity("", other).ok());
  MigrateOptions o;
  o.batch_size = 10;
  o.checkpoint = path("cp.json");
  int batches = 0;
  o.progress = [&](const Progress&) { return ++batches < 2; };
  MigrateReport r;
  EXPECT_EQ(migrate(*src, *dst, o, &r).code(), Code::kUnavailable);
  EXPECT_NE(read_file("cp.json").find(R"("target_held":{"":{"entities":21,"relations":0})"), std::string::npos)
      << read_file("cp.json");
  o.progress = nullptr;
  Status s = migrate(*src, *dst, o, &r);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(count_entities(*dst), 22u);
}

TEST_F(Migrate, ACheckpointOfOtherStoresIsRefusedSayingWhich) {
  auto src = open("inmemory");
  fill_sample(*src);
  auto dst = open("inmemory");
  MigrateOptions o;
  o.checkpoint = path("cp.json");
  o.source_identity = {"a", "path=/data/a.db"};
  o.target_identity = {"b", "path=/data/b.db"};
  MigrateReport r;
  ASSERT_TRUE(migrate(*src, *dst, o, &r).ok());
  std::string cp = read_file("cp.json");
  EXPECT_NE(cp.find(R"("source":{"environment":"a","backend":"inmemory","location":"path=/data/a.db",)"
                    R"("tenants":["","acme","beta-2"]})"),
            std::string::npos)
      << cp;
  EXPECT_NE(cp.find(R"("target":{"environment":"b","backend":"inmemory","location":"path=/data/b.db"})"),
            std::string::npos)
      << cp;

  // Another pair of environments with the same plugins: refused, not "done".
  auto d = open("inmemory");
  o.source_identity = {"c", "path=/data/c.db"};
  o.target_identity = {"d", "path=/data/b.db"};
  Status s = migrate(*src, *d, o, &r);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_FALSE(r.already_complete);
  EXPECT_NE(s.message().find("the checkpoint is of another migration: source environment 'a' in the checkpoint, "
                             "'c' now; source location 'path=/data/a.db' in the checkpoint, 'path=/data/c.db' now; "
                             "target environment 'b' in the checkpoint, 'd' now"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find("target location"), std::string::npos) << s.message();

  // The same stores, but the source gained a tenant.
  o.source_identity = {"a", "path=/data/a.db"};
  o.target_identity = {"b", "path=/data/b.db"};
  Entity e;
  e.id = "x";
  e.entity_type = "T";
  ASSERT_TRUE(src->add_entity("gamma", e).ok());
  s = migrate(*src, *dst, o, &r);
  EXPECT_TRUE(s.is_invalid_argument()) << s.to_string();
  EXPECT_NE(s.message().find("the source's tenants changed since the checkpoint: 'gamma' added"), std::string::npos)
      << s.message();
}

TEST_F(Migrate, RefusesANonEmptyTargetAndAForeignCheckpoint) {
  auto src = open("inmemory");
  fill_sample(*src);
  auto dst = open("inmemory");
  Entity e;
  e.id = "p3";
  e.entity_type = "Other";
  ASSERT_TRUE(dst->add_entity("", e).ok());
  MigrateOptions o;
  MigrateReport r;
  Status s = migrate(*src, *dst, o, &r);
  EXPECT_TRUE(s.is_already_exists());
  EXPECT_NE(s.message().find("the target already holds entity 'p3' (tenant global)"), std::string::npos) << s.message();

  write_file("cp.json", R"({"version":2,"source":{"environment":"","backend":"postgres","location":"",)"
                        R"("tenants":["","acme","beta-2"]},"target":{"environment":"","backend":"inmemory",)"
                        R"("location":""},"batch_size":5000,"tenant":"","phase":"entities","after_id":"",)"
                        R"("entities":0,"relations":0,"target_held":{}})");
  o.checkpoint = path("cp.json");
  auto empty = open("inmemory");
  s = migrate(*src, *empty, o, &r);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_NE(s.message().find("source backend 'postgres' in the checkpoint, 'inmemory' now"), std::string::npos)
      << s.message();
  // A checkpoint of the first format names no stores: it cannot be checked.
  write_file("cp.json", R"({"version":1,"source":"inmemory","target":"inmemory","tenant":"","phase":"done",)"
                        R"("after_id":"","entities":0,"relations":0})");
  s = migrate(*src, *empty, o, &r);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_NE(s.message().find("a version 1 checkpoint"), std::string::npos) << s.message();
  EXPECT_FALSE(r.already_complete);
  write_file("cp.json", "{oops");
  s = migrate(*src, *empty, o, &r);
  EXPECT_NE(s.message().find("not a migration checkpoint"), std::string::npos) << s.message();
}

TEST_F(Migrate, VerifyFindsADifference) {
  auto a = open("inmemory");
  fill_sample(*a);
  auto b = open("inmemory");
  MigrateOptions o;
  MigrateReport r;
  ASSERT_TRUE(migrate(*a, *b, o, &r).ok());
  EXPECT_TRUE(compare_summaries(summary(*a), summary(*b)).empty());
  Entity e;
  ASSERT_TRUE(b->get_entity("acme", "p2", &e).ok());
  e.properties = R"({"changed": true})";
  e.updated_at = kNoTimestamp;
  ASSERT_TRUE(b->update_entity("acme", e).ok());
  auto diff = compare_summaries(summary(*a), summary(*b));
  ASSERT_EQ(diff.size(), 1u);
  EXPECT_EQ(diff[0], "tenant acme: entities: the content checksums differ");
  ASSERT_TRUE(b->delete_relation("", "r0").ok());
  diff = compare_summaries(summary(*a), summary(*b));
  EXPECT_EQ(diff.size(), 4u);  // count, count of the type, checksum; acme's entity checksum
}

}  // namespace
}  // namespace graphstore::testing
