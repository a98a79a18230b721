// json_string_values reads what a JSON parser reads: the same string values
// in the same order, keys left out, cut within the byte budget at a UTF-8
// character boundary. The reference here is RapidJSON's SAX reader, the
// parser text search used before the bounded reader.
#include "graphstore/json_string_values.hpp"

#include <gtest/gtest.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>
#include <string>
#include <vector>

namespace graphstore::sdk {
namespace {

// RapidJSON's string values within room, cut as json_string_values cuts.
std::vector<std::string> reference(std::string_view json, size_t room) {
  struct Handler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
    std::vector<std::string>* out;
    size_t room;
    bool String(const char* s, rapidjson::SizeType n, bool) {
      if (room == 0) return false;
      size_t take = n;
      if (take > room) {
        take = room;
        while (take > 0 && (static_cast<unsigned char>(s[take]) & 0xC0) == 0x80) --take;
      }
      out->emplace_back(s, take);
      room -= take;
      return take == n;
    }
    bool Key(const char*, rapidjson::SizeType, bool) { return true; }
  };
  std::vector<std::string> values;
  Handler h;
  h.out = &values;
  h.room = room;
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(json.data(), json.size());
  reader.Parse<rapidjson::kParseIterativeFlag>(ms, h);
  return values;
}

std::string random_string(std::mt19937_64& rng) {
  // Quotes, backslashes, controls, a colon (a value that looks like a key
  // when followed by one), 2-, 3- and 4-byte characters.
  static const char* kPieces[] = {"a", "b", " ", "\"", "\\", "\n", "\x01", ":", "\xC3\xA9", "\xE2\x82\xAC",
                                  "\xF0\x9F\x98\x80", "/", "x"};
  std::string s;
  size_t n = rng() % 12;
  for (size_t i = 0; i < n; ++i) s += kPieces[rng() % (sizeof kPieces / sizeof *kPieces)];
  return s;
}

void random_value(std::mt19937_64& rng, int depth, rapidjson::Writer<rapidjson::StringBuffer>& w) {
  switch (depth > 3 ? rng() % 4 : rng() % 6) {
    case 0: {
      std::string s = random_string(rng);
      w.String(s.data(), rapidjson::SizeType(s.size()));
      break;
    }
    case 1: w.Int64(static_cast<int64_t>(rng() % 2000) - 1000); break;
    case 2: w.Bool(rng() % 2 == 0); break;
    case 3: w.Null(); break;
    case 4: {
      w.StartArray();
      for (size_t i = rng() % 4; i > 0; --i) random_value(rng, depth + 1, w);
      w.EndArray();
      break;
    }
    default: {
      w.StartObject();
      for (size_t i = rng() % 4; i > 0; --i) {
        std::string k = random_string(rng);
        w.Key(k.data(), rapidjson::SizeType(k.size()));
        random_value(rng, depth + 1, w);
      }
      w.EndObject();
    }
  }
}

TEST(JsonStringValues, ReadsWhatAParserReadsWithinTheBudget) {
  std::mt19937_64 rng(11);
  const size_t rooms[] = {0, 1, 2, 3, 4, 5, 7, 10, 16, 40, 1000};
  for (int round = 0; round < 3000; ++round) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    for (size_t i = rng() % 5; i > 0; --i) {
      std::string k = random_string(rng);
      w.Key(k.data(), rapidjson::SizeType(k.size()));
      random_value(rng, 0, w);
    }
    w.EndObject();
    std::string json(sb.GetString(), sb.GetSize());
    // Whitespace between tokens, as a hand-written document has it.
    if (round % 2 == 1) {
      std::string spaced;
      bool in_string = false, escaped = false;
      for (char c : json) {
        spaced.push_back(c);
        if (in_string) {
          if (escaped) escaped = false;
          else if (c == '\\') escaped = true;
          else if (c == '"') in_string = false;
          if (!in_string) spaced += " \n";
        } else if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':') {
          spaced += "\t ";
        }
      }
      json = spaced;
    }
    for (size_t room : rooms) ASSERT_EQ(json_string_values(json, room), reference(json, room)) << json << " room " << room;
  }
}

TEST(JsonStringValues, EscapesAndSurrogatePairsDecodeAsAParserDecodesThem) {
  std::string json = R"({"k":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00\u0000z","n":[1,"x"]})";
  EXPECT_EQ(json_string_values(json, 1000), reference(json, 1000));
  EXPECT_EQ(json_string_values(json, 1000).size(), 2u);
}

TEST(JsonStringValues, AValueCrossingTheBudgetIsCutAndEndsTheReading) {
  std::string big(5000, 'q');
  std::string json = R"({"a":"xy","b":")" + big + R"(","c":"after"})";
  auto v = json_string_values(json, 100);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], "xy");
  EXPECT_EQ(v[1], std::string(98, 'q'));
  // A key longer than the budget is still a key.
  json = R"({")" + big + R"(":"v"})";
  EXPECT_EQ(json_string_values(json, 100), std::vector<std::string>{"v"});
}

}  // namespace
}  // namespace graphstore::sdk
