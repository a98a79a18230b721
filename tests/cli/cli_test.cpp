// Runs the built graphstore binary as a user would: from a temporary
// directory, with a temporary config whose "test" environment uses the
// inmemory backend, and checks exit codes, stderr messages and --json output.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "prometheus_text.hpp"

namespace {

using namespace graphstore::test;
namespace fs = std::filesystem;

TEST_F(CliTest, PluginsJsonListsInmemoryWithAbiMajor1) {
  Result r = run({"--json", "plugins"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsArray());
  const rapidjson::Value* inmemory = nullptr;
  for (const auto& p : doc.GetArray())
    if (p.HasMember("id") && str(p["id"]) == "inmemory") inmemory = &p;
  ASSERT_NE(inmemory, nullptr) << r.out;
  EXPECT_EQ((*inmemory)["abi_major"].GetUint(), 1u);
  EXPECT_TRUE((*inmemory)["abi_minor"].IsUint());
  EXPECT_FALSE(str((*inmemory)["version"]).empty());
  ASSERT_TRUE((*inmemory)["capabilities"].IsArray());
  EXPECT_GT((*inmemory)["capabilities"].Size(), 0u);
}

// Only a plugin whose every call returns without waiting on I/O says
// "nonblocking" (an asyncio host runs such calls on its event loop): inmemory
// does, sqlite (file I/O) and degradation (it may wrap a blocking store) do not.
TEST_F(CliTest, PluginsJsonShowsNonblockingForInmemoryOnly) {
  Result r = run({"--json", "plugins"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsArray());
  std::map<std::string, bool> nonblocking;
  for (const auto& p : doc.GetArray()) {
    bool has = false;
    for (const auto& c : p["capabilities"].GetArray()) has = has || str(c) == "nonblocking";
    nonblocking[str(p["id"])] = has;
  }
  ASSERT_TRUE(nonblocking.count("inmemory")) << r.out;
  EXPECT_TRUE(nonblocking["inmemory"]);
#ifdef GRAPHSTORE_HAVE_SQLITE
  ASSERT_TRUE(nonblocking.count("sqlite")) << r.out;
  EXPECT_FALSE(nonblocking["sqlite"]);
#endif
  if (nonblocking.count("degradation")) {
    EXPECT_FALSE(nonblocking["degradation"]);
  }
}

TEST_F(CliTest, HealthProbesTheBackendAndSaysSoInItsExitCode) {
  Result r = run({"health"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("healthy: inmemory answered a point lookup in ", 0), 0u) << r.out;
  r = run({"--json", "health"});
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_TRUE(doc["healthy"].IsTrue());
  EXPECT_EQ(str(doc["backend"]), "inmemory");
  EXPECT_GE(doc["latency_ms"].GetDouble(), 0.0);

  // A backend that cannot open: unhealthy, exit 1, and the reason.
  std::ofstream(config_) << "environments:\n  test:\n    backend: sqlite\n    options: {path: /proc/no/such/x.db}\n";
  r = run({"health"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("unhealthy: sqlite: ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("graphstore.yaml:4: option 'path'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/proc/no/such"), std::string::npos) << r.out;
  r = run({"--json", "health"});
  EXPECT_EQ(r.exit_code, 1);
  parse(r, &doc);
  EXPECT_TRUE(doc["healthy"].IsFalse());
  EXPECT_NE(str(doc["error"]).find("/proc/no/such"), std::string::npos);
}

TEST_F(CliTest, MetricsPrintValidPrometheusText) {
  Result r = run({"metrics"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  graphstore::test::Exposition e;
  ASSERT_EQ(graphstore::test::parse_prometheus(r.out, &e), "") << r.out;
  EXPECT_EQ(e.value("graphstore_backend_call_seconds_count", {{"backend", "inmemory"}, {"op", "get_entity"}}), 1);
  EXPECT_GE(e.value("graphstore_backend_memory_used_bytes", {}), 0);
}

TEST_F(CliTest, PluginsNeedsNoConfig) {
  Result r = run({"plugins"}, /*with_config=*/false);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("inmemory"), std::string::npos) << r.out;
}

TEST_F(CliTest, StatsJsonHasCounts) {
  Result r = run({"stats", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["entity_count"].GetUint64(), 0u);
  EXPECT_EQ(doc["relation_count"].GetUint64(), 0u);
  EXPECT_TRUE(doc["entities_by_type"].IsObject());
  EXPECT_TRUE(doc["relations_by_type"].IsObject());
  EXPECT_EQ(str(doc["backend"]), "inmemory");
}

#ifdef GRAPHSTORE_HAVE_DEGRADATION
// A degradation store whose primary cannot be opened (its path is a
// directory) starts degraded, and stats says so with the primary's error.
TEST_F(CliTest, StatsShowsTheStateOfADegradedStore) {
  std::ofstream(config_) << "environments:\n  outage:\n    backend: degradation\n    options:\n"
                         << "      primary: {backend: sqlite, options: {path: \"" << dir_.string() << "\"}}\n"
                         << "      journal_path: \"" << (dir_ / "journal").string() << "\"\n";
  Result text = run({"--config", config_.string(), "--env", "outage", "stats"}, /*with_config=*/false);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("mode                     degraded"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("journal_pending_records  0"), std::string::npos) << text.out;
  Result json = run({"--config", config_.string(), "--env", "outage", "--json", "stats"}, /*with_config=*/false);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  rapidjson::Document doc;
  parse(json, &doc);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("state")) << json.out;
  EXPECT_EQ(str(doc["state"]["mode"]), "degraded");
  EXPECT_EQ(str(doc["state"]["primary"]), "not open (unreachable at start)");
  EXPECT_NE(str(doc["state"]["last_error"]).find("cannot open"), std::string::npos) << json.out;
  Result health = run({"--config", config_.string(), "--env", "outage", "health"}, /*with_config=*/false);
  EXPECT_EQ(health.exit_code, 0) << "a degraded store still answers";
  EXPECT_NE(health.out.find("(mode: degraded)"), std::string::npos) << health.out;
}
#endif

TEST_F(CliTest, MissingRecordsExitThree) {
  for (auto args : std::vector<std::vector<std::string>>{{"get", "missing"},
                                                         {"get-relation", "missing"},
                                                         {"delete", "missing"},
                                                         {"neighbors", "missing"},
                                                         {"traverse", "missing"},
                                                         {"paths", "missing", "other"}}) {
    Result r = run(args);
    EXPECT_EQ(r.exit_code, 3) << args[0] << ": " << r.err;
    EXPECT_EQ(r.err.rfind("graphstore: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  for (auto args : std::vector<std::vector<std::string>>{{"get", "x", "--no-such-flag"},
                                                         {},
                                                         {"no-such-command"},
                                                         {"get"},
                                                         {"search-text", "q", "--method", "soundex"},
                                                         {"neighbors", "x", "--direction", "sideways"},
                                                         {"traverse", "x", "--max-depth", "deep"},
                                                         {"--tenant", "bad tenant!", "stats"},
                                                         {"search-vector", "1,zwei,3"}}) {
    Result r = run(args);
    EXPECT_EQ(r.exit_code, 2) << (args.empty() ? "(none)" : args[0]) << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

TEST_F(CliTest, HelpExitsZero) {
  Result r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("demo"), std::string::npos);
}

TEST_F(CliTest, PutEntityWithMalformedJsonReportsTheProblem) {
  Result r = run({"put-entity", R"({"id": "a", "entity_type": )"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("graphstore: put-entity: invalid JSON at offset", 0), 0u) << r.err;
}

TEST_F(CliTest, PutEntityWithInvalidFieldsNamesTheKey) {
  Result r = run({"put-entity", R"({"id": "a", "entity_type": "T", "embedding": "fast"})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'embedding'"), std::string::npos) << r.err;

  r = run({"put-entity", R"({"id": "a", "entity_type": "T", "properties": "not an object"})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'properties'"), std::string::npos) << r.err;

  // The core rejects an empty type.
  r = run({"put-entity", R"({"id": "a"})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("graphstore: ", 0), 0u) << r.err;
}

TEST_F(CliTest, PutEntityJsonPrintsTheStoredRecordInReferenceShape) {
  Result r = run({"--json", "put-entity",
                  R"({"id": "p1", "entity_type": "Person", "properties": {"name": "Ada", "n": [1, 2.5]},)"
                  R"( "created_at": "2025-12-09T10:11:12.123456", "updated_at": "2025-12-09T10:11:12"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  std::vector<std::string> keys;
  for (const auto& m : doc.GetObject()) keys.emplace_back(m.name.GetString());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "entity_type", "properties", "embedding", "created_at", "updated_at",
                                            "source", "tenant_id"}));
  EXPECT_EQ(str(doc["id"]), "p1");
  EXPECT_EQ(str(doc["properties"]["name"]), "Ada");
  EXPECT_EQ(doc["properties"]["n"][1].GetDouble(), 2.5);
  EXPECT_TRUE(doc["embedding"].IsNull());
  EXPECT_EQ(str(doc["created_at"]), "2025-12-09T10:11:12.123456");
  EXPECT_EQ(str(doc["updated_at"]), "2025-12-09T10:11:12");
  EXPECT_TRUE(doc["source"].IsNull());
  EXPECT_TRUE(doc["tenant_id"].IsNull());
}

TEST_F(CliTest, PutEntityTenantMustMatchTheFlag) {
  Result r = run({"--tenant", "acme", "put-entity", R"({"id": "a", "entity_type": "T", "tenant_id": "other"})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("differs from --tenant"), std::string::npos) << r.err;

  r = run({"--tenant", "acme", "--json", "put-entity", R"({"id": "a", "entity_type": "T", "tenant_id": "acme"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(str(doc["tenant_id"]), "acme");
}

TEST_F(CliTest, PutRelationWithMissingEndpointIsNotFound) {
  Result r = run({"put-relation", R"({"id": "r1", "relation_type": "KNOWS", "source_id": "a", "target_id": "b"})"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("'a'"), std::string::npos) << r.err;
}

TEST_F(CliTest, UnknownEnvironmentIsAnError) {
  Result r = run({"--env", "nowhere", "stats"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
}

TEST_F(CliTest, DemoPrintsSearchResults) {
  Result r = run({"demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* part :
       {"Loaded 305 entities", "Neighbours of person_001", "Traversal from person_001", "Paths person_001 -> topic_001",
        "Text search (bm25)", "paper_001", "Vector search: nearest to the embedding of topic_001", "µs]", "Stats"})
    EXPECT_NE(r.out.find(part), std::string::npos) << "missing \"" << part << "\" in:\n" << r.out;
}

// Counts the records of the bundled file, independently of the CLI's reader.
void count_records(size_t* entities, size_t* relations) {
  std::ifstream in(GRAPHSTORE_EXAMPLE_DATA);
  *entities = *relations = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find("{\"type\": \"entity\"") == 0) ++*entities;
    if (line.find("{\"type\": \"relation\"") == 0) ++*relations;
  }
}

TEST_F(CliTest, DemoJsonLoadsEverythingAndAnswers) {
  Result r = run({"--tenant", "demo_1", "--json", "demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  size_t entities = 0, relations = 0;
  count_records(&entities, &relations);
  ASSERT_GT(entities, 200u);
  EXPECT_EQ(str(doc["tenant_id"]), "demo_1");
  EXPECT_EQ(doc["load"]["entities"]["added"].GetUint64(), entities);
  EXPECT_EQ(doc["load"]["relations"]["added"].GetUint64(), relations);
  EXPECT_EQ(doc["load"]["entities"]["already_present"].GetUint64(), 0u);
  EXPECT_EQ(doc["stats"]["entity_count"].GetUint64(), entities);
  EXPECT_EQ(doc["stats"]["relation_count"].GetUint64(), relations);
  EXPECT_GT(doc["neighbors"]["results"].Size(), 0u);
  EXPECT_GT(doc["traversal"]["result"]["hits"].Size(), 0u);
  ASSERT_GT(doc["paths"]["result"]["paths"].Size(), 0u);
  // The shortest path: person_001 -AUTHORED-> paper_001 -ABOUT-> topic_001.
  const auto& first = doc["paths"]["result"]["paths"][0];
  ASSERT_EQ(first["entities"].Size(), 3u);
  EXPECT_EQ(str(first["entities"][1]["id"]), "paper_001");
  // "knowledge graph embeddings" is the topic's description and the paper's title.
  const auto& text = doc["text_search"]["results"];
  ASSERT_GE(text.Size(), 2u);
  std::vector<std::string> top2 = {str(text[0]["entity"]["id"]), str(text[1]["entity"]["id"])};
  std::sort(top2.begin(), top2.end());
  EXPECT_EQ(top2, (std::vector<std::string>{"paper_001", "topic_001"}));
  ASSERT_GT(doc["vector_search"]["results"].Size(), 1u);
  EXPECT_EQ(str(doc["vector_search"]["results"][0]["entity"]["id"]), "topic_001");
  EXPECT_NEAR(doc["vector_search"]["results"][0]["score"].GetDouble(), 1.0, 1e-6);
  // Similar topics are close: the runner-up is also about AI.
  const auto& second = doc["vector_search"]["results"][1]["entity"];
  EXPECT_GT(doc["vector_search"]["results"][1]["score"].GetDouble(), 0.8) << str(second["id"]);
  EXPECT_GE(doc["text_search"]["time_us"].GetDouble(), 0.0);
}

TEST_F(CliTest, DemoWithMissingDataFileFails) {
  Result r = run({"demo", "--data", "no_such_file.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no_such_file.jsonl"), std::string::npos) << r.err;
}

TEST_F(CliTest, DemoReportsTheBadLineOfItsInput) {
  std::ofstream(dir_ / "bad.jsonl") << R"({"type": "entity", "data": {"id": "a", "entity_type": "T"}})"
                                    << "\n\n{oops\n";
  Result r = run({"demo", "--data", "bad.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.jsonl:3:"), std::string::npos) << r.err;
}

TEST_F(CliTest, BenchQuickJsonHasEveryOperation) {
  Result r = run({"--json", "bench", "--quick"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsArray());
  std::vector<std::string> ops;
  for (const auto& m : doc.GetArray()) {
    EXPECT_EQ(str(m["backend"]), "inmemory");
    EXPECT_GT(m["median_ns"].GetDouble(), 0.0) << str(m["op"]);
    EXPECT_GE(m["iterations"].GetUint64(), 1u);
    ops.push_back(str(m["op"]));
  }
  EXPECT_EQ(ops, (std::vector<std::string>{"add_entity_1k", "get_entity", "find_paths_depth5", "batch_insert_10k",
                                           "neighbors", "traverse_depth3", "vector_search_10k"}));
}

TEST_F(CliTest, BenchUnknownBackendFails) {
  Result r = run({"bench", "--quick", "--backend", "nosuchbackend"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nosuchbackend"), std::string::npos) << r.err;
}


// ---- export, import, migrate ----------------------------------------------

// Two inmemory environments and, with the sqlite plugin, two sqlite ones.
void write_stream_config(const fs::path& dir) {
  std::ofstream(dir / "graphstore.yaml") << "environments:\n"
                                            "  test:\n    backend: inmemory\n    options: {}\n"
                                            "  other:\n    backend: inmemory\n    options: {}\n"
                                            "  sq:\n    backend: sqlite\n    options: {path: "
                                         << (dir / "a.db").string()
                                         << "}\n"
                                            "  sq2:\n    backend: sqlite\n    options: {path: "
                                         << (dir / "b.db").string() << "}\n";
}

const char* kGraph =
    R"({"type": "entity", "data": {"id": "a", "entity_type": "Person", "properties": {"name": "Ada"}}})"
    "\n"
    R"({"type": "relation", "data": {"id": "r1", "relation_type": "KNOWS", "source_id": "a", "target_id": "b"}})"
    "\n"
    R"({"id": "b", "entity_type": "Person", "tenant_id": null})"
    "\n";

TEST_F(CliTest, ImportJsonReportsWhatItDid) {
  std::ofstream(dir_ / "g.jsonl") << kGraph;
  Result r = run({"--json", "import", "g.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_TRUE(doc["ok"].GetBool());
  EXPECT_EQ(doc["records"].GetUint64(), 3u);
  EXPECT_EQ(doc["entities_added"].GetUint64(), 2u);
  EXPECT_EQ(doc["relations_added"].GetUint64(), 1u);
  // r1 came before b but waited in its batch, written after the entities.
  EXPECT_EQ(doc["deferred_relations"].GetUint64(), 0u);
  EXPECT_EQ(str(doc["format"]), "jsonl");
  EXPECT_FALSE(doc["gzip"].GetBool());
  r = run({"import", "g.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 2 entities and 1 relations"), std::string::npos) << r.out;
}

TEST_F(CliTest, ImportAbortNamesTheFileAndLine) {
  std::ofstream(dir_ / "bad.jsonl") << kGraph << R"({"id": "c", "entity_type": 5})" << "\n";
  Result r = run({"--json", "import", "bad.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("graphstore: import: bad.jsonl:4: entity key 'entity_type' must be a string"),
            std::string::npos)
      << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_FALSE(doc["ok"].GetBool());
  EXPECT_EQ(doc["error_line"].GetUint64(), 4u);
  EXPECT_EQ(str(doc["error_file"]), "bad.jsonl");
}

TEST_F(CliTest, ImportSkipWritesTheRejectsFile) {
  std::ofstream(dir_ / "bad.jsonl") << kGraph << "{oops\n";
  Result r = run({"import", "bad.jsonl", "--on-error", "skip", "--rejects", "rej.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rejected 1 records: see rej.jsonl"), std::string::npos) << r.out;
  std::string rejects = slurp(dir_ / "rej.jsonl");
  EXPECT_NE(rejects.find(R"("line":4)"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(R"("text":"{oops")"), std::string::npos) << rejects;
}

TEST_F(CliTest, ImportUsageErrorsExitTwo) {
  EXPECT_EQ(run({"import"}).exit_code, 2);
  EXPECT_EQ(run({"import", "x.jsonl", "--on-error", "maybe"}).exit_code, 2);
  EXPECT_EQ(run({"import", "x.jsonl", "--on-conflict", "merge"}).exit_code, 2);
  EXPECT_EQ(run({"export", "x.jsonl", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(run({"migrate"}).exit_code, 2);
  Result r = run({"import", "missing.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.jsonl: cannot open"), std::string::npos) << r.err;
}

TEST_F(CliTest, ExportOfAnEmptyStoreIsAValidDocument) {
  Result r = run({"--json", "export", "out.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_TRUE(doc["ok"].GetBool());
  EXPECT_EQ(str(doc["format"]), "json");
  EXPECT_EQ(doc["entities"].GetUint64(), 0u);
  rapidjson::Document file;
  file.Parse(slurp(dir_ / "out.json").c_str());
  ASSERT_FALSE(file.HasParseError());
  EXPECT_TRUE(file["entities"].IsArray());
  r = run({"export", "out.csv.gz"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "out.entities.csv.gz"));
  EXPECT_TRUE(fs::exists(dir_ / "out.relations.csv.gz"));
}

TEST_F(CliTest, MigrateDryRunAndUsage) {
  write_stream_config(dir_);
  Result r = run({"--json", "migrate", "--to-env", "other", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_TRUE(doc["dry_run"].GetBool());
  EXPECT_EQ(str(doc["source"]["environment"]), "test");
  EXPECT_EQ(str(doc["target"]["environment"]), "other");
  EXPECT_EQ(doc["entities"].GetUint64(), 0u);
  r = run({"migrate", "--to-env", "test"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("names the source environment"), std::string::npos) << r.err;
  r = run({"migrate", "--to-env", "nowhere"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
}

#ifdef GRAPHSTORE_HAVE_SQLITE
// Through a persistent store: import into sqlite, export it again in every
// format, migrate it to a second sqlite database with verify and a
// checkpoint.
TEST_F(CliTest, ImportExportMigrateThroughSqlite) {
  write_stream_config(dir_);
  std::ofstream(dir_ / "g.jsonl") << kGraph;
  Result r = run({"--env", "sq", "import", "g.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run({"--env", "sq", "--json", "export", "copy.jsonl.gz"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(doc["entities"].GetUint64(), 2u);
  EXPECT_EQ(doc["relations"].GetUint64(), 1u);
  EXPECT_TRUE(doc["gzip"].GetBool());
  r = run({"--env", "sq", "--json", "migrate", "--to-env", "sq2", "--verify", "--checkpoint", "cp.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  parse(r, &doc);
  EXPECT_TRUE(doc["ok"].GetBool());
  EXPECT_EQ(doc["entities"].GetUint64(), 2u);
  EXPECT_TRUE(doc["verify"]["equal"].GetBool());
  EXPECT_EQ(str(doc["verify"]["source"][""]["entities"]["checksum"]),
            str(doc["verify"]["target"][""]["entities"]["checksum"]));
  r = run({"--env", "sq", "migrate", "--to-env", "sq2", "--checkpoint", "cp.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("already complete"), std::string::npos) << r.out;
  // Without the checkpoint the target's records are conflicts.
  r = run({"--env", "sq", "migrate", "--to-env", "sq2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the target already holds"), std::string::npos) << r.err;
  r = run({"--env", "sq2", "--json", "export", "--entity-type", "Person", "persons.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(dir_ / "persons.relations.csv").find("r1,KNOWS,a,b"), std::string::npos);
}
#endif

}  // namespace
