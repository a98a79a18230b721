// Fuzz target: the input is what a client writes to `graphstore serve`:
// request lines read by cli/request_lines.cpp (limit 256 bytes here), each
// answered by cli/serve_requests.cpp against a fresh in-memory store opened
// through the registry and the C ABI. Invariants beyond not crashing:
//  - the lines are the input split at '\n' (a trailing '\r' dropped); a line
//    over the limit is reported with its length instead;
//  - every line gets one answer: one line of valid UTF-8 JSON, an object
//    with a boolean "ok", and "code" and "error" strings when it is false;
//  - a request with a well-formed request_id gets it back unchanged.
#include "serve_requests.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "graphstore/registry.hpp"
#include "graphstore/store_handle.hpp"
#include "memory_file.hpp"
#include "request_lines.hpp"

namespace {

using graphstore::fuzz::check;
namespace cli = graphstore::cli;

constexpr size_t kMaxRequest = 256;
constexpr size_t kMaxLines = 64;  // enough to mix writes and reads; keeps a run short

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

// The request_id the answer must echo, or "" when none is due: the line is
// an object whose keys are unique, whose request_id is a number or a string
// of at most 256 bytes, and whose op is known (checked by the answer having
// got past the shape check: it then echoes, and the test compares).
std::string expected_request_id(std::string_view line) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
  if (d.HasParseError() || !d.IsObject()) return "";
  auto it = d.FindMember("request_id");
  if (it == d.MemberEnd()) return "";
  return json_text(it->value);
}

void check_answer(std::string_view line, const std::string& answer) {
  check(answer.find('\n') == std::string::npos, "an answer must be one line", answer);
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(answer.data(), answer.size());
  check(!d.HasParseError() && d.IsObject(), "an answer must be a JSON object in valid UTF-8", answer);
  auto ok = d.FindMember("ok");
  check(ok != d.MemberEnd() && ok->value.IsBool(), "an answer must have a boolean 'ok'", answer);
  if (!ok->value.GetBool()) {
    auto code = d.FindMember("code"), error = d.FindMember("error");
    check(code != d.MemberEnd() && code->value.IsString() && error != d.MemberEnd() && error->value.IsString() &&
              error->value.GetStringLength() > 0,
          "a failed answer must have 'code' and 'error' strings", answer);
  }
  auto echoed = d.FindMember("request_id");
  if (echoed != d.MemberEnd()) {
    std::string want = expected_request_id(line);
    check(!want.empty() && json_text(echoed->value) == want, "an answer echoes a request_id the request did not have",
          answer);
  }
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The registry and a store held open keep the plugin loaded between
  // inputs; each input gets a store of its own, so none sees another's data.
  static graphstore::Registry registry{{GRAPHSTORE_FUZZ_PLUGIN_DIR}};
  static std::unique_ptr<graphstore::Store> pin = [] {
    std::unique_ptr<graphstore::Store> s;
    graphstore::Status st = registry.open("inmemory", "{}", &s);
    check(st.ok(), "the inmemory plugin does not open", st.message());
    return s;
  }();
  (void)pin;
  std::unique_ptr<graphstore::Store> store;
  graphstore::Status st = registry.open("inmemory", "{}", &store);
  check(st.ok(), "the inmemory plugin does not open", st.message());
  graphstore::StoreHandle handle(std::move(store));
  std::atomic<uint64_t> swaps{0};
  cli::ServeHost host{.handle = &handle, .environment = "fuzz", .swaps = &swaps, .reload = [] {
                        return graphstore::Unavailable("reload: no config in the fuzz host");
                      }};

  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> want = split_lines(text);
  graphstore::fuzz::MemoryFile file(data, size);
  cli::RequestLines reader(file.fd(), kMaxRequest);
  std::string line;
  uint64_t too_long = 0;
  size_t n = 0;
  for (cli::RequestLines::Next next; (next = reader.next(&line, &too_long)) != cli::RequestLines::Next::kEnd; ++n) {
    check(n < want.size(), "more request lines than the input holds");
    std::string_view raw = want[n];
    std::string_view trimmed = raw;
    if (!trimmed.empty() && trimmed.back() == '\r') trimmed.remove_suffix(1);
    std::string answer;
    if (next == cli::RequestLines::Next::kTooLong) {
      check(trimmed.size() > kMaxRequest, "a line within the limit was reported as too long", raw);
      check(too_long == trimmed.size() || too_long == raw.size(), "a too-long line's length is wrong",
            std::to_string(too_long) + " for " + std::to_string(raw.size()));
      answer = cli::answer_too_long(n + 1, too_long, kMaxRequest);
    } else {
      check(line == trimmed, "a request line came back different from the input's", raw);
      if (n >= kMaxLines) continue;
      answer = cli::answer_request(host, line, n + 1);
    }
    check_answer(line, answer);
  }
  check(n == want.size(), "fewer request lines than the input holds");
  return 0;
}
