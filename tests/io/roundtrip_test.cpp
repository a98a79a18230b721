// Round trips: every format, plain and gzip, between stores; the chain
// inmemory -> JSONL.gz -> sqlite -> JSON -> inmemory -> CSV -> sqlite with
// equal content checksums at every step; files as the reference writes them;
// the export's filters.
#include <rapidjson/document.h>

#include <iostream>

#include "graphstore/record_json.hpp"
#include "io_fixture.hpp"

namespace graphstore::testing {
namespace {

struct FormatCase {
  const char* file;
  Format format;
};

class RoundTrip : public IoTest, public ::testing::WithParamInterface<FormatCase> {};

TEST_P(RoundTrip, PreservesEverythingByteForByte) {
  const FormatCase& c = GetParam();
  auto a = open("inmemory");
  fill_sample(*a);
  ExportOptions eo;
  ExportReport er;
  Status s = export_store(*a, path(c.file), eo, &er);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(er.format, c.format);
  EXPECT_EQ(er.entities, 3 * 21u);
  EXPECT_EQ(er.relations, 3 * 22u);
  EXPECT_EQ(er.tenants.size(), 3u);

  auto b = open("inmemory");
  ImportOptions io;
  io.batch_size = 7;
  ImportReport ir;
  s = import_file(*b, path(c.file), io, &ir);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(ir.entities_added, er.entities);
  EXPECT_EQ(ir.relations_added, er.relations);
  EXPECT_EQ(ir.deferred_relations, 0u);  // exports put entities first
  EXPECT_EQ(ir.gzip, er.gzip);
  StoreSummary sa = summary(*a), sb = summary(*b);
  EXPECT_EQ(sa, sb);
  EXPECT_TRUE(compare_summaries(sa, sb).empty());

  // Exporting the copy gives the same bytes.
  std::string again = std::string("again.") + c.file;
  ASSERT_TRUE(export_store(*b, path(again), eo, &er).ok());
  for (size_t i = 0; i < er.files.size(); ++i) {
    std::string first = fs::path(er.files[i]).filename().string().substr(6);
    EXPECT_EQ(read_file(fs::path(er.files[i]).filename().string()), read_file(first)) << first;
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Values(FormatCase{"g.jsonl", Format::kJsonl},
                                           FormatCase{"g.jsonl.gz", Format::kJsonl},
                                           FormatCase{"g.json", Format::kJson}, FormatCase{"g.json.gz", Format::kJson},
                                           FormatCase{"g.csv", Format::kCsv}, FormatCase{"g.csv.gz", Format::kCsv}),
                         [](const ::testing::TestParamInfo<FormatCase>& i) {
                           std::string n = i.param.file;
                           for (char& ch : n)
                             if (ch == '.') ch = '_';
                           return n;
                         });

class Chain : public IoTest {};

// Every store and format in one chain. Without the sqlite plugin in the build, inmemory
// stands in for it (and the test says so).
TEST_F(Chain, InmemoryJsonlGzSqliteJsonInmemoryCsvSqliteKeepsTheChecksum) {
  const std::string sql = have_sqlite() ? "sqlite" : "inmemory";
  if (!have_sqlite()) std::cout << "[ NOTE     ] the sqlite plugin is not built: inmemory stands in for it\n";
  auto origin = open("inmemory");
  fill_sample(*origin, 3);
  StoreSummary want = summary(*origin);
  ASSERT_EQ(want.size(), 3u);

  struct Step {
    const char* file;
    std::string to;
  };
  std::vector<Step> steps = {{"chain.jsonl.gz", sql}, {"chain.json", "inmemory"}, {"chain.csv", sql}};
  std::unique_ptr<Store> from = std::move(origin);
  for (const Step& step : steps) {
    ExportOptions eo;
    ExportReport er;
    Status s = export_store(*from, path(step.file), eo, &er);
    ASSERT_TRUE(s.ok()) << step.file << ": " << s.to_string();
    auto to = open(step.to);
    ImportOptions io;
    io.batch_size = 50;
    ImportReport ir;
    s = import_file(*to, path(step.file), io, &ir);
    ASSERT_TRUE(s.ok()) << step.file << " -> " << step.to << ": " << s.to_string();
    StoreSummary got = summary(*to);
    EXPECT_EQ(got, want) << step.file << " -> " << step.to;
    for (const auto& m : compare_summaries(want, got)) ADD_FAILURE() << step.file << " -> " << step.to << ": " << m;
    from = std::move(to);
  }
}

class ReferenceFiles : public IoTest {};

TEST_F(ReferenceFiles, ReadsWhatTheReferenceWrites) {
  // The example lines of docs/record-format.md (relations first, to
  // show the order does not matter), a bare entity, a blank line, Z and
  // +00:00 suffixes, and a relation without updated_at.
  write_file(
      "ref.jsonl",
      R"({"type": "relation", "data": {"id": "rel_001", "relation_type": "WORKS_FOR", "source_id": "person_001", "target_id": "company_001", "properties": {"since": 2024}, "weight": 0.9, "created_at": "2026-01-05T09:30:01", "source": null, "tenant_id": null}})"
      "\n"
      R"({"type": "entity", "data": {"id": "person_001", "entity_type": "Person", "properties": {"name": "Ada", "tags": ["math", "engines"]}, "embedding": [0.1, 0.2, 0.3], "created_at": "2026-01-05T09:30:00.250000", "updated_at": "2026-01-05T09:30:00.250000", "source": "doc-17", "tenant_id": null}})"
      "\n\n"
      R"({"id": "company_001", "entity_type": "Company", "properties": {}, "embedding": null, "created_at": "2026-01-05T09:30:00Z", "updated_at": "2026-01-05T09:30:00+00:00", "source": null, "tenant_id": null})"
      "\n");
  auto store = open("inmemory");
  ImportOptions io;
  ImportReport ir;
  Status s = import_file(*store, path("ref.jsonl"), io, &ir);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(ir.entities_added, 2u);
  EXPECT_EQ(ir.relations_added, 1u);
  Relation r;
  ASSERT_TRUE(store->get_relation("", "rel_001", &r).ok());
  EXPECT_EQ(r.updated_at, r.created_at);
  EXPECT_EQ(format_timestamp(r.created_at), "2026-01-05T09:30:01");
  Entity e;
  ASSERT_TRUE(store->get_entity("", "person_001", &e).ok());
  EXPECT_EQ(e.properties, R"({"name": "Ada", "tags": ["math", "engines"]})");

  ExportOptions eo;
  ExportReport er;
  ASSERT_TRUE(export_store(*store, path("out.jsonl"), eo, &er).ok());
  auto lines = read_lines("out.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(
      lines[0],
      R"({"type":"entity","data":{"id":"company_001","entity_type":"Company","properties":{},"embedding":null,)"
      R"("created_at":"2026-01-05T09:30:00","updated_at":"2026-01-05T09:30:00","source":null,"tenant_id":null}})");
  EXPECT_EQ(
      lines[1],
      R"({"type":"entity","data":{"id":"person_001","entity_type":"Person","properties":{"name": "Ada", "tags": ["math", "engines"]},)"
      R"("embedding":[0.1,0.2,0.3],"created_at":"2026-01-05T09:30:00.250000","updated_at":"2026-01-05T09:30:00.250000",)"
      R"("source":"doc-17","tenant_id":null}})");
  EXPECT_EQ(lines[2],
            R"({"type":"relation","data":{"id":"rel_001","relation_type":"WORKS_FOR","source_id":"person_001",)"
            R"("target_id":"company_001","properties":{"since": 2024},"weight":0.9,"created_at":"2026-01-05T09:30:01",)"
            R"("updated_at":"2026-01-05T09:30:01","source":null,"tenant_id":null}})");
}

TEST_F(ReferenceFiles, ReadsTheReferenceJsonDocument) {
  write_file("ref.json",
             R"({"entities": [{"id": "a", "entity_type": "T"}, {"id": "b", "entity_type": "T", "tenant_id": null}],)"
             R"( "relations": [{"id": "r", "relation_type": "K", "source_id": "a", "target_id": "b", "weight": 1}]})");
  auto store = open("inmemory");
  ImportOptions io;
  ImportReport ir;
  Status s = import_file(*store, path("ref.json"), io, &ir);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(count_entities(*store), 2u);
  EXPECT_EQ(count_relations(*store), 1u);
}

class ExplicitTimestamps : public IoTest {};

// 1970-01-01T00:00:00 is a time like any other, as are times before 1970:
// JSONL -> each store -> each format -> a store -> JSONL gives the same bytes.
TEST_F(ExplicitTimestamps, TheEpochAndEarlierTimesSurviveEveryFormatAndStore) {
  const std::string lines =
      R"({"type":"entity","data":{"id":"a","entity_type":"T","properties":{},"embedding":null,)"
      R"("created_at":"1970-01-01T00:00:00","updated_at":"1970-01-01T00:00:00","source":null,"tenant_id":null}})"
      "\n"
      R"({"type":"entity","data":{"id":"b","entity_type":"T","properties":{},"embedding":null,)"
      R"("created_at":"1900-01-01T00:00:00","updated_at":"1969-12-31T23:59:59.999999","source":null,"tenant_id":null}})"
      "\n"
      R"({"type":"relation","data":{"id":"r","relation_type":"K","source_id":"a","target_id":"b","properties":{},)"
      R"("weight":1.0,"created_at":"0001-01-01T00:00:00","updated_at":"1970-01-01T00:00:00","source":null,)"
      R"("tenant_id":null}})"
      "\n";
  write_file("in.jsonl", lines);
  std::vector<std::string> stores = {"inmemory"};
  if (have_sqlite()) stores.push_back("sqlite");
  for (const std::string& plugin : stores) {
    for (const char* file : {"via.jsonl", "via.json", "via.csv"}) {
      auto first = open(plugin);
      ImportReport ir;
      Status s = import_file(*first, path("in.jsonl"), ImportOptions{}, &ir);
      ASSERT_TRUE(s.ok()) << s.to_string();
      ExportReport er;
      ASSERT_TRUE(export_store(*first, path(file), ExportOptions{}, &er).ok()) << plugin << " " << file;
      auto second = open(plugin);
      s = import_file(*second, path(file), ImportOptions{}, &ir);
      ASSERT_TRUE(s.ok()) << plugin << " " << file << ": " << s.to_string();
      ASSERT_TRUE(export_store(*second, path("out.jsonl"), ExportOptions{}, &er).ok());
      EXPECT_EQ(read_file("out.jsonl"), lines) << plugin << " via " << file;
    }
  }
}

class ExportFilters : public IoTest {};

TEST_F(ExportFilters, OneTenantAndEntityTypes) {
  auto store = open("inmemory");
  fill_sample(*store);
  ExportOptions eo;
  eo.tenant = "acme";
  ExportReport er;
  ASSERT_TRUE(export_store(*store, path("acme.jsonl"), eo, &er).ok());
  EXPECT_EQ(er.tenants.size(), 1u);
  EXPECT_EQ(er.entities, 21u);
  for (const auto& line : read_lines("acme.jsonl")) EXPECT_NE(line.find(R"("tenant_id":"acme")"), std::string::npos);

  // Persons only, and the relations whose two endpoints are persons.
  eo.tenant.reset();
  eo.entity_types = {"Person"};
  ASSERT_TRUE(export_store(*store, path("persons.jsonl"), eo, &er).ok());
  EXPECT_EQ(er.entities, 3 * 7u);  // p0, p3, ..., p18 in each tenant
  auto check = open("inmemory");
  ImportOptions io;
  ImportReport ir;
  Status s = import_file(*check, path("persons.jsonl"), io, &ir);
  ASSERT_TRUE(s.ok()) << s.to_string();  // no dangling relation
  EXPECT_EQ(ir.relations_added, er.relations);
  for (const std::string t : {"", "acme", "beta-2"}) {
    std::vector<Entity> all;
    ASSERT_TRUE(check->get_all_entities(t, {}, &all).ok());
    for (const auto& e : all) EXPECT_EQ(e.entity_type, "Person");
  }
  // Two types: the scan is filtered here, order stays by id.
  eo.entity_types = {"Person", "Thing"};
  ASSERT_TRUE(export_store(*store, path("two.jsonl"), eo, &er).ok());
  EXPECT_EQ(er.entities, 3 * 8u);
  EXPECT_EQ(er.relations, 3 * 1u);  // r-odd: p0 -> the Thing
}

TEST_F(ExportFilters, AnEmptyStoreGivesAnEmptyButValidFile) {
  auto store = open("inmemory");
  ExportOptions eo;
  ExportReport er;
  ASSERT_TRUE(export_store(*store, path("e.json"), eo, &er).ok());
  rapidjson::Document doc;
  doc.Parse(read_file("e.json").c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc["entities"].Size(), 0u);
  EXPECT_EQ(doc["relations"].Size(), 0u);
  ASSERT_TRUE(export_store(*store, path("e.jsonl"), eo, &er).ok());
  EXPECT_EQ(read_file("e.jsonl"), "");
  ASSERT_TRUE(export_store(*store, path("e.csv"), eo, &er).ok());
  EXPECT_EQ(er.files.size(), 2u);
  EXPECT_EQ(read_lines("e.entities.csv").size(), 1u);  // the header
  auto back = open("inmemory");
  ImportOptions io;
  ImportReport ir;
  EXPECT_TRUE(import_file(*back, path("e.csv"), io, &ir).ok());
  EXPECT_TRUE(import_file(*back, path("e.json"), io, &ir).ok());
}

TEST_F(ExportFilters, CsvNullAndEmptyStayApart) {
  auto store = open("inmemory");
  Entity e;
  e.id = "a";
  e.entity_type = "T";
  e.source = "";
  ASSERT_TRUE(store->add_entity("", e).ok());
  e.id = "b";
  e.source.reset();
  ASSERT_TRUE(store->add_entity("", e).ok());
  ExportOptions eo;
  ExportReport er;
  ASSERT_TRUE(export_store(*store, path("n.csv"), eo, &er).ok());
  auto lines = read_lines("n.entities.csv");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "id,entity_type,properties,embedding,created_at,updated_at,source,tenant_id");
  EXPECT_EQ(lines[1].substr(lines[1].size() - 4), ",\"\",");  // source "", tenant null
  EXPECT_EQ(lines[2].substr(lines[2].size() - 2), ",,");      // both null
  auto back = open("inmemory");
  ImportOptions io;
  ImportReport ir;
  ASSERT_TRUE(import_file(*back, path("n.entities.csv"), io, &ir).ok());
  Entity got;
  ASSERT_TRUE(back->get_entity("", "a", &got).ok());
  EXPECT_EQ(got.source, std::optional<std::string>(""));
  ASSERT_TRUE(back->get_entity("", "b", &got).ok());
  EXPECT_FALSE(got.source.has_value());
}

}  // namespace
}  // namespace graphstore::testing
