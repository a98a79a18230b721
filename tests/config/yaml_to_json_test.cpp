// yaml_to_json: core-schema typing, quoting, collections, anchors and merge
// keys, ${VAR} expansion and its escape, and located error messages.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.hpp"
#include "graphstore/config.hpp"

namespace graphstore {
namespace {

using testing::ScopedEnv;

std::string to_json(const std::string& yaml) {
  std::string json;
  Status s = yaml_to_json(yaml, "t.yaml", &json);
  EXPECT_TRUE(s.ok()) << s.to_string();
  return json;
}

Status to_json_status(const std::string& yaml) {
  std::string json;
  return yaml_to_json(yaml, "t.yaml", &json);
}

TEST(YamlToJson, PlainScalarsAreTypedByTheCoreSchema) {
  EXPECT_EQ(to_json("a: ~\nb: null\nc: NULL\nd:\n"), R"({"a":null,"b":null,"c":null,"d":null})");
  EXPECT_EQ(to_json("a: true\nb: False\nc: TRUE\nd: false\n"), R"({"a":true,"b":false,"c":true,"d":false})");
  EXPECT_EQ(to_json("a: 42\nb: -7\nc: +3\nd: 0o17\ne: 0x1F\nf: 0755\n"),
            R"({"a":42,"b":-7,"c":3,"d":15,"e":31,"f":755})");
  EXPECT_EQ(to_json("a: 1.5\nb: -0.25\nc: 1e3\nd: .5\ne: 2.\n"), R"({"a":1.5,"b":-0.25,"c":1000.0,"d":0.5,"e":2.0})");
  EXPECT_EQ(to_json("a: 9223372036854775807\nb: -9223372036854775808\nc: 18446744073709551615\n"),
            R"({"a":9223372036854775807,"b":-9223372036854775808,"c":18446744073709551615})");
}

TEST(YamlToJson, YamlOneOneSpellingsAreStrings) {
  EXPECT_EQ(to_json("a: yes\nb: on\nc: 1_000\nd: 12:30\ne: 0b101\nf: 1.2.3\ng: 1e\nh: .\n"),
            R"({"a":"yes","b":"on","c":"1_000","d":"12:30","e":"0b101","f":"1.2.3","g":"1e","h":"."})");
}

TEST(YamlToJson, QuotedAndBlockScalarsStayStrings) {
  EXPECT_EQ(to_json("a: \"42\"\nb: 'true'\nc: \"null\"\nd: ''\ne: |\n  5\nf: !!str 7\n"),
            R"({"a":"42","b":"true","c":"null","d":"","e":"5\n","f":"7"})");
}

TEST(YamlToJson, ExplicitCoreTagsMustMatch) {
  EXPECT_EQ(to_json("a: !!int \"12\"\nb: !!float 3\nc: !!bool 'true'\n"), R"({"a":12,"b":3.0,"c":true})");
  Status s = to_json_status("x: 1\nport: !!int abc\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), "t.yaml:2: key 'port': 'abc' is not a valid !!int");
  s = to_json_status("x: !custom 5\n");
  EXPECT_EQ(s.message(), "t.yaml:1: key 'x': unsupported tag '!custom'");
}

TEST(YamlToJson, StringsAreEscaped) {
  EXPECT_EQ(to_json("a: \"say \\\"hi\\\"\\\\ \\t\\u0001 é\"\n"), "{\"a\":\"say \\\"hi\\\"\\\\ \\t\\u0001 é\"}");
}

TEST(YamlToJson, CollectionsKeepTheirOrder) {
  EXPECT_EQ(to_json("z: [3, two, {k: v}]\na:\n  - x: 1\n    y: [true, ~]\n  - []\n"),
            R"({"z":[3,"two",{"k":"v"}],"a":[{"x":1,"y":[true,null]},[]]})");
  EXPECT_EQ(to_json("- 1\n- a\n"), R"([1,"a"])");
  EXPECT_EQ(to_json("plain"), R"("plain")");
  EXPECT_EQ(to_json(""), "null");
}

TEST(YamlToJson, KeysAreStrings) { EXPECT_EQ(to_json("1: a\ntrue: b\n"), R"({"1":"a","true":"b"})"); }

TEST(YamlToJson, AnchorsAliasesAndMergeKeys) {
  EXPECT_EQ(to_json("base: &b {host: h, port: 1}\ncopy: *b\n"),
            R"({"base":{"host":"h","port":1},"copy":{"host":"h","port":1}})");
  // Explicit keys win over merged ones wherever they are written; earlier
  // merged mappings win over later ones.
  EXPECT_EQ(to_json("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  x: 0\n  <<: [*a, *b]\n  w: 5\n"),
            R"({"a":{"x":1,"y":2},"b":{"y":3,"z":4},"c":{"x":0,"y":2,"z":4,"w":5}})");
  Status s = to_json_status("a: &a [1]\nc:\n  <<: *a\n");
  EXPECT_EQ(s.message(), "t.yaml:3: key '<<': expected a mapping to merge, got an integer");
  s = to_json_status("a: 1\nc:\n  <<: text\n");
  EXPECT_EQ(s.message(), "t.yaml:3: key '<<': expected a mapping to merge, got a string");
}

TEST(YamlToJson, DuplicateKeysAreErrors) {
  Status s = to_json_status("a: 1\nb:\n  c: 1\n  c: 2\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), "t.yaml:4: key 'c': duplicate key (first at line 3)");
}

TEST(YamlToJson, NonScalarKeysAreErrors) {
  Status s = to_json_status("a: 1\n? [x]\n: 2\n");
  EXPECT_EQ(s.message(), "t.yaml:2: a mapping key must be a string, got a sequence");
  s = to_json_status("~: 1\n");
  EXPECT_EQ(s.message(), "t.yaml:1: a mapping key must be a string, got null");
}

TEST(YamlToJson, InfinityAndNanCannotBeJson) {
  Status s = to_json_status("a: 1\nb: .inf\n");
  EXPECT_EQ(s.message(), "t.yaml:2: key 'b': '.inf' (infinite or NaN) cannot be represented in JSON");
  EXPECT_FALSE(to_json_status("a: .NaN\n").ok());
}

TEST(YamlToJson, MalformedYamlNamesLineAndColumn) {
  Status s = to_json_status("a: 1\nb: [1, 2\nc: 3\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message().rfind("t.yaml:", 0), 0u) << s.message();
  EXPECT_NE(s.message().find(": malformed YAML: end of sequence flow not found"), std::string::npos) << s.message();

  s = to_json_status("a: 1\nb: c: d\n");
  EXPECT_EQ(s.message(), "t.yaml:2:5: malformed YAML: illegal map value");
  s = to_json_status("a: *nowhere\n");
  EXPECT_EQ(s.message(), "t.yaml:1:4: malformed YAML: the referenced anchor is not defined");
}

TEST(YamlToJson, OnlyOneDocument) {
  Status s = to_json_status("a: 1\n---\nb: 2\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_NE(s.message().find("expected one YAML document, found 2"), std::string::npos) << s.message();
}

// yaml-cpp 0.7's LoadAll never returns on text like this (a leading ','):
// it is malformed YAML with a location, in bounded time.
TEST(YamlToJson, TextYamlCppCannotGetPastIsMalformed) {
  for (const char* text : {",\n", ", x}\nenvironments: {}\n"}) {
    Status s = to_json_status(text);
    EXPECT_TRUE(s.is_invalid_argument()) << text;
    EXPECT_EQ(s.message().rfind("t.yaml:1:", 0), 0u) << s.message();
    EXPECT_NE(s.message().find("malformed YAML"), std::string::npos) << s.message();
  }
}

TEST(YamlToJson, AliasBombIsRefused) {
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i)
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + std::string("*a") + std::to_string(i - 1) +
            ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + "]\n";
  Status s = to_json_status(yaml);
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_NE(s.message().find("expands to more than"), std::string::npos) << s.message();
}

// ---- ${VAR} expansion ------------------------------------------------------

TEST(YamlToJsonExpansion, AnExpandedValueIsTheVariablesText) {
  ScopedEnv port("GS_TEST_PORT", "6543");
  ScopedEnv flag("GS_TEST_FLAG", "true");
  ScopedEnv host("GS_TEST_HOST", "db.example");
  EXPECT_EQ(to_json("port: ${GS_TEST_PORT}\nflag: ${GS_TEST_FLAG}\nurl: pg://${GS_TEST_HOST}:${GS_TEST_PORT}/x\n"),
            R"({"port":"6543","flag":"true","url":"pg://db.example:6543/x"})");
  EXPECT_EQ(to_json("port: \"${GS_TEST_PORT}\"\nflag: '${GS_TEST_FLAG}'\n"), R"({"port":"6543","flag":"true"})");
  // Whatever a secret looks like, it stays its text: never a number, a
  // boolean or null ("no password").
  for (const char* secret : {"123456", "true", "1e5", "0x1F", "null", "~", "", ".inf", "-0"}) {
    ScopedEnv password("GS_TEST_PASSWORD", std::string(secret));
    EXPECT_EQ(to_json("password: ${GS_TEST_PASSWORD}\n"), std::string(R"({"password":")") + secret + "\"}") << secret;
  }
  // An explicit tag still types the text, naming the variable when it cannot.
  EXPECT_EQ(to_json("port: !!int ${GS_TEST_PORT}\n"), R"({"port":6543})");
  Status s = to_json_status("port: !!int ${GS_TEST_HOST}\n");
  EXPECT_EQ(s.message(), "t.yaml:1: key 'port': 'db.example' is not a valid !!int (the value of $GS_TEST_HOST)");
}

TEST(YamlToJsonExpansion, DefaultsApplyWhenUnsetOrEmpty) {
  ScopedEnv unset("GS_TEST_UNSET", std::nullopt);
  ScopedEnv empty("GS_TEST_EMPTY", "");
  ScopedEnv set("GS_TEST_SET", "7");
  EXPECT_EQ(to_json("a: ${GS_TEST_UNSET:-5432}\nb: ${GS_TEST_EMPTY:-x}\nc: ${GS_TEST_SET:-1}\n"
                    "d: ${GS_TEST_UNSET:-}\ne: ${GS_TEST_UNSET:-${GS_TEST_SET}}\nf: ${GS_TEST_UNSET:-a b:c}\n"),
            R"({"a":"5432","b":"x","c":"7","d":"","e":"7","f":"a b:c"})");
  // Without a default, a set-but-empty variable is the empty string.
  EXPECT_EQ(to_json("a: \"${GS_TEST_EMPTY}\"\nb: ${GS_TEST_EMPTY}\n"), R"({"a":"","b":""})");
}

TEST(YamlToJsonExpansion, DollarDollarBraceIsALiteral) {
  ScopedEnv set("GS_TEST_SET", "7");
  EXPECT_EQ(to_json("a: $${GS_TEST_SET}\nb: p$ss$$word\nc: \"$$${GS_TEST_SET}\"\nd: ${GS_TEST_SET}$\n"),
            R"({"a":"${GS_TEST_SET}","b":"p$ss$$word","c":"$${GS_TEST_SET}","d":"7$"})");
}

TEST(YamlToJsonExpansion, MissingVariableNamesFileLineAndKey) {
  ScopedEnv unset("DB_PASSWORD", std::nullopt);
  Status s = to_json_status("db:\n  host: h\n  password: ${DB_PASSWORD}\n");
  EXPECT_TRUE(s.is_invalid_argument());
  EXPECT_EQ(s.message(), "t.yaml:3: key 'password': environment variable DB_PASSWORD is not set");
  s = to_json_status("hosts:\n  - a\n  - \"${DB_PASSWORD}\"\n");
  EXPECT_EQ(s.message(), "t.yaml:3: key 'hosts[1]': environment variable DB_PASSWORD is not set");
}

TEST(YamlToJsonExpansion, MalformedReferencesAreErrors) {
  Status s = to_json_status("a: ${UNCLOSED\n");
  EXPECT_EQ(s.message(), "t.yaml:1: key 'a': unterminated variable reference '${UNCLOSED'");
  s = to_json_status("a: ${1BAD}\n");
  EXPECT_EQ(s.message(), "t.yaml:1: key 'a': invalid variable reference '${1BAD}': use ${NAME} or ${NAME:-default}");
  s = to_json_status("a: ${X-y}\n");
  EXPECT_TRUE(s.is_invalid_argument());
  s = to_json_status("a: ${}\n");
  EXPECT_TRUE(s.is_invalid_argument());
}

TEST(YamlToJsonExpansion, KeysAreNotExpanded) {
  ScopedEnv set("GS_TEST_SET", "7");
  EXPECT_EQ(to_json("${GS_TEST_SET}: 1\n"), R"({"${GS_TEST_SET}":1})");
}

}  // namespace
}  // namespace graphstore
