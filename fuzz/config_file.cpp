// Fuzz target: the input is a graphstore.yaml (core/src/config:
// config_file.cpp over yaml-cpp, yaml_to_json.cpp, env_expand.cpp), read
// under the fixed environment of fuzz_env.hpp: every environment it lists is
// loaded, then an environment it does not hold. Invariants beyond not
// crashing:
//  - every error says where: its message starts with "FILE:LINE: ";
//  - a section that loads has a backend, options that are a JSON object,
//    and a line for each option key it reports (only keys the object has);
//  - no message shows the secret variable's value unless the file itself
//    holds it;
//  - yaml_to_json of the text gives valid JSON when it succeeds.
#include <rapidjson/document.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_env.hpp"
#include "graphstore/config.hpp"
#include "memory_file.hpp"

namespace {

using graphstore::Code;
using graphstore::Status;
using graphstore::fuzz::check;

void check_error(const Status& s, const std::string& file, bool secret_in_input) {
  check(!s.message().empty(), "a config error must say why");
  check(s.code() == Code::kInvalidArgument || s.code() == Code::kNotFound,
        "a config error must be INVALID_ARGUMENT or NOT_FOUND", s.message());
  const std::string& m = s.message();
  bool located = m.rfind(file + ":", 0) == 0;
  size_t at = file.size() + 1, digits = 0;
  while (located && at + digits < m.size() && std::isdigit(static_cast<unsigned char>(m[at + digits]))) ++digits;
  located = located && digits > 0 && m.compare(at + digits, 1, ":") == 0;
  check(located, "a config error must start with FILE:LINE: (or FILE:LINE:COLUMN: from the YAML parser)", m);
  if (!secret_in_input)
    check(m.find(graphstore::fuzz::kSecretValue) == std::string::npos, "a config error shows a secret", m);
}

void check_loaded(const graphstore::BackendConfig& c, std::string_view env) {
  check(c.environment == env, "the section loaded is not the one asked for", c.environment);
  check(!c.backend.empty(), "a section that loads must name a backend");
  rapidjson::Document doc;
  doc.Parse(c.options_json.data(), c.options_json.size());
  check(!doc.HasParseError() && doc.IsObject(), "options must be a JSON object's text", c.options_json);
  for (const auto& [key, line] : c.option_lines) {
    check(doc.HasMember(rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), doc.GetAllocator())),
          "an option line names a key the options do not have", key);
    check(line >= 1, "an option's line must be 1 or more", key);
  }
  for (const auto& [key, vars] : c.option_variables)
    check(c.option_lines.count(key) == 1, "variables are listed for an option that has no line", key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  graphstore::fuzz::set_fuzz_environment();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool secret_in_input = text.find(graphstore::fuzz::kSecretValue) != std::string_view::npos;
  graphstore::fuzz::MemoryFile file(data, size);
  const std::string path = file.path();

  std::vector<std::string> envs;
  Status s = graphstore::list_environments(path, &envs);
  if (!s.ok()) {
    check_error(s, path, secret_in_input);
  } else {
    size_t tried = 0;
    for (const std::string& env : envs) {
      if (++tried > 8) break;  // a file may list thousands; a few show the checks
      graphstore::BackendConfig c;
      Status l = graphstore::load_backend_config(path, env, &c);
      if (l.ok()) {
        check_loaded(c, env);
      } else {
        check_error(l, path, secret_in_input);
      }
    }
    graphstore::BackendConfig absent;
    Status l = graphstore::load_backend_config(path, "no-such-environment-here", &absent);
    check(!l.ok(), "an environment the file does not list must not load");
    check_error(l, path, secret_in_input);
  }

  std::string json;
  if (graphstore::yaml_to_json(text, "fuzz input", &json).ok()) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    check(!doc.HasParseError(), "yaml_to_json gave text that is not JSON", json);
  }
  return 0;
}
