// aiecs_reference over the reference's PostgreSQL tables, in a database of
// its own on the postgres_server fixture's server: shared tables with
// row-level security as the reference's initialize() sets it (read by a
// superuser, and by the owning role the policy applies to), and separate
// tenant schemas; migrated by the CLI into sqlite and postgres, and in
// process into inmemory, with verification, every record checked.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "graphstore/migrate.hpp"
#include "graphstore/registry.hpp"
#include "pg_test_support.hpp"
#include "reference_fixture.hpp"

extern char** environ;

namespace graphstore::aiecs_test {
namespace {

namespace fs = std::filesystem;

// The reference's PostgreSQL schema, shared mode (gs/postgres.py SCHEMA_SQL).
const char* kPgSharedDdl = R"sql(
CREATE TABLE IF NOT EXISTS graph_entities (
    id TEXT NOT NULL,
    tenant_id TEXT NOT NULL DEFAULT '',
    entity_type TEXT NOT NULL,
    properties JSONB NOT NULL DEFAULT '{}',
    embedding BYTEA,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id, tenant_id)
);
CREATE TABLE IF NOT EXISTS graph_relations (
    id TEXT NOT NULL,
    tenant_id TEXT NOT NULL DEFAULT '',
    relation_type TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    properties JSONB NOT NULL DEFAULT '{}',
    weight REAL DEFAULT 1.0,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id, tenant_id)
);
CREATE INDEX IF NOT EXISTS idx_graph_entities_type ON graph_entities(entity_type);
CREATE INDEX IF NOT EXISTS idx_graph_entities_tenant ON graph_entities(tenant_id);
CREATE INDEX IF NOT EXISTS idx_graph_entities_tenant_type ON graph_entities(tenant_id, entity_type);
CREATE INDEX IF NOT EXISTS idx_graph_entities_properties ON graph_entities USING GIN(properties);
CREATE INDEX IF NOT EXISTS idx_graph_relations_type ON graph_relations(relation_type);
CREATE INDEX IF NOT EXISTS idx_graph_relations_tenant ON graph_relations(tenant_id);
CREATE INDEX IF NOT EXISTS idx_graph_relations_source ON graph_relations(source_id);
CREATE INDEX IF NOT EXISTS idx_graph_relations_target ON graph_relations(target_id);
CREATE INDEX IF NOT EXISTS idx_graph_relations_tenant_source ON graph_relations(tenant_id, source_id);
CREATE INDEX IF NOT EXISTS idx_graph_relations_tenant_target ON graph_relations(tenant_id, target_id);
CREATE INDEX IF NOT EXISTS idx_graph_relations_properties ON graph_relations USING GIN(properties);
)sql";

// RLS_SETUP_SQL, as initialize() runs it with enable_rls in shared mode.
const char* kPgRlsSetup = R"sql(
ALTER TABLE graph_entities ENABLE ROW LEVEL SECURITY;
ALTER TABLE graph_entities FORCE ROW LEVEL SECURITY;
ALTER TABLE graph_relations ENABLE ROW LEVEL SECURITY;
ALTER TABLE graph_relations FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation_entities ON graph_entities;
CREATE POLICY tenant_isolation_entities ON graph_entities
    USING (tenant_id = '' OR tenant_id = COALESCE(current_setting('app.current_tenant_id', true), ''));
DROP POLICY IF EXISTS tenant_isolation_relations ON graph_relations;
CREATE POLICY tenant_isolation_relations ON graph_relations
    USING (tenant_id = '' OR tenant_id = COALESCE(current_setting('app.current_tenant_id', true), ''));
)sql";

