// check_json_syntax: fixed cases with the error and its offset, deep nesting
// without recursion, and agreement with RapidJSON's validating parser on
// valid documents and on many random corruptions of them.
#include "json_syntax.hpp"

#include <gtest/gtest.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <random>
#include <string>
#include <vector>

namespace graphstore {
namespace {

bool rapidjson_accepts(const std::string& text) {
  rapidjson::BaseReaderHandler<> handler;
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(text.data(), text.size());
  return !reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(ms, handler).IsError();
}

TEST(JsonSyntax, AcceptsEveryKindOfValue) {
  for (const char* text :
       {"{}", "[]", "0", "-0", "12.5e-3", "1E+9", "-1.0", "true", "false", "null", "\"\"", " \t\r\n{ } ",
        R"({"a":[1,2,{"b":null}],"c":"\u00e9\ud83d\ude00\n\"\\\/\b\f\r\t","d":{}})", "[[[[[]]]]]",
        "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", R"({"":""})"}) {
    JsonSyntax s = check_json_syntax(text);
    EXPECT_EQ(s.error, nullptr) << text << ": " << s.error << " at " << s.offset;
  }
}

TEST(JsonSyntax, RootObjectIsReported) {
  EXPECT_TRUE(check_json_syntax(R"( {"a":1})").root_object);
  EXPECT_FALSE(check_json_syntax("[1]").root_object);
  EXPECT_FALSE(check_json_syntax("\"{\"").root_object);
  EXPECT_FALSE(check_json_syntax("{").root_object);  // invalid, so not an object either
}

TEST(JsonSyntax, NamesTheProblemAndWhereItIs) {
  struct Case {
    std::string text;
    std::string error;
    size_t offset;
  };
  for (const Case& c : std::vector<Case>{
           {"", "the text is empty", 0},
           {"   ", "the text is empty", 3},
           {R"({"a":1,})", "a string key is expected", 7},
           {"[1,]", "a value is expected", 3},
           {R"({"a" 1})", "':' is expected after a key", 5},
           {R"({"a":1 "b":2})", "',' or '}' is expected", 7},
           {"[1 2]", "',' or ']' is expected", 3},
           {"{} x", "text after the end of the JSON value", 3},
           {"01", "text after the end of the JSON value", 1},
           {"[tru]", "invalid literal", 1},
           {"1.", "a digit is expected after '.'", 2},
           {"1e+", "a digit is expected in the exponent", 3},
           {"-", "a value is expected", 1},
           {R"({"a":"x)", "unterminated string", 5},
           {"\"a\nb\"", "control character in a string (escape it)", 2},
           {R"("\x")", "invalid escape in a string", 1},
           {R"("\u12g4")", "invalid \\u escape", 1},
           {R"("\udc00")", "unpaired UTF-16 surrogate in a \\u escape", 1},
           {R"("\ud800x")", "unpaired UTF-16 surrogate in a \\u escape", 7},
           {"{\"a\":\"\xc3\x28\"}", "invalid UTF-8", 6},
           {"[1,\xff]", "invalid UTF-8", 3},
           {"[[[", "a value is expected", 3},
           {R"({"a":{"b":1})", "',' or '}' is expected", 12},
       }) {
    JsonSyntax s = check_json_syntax(c.text);
    ASSERT_NE(s.error, nullptr) << c.text;
    EXPECT_EQ(std::string(s.error), c.error) << c.text;
    EXPECT_EQ(s.offset, c.offset) << c.text;
    if (c.text != R"("\udc00")") {  // RapidJSON accepts this one: see below
      EXPECT_FALSE(rapidjson_accepts(c.text)) << c.text;
    }
  }
}

