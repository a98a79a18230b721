#include "failure.hpp"

#include <string>

#include "context.hpp"
#include "graphstore/utf8.hpp"
#include "output.hpp"
#include "reports.hpp"

namespace graphstore::cli {
namespace {

bool json_failures = false;

// message with each byte that is not well-formed UTF-8 (a user's argument
// quoted in it may hold any) replaced by U+FFFD, so the document stays JSON.
std::string utf8_text(std::string_view message) {
  std::string out;
  while (!message.empty()) {
    size_t run = sdk::utf8_prefix(message);
    out.append(message.substr(0, run));
    if (run == message.size()) break;
    out.append("\xEF\xBF\xBD");
    message.remove_prefix(run + 1);
  }
  return out;
}

}  // namespace

void set_json_failures(bool on) { json_failures = on; }

void print_failure_document(std::string_view code, std::string_view message) {
  if (json_failures) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      write_failure_members(w, code, utf8_text(message));
      w.EndObject();
    });
  }
}

int report_failure(std::string_view code, std::string_view message, int exit_code) {
  print_error(message);
  print_failure_document(code, message);
  return exit_code;
}

int fail_usage(std::string_view message) { return report_failure(kUsageCode, message, kExitUsage); }

}  // namespace graphstore::cli
