#include "conformance.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace graphstore::conformance {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::string(fallback);
}

void replace_all(std::string* s, const std::string& from, const std::string& to) {
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size()))
    s->replace(pos, from.size(), to);
}

// Merges the members of extra (a JSON object) into base (a JSON object).
bool merge_json_objects(const std::string& base, const std::string& extra, std::string* out) {
  rapidjson::Document b, e;
  b.Parse(base.c_str());
  e.Parse(extra.c_str());
  if (b.HasParseError() || !b.IsObject() || e.HasParseError() || !e.IsObject()) return false;
  for (auto it = e.MemberBegin(); it != e.MemberEnd(); ++it) {
    rapidjson::Value key(it->name, b.GetAllocator());
    rapidjson::Value value(it->value, b.GetAllocator());
    b.RemoveMember(key);
    b.AddMember(key, value, b.GetAllocator());
  }
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  b.Accept(w);
  *out = sb.GetString();
  return true;
}

}  // namespace

void PrintTo(const Backend& backend, std::ostream* os) {
  *os << (backend.metered ? "metered " : "") << backend.plugin << " " << backend.options;
}

std::vector<Backend> backends_under_test() {
  Backend b{env_or("GRAPHSTORE_CONFORMANCE_BACKEND", "inmemory"), env_or("GRAPHSTORE_CONFORMANCE_OPTIONS", "{}")};
  constexpr std::string_view kMetered = "metered:";
  if (b.plugin.rfind(kMetered, 0) == 0) {
    b.plugin.erase(0, kMetered.size());
    b.metered = true;
  }
  return {b};
}

std::string expand_options(const std::string& options, const std::filesystem::path& tmpdir, const std::string& unique) {
  std::string out = options;
  replace_all(&out, "@TMPDIR@", tmpdir.string());
  replace_all(&out, "@UNIQUE@", unique);
  return out;
}

void ConformanceTest::SetUp() {
  static std::atomic<int> counter{0};
  std::string unique = "gs" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  tmpdir_ = std::filesystem::temp_directory_path() / ("graphstore-conformance-" + unique);
  std::filesystem::create_directories(tmpdir_);
  options_ = expand_options(GetParam().options, tmpdir_, unique);
  registry_ = std::make_unique<Registry>(std::vector<std::filesystem::path>{GRAPHSTORE_CONFORMANCE_PLUGIN_DIR});
  Status s = registry_->open(GetParam().plugin, options_, &store_);
  ASSERT_TRUE(s.ok()) << "cannot open backend '" << GetParam().plugin << "' with options " << options_ << ": "
                      << s.to_string();
  if (GetParam().metered) store_->enable_metrics();
}

void ConformanceTest::TearDown() {
  store_.reset();
  registry_.reset();
  std::error_code ec;
  std::filesystem::remove_all(tmpdir_, ec);
}

Status ConformanceTest::open_with_extra_options(const std::string& extra_json, std::unique_ptr<Store>* out) {
  std::string merged;
  if (!merge_json_objects(options_, extra_json, &merged))
    return InvalidArgument("test setup: options are not JSON objects: " + options_ + " / " + extra_json);
  Status s = registry_->open(GetParam().plugin, merged, out);
  if (s.ok() && GetParam().metered) (*out)->enable_metrics();
  return s;
}

void ConformanceTest::for_each_mode(const std::function<void()>& fn) {
  for (bool defaults : {false, true}) {
    SCOPED_TRACE(defaults ? "with the core's Tier 2 defaults" : "with the plugin's native Tier 2 slots");
    store_->set_force_defaults(defaults);
    fn();
  }
  store_->set_force_defaults(false);
}

Entity make_entity(std::string id, std::string type, std::string properties, std::vector<float> embedding) {
  Entity e;
  e.id = std::move(id);
  e.entity_type = std::move(type);
  e.properties = std::move(properties);
  e.embedding = std::move(embedding);
  return e;
}

Relation make_relation(std::string id, std::string source_id, std::string target_id, std::string type, double weight) {
  Relation r;
  r.id = std::move(id);
  r.relation_type = std::move(type);
  r.source_id = std::move(source_id);
  r.target_id = std::move(target_id);
  r.weight = weight;
  return r;
}

VectorQuery vector_query(std::vector<float> v, uint32_t k, std::string type, double min_score) {
  VectorQuery q;
  q.vector = std::move(v);
  q.k = k;
  q.entity_type = std::move(type);
  q.min_score = min_score;
  return q;
}

TextQuery text_query(std::string text, TextMethod method, uint32_t k) {
  TextQuery q;
  q.text = std::move(text);
  q.method = method;
  q.k = k;
  return q;
}

ScanOptions scan_of_type(std::string type) {
  ScanOptions o;
  o.type = std::move(type);
  return o;
}

std::vector<Entity> all_entities(Store& store, std::string_view tenant) {
  std::vector<Entity> out;
  Status s = store.for_each_entity(tenant, [&](const Entity& e) {
    out.push_back(e);
    return true;
  });
  EXPECT_TRUE(IsOk(s));
  std::sort(out.begin(), out.end(), [](const Entity& a, const Entity& b) { return a.id < b.id; });
  return out;
}

std::vector<Relation> all_relations(Store& store, std::string_view tenant) {
  std::vector<Relation> out;
  Status s = store.for_each_relation(tenant, [&](const Relation& r) {
    out.push_back(r);
    return true;
  });
  EXPECT_TRUE(IsOk(s));
  std::sort(out.begin(), out.end(), [](const Relation& a, const Relation& b) { return a.id < b.id; });
  return out;
}

std::vector<std::string> ids_of(const std::vector<Entity>& entities) {
  std::vector<std::string> ids;
  for (const auto& e : entities) ids.push_back(e.id);
  return ids;
}

std::vector<std::string> ids_of(const std::vector<Relation>& relations) {
  std::vector<std::string> ids;
  for (const auto& r : relations) ids.push_back(r.id);
  return ids;
}

std::vector<Entity> scan_entities(Store& store, std::string_view tenant, const ScanOptions& options, Status* status) {
  std::vector<Entity> out;
  Status s = store.scan_entities(tenant, options, [&](const Entity& e) {
    out.push_back(e);
    return true;
  });
  if (status) *status = s;
  return out;
}

std::vector<Relation> scan_relations(Store& store, std::string_view tenant, const ScanOptions& options,
                                     Status* status) {
  std::vector<Relation> out;
  Status s = store.scan_relations(tenant, options, [&](const Relation& r) {
    out.push_back(r);
    return true;
  });
  if (status) *status = s;
  return out;
}

::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected OK, got " << s.to_string();
}

::testing::AssertionResult HasCode(const Status& s, Code code) {
  if (s.code() == code) return ::testing::AssertionSuccess() << s.to_string();
  return ::testing::AssertionFailure() << "expected " << code_name(code) << ", got " << s.to_string();
}

}  // namespace graphstore::conformance
