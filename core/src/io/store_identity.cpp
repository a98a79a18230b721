// store_identity (graphstore/migrate.hpp): where a configured store's data
// lives, from the options that say so, for a migration checkpoint. The
// options are read by name (an allow-list): a password, in its own option or
// inside a PostgreSQL connection string, is never copied.
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <string_view>

#include "graphstore/migrate.hpp"

namespace graphstore {
namespace {

namespace fs = std::filesystem;

// A file the plugin opens relative to the current directory, made absolute;
// SQLite's ":memory:" and "file:" URIs are names, not paths.
std::string absolute_path(std::string_view path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return std::string(path);
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(path), ec);
  return ec ? std::string(path) : p.lexically_normal().string();
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Whether a keyword or URI parameter name, percent-decoded and in any case,
// is "password": whatever libpq might read as one is left out.
bool names_password(std::string_view name) {
  std::string plain;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '%' && i + 2 < name.size() && std::isxdigit(static_cast<unsigned char>(name[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(name[i + 2]))) {
      c = static_cast<char>(std::stoi(std::string(name.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
    plain.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return plain == "password";
}

// A postgresql:// URI without the password of its user part and without a
// password parameter.
std::string uri_without_password(std::string_view uri) {
  size_t scheme_end = uri.find("://") + 3;
  size_t auth_end = uri.find_first_of("/?", scheme_end);
  if (auth_end == std::string_view::npos) auth_end = uri.size();
  std::string_view auth = uri.substr(scheme_end, auth_end - scheme_end);
  std::string out(uri.substr(0, scheme_end));
  if (size_t at = auth.rfind('@'); at != std::string_view::npos) {
    std::string_view user = auth.substr(0, at);
    out.append(user.substr(0, user.find(':')));
    out.append(auth.substr(at));
  } else {
    out.append(auth);
  }
  std::string_view rest = uri.substr(auth_end);
  size_t q = rest.find('?');
  out.append(rest.substr(0, q));
  if (q == std::string_view::npos) return out;
  std::string kept;
  std::string_view params = rest.substr(q + 1);
  while (!params.empty()) {
    size_t amp = params.find('&');
    std::string_view param = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    if (param.empty() || names_password(param.substr(0, param.find('=')))) continue;
    kept.append(kept.empty() ? "" : "&").append(param);
  }
  if (!kept.empty()) out.append("?").append(kept);
  return out;
}

// A libpq "key=value ..." string without its password pair; values keep
// their quoting. False when it cannot be read (libpq would refuse it too).
bool keywords_without_password(std::string_view dsn, std::string* out) {
  out->clear();
  size_t i = 0;
  for (;;) {
    while (i < dsn.size() && is_space(dsn[i])) ++i;
    if (i == dsn.size()) return true;
    size_t key_begin = i;
    while (i < dsn.size() && is_key_char(dsn[i])) ++i;
    std::string_view key = dsn.substr(key_begin, i - key_begin);
    while (i < dsn.size() && is_space(dsn[i])) ++i;
    if (key.empty() || i == dsn.size() || dsn[i] != '=') return false;
    ++i;
    while (i < dsn.size() && is_space(dsn[i])) ++i;
    size_t value_begin = i;
    if (i < dsn.size() && dsn[i] == '\'') {
      for (++i;; ++i) {
        if (i >= dsn.size()) return false;
        if (dsn[i] == '\\') {
          ++i;
        } else if (dsn[i] == '\'') {
          ++i;
          break;
        }
      }
    } else {
      for (; i < dsn.size() && !is_space(dsn[i]); ++i)
        if (dsn[i] == '\\') ++i;
      i = std::min(i, dsn.size());
    }
    if (names_password(key)) continue;
    out->append(out->empty() ? "" : " ").append(key).append("=").append(dsn.substr(value_begin, i - value_begin));
  }
}

std::string dsn_without_password(std::string_view dsn) {
  if (dsn.starts_with("postgresql://") || dsn.starts_with("postgres://")) return uri_without_password(dsn);
  std::string out;
  if (!keywords_without_password(dsn, &out)) return "(unreadable, not recorded)";
  return out;
}

std::string scalar_text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  return std::string();
}

std::string describe_options(const rapidjson::Value& options, int depth);

// A decorator's section {backend, options}: "BACKEND: LOCATION".
std::string describe_section(const rapidjson::Value& section, int depth) {
  if (!section.IsObject()) return std::string();
  std::string out;
  if (auto b = section.FindMember("backend"); b != section.MemberEnd() && b->value.IsString())
    out = b->value.GetString();
  if (auto o = section.FindMember("options"); o != section.MemberEnd()) {
    std::string inner = describe_options(o->value, depth + 1);
    if (!inner.empty()) out.append(out.empty() ? "" : ": ").append(inner);
  }
  return out;
}

// The location options in a fixed order, "key=value, ...". Pool sizes,
// timeouts, TLS files and passwords say nothing about which data it is.
std::string describe_options(const rapidjson::Value& options, int depth) {
  if (!options.IsObject() || depth > 4) return std::string();
  std::string out;
  auto add = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) out.append(out.empty() ? "" : ", ").append(key).append("=").append(value);
  };
  auto member = [&](const char* key) -> const rapidjson::Value* {
    auto it = options.FindMember(key);
    return it == options.MemberEnd() ? nullptr : &it->value;
  };
  if (const auto* v = member("path"); v && v->IsString()) add("path", absolute_path(v->GetString()));
  // aiecs_reference names the reference's SQLite file so.
  if (const auto* v = member("sqlite_path"); v && v->IsString()) add("sqlite_path", absolute_path(v->GetString()));
  if (const auto* v = member("dsn"); v && v->IsString()) add("dsn", dsn_without_password(v->GetString()));
  for (const char* key : {"host", "port", "database", "user", "schema"})
    if (const auto* v = member(key)) add(key, scalar_text(*v));
  if (const auto* v = member("journal_path"); v && v->IsString()) add("journal_path", absolute_path(v->GetString()));
  for (const char* key : {"primary", "fallback"})
    if (const auto* v = member(key)) {
      std::string inner = describe_section(*v, depth);
      if (!inner.empty()) add(key, "(" + inner + ")");
    }
  return out;
}

}  // namespace

StoreIdentity store_identity(const BackendConfig& config) {
  StoreIdentity id;
  id.environment = config.environment;
  rapidjson::Document doc;
  // With its length: the NUL-terminated form may take RapidJSON's SSE2
  // whitespace skip (record_decoder.cpp turns it on, and a unity batch
  // shares it), whose aligned loads read past the string's end (ASan).
  doc.Parse<rapidjson::kParseIterativeFlag>(config.options_json.data(), config.options_json.size());
  if (!doc.HasParseError()) id.location = describe_options(doc, 0);
  return id;
}

}  // namespace graphstore
