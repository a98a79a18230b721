// A tiny test client for the inmemory plugin: dlopens the built .so, calls
// its vtable directly and copies every result into owned values, so tests
// need neither the core nor its Store (and exercise the raw ABI path).
#ifndef GRAPHSTORE_TESTS_INMEMORY_PLUGIN_CLIENT_HPP
#define GRAPHSTORE_TESTS_INMEMORY_PLUGIN_CLIENT_HPP

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graphstore/abi.h"

namespace gs_test {

struct Entity {
  std::string id;
  std::string type = "thing";
  std::string properties = "{}";
  std::vector<float> embedding;
  int64_t created_at = 1;
  int64_t updated_at = 1;
  std::optional<std::string> source;
  std::string tenant;  // as reported on output
  bool operator==(const Entity&) const = default;
};

struct Relation {
  std::string id;
  std::string type = "links";
  std::string source_id;
  std::string target_id;
  std::string properties = "{}";
  double weight = 1.0;
  int64_t created_at = 1;
  int64_t updated_at = 1;
  std::optional<std::string> source;
  std::string tenant;
  bool operator==(const Relation&) const = default;
};

struct Result {
  gs_status status = GS_OK;
  std::string message;
  bool ok() const { return status == GS_OK; }
};

struct Neighbor {
  Relation relation;
  Entity entity;
};

struct Hit {
  std::string id;
  uint32_t depth;
  std::string via;
  bool operator==(const Hit&) const = default;
};

// A path as its entity ids and relation ids.
struct Path {
  std::vector<std::string> entities;
  std::vector<std::string> relations;
  bool operator==(const Path&) const = default;
};

struct Skip {
  size_t index;
  gs_status status;
  std::string message;
};

// One op of a batch, owning its record.
struct Op {
  int32_t kind;
  Entity entity;
  Relation relation;
  std::string id;
  static Op add(Entity e) { return Op{GS_OP_ADD_ENTITY, std::move(e), {}, {}}; }
  static Op update(Entity e) { return Op{GS_OP_UPDATE_ENTITY, std::move(e), {}, {}}; }
  static Op add(Relation r) { return Op{GS_OP_ADD_RELATION, {}, std::move(r), {}}; }
  static Op update(Relation r) { return Op{GS_OP_UPDATE_RELATION, {}, std::move(r), {}}; }
  static Op delete_entity(std::string id) { return Op{GS_OP_DELETE_ENTITY, {}, {}, std::move(id)}; }
  static Op delete_relation(std::string id) { return Op{GS_OP_DELETE_RELATION, {}, {}, std::move(id)}; }
};

using StatsMap = std::map<std::pair<int32_t, std::string>, uint64_t>;
using Scored = std::vector<std::pair<std::string, double>>;

// prefix followed by n; spelled out because g++ 12 at -O3 reports a false
// -Wrestrict on "literal" + std::to_string(n).
inline std::string cat(std::string prefix, long long n) {
  prefix += std::to_string(n);
  return prefix;
}

gs_str str(const std::string& s);
// A view of a string literal (never of a temporary std::string).
inline gs_str str(const char* s) { return gs_str{s, std::char_traits<char>::length(s)}; }
gs_entity view(const Entity& e);
gs_relation view(const Relation& r);
Entity copy(const gs_entity& e);
Relation copy(const gs_relation& r);

// The plugin library, loaded once per process (path from INMEMORY_PLUGIN_PATH).
const gs_plugin_descriptor* descriptor();

class Client {
 public:
  // Opens a store; check ok() before use.
  explicit Client(const std::string& options = "{}");
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Result& open_result() const { return open_; }
  const gs_store_api* api() const { return api_; }
  gs_store* raw() const { return store_; }

  Result add(const Entity& e, const std::string& tenant = "");
  Result add(const Relation& r, const std::string& tenant = "");
  Result update(const Entity& e, const std::string& tenant = "");
  Result update(const Relation& r, const std::string& tenant = "");
  Result get_entity(const std::string& id, Entity* out, const std::string& tenant = "");
  Result get_relation(const std::string& id, Relation* out, const std::string& tenant = "");
  Result delete_entity(const std::string& id, const std::string& tenant = "");
  Result delete_relation(const std::string& id, const std::string& tenant = "");
  Result neighbors(const std::string& id, int32_t direction, const std::string& type, std::vector<Neighbor>* out,
                   const std::string& tenant = "");
  Result entities(std::vector<Entity>* out, const std::string& tenant = "");
  Result relations(std::vector<Relation>* out, const std::string& tenant = "");
  Result tenants(std::vector<std::string>* out);
  Result batch(const std::vector<Op>& ops, size_t* failed_index, const std::string& tenant = "");

  Result traverse(const std::string& start, int32_t direction, const std::string& type, uint32_t max_depth,
                  uint64_t max_results, std::vector<Hit>* out, bool* truncated, const std::string& tenant = "");
  Result paths(const std::string& source, const std::string& target, const std::string& type, uint32_t max_depth,
               uint64_t max_paths, std::vector<Path>* out, bool* truncated, const std::string& tenant = "");
  Result subgraph(const std::vector<std::string>& ids, std::vector<Entity>* entities, std::vector<Relation>* relations,
                  const std::string& tenant = "");
  Result scan_entities(const std::string& type, const std::string& after_id, uint64_t offset, uint64_t limit,
                       std::vector<std::string>* ids, const std::string& tenant = "");
  Result scan_relations(const std::string& type, const std::string& after_id, uint64_t offset, uint64_t limit,
                        std::vector<std::string>* ids, const std::string& tenant = "");
  Result vector_search(const std::vector<float>& query, uint32_t k, const std::string& type, double min_score,
                       Scored* out, const std::string& tenant = "");
  Result text_search(const std::string& query, int32_t method, uint32_t k, const std::string& type, double min_score,
                     Scored* out, const std::string& tenant = "");
  Result add_entities_bulk(const std::vector<Entity>& items, std::vector<Skip>* skips, uint64_t* added,
                           const std::string& tenant = "");
  Result add_relations_bulk(const std::vector<Relation>& items, std::vector<Skip>* skips, uint64_t* added,
                            const std::string& tenant = "");
  Result stats(StatsMap* out, const std::string& tenant = "");

 private:
  const gs_store_api* api_ = nullptr;
  gs_store* store_ = nullptr;
  Result open_;
};

}  // namespace gs_test

#endif  // GRAPHSTORE_TESTS_INMEMORY_PLUGIN_CLIENT_HPP
