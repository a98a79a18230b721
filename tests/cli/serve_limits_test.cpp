// graphstore serve's request checking: every op takes only its own keys,
// once each, and every value it takes is honoured or refused; a request line
// is bounded, and an error quotes at most a short prefix of a bad value.
#include <fstream>

#include "cli_fixture.hpp"

namespace graphstore::test {
namespace {

class ServeRequests : public CliTest {
 protected:
  // Runs serve over the given request lines (plus extra arguments) and
  // returns its answers, one parsed document per line.
  std::vector<rapidjson::Document> serve(const std::vector<std::string>& requests,
                                         const std::vector<std::string>& extra = {}) {
    fs::path in = dir_ / "requests.jsonl";
    {
      std::ofstream f(in, std::ios::binary);
      for (const auto& r : requests) f << r << '\n';
    }
    std::vector<std::string> args = {"serve"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunOptions options;
    options.stdin_file = in;
    last_ = run(args, true, options);
    EXPECT_EQ(last_.exit_code, 0) << last_.err;
    std::vector<rapidjson::Document> answers;
    std::istringstream lines(last_.out);
    for (std::string line; std::getline(lines, line);) {
      answers.emplace_back();
      answers.back().Parse(line.c_str());
      EXPECT_FALSE(answers.back().HasParseError()) << line;
    }
    EXPECT_EQ(answers.size(), requests.size()) << last_.out;
    answers.resize(requests.size());
    return answers;
  }

  Result last_;
};

bool ok(const rapidjson::Value& d) {
  return d.IsObject() && d.HasMember("ok") && d["ok"].IsBool() && d["ok"].GetBool();
}
std::string error_of(const rapidjson::Value& d) {
  return d.IsObject() && d.HasMember("error") ? str(d["error"]) : std::string("<no error>");
}
std::string code_of(const rapidjson::Value& d) {
  return d.IsObject() && d.HasMember("code") ? str(d["code"]) : std::string("<no code>");
}

const std::string kAddT1 = R"({"op":"add_entity","tenant":"t1","entity":{"id":"s","entity_type":"Doc"}})";
const std::string kAddT2 = R"({"op":"add_entity","tenant":"t2","entity":{"id":"s","entity_type":"Doc"}})";

TEST_F(ServeRequests, ARepeatedKeyIsRefusedNamingIt) {
  auto a = serve({kAddT1, kAddT2, R"({"op":"get_entity","tenant":"t1","tenant":"t2","id":"s"})",
                  R"({"op":"get_entity","op":"delete_entity","id":"s"})",
                  R"({"op":"stats","request_id":1,"request_id":2})"});
  ASSERT_TRUE(ok(a[0]) && ok(a[1]));
  for (size_t i = 2; i < a.size(); ++i) {
    EXPECT_FALSE(ok(a[i])) << i;
    EXPECT_EQ(code_of(a[i]), "INVALID_ARGUMENT");
    EXPECT_FALSE(a[i].HasMember("entity")) << i;
    EXPECT_FALSE(a[i].HasMember("request_id")) << i;
  }
  EXPECT_NE(error_of(a[2]).find("key 'tenant' appears twice"), std::string::npos) << error_of(a[2]);
  EXPECT_NE(error_of(a[3]).find("key 'op' appears twice"), std::string::npos) << error_of(a[3]);
  EXPECT_NE(error_of(a[4]).find("key 'request_id' appears twice"), std::string::npos) << error_of(a[4]);
}

// request_id is echoed as it came, so it must be text: raw bytes that are
// not UTF-8 and a \u escape of a lone surrogate are refused, not echoed.
TEST_F(ServeRequests, ARequestIdThatIsNotTextIsRefusedNotEchoed) {
  auto a = serve({"{\"op\":\"backend\",\"request_id\":\"\xffr\"}", R"({"op":"backend","request_id":"\udc00"})",
                  R"({"op":"backend","request_id":"\u00e9"})"});
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_FALSE(ok(a[i])) << i;
    EXPECT_EQ(code_of(a[i]), "INVALID_ARGUMENT");
    EXPECT_FALSE(a[i].HasMember("request_id")) << i;
    EXPECT_NE(error_of(a[i]).find("key 'request_id': not valid UTF-8"), std::string::npos) << error_of(a[i]);
  }
  ASSERT_TRUE(ok(a[2])) << error_of(a[2]);
  EXPECT_EQ(str(a[2]["request_id"]), "\xc3\xa9");
}

TEST_F(ServeRequests, AnUnknownKeyIsRefusedNamingItAndTheOp) {
  auto a = serve({kAddT1, R"({"op":"get_entity","tenant":"t1","id":"s","fields":["id"]})",
                  R"({"op":"get_entity","tennant":"t1","id":"s"})", R"({"op":"backend","tenant":"t1"})",
                  R"({"op":"stats","id":"s"})", R"({"op":"get_entity","tenant":"t1","id":"s","request_id":"r"})"});
  EXPECT_NE(error_of(a[1]).find("unknown key 'fields' for op 'get_entity'"), std::string::npos) << error_of(a[1]);
  EXPECT_NE(error_of(a[1]).find("op, request_id, tenant, id"), std::string::npos) << error_of(a[1]);
  EXPECT_NE(error_of(a[2]).find("unknown key 'tennant'"), std::string::npos) << error_of(a[2]);
  EXPECT_NE(error_of(a[3]).find("unknown key 'tenant' for op 'backend'"), std::string::npos) << error_of(a[3]);
  EXPECT_NE(error_of(a[4]).find("unknown key 'id' for op 'stats'"), std::string::npos) << error_of(a[4]);
  ASSERT_TRUE(ok(a[5])) << error_of(a[5]);
  EXPECT_EQ(str(a[5]["request_id"]), "r");
}

TEST_F(ServeRequests, NeighborsHonoursDirectionAndRelationType) {
  auto rel = [](const char* id, const char* type, const char* from, const char* to) {
    return std::string(R"({"op":"add_relation","relation":{"id":")") + id + R"(","relation_type":")" + type +
           R"(","source_id":")" + from + R"(","target_id":")" + to + R"("}})";
  };
  auto ent = [](const char* id) {
    return std::string(R"({"op":"add_entity","entity":{"id":")") + id + R"(","entity_type":"Doc"}})";
  };
  auto ids = [](const rapidjson::Value& d) {
    std::string out;
    if (!d.HasMember("neighbors")) return std::string("<none>");
    for (const auto& n : d["neighbors"].GetArray()) out += str(n["relation"]["id"]) + " ";
    return out;
  };
  auto a = serve({ent("a"), ent("b"), ent("c"), rel("r1", "KNOWS", "a", "b"), rel("r2", "LIKES", "c", "a"),
                  R"({"op":"neighbors","id":"a"})", R"({"op":"neighbors","id":"a","direction":"out"})",
                  R"({"op":"neighbors","id":"a","direction":"in"})",
                  R"({"op":"neighbors","id":"a","direction":"both","relation_type":"LIKES"})",
                  R"({"op":"neighbors","id":"a","direction":"bogus"})", R"({"op":"neighbors","id":"a","direction":3})",
                  R"({"op":"neighbors","id":"a","relation_type":7})", R"({"op":"neighbors"})"});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(ok(a[i])) << i << ": " << error_of(a[i]);
  EXPECT_EQ(ids(a[5]), "r1 r2 ");
  EXPECT_EQ(ids(a[6]), "r1 ");
  EXPECT_EQ(ids(a[7]), "r2 ");
  EXPECT_EQ(ids(a[8]), "r2 ");
  EXPECT_FALSE(ok(a[9]));
  EXPECT_NE(error_of(a[9]).find("key 'direction': 'bogus' is not one of out, in, both"), std::string::npos)
      << error_of(a[9]);
  EXPECT_NE(error_of(a[10]).find("key 'direction'"), std::string::npos) << error_of(a[10]);
  EXPECT_NE(error_of(a[11]).find("key 'relation_type'"), std::string::npos) << error_of(a[11]);
  EXPECT_NE(error_of(a[12]).find("key 'id'"), std::string::npos) << error_of(a[12]);
}

