// aiecs_reference over the reference's SQLite files: the three layouts
// (shared with global and two tenants, separate tables, legacy), migrated by
// the CLI's one command into sqlite and in-process into inmemory with
// verification, then every record checked; and the plugin's own reads and
// errors.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "graphstore/migrate.hpp"
#include "graphstore/registry.hpp"
#include "reference_fixture.hpp"

extern char** environ;

namespace graphstore::aiecs_test {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SqliteReference : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/aiecs_reference_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs the graphstore CLI in the temp dir, without config variables.
  CliRun cli(std::vector<std::string> args) {
    args.insert(args.begin(), GRAPHSTORE_CLI_PATH);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; *e != nullptr; ++e)
      if (std::strncmp(*e, "GRAPHSTORE_", 11) != 0) envp.push_back(*e);
    std::string plugin_path = std::string("GRAPHSTORE_PLUGIN_PATH=") + GRAPHSTORE_PLUGIN_DIR;
    envp.push_back(plugin_path.data());
    envp.push_back(nullptr);
    fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, dir_.c_str());
    pid_t pid = 0;
    CliRun r;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return r;
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  std::unique_ptr<Store> open(const std::string& backend, const std::string& options, Status* status = nullptr) {
    std::unique_ptr<Store> store;
    Status s = registry_.open(backend, options, &store);
    if (status != nullptr)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << backend << " " << options << ": " << s.message();
    return store;
  }

  static std::string sqlite_options(const fs::path& p) { return "{\"sqlite_path\": \"" + p.string() + "\"}"; }

  // Inserts a dataset with the reference's statements: tenant_id NULL for
  // the global namespace in shared tables; none in a tenant's own tables.
  static void insert(SQLite::Database& db, const std::string& entities, const std::string& relations, const Dataset& d,
                     const char* tenant_column_value /* nullptr: no column; "" : NULL */) {
    bool with_tenant = tenant_column_value != nullptr;
    std::string tcol = with_tenant ? "tenant_id, " : "", tval = with_tenant ? "?, " : "";
    for (const auto& e : d.entities) {
      SQLite::Statement q(db, "INSERT INTO " + entities + " (id, " + tcol +
                                  "entity_type, properties, embedding, created_at, updated_at) VALUES (?, " + tval +
                                  "?, ?, ?, ?, ?)");
      int i = 1;
      q.bind(i++, e.id);
      if (with_tenant) {
        if (*tenant_column_value == '\0')
          q.bind(i++);
        else
          q.bind(i++, tenant_column_value);
      }
      q.bind(i++, e.entity_type);
      q.bind(i++, e.properties);
      std::string blob = pack(e.embedding);
      if (e.embedding.empty())
        q.bind(i++);
      else
        q.bind(i++, blob.data(), static_cast<int>(blob.size()));
      q.bind(i++, time_text(int((e.created_at / 1000000 - 1765275072) / 60)));
      q.bind(i++, time_text(int((e.updated_at / 1000000 - 1765275072) / 60)));
      q.exec();
    }
    for (const auto& r : d.relations) {
      SQLite::Statement q(db, "INSERT INTO " + relations + " (id, " + tcol +
                                  "relation_type, source_id, target_id, properties, weight, created_at, updated_at) "
                                  "VALUES (?, " +
                                  tval + "?, ?, ?, ?, ?, ?, ?)");
      int i = 1;
      q.bind(i++, r.id);
      if (with_tenant) {
        if (*tenant_column_value == '\0')
          q.bind(i++);
        else
          q.bind(i++, tenant_column_value);
      }
      q.bind(i++, r.relation_type);
      q.bind(i++, r.source_id);
      q.bind(i++, r.target_id);
      q.bind(i++, r.properties);
      q.bind(i++, r.weight);
      q.bind(i++, time_text(int((r.created_at / 1000000 - 1765275072) / 60)));
      q.bind(i++, time_text(int((r.updated_at / 1000000 - 1765275072) / 60)));
      q.exec();
    }
  }

  // Shared mode: global, "acme" and "beta-1" in the base tables.
  fs::path make_shared_file() {
    fs::path p = dir_ / "shared.db";
    SQLite::Database db(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(kSqliteSharedDdl);
    insert(db, "entities", "relations", make_dataset("global"), "");
    insert(db, "entities", "relations", make_dataset("acme"), "acme");
    insert(db, "entities", "relations", make_dataset("beta"), "beta-1");
    return p;
  }

  // Separate mode: the base tables for the global namespace, and the tables
  // of tenant "acme-corp" (named tenant_acme_corp_*) and "zeta".
  fs::path make_separate_file() {
    fs::path p = dir_ / "separate.db";
    SQLite::Database db(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(kSqliteSharedDdl);
    db.exec(sqlite_tenant_ddl("tenant_acme_corp"));
    db.exec(sqlite_tenant_ddl("tenant_zeta"));
    insert(db, "entities", "relations", make_dataset("global"), "");
    insert(db, "tenant_acme_corp_entities", "tenant_acme_corp_relations", make_dataset("acme"), nullptr);
    insert(db, "tenant_zeta_entities", "tenant_zeta_relations", make_dataset("zeta"), nullptr);
    return p;
  }

  fs::path make_legacy_file() {
    fs::path p = dir_ / "legacy.db";
    SQLite::Database db(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(kSqliteLegacyDdl);
    insert(db, "entities", "relations", make_dataset("legacy"), nullptr);
    return p;
  }

  // Migrates in process into a fresh inmemory store with verification.
  std::unique_ptr<Store> migrate_to_inmemory(const std::string& source_options) {
    auto source = open("aiecs_reference", source_options);
    auto target = open("inmemory", "{}");
    if (!source || !target) return nullptr;
    MigrateOptions options;
    options.verify = true;
    options.batch_size = 3;  // several batches per tenant and kind
    MigrateReport report;
    Status s = migrate(*source, *target, options, &report);
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_TRUE(report.verified);
    EXPECT_TRUE(report.mismatches.empty());
    return target;
  }

  fs::path dir_;
  Registry registry_{{GRAPHSTORE_PLUGIN_DIR}};
};

TEST_F(SqliteReference, SharedFileMigratesWithOneCommandIntoSqlite) {
  fs::path src = make_shared_file();
  fs::path dst = dir_ / "graph.db";
  CliRun r = cli({"migrate", "--from-backend", "aiecs_reference", "--from-options", sqlite_options(src), "--to-backend",
                  "sqlite", "--to-options", "{\"path\": \"" + dst.string() + "\"}", "--verify", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("migrated 12 entities and 15 relations"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verified"), std::string::npos) << r.out;
  // What the reference never stored is said.
  EXPECT_NE(r.err.find("note: the reference never stored the records' own created_at, updated_at and source"),
            std::string::npos)
      << r.err;
  auto target = open("sqlite", "{\"path\": \"" + dst.string() + "\"}");
  ASSERT_TRUE(target);
  std::vector<std::string> tenants;
  ASSERT_TRUE(target->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants, (std::vector<std::string>{"acme", "beta-1"}));
  expect_tenant_holds(*target, "", make_dataset("global"));
  expect_tenant_holds(*target, "acme", make_dataset("acme"));
  expect_tenant_holds(*target, "beta-1", make_dataset("beta"));
}

// The command as a reference user types it: the target from the config file.
TEST_F(SqliteReference, TheTargetMayBeAConfiguredEnvironment) {
  fs::path src = make_shared_file();
  std::ofstream(dir_ / "graphstore.yaml") << "environments:\n  production:\n    backend: sqlite\n"
                                             "    options: {path: ./production.db}\n";
  CliRun r = cli({"--config", (dir_ / "graphstore.yaml").string(), "migrate", "--from-backend", "aiecs_reference",
                  "--from-options", "{\"sqlite_path\": \"shared.db\"}", "--to-env", "production", "--verify",
                  "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto target = open("sqlite", "{\"path\": \"" + (dir_ / "production.db").string() + "\"}");
  ASSERT_TRUE(target);
  expect_tenant_holds(*target, "beta-1", make_dataset("beta"));
}

TEST_F(SqliteReference, SharedFileMigratesIntoInmemoryWithJsonReport) {
  fs::path src = make_shared_file();
  CliRun r = cli({"migrate", "--from-backend", "aiecs_reference", "--from-options", sqlite_options(src), "--to-backend",
                  "inmemory", "--verify", "--json", "--batch-size", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"ok\":true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"verified\":true"), std::string::npos) << r.out;
  auto target = migrate_to_inmemory(sqlite_options(src));
  ASSERT_TRUE(target);
  expect_tenant_holds(*target, "", make_dataset("global"));
  expect_tenant_holds(*target, "acme", make_dataset("acme"));
  expect_tenant_holds(*target, "beta-1", make_dataset("beta"));
}

TEST_F(SqliteReference, SeparateTablesNameTheirTenants) {
  fs::path src = make_separate_file();
  auto target = migrate_to_inmemory(sqlite_options(src));
  ASSERT_TRUE(target);
  std::vector<std::string> tenants;
  ASSERT_TRUE(target->list_tenants(&tenants).ok());
  // The reference wrote 'acme-corp' as acme_corp in the table's name.
  EXPECT_EQ(tenants, (std::vector<std::string>{"acme_corp", "zeta"}));
  expect_tenant_holds(*target, "", make_dataset("global"));
  expect_tenant_holds(*target, "acme_corp", make_dataset("acme"));
  expect_tenant_holds(*target, "zeta", make_dataset("zeta"));
  // Naming the tenants restores the original ids.
  auto named = migrate_to_inmemory("{\"sqlite_path\": \"" + src.string() +
                                   "\", \"tenants\": [\"acme-corp\", \"zeta\", \"ghost\"]}");
  ASSERT_TRUE(named);
  ASSERT_TRUE(named->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants, (std::vector<std::string>{"acme-corp", "zeta"}));
  expect_tenant_holds(*named, "acme-corp", make_dataset("acme"));
  // The note says so.
  auto source = open("aiecs_reference", sqlite_options(src));
  std::vector<std::pair<std::string, std::string>> state;
  ASSERT_TRUE(source->state(&state).ok());
  bool noted = false;
  for (const auto& [k, v] : state)
    noted = noted || (k == "note.tenant_names" && v.find("'-' as '_'") != std::string::npos);
  EXPECT_TRUE(noted);
}

TEST_F(SqliteReference, LegacyFileMigratesItsGlobalNamespace) {
  fs::path src = make_legacy_file();
  fs::path dst = dir_ / "legacy_target.db";
  CliRun r = cli({"migrate", "--from-backend", "aiecs_reference", "--from-options", sqlite_options(src), "--to-backend",
                  "sqlite", "--to-options", "{\"path\": \"" + dst.string() + "\"}", "--verify", "--no-progress"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto target = open("sqlite", "{\"path\": \"" + dst.string() + "\"}");
  ASSERT_TRUE(target);
  std::vector<std::string> tenants;
  ASSERT_TRUE(target->list_tenants(&tenants).ok());
  EXPECT_TRUE(tenants.empty());
  expect_tenant_holds(*target, "", make_dataset("legacy"));
}

TEST_F(SqliteReference, ReadsNeighboursInThreeDirections) {
  auto store = open("aiecs_reference", sqlite_options(make_shared_file()));
  ASSERT_TRUE(store);
  auto ids = [&](Direction d, const std::string& type = "") {
    std::vector<Neighbor> out;
    Status s = store->get_neighbors("acme", "p1", d, type, &out);
    EXPECT_TRUE(s.ok()) << s.message();
    std::vector<std::string> r;
    for (const auto& n : out) r.push_back(n.relation.id + ">" + n.entity.id);
    std::sort(r.begin(), r.end());
    return r;
  };
  EXPECT_EQ(ids(Direction::kOut), (std::vector<std::string>{"r1>p2", "r2>c1"}));
  EXPECT_EQ(ids(Direction::kIn), (std::vector<std::string>{"r3>p2"}));
  EXPECT_EQ(ids(Direction::kBoth), (std::vector<std::string>{"r1>p2", "r2>c1", "r3>p2"}));
  EXPECT_EQ(ids(Direction::kOut, "KNOWS"), (std::vector<std::string>{"r1>p2"}));
  std::vector<Neighbor> loop;
  ASSERT_TRUE(store->get_neighbors("acme", "p3", Direction::kBoth, "", &loop).ok());
  EXPECT_EQ(loop.size(), 1u);  // the self-loop once
  std::vector<Neighbor> none;
  EXPECT_TRUE(store->get_neighbors("acme", "nobody", Direction::kOut, "", &none).is_not_found());
  Entity e;
  EXPECT_TRUE(store->get_entity("nosuchtenant", "p1", &e).is_not_found());
  // Paths come from the core's default over these reads.
  PathResult paths;
  ASSERT_TRUE(store->find_paths("", "p1", "c1", PathOptions{}, &paths).ok());
  EXPECT_EQ(paths.paths.size(), 2u);  // p1->c1, p1->p2->c1
}

TEST_F(SqliteReference, WritesAreRefused) {
  auto store = open("aiecs_reference", sqlite_options(make_shared_file()));
  ASSERT_TRUE(store);
  Entity e;
  e.id = "new";
  e.entity_type = "T";
  Status s = store->add_entity("", e);
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_EQ(s.message(), "aiecs_reference is read-only");
  EXPECT_EQ(store->delete_entity("", "p1").code(), Code::kUnsupported);
  EXPECT_EQ(store->delete_relation("", "r1").code(), Code::kUnsupported);
  // Nothing changed.
  Stats stats;
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(stats.entity_count, 4u);
}

TEST_F(SqliteReference, OptionsAreChecked) {
  Status s;
  open("aiecs_reference", "{\"sqlite_pth\": \"x.db\"}", &s);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("option 'sqlite_pth': unknown option (did you mean 'sqlite_path'?)"), std::string::npos)
      << s.message();
  open("aiecs_reference", "{}", &s);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  open("aiecs_reference", "{\"sqlite_path\": \"x.db\", \"host\": \"db\"}", &s);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  open("aiecs_reference", sqlite_options(dir_ / "missing.db"), &s);
  EXPECT_EQ(s.code(), Code::kNotFound) << s.message();
  // An empty file (as tempfile makes) holds none of the reference's tables.
  std::ofstream(dir_ / "empty.db").close();
  open("aiecs_reference", sqlite_options(dir_ / "empty.db"), &s);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("holds none of the reference's tables"), std::string::npos) << s.message();
  // A graphstore file is not the reference's.
  fs::path ours = dir_ / "ours.db";
  open("sqlite", "{\"path\": \"" + ours.string() + "\"}").reset();
  open("aiecs_reference", sqlite_options(ours), &s);
  EXPECT_NE(s.message().find("a graphstore database"), std::string::npos) << s.message();
}

TEST_F(SqliteReference, DamagedAndUnrepresentableRows) {
  fs::path p = make_shared_file();
  {
    SQLite::Database db(p.string(), SQLite::OPEN_READWRITE);
    // An embedding of 5 bytes, NaN tokens from json.dumps, a dangling
    // relation, and a global id stored twice (NULL tenants are distinct).
    db.exec(
        "INSERT INTO entities (id, tenant_id, entity_type, properties, embedding) "
        "VALUES ('bad', 'acme', 'T', '{}', x'0000803f00')");
    db.exec(
        "INSERT INTO entities (id, tenant_id, entity_type, properties) "
        "VALUES ('nan', NULL, 'T', '{\"x\": NaN, \"y\": [Infinity, -Infinity], \"s\": \"NaN\"}')");
    db.exec(
        "INSERT INTO relations (id, tenant_id, relation_type, source_id, target_id, properties) "
        "VALUES ('dangling', NULL, 'KNOWS', 'p1', 'ghost', '{}')");
    db.exec("INSERT INTO entities (id, tenant_id, entity_type, properties) VALUES ('p1', NULL, 'Dup', '{}')");
    // An empty id (the reference accepted it) and a relation to it.
    db.exec("INSERT INTO entities (id, tenant_id, entity_type, properties) VALUES ('', NULL, 'T', '{}')");
    db.exec(
        "INSERT INTO relations (id, tenant_id, relation_type, source_id, target_id, properties) "
        "VALUES ('to_empty', NULL, 'KNOWS', 'p1', '', '{}')");
  }
  auto store = open("aiecs_reference", sqlite_options(p));
  ASSERT_TRUE(store);
  Entity e;
  Status s = store->get_entity("acme", "bad", &e);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("entity 'bad' of tenant 'acme': embedding of 5 bytes"), std::string::npos) << s.message();
  ASSERT_TRUE(store->get_entity("", "nan", &e).ok());
  EXPECT_EQ(e.properties, "{\"x\": null, \"y\": [null, null], \"s\": \"NaN\"}");
  ASSERT_TRUE(store->get_entity("", "p1", &e).ok());
  EXPECT_EQ(e.entity_type, "Person");  // the first row stored
  Relation r;
  EXPECT_TRUE(store->get_relation("", "dangling", &r).is_not_found());
  Stats stats;
  ASSERT_TRUE(store->get_stats("", &stats).ok());
  EXPECT_EQ(stats.entity_count, 5u);
  EXPECT_EQ(stats.relation_count, 5u);
  std::vector<std::pair<std::string, std::string>> state;
  ASSERT_TRUE(store->state(&state).ok());
  std::map<std::string, std::string> lines(state.begin(), state.end());
  EXPECT_TRUE(lines.count("note.dangling_relations"));
  EXPECT_TRUE(lines.count("note.repeated_ids"));
  EXPECT_TRUE(lines.count("note.properties_nan"));
  EXPECT_TRUE(lines.count("note.empty_ids"));
  // The damaged row stops a migration, naming it.
  CliRun run = cli({"migrate", "--from-backend", "aiecs_reference", "--from-options", sqlite_options(p), "--to-backend",
                    "inmemory", "--no-progress"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("entity 'bad' of tenant 'acme'"), std::string::npos) << run.err;
}

TEST_F(SqliteReference, ACheckpointRecordsTheReferenceFile) {
  fs::path src = make_shared_file();
  fs::path dst = dir_ / "graph.db";
  std::vector<std::string> args = {"migrate",
                                   "--from-backend",
                                   "aiecs_reference",
                                   "--from-options",
                                   sqlite_options(src),
                                   "--to-backend",
                                   "sqlite",
                                   "--to-options",
                                   "{\"path\": \"" + dst.string() + "\"}",
                                   "--checkpoint",
                                   "ckpt.json",
                                   "--batch-size",
                                   "4",
                                   "--no-progress"};
  CliRun r = cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string checkpoint = slurp(dir_ / "ckpt.json");
  EXPECT_NE(checkpoint.find("sqlite_path=" + src.string()), std::string::npos) << checkpoint;
  r = cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("migration already complete"), std::string::npos) << r.out;
  // Another reference file is another migration.
  fs::path other = dir_ / "other.db";
  fs::copy_file(src, other);
  args[4] = sqlite_options(other);
  r = cli(args);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("another migration"), std::string::npos) << r.err;
}

TEST_F(SqliteReference, OneCommandNeedsATarget) {
  CliRun r =
      cli({"migrate", "--from-backend", "aiecs_reference", "--from-options", sqlite_options(make_legacy_file())});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--to-env NAME"), std::string::npos) << r.err;
  r = cli({"migrate", "--from-backend", "aiecs_reference", "--from-options", "not json", "--to-backend", "inmemory"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--from-options"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace graphstore::aiecs_test
