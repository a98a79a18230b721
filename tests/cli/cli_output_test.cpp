// What the CLI prints: human-readable text escaped for a terminal, the
// global namespace shown apart from a tenant named "global", one JSON
// document for every outcome with --json (failures included), help and usage
// messages, numbers read from the user, the CSV formula guard, and the
// README's "Using it" lines, run in order.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "terminal_text.hpp"

namespace {

using namespace graphstore::test;
using graphstore::cli::terminal_json;
using graphstore::cli::terminal_text;

// The first byte of s a terminal could act on (a C0 control other than the
// line break, DEL, or the start of a UTF-8 C1 control), or npos.
size_t first_control(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return i;
  }
  return std::string::npos;
}

#define EXPECT_NO_CONTROLS(text) \
  EXPECT_EQ(first_control(text), std::string::npos) << "raw control byte in:\n" << terminal_text(text)

class CliOutputTest : public CliTest {
 protected:
  // The "test" environment on a SQLite file, so that records outlive one run.
  void use_sqlite() {
    std::ofstream(config_) << "environments:\n  test:\n    backend: sqlite\n    options: {path: "
                           << (dir_ / "store.db").string() << "}\n";
  }
};

// ---- escaping --------------------------------------------------------------

TEST(TerminalText, ShowsEveryControlAsAVisibleEscape) {
  EXPECT_EQ(terminal_text("plain id-1_x"), "plain id-1_x");
  EXPECT_EQ(terminal_text("a\x1b]0;pwned\x07"), "a\\x1b]0;pwned\\x07");
  EXPECT_EQ(terminal_text(std::string("n\0ul", 4)), "n\\x00ul");
  EXPECT_EQ(terminal_text("t\tn\nr\r"), "t\\tn\\nr\\r");
  EXPECT_EQ(terminal_text("del\x7f"), "del\\x7f");
  EXPECT_EQ(terminal_text("csi\xc2\x9b"
                          "2J"),
            "csi\\u009b2J");                                                       // C1 CSI, well-formed UTF-8
  EXPECT_EQ(terminal_text("\xc2\x80\xc2\x9f\xc2\xa0"), "\\u0080\\u009f\xc2\xa0");  // C1 bounds; NBSP kept
  EXPECT_EQ(terminal_text("bad\xff\xfe."), "bad\\xff\\xfe.");                      // not UTF-8
  EXPECT_EQ(terminal_text("cut\xe2\x82"), "cut\\xe2\\x82");                        // truncated sequence
  EXPECT_EQ(terminal_text("over\xc0\xaf"), "over\\xc0\\xaf");                      // overlong '/'
  EXPECT_EQ(terminal_text("evil\xe2\x80\xaegnp.exe"), "evil\\u202egnp.exe");       // right-to-left override
  EXPECT_EQ(terminal_text("back\\slash"), "back\\\\slash");
  // An escape in the output is never ambiguous: the text "\x1b" is not ESC.
  EXPECT_NE(terminal_text("\\x1b"), terminal_text("\x1b"));
  EXPECT_EQ(terminal_text("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x88 \xc2\xb5s"),
            "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x88 \xc2\xb5s");
}

TEST(TerminalText, JsonStaysJsonThatMeansTheSame) {
  std::string json = "{\"a\": \"x\\\"y\\\\z\",\n\t\"b\": \"del\x7f csi\xc2\x9b rlo\xe2\x80\xae\"}";
  std::string shown = terminal_json(json);
  EXPECT_EQ(shown, "{\"a\": \"x\\\"y\\\\z\",  \"b\": \"del\\u007f csi\\u009b rlo\\u202e\"}");
  EXPECT_NO_CONTROLS(shown);
  rapidjson::Document before, after;
  before.Parse(json.c_str());
  after.Parse(shown.c_str());
  ASSERT_FALSE(after.HasParseError()) << shown;
  EXPECT_TRUE(before == after);
}