TEST_F(ServeRequests, AnOverlongLineIsAnsweredWithoutBeingReadAndServingGoesOn) {
  std::string big_id(5000, 'x');
  auto a = serve({kAddT1, R"({"op":"get_entity","tenant":"t1","id":")" + big_id + "\"}",
                  R"({"op":"get_entity","tenant":"t1","id":"s"})"},
                 {"--max-request-bytes", "1000"});
  ASSERT_TRUE(ok(a[0]));
  EXPECT_FALSE(ok(a[1]));
  EXPECT_EQ(code_of(a[1]), "INVALID_ARGUMENT");
  EXPECT_NE(error_of(a[1]).find("line 2: the request is 5041 bytes, over the limit of 1000"), std::string::npos)
      << error_of(a[1]);
  EXPECT_EQ(error_of(a[1]).find("xxxxxxxxxx"), std::string::npos);
  EXPECT_TRUE(ok(a[2])) << error_of(a[2]);
  // A line of exactly the limit is read.
  std::string line = R"({"op":"get_entity","tenant":"t1","id":"s"})";
  auto b = serve({line}, {"--max-request-bytes", std::to_string(line.size())});
  EXPECT_EQ(code_of(b[0]), "NOT_FOUND") << error_of(b[0]);
  EXPECT_EQ(run({"serve", "--max-request-bytes", "0"}).exit_code, 2);
}

