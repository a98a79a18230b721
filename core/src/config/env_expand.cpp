// Environment-variable expansion in config values.
//
// Syntax (a subset of the shell's, as in docker-compose):
//   ${NAME}            the value of NAME (empty when set but empty); an
//                      error if NAME is unset.
//   ${NAME:-default}   the value of NAME if set and non-empty, else default
//                      (itself expanded, so defaults may nest: ${A:-${B}}).
//   $${                the escape: a literal "${", never expanded. We chose
//                      "$${" over "\${" because a backslash is an escape
//                      character inside YAML double quotes ("\$" is invalid
//                      YAML there), while "$$" means the same in every style.
// A '$' not followed by '{' (or "$$" not followed by '{') is kept as is, so
// passwords containing '$' need no escaping. NAME is [A-Za-z_][A-Za-z0-9_]*.
// What was expanded is text: yaml_to_json.cpp never types it as a number,
// boolean or null.
#include "config/env_expand.hpp"

#include <cstdlib>

namespace graphstore::config {
namespace {

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

// The index of the '}' closing the reference whose body starts at `from`,
// skipping nested references; npos when unterminated.
size_t closing_brace(std::string_view text, size_t from) {
  int depth = 0;
  for (size_t i = from; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (text[i] == '}') {
      if (depth == 0) return i;
      --depth;
    }
  }
  return std::string_view::npos;
}

Status expand_reference(std::string_view body, std::string* out, std::vector<std::string>* variables) {
  size_t n = 0;
  while (n < body.size() && (n == 0 ? name_start(body[n]) : name_char(body[n]))) ++n;
  std::string name(body.substr(0, n));
  std::string_view rest = body.substr(n);
  bool has_default = rest.substr(0, 2) == ":-";
  if (n == 0 || (!rest.empty() && !has_default))
    return InvalidArgument("invalid variable reference '${" + std::string(body) +
                           "}': use ${NAME} or ${NAME:-default}");
  if (variables != nullptr) variables->push_back(name);
  const char* value = std::getenv(name.c_str());
  if (has_default) {
    if (value != nullptr && *value != '\0') {
      out->append(value);
      return Status::Ok();
    }
    std::string fallback;
    if (Status s = expand_env(rest.substr(2), &fallback, variables); !s.ok()) return s;
    out->append(fallback);
    return Status::Ok();
  }
  if (value == nullptr) return InvalidArgument("environment variable " + name + " is not set");
  out->append(value);
  return Status::Ok();
}

}  // namespace

Status expand_env(std::string_view text, std::string* out, std::vector<std::string>* variables) {
  std::string result;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "$${") {
      result += "${";
      i += 2;
      continue;
    }
    if (text.substr(i, 2) != "${") {
      result += text[i];
      continue;
    }
    size_t end = closing_brace(text, i + 2);
    if (end == std::string_view::npos)
      return InvalidArgument("unterminated variable reference '" + std::string(text.substr(i)) + "'");
    if (Status s = expand_reference(text.substr(i + 2, end - i - 2), &result, variables); !s.ok()) return s;
    i = end;
  }
  *out = std::move(result);
  return Status::Ok();
}

}  // namespace graphstore::config