// Strings are scanned eight bytes at a time: a byte that ends the plain run
// must be found at every position of a word, next to any neighbours.
TEST(JsonSyntax, FindsEachSpecialByteAtEveryPositionOfALongString) {
  for (size_t at = 0; at < 40; ++at) {
    for (char special : {'\x00', '\x01', '\x1f', '\\', '"'}) {
      for (char filler : {'a', ' ', '\x7f', '!', '#', '[', ']'}) {
        std::string body(40, filler);
        body[at] = special;
        std::string text = "[\"" + body + "\"]";
        JsonSyntax s = check_json_syntax(text);
        EXPECT_EQ(s.error == nullptr, rapidjson_accepts(text)) << at;
        if (special == '"') {  // ends the string early
          ASSERT_NE(s.error, nullptr) << at;
          if (filler == ' ' || filler == '[' || filler == ']') continue;  // other errors, further on
          EXPECT_STREQ(s.error, "',' or ']' is expected") << at;
          EXPECT_EQ(s.offset, 2 + at + 1) << at;
        } else if (special == '\\' && at == 39) {  // escapes the closing quote
          EXPECT_STREQ(s.error, "unterminated string");
          EXPECT_EQ(s.offset, 1u);
        } else if (special == '\\') {
          EXPECT_STREQ(s.error, "invalid escape in a string") << at << " " << filler;
          EXPECT_EQ(s.offset, 2 + at) << at;
        } else {
          EXPECT_STREQ(s.error, "control character in a string (escape it)") << at;
          EXPECT_EQ(s.offset, 2 + at) << at;
        }
      }
    }
    std::string plain = "[\"" + std::string(at, 'x') + "\xc3\xa9" + std::string(40 - at, 'y') + "\"]";
    EXPECT_EQ(check_json_syntax(plain).error, nullptr) << at;
  }
}

TEST(JsonSyntax, DeepNestingUsesNoCallStack) {
  std::string deep(1'000'000, '[');
  deep += std::string(1'000'000, ']');
  EXPECT_EQ(check_json_syntax(deep).error, nullptr);
  deep.pop_back();
  EXPECT_NE(check_json_syntax(deep).error, nullptr);
}

// Random single-byte edits, insertions and deletions of valid documents:
// both checkers must agree on every result. RapidJSON accepts a lone low
// surrogate escape (\udc00), which cannot become well-formed UTF-8; the
// scanner refuses it, so texts holding one are left out of the comparison.
TEST(JsonSyntax, AgreesWithRapidJsonOnCorruptedDocuments) {
  const std::vector<std::string> seeds = {
      R"({"name":"item 1","description":"graph storage","rank":512})",
      R"({"a":[1,-2.5e3,true,false,null,{"b":"\u00e9\ud83d\ude00"}],"c":{"d":[]}})",
      "{\"k\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\\n\\t\\\"\"}",
      R"([0, 0.5, 10, -0, 1e9, 2E-3, "x", [], {}])",
  };
  const std::string alphabet = "{}[]:,\"\\/ubfnrtdcDe0123456789.-+Eaeflnrstux \t\n\x01\x7f\xc3\xa9\xed\xa0\x80\xff";
  std::mt19937_64 rng(20261129);
  int disagreements = 0, accepted = 0, compared = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string text = seeds[rng() % seeds.size()];
    int edits = 1 + int(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = rng() % text.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text[at] = c; break;
        case 1: text.insert(text.begin() + long(at), c); break;
        default: text.erase(at, 1);
      }
    }
    std::string lower = text;
    for (char& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (lower.find("\\udc") != std::string::npos || lower.find("\\udd") != std::string::npos ||
        lower.find("\\ude") != std::string::npos || lower.find("\\udf") != std::string::npos)
      continue;
    ++compared;
    bool ours = check_json_syntax(text).error == nullptr, theirs = rapidjson_accepts(text);
    accepted += ours;
    if (ours != theirs && ++disagreements <= 5)
      ADD_FAILURE() << "scanner " << (ours ? "accepts" : "refuses") << " what RapidJSON "
                    << (theirs ? "accepts" : "refuses") << ": " << text;
  }
  EXPECT_EQ(disagreements, 0);
  EXPECT_GT(accepted, 1000);  // the corpus reaches both outcomes
  EXPECT_GT(compared - accepted, 1000);
}

}  // namespace
}  // namespace graphstore