// TENANT_SCHEMA_SQL for one tenant schema.
std::string pg_tenant_ddl(const std::string& schema) {
  return "CREATE SCHEMA IF NOT EXISTS " + schema +
         ";\n"
         "CREATE TABLE IF NOT EXISTS " +
         schema +
         ".graph_entities (id TEXT PRIMARY KEY, entity_type TEXT NOT NULL, "
         "properties JSONB NOT NULL DEFAULT '{}', embedding BYTEA, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, "
         "updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);\n"
         "CREATE TABLE IF NOT EXISTS " +
         schema +
         ".graph_relations (id TEXT PRIMARY KEY, relation_type TEXT NOT "
         "NULL, source_id TEXT NOT NULL, target_id TEXT NOT NULL, properties JSONB NOT NULL DEFAULT '{}', weight REAL "
         "DEFAULT 1.0, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT "
         "CURRENT_TIMESTAMP);\n"
         "CREATE INDEX IF NOT EXISTS idx_" +
         schema + "_entities_type ON " + schema +
         ".graph_entities(entity_type);\n"
         "CREATE INDEX IF NOT EXISTS idx_" +
         schema + "_relations_source ON " + schema + ".graph_relations(source_id);\n";
}

class PgReference : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = pgtest::shared_server();
    ASSERT_GT(server_.port, 0);
    database_ = pgtest::unique_name("aiecs_ref_");
    pqxx::connection admin(server_.admin_conninfo("postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + database_ + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    char tmpl[] = "/tmp/aiecs_reference_pg_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    try {
      pqxx::connection admin(server_.admin_conninfo("postgres"));
      pqxx::nontransaction tx(admin);
      tx.exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
      if (!role_.empty()) tx.exec("DROP ROLE IF EXISTS " + role_);
    } catch (const std::exception&) {
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string conninfo() const { return server_.admin_conninfo(database_); }

  std::string source_options(const std::string& extra = "", const std::string& user = "postgres",
                             const std::string& password = "") const {
    std::string o = "{\"host\": \"" + server_.host + "\", \"port\": " + std::to_string(server_.port) +
                    ", \"user\": \"" + user + "\", \"database\": \"" + database_ + "\"";
    if (!password.empty()) o += ", \"password\": \"" + password + "\"";
    return o + extra + "}";
  }

  // Inserts a dataset as the reference's store did (tenant '' = global in
  // shared tables; none in a tenant schema), returning it with properties as
  // PostgreSQL's jsonb gives them back.
  Dataset insert(pqxx::work& tx, const std::string& schema, const std::string& tag, const char* tenant) {
    Dataset d = make_dataset(tag);
    bool with_tenant = tenant != nullptr;
    std::string tcol = with_tenant ? "tenant_id, " : "";
    for (auto& e : d.entities) {
      std::string sql = "INSERT INTO " + schema + ".graph_entities (id, " + tcol +
                        "entity_type, properties, embedding, created_at, updated_at) VALUES ($1, " +
                        (with_tenant ? "$7, " : "") +
                        "$2, $3::jsonb, NULLIF($4, ''::bytea), $5::timestamp, $6::timestamp)";
      std::string blob = pack(e.embedding);
      pqxx::binarystring bytes(blob.data(), blob.size());
      std::string created = time_text(int((e.created_at / 1000000 - 1765275072) / 60));
      std::string updated = time_text(int((e.updated_at / 1000000 - 1765275072) / 60));
      if (with_tenant)
        tx.exec_params(sql, e.id, e.entity_type, e.properties, bytes, created, updated, std::string(tenant));
      else
        tx.exec_params(sql, e.id, e.entity_type, e.properties, bytes, created, updated);
      e.properties = tx.exec_params("SELECT $1::jsonb::text", e.properties)[0][0].as<std::string>();
    }
    for (auto& r : d.relations) {
      std::string sql =
          "INSERT INTO " + schema + ".graph_relations (id, " + tcol +
          "relation_type, source_id, target_id, properties, weight, created_at, updated_at) VALUES ($1, " +
          (with_tenant ? "$9, " : "") + "$2, $3, $4, $5::jsonb, $6, $7::timestamp, $8::timestamp)";
      std::string created = time_text(int((r.created_at / 1000000 - 1765275072) / 60));
      std::string updated = time_text(int((r.updated_at / 1000000 - 1765275072) / 60));
      if (with_tenant)
        tx.exec_params(sql, r.id, r.relation_type, r.source_id, r.target_id, r.properties, r.weight, created, updated,
                       std::string(tenant));
      else
        tx.exec_params(sql, r.id, r.relation_type, r.source_id, r.target_id, r.properties, r.weight, created, updated);
      r.properties = tx.exec_params("SELECT $1::jsonb::text", r.properties)[0][0].as<std::string>();
    }
    return d;
  }

  std::unique_ptr<Store> open(const std::string& backend, const std::string& options, Status* status = nullptr) {
    std::unique_ptr<Store> store;
    Status s = registry_.open(backend, options, &store);
    if (status != nullptr)
      *status = s;
    else
      EXPECT_TRUE(s.ok()) << backend << ": " << s.message();
    return store;
  }

  std::unique_ptr<Store> migrate_to_inmemory(const std::string& source_options) {
    auto source = open("aiecs_reference", source_options);
    auto target = open("inmemory", "{}");
    if (!source || !target) return nullptr;
    MigrateOptions options;
    options.verify = true;
    options.batch_size = 2;
    MigrateReport report;
    Status s = migrate(*source, *target, options, &report);
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_TRUE(report.verified);
    return target;
  }

  int cli(std::vector<std::string> args, std::string* out, std::string* err) {
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
    fs::path o = dir_ / "stdout", e = dir_ / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, o.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, e.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    auto slurp = [](const fs::path& p) {
      std::ifstream in(p);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    };
    *out = slurp(o);
    *err = slurp(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  pgtest::Server server_;
  std::string database_, role_;
  fs::path dir_;
  Registry registry_{{GRAPHSTORE_PLUGIN_DIR}};
};

TEST_F(PgReference, SharedTablesWithRlsMigrateIntoSqliteWithOneCommand) {
  Dataset global, acme, beta;
  {
    pqxx::connection c(conninfo());
    pqxx::work tx(c);
    tx.exec(kPgSharedDdl);
    tx.exec(kPgRlsSetup);
    global = insert(tx, "public", "global", "");
    acme = insert(tx, "public", "acme", "acme");
    beta = insert(tx, "public", "beta", "beta-1");
    tx.commit();
  }
  fs::path dst = dir_ / "graph.db";
  std::string out, err;
  int rc = cli({"migrate", "--from-backend", "aiecs_reference", "--from-options", source_options(), "--to-backend",
                "sqlite", "--to-options", "{\"path\": \"" + dst.string() + "\"}", "--verify", "--no-progress"},
               &out, &err);
  ASSERT_EQ(rc, 0) << out << err;
  EXPECT_NE(out.find("migrated 12 entities and 15 relations"), std::string::npos) << out;
  EXPECT_NE(err.find("note: the reference never stored"), std::string::npos) << err;
  auto target = open("sqlite", "{\"path\": \"" + dst.string() + "\"}");
  ASSERT_TRUE(target);
  std::vector<std::string> tenants;
  ASSERT_TRUE(target->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants, (std::vector<std::string>{"acme", "beta-1"}));
  expect_tenant_holds(*target, "", global);
  expect_tenant_holds(*target, "acme", acme);
  expect_tenant_holds(*target, "beta-1", beta);
}

TEST_F(PgReference, RlsThatAppliesNeedsTheTenantsNamed) {
  Dataset global, acme;
  role_ = pgtest::unique_name("aiecs_owner_");
  {
    pqxx::connection c(conninfo());
    pqxx::work tx(c);
    tx.exec(kPgSharedDdl);
    tx.exec(kPgRlsSetup);
    global = insert(tx, "public", "global", "");
    acme = insert(tx, "public", "acme", "acme");
    insert(tx, "public", "other", "other");
    tx.exec("CREATE ROLE " + role_ + " LOGIN PASSWORD 'aiecs-pw'");
    tx.exec("GRANT USAGE ON SCHEMA public TO " + role_);
    // The application's role owns the tables: FORCE makes the policy apply.
    tx.exec("ALTER TABLE graph_entities OWNER TO " + role_);
    tx.exec("ALTER TABLE graph_relations OWNER TO " + role_);
    tx.commit();
  }
  Status s;
  open("aiecs_reference", source_options("", role_, "aiecs-pw"), &s);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("row-level security"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("aiecs-pw"), std::string::npos);
  auto target = migrate_to_inmemory(source_options(", \"tenants\": [\"acme\"]", role_, "aiecs-pw"));
  ASSERT_TRUE(target);
  std::vector<std::string> tenants;
  ASSERT_TRUE(target->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants, (std::vector<std::string>{"acme"}));
  expect_tenant_holds(*target, "", global);
  expect_tenant_holds(*target, "acme", acme);
}

TEST_F(PgReference, SeparateSchemasMigrateIntoPostgresAndInmemory) {
  Dataset global, acme, zeta;
  {
    pqxx::connection c(conninfo());
    pqxx::work tx(c);
    tx.exec(kPgSharedDdl);
    tx.exec(pg_tenant_ddl("tenant_acme_corp"));
    tx.exec(pg_tenant_ddl("tenant_zeta"));
    global = insert(tx, "public", "global", "");
    acme = insert(tx, "tenant_acme_corp", "acme", nullptr);
    zeta = insert(tx, "tenant_zeta", "zeta", nullptr);
    tx.commit();
  }
  auto target = migrate_to_inmemory(source_options());
  ASSERT_TRUE(target);
  std::vector<std::string> tenants;
  ASSERT_TRUE(target->list_tenants(&tenants).ok());
  EXPECT_EQ(tenants, (std::vector<std::string>{"acme_corp", "zeta"}));
  expect_tenant_holds(*target, "", global);
  expect_tenant_holds(*target, "acme_corp", acme);
  expect_tenant_holds(*target, "zeta", zeta);

  // Into graphstore's own PostgreSQL tables (schema gs), by the CLI, with
  // the original tenant id named.
  std::string pg_target = "{\"host\": \"" + server_.host + "\", \"port\": " + std::to_string(server_.port) +
                          ", \"user\": \"postgres\", \"database\": \"" + database_ + "\", \"schema\": \"gs\"}";
  std::string out, err;
  int rc = cli({"migrate", "--from-backend", "aiecs_reference", "--from-options",
                source_options(", \"tenants\": [\"acme-corp\", \"zeta\"]"), "--to-backend", "postgres", "--to-options",
                pg_target, "--verify", "--no-progress"},
               &out, &err);
  ASSERT_EQ(rc, 0) << out << err;
  EXPECT_NE(out.find("verified"), std::string::npos) << out;
  auto pg = open("postgres", pg_target);
  ASSERT_TRUE(pg);
  expect_tenant_holds(*pg, "", global);
  expect_tenant_holds(*pg, "acme-corp", acme);
  expect_tenant_holds(*pg, "zeta", zeta);
}

TEST_F(PgReference, ReadsAndRefusals) {
  {
    pqxx::connection c(conninfo());
    pqxx::work tx(c);
    tx.exec(kPgSharedDdl);
    insert(tx, "public", "global", "");
    tx.exec("INSERT INTO graph_entities (id, entity_type, embedding) VALUES ('bad', 'T', '\\x0000803f00'::bytea)");
    tx.commit();
  }
  auto store = open("aiecs_reference", source_options());
  ASSERT_TRUE(store);
  std::vector<Neighbor> n;
  ASSERT_TRUE(store->get_neighbors("", "p1", Direction::kBoth, "", &n).ok());
  EXPECT_EQ(n.size(), 3u);
  Relation r;
  ASSERT_TRUE(store->get_relation("", "r1", &r).ok());
  EXPECT_EQ(r.weight, 0.0);  // the reference read 0.0 back as 1.0
  ASSERT_TRUE(store->get_relation("", "r4", &r).ok());
  EXPECT_EQ(r.weight, 0.8);  // REAL's float4, read as the decimal that was written
  Entity e;
  Status s = store->get_entity("", "bad", &e);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("entity 'bad'"), std::string::npos) << s.message();
  e = Entity{};
  e.id = "new";
  e.entity_type = "T";
  EXPECT_EQ(store->add_entity("", e).code(), Code::kUnsupported);
  open("aiecs_reference", source_options(", \"schema\": \"nope\""), &s);
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.message();
}

}  // namespace
}  // namespace graphstore::aiecs_test