TEST_F(CliOutputTest, HumanOutputEscapesWhatTheStoreHolds) {
  use_sqlite();
  // JSON escapes put controls, DEL, C1 and a bidi override into ids, types
  // and values.
  const std::string evil = R"(a\u001b]0;pwned\u0007\u007f\u009b)";
  Result r = run({"put-entity", R"({"id": ")" + evil + R"(", "entity_type": "T\u001b[31m\u0000",
                  "properties": {"name": "N\u009b2J\u202e", "topic": "graphs"}, "source": "s\u001b"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NO_CONTROLS(r.out);
  EXPECT_NE(r.out.find("a\\x1b]0;pwned\\x07\\x7f\\u009b (T\\x1b[31m\\x00) \"N\\u009b2J\\u202e\""), std::string::npos)
      << r.out;
  ASSERT_EQ(run({"put-entity", R"({"id": "b", "entity_type": "T"})"}).exit_code, 0);
  r = run({"put-relation", R"({"id": "r\u001b", "relation_type": "K\u0007", "source_id": ")" + evil +
                               R"(", "target_id": "b", "source": "\u009b"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NO_CONTROLS(r.out);

  // --json gives the exact id back; every human printer shows it escaped.
  r = run({"--json", "search-text", "graphs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  ASSERT_TRUE(doc.IsArray() && doc.Size() == 1) << r.out;
  std::string id(doc[0]["entity"]["id"].GetString(), doc[0]["entity"]["id"].GetStringLength());
  EXPECT_EQ(id, "a\x1b]0;pwned\x07\x7f\xc2\x9b");
  for (std::vector<std::string> args : {std::vector<std::string>{"search-text", "graphs"},
                                        {"neighbors", "b", "--direction", "both"},
                                        {"traverse", id},
                                        {"paths", id, "b"},
                                        {"get-relation", "r\x1b"},
                                        {"stats"}}) {
    r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_NO_CONTROLS(r.out);
    EXPECT_NO_CONTROLS(r.err);
    EXPECT_NE(r.out.find("\\x1b"), std::string::npos) << args[0] << ":\n" << r.out;
  }
  r = run({"get-relation", "r\x1b"});
  EXPECT_NE(r.out.find("relation_type: K\\x07"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source:        \\u009b"), std::string::npos) << r.out;
}

TEST_F(CliOutputTest, PrintEntityEscapesPropertiesKeepingThemJson) {
  use_sqlite();
  ASSERT_EQ(run({"put-entity", R"({"id": "e", "entity_type": "T", "properties": {"p": "q\"\\\u009b\u007f"},
                 "source": "s\u001b"})"})
                .exit_code,
            0);
  Result r = run({"get", "e"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NO_CONTROLS(r.out);
  EXPECT_NE(r.out.find(R"(properties:  {"p": "q\"\\\u009b\u007f"})"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source:      s\\x1b"), std::string::npos) << r.out;
}

TEST_F(CliOutputTest, ErrorMessagesQuoteUserValuesEscaped) {
  Result r = run({"get", "\x1b]0;pwned\x07\xc2\x9b"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NO_CONTROLS(r.err);
  // The store quotes the id with its control bytes as \xNN (sdk::quoted_prefix);
  // the terminal shows those backslashes doubled and the C1 control escaped.
  EXPECT_NE(r.err.find("entity '\\\\x1b]0;pwned\\\\x07\\u009b' not found"), std::string::npos) << r.err;
  // The JSON failure keeps the message as the store wrote it.
  r = run({"--json", "get", "\x1b]0;pwned\x07\xc2\x9b"});
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_NE(str(doc["error"]).find("'\\x1b]0;pwned\\x07\xc2\x9b'"), std::string::npos) << r.out;
  // An id that is not UTF-8 is refused before any lookup, and the message
  // about it is valid UTF-8.
  r = run({"--json", "get", "\x1b]0;pwned\x07\xff"});
  EXPECT_EQ(r.exit_code, 1);
  parse(r, &doc);
  EXPECT_EQ(str(doc["code"]), "INVALID_ARGUMENT") << r.out;
  r = run({"\x1b[2Jbogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NO_CONTROLS(r.err);
  EXPECT_NE(r.err.find("unknown command '\\x1b[2Jbogus'"), std::string::npos) << r.err;
}

// ---- the global namespace --------------------------------------------------

TEST_F(CliOutputTest, TheGlobalNamespaceIsShownApartFromATenantNamedGlobal) {
  Result global = run({"stats"});
  Result named = run({"--tenant", "global", "stats"});
  ASSERT_EQ(global.exit_code, 0) << global.err;
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_NE(global.out.find("tenant:    (global)\n"), std::string::npos) << global.out;
  EXPECT_NE(named.out.find("tenant:    global\n"), std::string::npos) << named.out;
  EXPECT_NE(global.out, named.out);

  Result r = run({"put-entity", R"({"id": "a", "entity_type": "T"})"});
  EXPECT_NE(r.out.find("to tenant (global)"), std::string::npos) << r.out;
  r = run({"--tenant", "global", "put-entity", R"({"id": "a", "entity_type": "T"})"});
  EXPECT_NE(r.out.find("to tenant global\n"), std::string::npos) << r.out;
  r = run({"delete", "a", "--tenant", "global"});
  EXPECT_EQ(r.exit_code, 3);  // inmemory: a new store per run
}

#ifdef GRAPHSTORE_HAVE_SQLITE
TEST_F(CliOutputTest, RecordsShowTheirTenantTheSameWay) {
  use_sqlite();
  ASSERT_EQ(run({"put-entity", R"({"id": "a", "entity_type": "T"})"}).exit_code, 0);
  ASSERT_EQ(run({"--tenant", "global", "put-entity", R"({"id": "a", "entity_type": "T"})"}).exit_code, 0);
  Result r = run({"get", "a"});
  EXPECT_NE(r.out.find("tenant_id:   (global)\n"), std::string::npos) << r.out;
  r = run({"--tenant", "global", "get", "a"});
  EXPECT_NE(r.out.find("tenant_id:   global\n"), std::string::npos) << r.out;
  r = run({"--tenant", "global", "delete", "a"});
  EXPECT_NE(r.out.find("from tenant global\n"), std::string::npos) << r.out;
}
#endif

// ---- --json: one document for every outcome -------------------------------

struct JsonFailure {
  std::vector<std::string> args;
  int exit_code;
  std::string code;
};

TEST_F(CliOutputTest, JsonFailuresAreOneDocumentForEveryCommand) {
  std::ofstream(dir_ / "bad.jsonl") << "{oops\n";
  std::ofstream(config_) << "environments:\n  test:\n    backend: inmemory\n    options: {}\n"
                         << "  broken:\n    backend: sqlite\n    options: {path: /proc/no/such/x.db}\n";
  const std::vector<JsonFailure> cases = {
      {{"plugins", "extra"}, 2, "USAGE"},
      {{"--env", "nosuch", "stats"}, 1, "INVALID_ARGUMENT"},
      {{"put-entity", "bad"}, 1, "INVALID_ARGUMENT"},
      {{"put-relation", R"({"id": "r", "relation_type": "K", "source_id": "a", "target_id": "b"})"}, 3, "NOT_FOUND"},
      {{"get", "nobody"}, 3, "NOT_FOUND"},
      {{"get-relation", "nobody"}, 3, "NOT_FOUND"},
      {{"delete", "nobody"}, 3, "NOT_FOUND"},
      {{"neighbors", "nobody"}, 3, "NOT_FOUND"},
      {{"traverse", "nobody"}, 3, "NOT_FOUND"},
      {{"paths", "nobody", "other"}, 3, "NOT_FOUND"},
      {{"search-text", "q", "--env", "nosuch"}, 1, "INVALID_ARGUMENT"},
      {{"search-vector", "1,zwei"}, 2, "USAGE"},
      {{"search-vector", "1,2", "--threshold", "nan"}, 2, "USAGE"},
      {{"demo", "--data", "no_such.jsonl"}, 1, "NOT_FOUND"},
      {{"bench", "--backend", "nosuch", "--quick"}, 1, "NOT_FOUND"},
      {{"export", "-"}, 2, "USAGE"},
      {{"export", "out.jsonl", "--env", "broken"}, 1, "PERMISSION_DENIED"},
      {{"import", "bad.jsonl"}, 1, "INVALID_ARGUMENT"},
      {{"migrate", "--to-env", "test"}, 2, "USAGE"},
      {{"migrate", "--to-env", "nosuch"}, 1, "INVALID_ARGUMENT"},
      {{"health", "--env", "broken"}, 1, "PERMISSION_DENIED"},
      {{"metrics", "--env", "nosuch"}, 1, "INVALID_ARGUMENT"},
      {{"serve", "--env", "nosuch"}, 1, "INVALID_ARGUMENT"},
      {{"no-such-command"}, 2, "USAGE"},
      {{}, 2, "USAGE"},
      {{"get"}, 2, "USAGE"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"--json"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    std::string name = c.args.empty() ? "(no command)" : c.args[0];
    Result r = run(args);
    EXPECT_EQ(r.exit_code, c.exit_code) << name << ": " << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    ASSERT_FALSE(doc.HasParseError()) << name << ": stdout is not one JSON document:\n" << r.out;
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("ok") && doc.HasMember("code") && doc.HasMember("error"))
        << name << ": " << r.out;
    EXPECT_TRUE(doc["ok"].IsFalse()) << name;
    EXPECT_EQ(str(doc["code"]), c.code) << name << ": " << r.out;
    EXPECT_FALSE(str(doc["error"]).empty()) << name;
    // health reports on stdout alone, as without --json.
    if (name != "health") {
      EXPECT_FALSE(r.err.empty()) << name << ": the message is on stderr too";
    }
  }
}

TEST_F(CliOutputTest, JsonAfterTheCommandCountsForUsageErrors) {
  Result r = run({"get", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(str(doc["code"]), "USAGE");
  // Without --json, usage errors stay on stderr alone.
  r = run({"get"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(CliOutputTest, JsonMetricsAreADocumentToo) {
  Result r = run({"--json", "metrics"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_NE(str(doc["text"]).find("graphstore_backend_call_seconds_count"), std::string::npos) << r.out;
  r = run({"--json", "health", "--env", "nosuch"});
  parse(r, &doc);
  EXPECT_TRUE(doc["ok"].IsFalse());
  EXPECT_TRUE(doc["healthy"].IsFalse());
}

// ---- help and usage --------------------------------------------------------

TEST_F(CliOutputTest, AnUnknownCommandIsNamed) {
  Result r = run({"bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'bogus'"), std::string::npos) << r.err;
  r = run({"--tenant", "acme", "bogus", "x"});
  EXPECT_NE(r.err.find("unknown command 'bogus'"), std::string::npos) << r.err;
}

TEST_F(CliOutputTest, EverySubcommandHelpListsTheGlobalOptions) {
  for (const char* cmd :
       {"plugins",   "stats",    "put-entity", "put-relation", "get",           "get-relation", "delete",
        "neighbors", "traverse", "paths",      "search-text",  "search-vector", "demo",         "bench",
        "export",    "import",   "migrate",    "health",       "metrics",       "serve"}) {
    Result r = run({cmd, "--help"}, /*with_config=*/false);
    EXPECT_EQ(r.exit_code, 0) << cmd;
    for (const char* option : {"--config", "--env", "--tenant", "--json"})
      EXPECT_NE(r.out.find(option), std::string::npos) << cmd << " --help lacks " << option << ":\n" << r.out;
  }
}

// ---- numbers from the user -------------------------------------------------

TEST_F(CliOutputTest, NonFiniteThresholdsAreRefused) {
  for (const char* t : {"nan", "NaN", "inf", "-inf", "infinity"}) {
    Result r = run({"search-vector", "1,2", "--threshold", t});
    EXPECT_EQ(r.exit_code, 2) << t;
    EXPECT_NE(r.err.find("--threshold: '" + std::string(t) + "' is not a finite number"), std::string::npos) << r.err;
  }
  EXPECT_EQ(run({"search-vector", "1,2", "--threshold", "0.5"}).exit_code, 0);
  EXPECT_EQ(run({"search-vector", "1,nan"}).exit_code, 2);
}

#ifdef GRAPHSTORE_HAVE_SQLITE
TEST_F(CliOutputTest, AWeightTooSmallForADoubleReadsAsZero) {
  use_sqlite();
  ASSERT_EQ(run({"put-entity", R"({"id": "a", "entity_type": "T"})"}).exit_code, 0);
  ASSERT_EQ(run({"put-entity", R"({"id": "b", "entity_type": "T"})"}).exit_code, 0);
  Result r = run({"--json", "put-relation",
                  R"({"id": "r1", "relation_type": "K", "source_id": "a", "target_id": "b", "weight": 1e-400})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(doc["weight"].GetDouble(), 0.0);
  r = run(
      {"put-relation",
       R"({"id": "r2", "relation_type": "K", "source_id": "a", "target_id": "b", "weight": 0.00000e-99999999999})"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run(
      {"put-relation", R"({"id": "r3", "relation_type": "K", "source_id": "a", "target_id": "b", "weight": 1e400})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Number too big"), std::string::npos) << r.err;
  r = run({"put-relation", R"({"id": "r3", "relation_type": "K", "source_id": "a", "target_id": "b", "weight": 1.5})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("'weight' must be a number from 0.0 to 1.0"), std::string::npos) << r.err;
  r = run({"put-relation",
           R"({"id": "r4", "relation_type": "K", "source_id": "a", "target_id": "b", "weight": 0.000001e-400000})"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CliOutputTest, CsvWeightsAreFiniteNumbers) {
  use_sqlite();
  std::ofstream(dir_ / "g.entities.csv") << "id,entity_type\na,T\nb,T\n";
  std::ofstream(dir_ / "g.relations.csv") << "id,relation_type,source_id,target_id,weight\n"
                                          << "r1,K,a,b,1e-400\n"
                                          << "r2,K,a,b,nan\n"
                                          << "r3,K,a,b,inf\n"
                                          << "r4,K,a,b,1e400\n";
  Result r = run({"--json", "import", "g.csv", "--on-error", "skip", "--rejects", "rej.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document doc;
  parse(r, &doc);
  EXPECT_EQ(doc["relations_added"].GetUint64(), 1u) << r.out;
  EXPECT_EQ(doc["rejected"].GetUint64(), 3u) << r.out;
  std::string rejects = slurp(dir_ / "rej.jsonl");
  EXPECT_NE(rejects.find("column 'weight' must be a number from 0.0 to 1.0"), std::string::npos) << rejects;
  r = run({"--json", "get-relation", "r1"});
  parse(r, &doc);
  EXPECT_EQ(doc["weight"].GetDouble(), 0.0);
}

// ---- CSV formula guard ------------------------------------------------------

TEST_F(CliOutputTest, CsvFormulaGuardIsOptIn) {
  use_sqlite();
  ASSERT_EQ(
      run({"put-entity", R"j({"id": "=HYPERLINK(\"http://x\")", "entity_type": "+T", "source": "@s"})j"}).exit_code, 0);
  ASSERT_EQ(run({"put-entity", R"({"id": "-1", "entity_type": "\tT", "source": "\rs"})"}).exit_code, 0);
  ASSERT_EQ(run({"put-entity", R"({"id": "safe", "entity_type": "T", "source": "x=1"})"}).exit_code, 0);
  ASSERT_EQ(
      run({"put-relation", R"({"id": "=r", "relation_type": "-K", "source_id": "-1", "target_id": "safe"})"}).exit_code,
      0);

  // Default: byte for byte what the store holds.
  Result r = run({"export", "plain.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string entities = slurp(dir_ / "plain.entities.csv");
  EXPECT_NE(entities.find("\n\"=HYPERLINK(\"\"http://x\"\")\",+T,"), std::string::npos) << entities;
  EXPECT_NE(entities.find("\n-1,\tT,"), std::string::npos) << entities;

  r = run({"export", "guarded.csv", "--csv-formula-guard"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  entities = slurp(dir_ / "guarded.entities.csv");
  std::string relations = slurp(dir_ / "guarded.relations.csv");
  EXPECT_NE(entities.find("\n\"'=HYPERLINK(\"\"http://x\"\")\",'+T,"), std::string::npos) << entities;
  EXPECT_NE(entities.find(",'@s,"), std::string::npos) << entities;
  EXPECT_NE(entities.find("\n'-1,'\tT,"), std::string::npos) << entities;
  EXPECT_NE(entities.find(",\"'\rs\","), std::string::npos) << entities;
  EXPECT_NE(entities.find("\nsafe,T,"), std::string::npos) << entities;
  EXPECT_NE(entities.find(",x=1,"), std::string::npos) << entities;
  EXPECT_NE(relations.find("\n'=r,'-K,'-1,safe,"), std::string::npos) << relations;
  // No other line starts a cell with a formula character.
  for (const std::string& text : {entities, relations}) {
    for (size_t at = text.find('\n'); at != std::string::npos && at + 1 < text.size(); at = text.find('\n', at + 1)) {
      EXPECT_EQ(std::string("=+-@").find(text[at + 1]), std::string::npos) << text;
    }
  }

  r = run({"export", "out.jsonl", "--csv-formula-guard"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("applies to CSV only"), std::string::npos) << r.err;
}
#endif

// ---- the README ---------------------------------------------------------------

// Splits a shell line as sh would for the README's lines: words, '...' and
// "..." quoting (no escapes inside single quotes), and a comment from a #
// that starts a word.
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else if (c == '\'' || c == '"') {
      size_t end = line.find(c, i + 1);
      if (end == std::string::npos) end = line.size();
      word += line.substr(i + 1, end - i - 1);
      i = end;
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

#ifdef GRAPHSTORE_HAVE_SQLITE
// Every line of the README's "Using it" block, in order, against a temporary
// config whose environments are local SQLite files: each exits 0.
TEST_F(CliOutputTest, TheReadmeUsingItLinesRunInOrder) {
  std::string readme = slurp(GRAPHSTORE_README);
  size_t section = readme.find("\n## Using it\n");
  ASSERT_NE(section, std::string::npos);
  size_t begin = readme.find("```sh\n", section);
  ASSERT_NE(begin, std::string::npos);
  begin += 6;
  size_t end = readme.find("```", begin);
  ASSERT_NE(end, std::string::npos);

  // The README's environments, on local files: production is PostgreSQL in
  // the shipped config, which a test cannot count on; what is checked is
  // that each line is a command that works, in this order.
  fs::create_directories(dir_ / "config");
  std::ofstream(dir_ / "config" / "graphstore.yaml")
      << "environments:\n"
         "  development: {backend: sqlite, options: {path: ./data/graph.db}}\n"
         "  testing: {backend: sqlite, options: {path: \":memory:\"}}\n"
         "  production: {backend: sqlite, options: {path: ./data/production.db}}\n"
#ifdef GRAPHSTORE_HAVE_DEGRADATION
         "  production_resilient:\n"
         "    backend: degradation\n"
         "    options:\n"
         "      primary: {backend: sqlite, options: {path: ./data/production.db}}\n"
         "      fallback: {backend: inmemory}\n"
         "      journal_path: ./data/degradation.journal\n";
#else
         "  production_resilient: {backend: sqlite, options: {path: ./data/production.db}}\n";
#endif

  std::istringstream lines(readme.substr(begin, end - begin));
  std::string line;
  int ran = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> words = shell_words(line);
    if (words.empty()) continue;
    ASSERT_EQ(words[0], "build/bin/graphstore") << line;
    words.erase(words.begin());
    // `bench` without --quick times every operation on every backend for
    // minutes: a measurement, not an example to check here.
    if (std::find(words.begin(), words.end(), "bench") != words.end()) continue;
    Result r = run(words, /*with_config=*/false);
    EXPECT_EQ(r.exit_code, 0) << line << "\nstdout:\n" << r.out << "stderr:\n" << r.err;
    ++ran;
  }
  EXPECT_GE(ran, 15);
}
#endif

}  // namespace
