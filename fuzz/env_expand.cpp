// Fuzz target: a config value's text through ${VAR} / ${VAR:-default}
// expansion (core/src/config/env_expand.cpp), under the fixed environment of
// fuzz_env.hpp. Invariants beyond not crashing:
//  - text without "${" comes back unchanged, with no variable named;
//  - escaping every "${" of any text as "$${" and expanding gives the text
//    back (the documented escape works for every text);
//  - the list of variables does not change the result;
//  - an error is INVALID_ARGUMENT, says what is wrong, and never shows a
//    variable's value (the secret).
#include "config/env_expand.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_env.hpp"

namespace {

using graphstore::Code;
using graphstore::Status;
using graphstore::fuzz::check;

std::string escaped(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') out += '$';
    out += text[i];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  graphstore::fuzz::set_fuzz_environment();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string out;
  std::vector<std::string> variables;
  Status s = graphstore::config::expand_env(text, &out, &variables);
  std::string plain_out;
  Status plain = graphstore::config::expand_env(text, &plain_out);
  check(s.code() == plain.code() && s.message() == plain.message() && (!s.ok() || out == plain_out),
        "the variables list changed the expansion");
  if (!s.ok()) {
    check(s.code() == Code::kInvalidArgument && !s.message().empty(), "an expansion error must be INVALID_ARGUMENT",
          s.message());
    if (text.find(graphstore::fuzz::kSecretValue) == std::string_view::npos)
      check(s.message().find(graphstore::fuzz::kSecretValue) == std::string::npos,
            "an expansion error shows a variable's value", s.message());
  } else if (text.find("${") == std::string_view::npos) {
    check(out == text && variables.empty(), "text without a reference must come back unchanged", out);
  }

  std::string back;
  Status e = graphstore::config::expand_env(escaped(text), &back);
  check(e.ok(), "escaped text must expand", e.message());
  check(back == text, "escaping every ${ as $${ must give the text back", back);
  return 0;
}