TEST_F(ServeRequests, IdsAndTenantsHaveTheLimitsOfImportAndErrorsQuoteAShortPrefix) {
  std::string big_id(5000, 'y');
  std::string big_tenant(300, 'z');
  auto a = serve({R"({"op":"get_entity","id":")" + big_id + "\"}", R"({"op":"delete_relation","id":")" + big_id + "\"}",
                  R"({"op":"neighbors","id":")" + big_id + "\"}", R"({"op":"get_entity","id":""})",
                  R"({"op":"get_entity","tenant":")" + big_tenant + R"(","id":"s"})", R"({"op":")" + big_id + "\"}",
                  R"({"op":"stats","k)" + big_id + "\":1}", R"({"op":"get_entity","id":"a\u0001'b"})"});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(code_of(a[i]), "INVALID_ARGUMENT") << i;
    EXPECT_NE(error_of(a[i]).find("id is longer than 4096 bytes"), std::string::npos) << error_of(a[i]);
  }
  EXPECT_NE(error_of(a[3]).find("id must not be empty"), std::string::npos) << error_of(a[3]);
  EXPECT_NE(error_of(a[4]).find("invalid tenant id"), std::string::npos) << error_of(a[4]);
  EXPECT_NE(error_of(a[5]).find("unknown op 'yyyy"), std::string::npos) << error_of(a[5]);
  EXPECT_NE(error_of(a[6]).find("unknown key 'kyyy"), std::string::npos) << error_of(a[6]);
  for (int i = 0; i < 7; ++i) EXPECT_LT(error_of(a[i]).size(), 400u) << i << ": " << error_of(a[i]);
  // A NOT_FOUND answer for a well-formed id still names it.
  EXPECT_EQ(code_of(a[7]), "NOT_FOUND") << error_of(a[7]);
  // A long id within the limit is named by a short prefix, whichever op and
  // whatever the plugin's message quotes.
  std::string long_id(4000, 'w');
  auto b = serve({R"({"op":"get_entity","id":")" + long_id + R"("})", R"({"op":"get_relation","id":")" + long_id + R"("})",
                  R"({"op":"delete_entity","id":")" + long_id + R"("})", R"({"op":"neighbors","id":")" + long_id + R"("})"});
  for (size_t i = 0; i < b.size(); ++i) {
    EXPECT_EQ(code_of(b[i]), "NOT_FOUND") << i << ": " << error_of(b[i]);
    EXPECT_LT(error_of(b[i]).size(), 400u) << i << ": " << error_of(b[i]);
    EXPECT_NE(error_of(b[i]).find("wwww'... (4000 bytes)"), std::string::npos) << i << ": " << error_of(b[i]);
  }
}

}  // namespace
}  // namespace graphstore::test
