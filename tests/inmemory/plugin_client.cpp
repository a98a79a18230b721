#include "plugin_client.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace gs_test {
namespace {

struct ErrBuf {
  char buf[1024] = {0};
  gs_errbuf err{buf, sizeof buf};
};

Result result(gs_status st, const ErrBuf& e) { return Result{st, st == GS_OK ? std::string() : std::string(e.buf)}; }

std::string to_string(gs_str s) { return s.data ? std::string(s.data, s.len) : std::string(); }

}  // namespace

gs_str str(const std::string& s) { return gs_str{s.data(), s.size()}; }

gs_entity view(const Entity& e) {
  gs_entity v{};
  v.struct_size = sizeof v;
  v.id = str(e.id);
  v.entity_type = str(e.type);
  v.properties_json = str(e.properties);
  v.embedding = e.embedding.empty() ? nullptr : e.embedding.data();
  v.embedding_dim = uint32_t(e.embedding.size());
  v.created_at = e.created_at;
  v.updated_at = e.updated_at;
  v.source = e.source ? str(*e.source) : gs_str{nullptr, 0};
  v.tenant_id = str(e.tenant);
  return v;
}

gs_relation view(const Relation& r) {
  gs_relation v{};
  v.struct_size = sizeof v;
  v.id = str(r.id);
  v.relation_type = str(r.type);
  v.source_id = str(r.source_id);
  v.target_id = str(r.target_id);
  v.properties_json = str(r.properties);
  v.weight = r.weight;
  v.created_at = r.created_at;
  v.updated_at = r.updated_at;
  v.source = r.source ? str(*r.source) : gs_str{nullptr, 0};
  v.tenant_id = str(r.tenant);
  return v;
}

Entity copy(const gs_entity& v) {
  Entity e;
  e.id = to_string(v.id);
  e.type = to_string(v.entity_type);
  e.properties = to_string(v.properties_json);
  e.embedding.assign(v.embedding, v.embedding + v.embedding_dim);
  e.created_at = v.created_at;
  e.updated_at = v.updated_at;
  if (v.source.data) e.source = to_string(v.source);
  e.tenant = to_string(v.tenant_id);
  return e;
}

Relation copy(const gs_relation& v) {
  Relation r;
  r.id = to_string(v.id);
  r.type = to_string(v.relation_type);
  r.source_id = to_string(v.source_id);
  r.target_id = to_string(v.target_id);
  r.properties = to_string(v.properties_json);
  r.weight = v.weight;
  r.created_at = v.created_at;
  r.updated_at = v.updated_at;
  if (v.source.data) r.source = to_string(v.source);
  r.tenant = to_string(v.tenant_id);
  return r;
}

const gs_plugin_descriptor* descriptor() {
  static const gs_plugin_descriptor* d = [] {
    void* lib = dlopen(INMEMORY_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      std::fprintf(stderr, "dlopen %s: %s\n", INMEMORY_PLUGIN_PATH, dlerror());
      std::abort();
    }
    auto entry = reinterpret_cast<gs_plugin_entry_fn>(dlsym(lib, GS_PLUGIN_ENTRY_SYMBOL));
    if (!entry) std::abort();
    const gs_plugin_descriptor* out = nullptr;
    ErrBuf e;
    if (entry(nullptr, &out, &e.err) != GS_OK) std::abort();
    return out;
  }();
  return d;
}

Client::Client(const std::string& options) : api_(descriptor()->api) {
  ErrBuf e;
  gs_status st = api_->open(nullptr, str(options), &store_, &e.err);
  open_ = result(st, e);
  if (st != GS_OK) store_ = nullptr;
}

Client::~Client() {
  if (store_) api_->close(store_);
}

Result Client::add(const Entity& x, const std::string& tenant) {
  gs_entity v = view(x);
  ErrBuf e;
  return result(api_->add_entity(store_, str(tenant), &v, &e.err), e);
}

Result Client::add(const Relation& x, const std::string& tenant) {
  gs_relation v = view(x);
  ErrBuf e;
  return result(api_->add_relation(store_, str(tenant), &v, &e.err), e);
}

Result Client::update(const Entity& x, const std::string& tenant) {
  gs_entity v = view(x);
  ErrBuf e;
  return result(api_->update_entity(store_, str(tenant), &v, &e.err), e);
}

Result Client::update(const Relation& x, const std::string& tenant) {
  gs_relation v = view(x);
  ErrBuf e;
  return result(api_->update_relation(store_, str(tenant), &v, &e.err), e);
}

Result Client::get_entity(const std::string& id, Entity* out, const std::string& tenant) {
  auto fn = +[](void* ctx, const gs_entity* v) -> int32_t {
    *static_cast<Entity*>(ctx) = copy(*v);
    return 0;
  };
  ErrBuf e;
  return result(api_->get_entity(store_, str(tenant), str(id), fn, out, &e.err), e);
}

Result Client::get_relation(const std::string& id, Relation* out, const std::string& tenant) {
  auto fn = +[](void* ctx, const gs_relation* v) -> int32_t {
    *static_cast<Relation*>(ctx) = copy(*v);
    return 0;
  };
  ErrBuf e;
  return result(api_->get_relation(store_, str(tenant), str(id), fn, out, &e.err), e);
}

Result Client::delete_entity(const std::string& id, const std::string& tenant) {
  ErrBuf e;
  return result(api_->delete_entity(store_, str(tenant), str(id), &e.err), e);
}

Result Client::delete_relation(const std::string& id, const std::string& tenant) {
  ErrBuf e;
  return result(api_->delete_relation(store_, str(tenant), str(id), &e.err), e);
}

Result Client::neighbors(const std::string& id, int32_t direction, const std::string& type, std::vector<Neighbor>* out,
                         const std::string& tenant) {
  out->clear();
  auto fn = +[](void* ctx, const gs_relation* r, const gs_entity* n) -> int32_t {
    static_cast<std::vector<Neighbor>*>(ctx)->push_back(Neighbor{copy(*r), copy(*n)});
    return 0;
  };
  ErrBuf e;
  return result(api_->get_neighbors(store_, str(tenant), str(id), direction, str(type), fn, out, &e.err), e);
}

Result Client::entities(std::vector<Entity>* out, const std::string& tenant) {
  out->clear();
  auto fn = +[](void* ctx, const gs_entity* v) -> int32_t {
    static_cast<std::vector<Entity>*>(ctx)->push_back(copy(*v));
    return 0;
  };
  ErrBuf e;
  return result(api_->for_each_entity(store_, str(tenant), fn, out, &e.err), e);
}

Result Client::relations(std::vector<Relation>* out, const std::string& tenant) {
  out->clear();
  auto fn = +[](void* ctx, const gs_relation* v) -> int32_t {
    static_cast<std::vector<Relation>*>(ctx)->push_back(copy(*v));
    return 0;
  };
  ErrBuf e;
  return result(api_->for_each_relation(store_, str(tenant), fn, out, &e.err), e);
}

Result Client::tenants(std::vector<std::string>* out) {
  out->clear();
  auto fn = +[](void* ctx, gs_str t) -> int32_t {
    static_cast<std::vector<std::string>*>(ctx)->push_back(to_string(t));
    return 0;
  };
  ErrBuf e;
  return result(api_->list_tenants(store_, fn, out, &e.err), e);
}

Result Client::batch(const std::vector<Op>& ops, size_t* failed_index, const std::string& tenant) {
  std::vector<gs_entity> entities(ops.size());
  std::vector<gs_relation> relations(ops.size());
  std::vector<gs_write_op> raw(ops.size());
  std::vector<const gs_write_op*> ptrs;
  for (size_t i = 0; i < ops.size(); ++i) {
    raw[i].struct_size = sizeof(gs_write_op);
    raw[i].kind = ops[i].kind;
    entities[i] = view(ops[i].entity);
    relations[i] = view(ops[i].relation);
    raw[i].entity = &entities[i];
    raw[i].relation = &relations[i];
    raw[i].id = str(ops[i].id);
    ptrs.push_back(&raw[i]);
  }
  ErrBuf e;
  return result(api_->apply_batch(store_, str(tenant), ptrs.data(), ptrs.size(), failed_index, &e.err), e);
}

Result Client::traverse(const std::string& start, int32_t direction, const std::string& type, uint32_t max_depth,
                        uint64_t max_results, std::vector<Hit>* out, bool* truncated, const std::string& tenant) {
  out->clear();
  gs_traverse_params p{};
  p.struct_size = sizeof p;
  p.start_id = str(start);
  p.direction = direction;
  p.relation_type = str(type);
  p.max_depth = max_depth;
  p.max_results = max_results;
  auto fn = +[](void* ctx, const gs_entity* e, uint32_t depth, const gs_relation* via) -> int32_t {
    static_cast<std::vector<Hit>*>(ctx)->push_back(
        Hit{to_string(e->id), depth, via ? to_string(via->id) : std::string()});
    return 0;
  };
  int32_t t = -1;
  ErrBuf e;
  Result r = result(api_->traverse(store_, str(tenant), &p, fn, out, &t, &e.err), e);
  *truncated = t == 1;
  return r;
}

Result Client::paths(const std::string& source, const std::string& target, const std::string& type, uint32_t max_depth,
                     uint64_t max_paths, std::vector<Path>* out, bool* truncated, const std::string& tenant) {
  out->clear();
  gs_paths_params p{};
  p.struct_size = sizeof p;
  p.source_id = str(source);
  p.target_id = str(target);
  p.relation_type = str(type);
  p.max_depth = max_depth;
  p.max_paths = max_paths;
  auto fn = +[](void* ctx, const gs_entity* const* es, size_t ne, const gs_relation* const* rs, size_t nr) -> int32_t {
    Path path;
    for (size_t i = 0; i < ne; ++i) path.entities.push_back(to_string(es[i]->id));
    for (size_t i = 0; i < nr; ++i) path.relations.push_back(to_string(rs[i]->id));
    static_cast<std::vector<Path>*>(ctx)->push_back(std::move(path));
    return 0;
  };
  int32_t t = -1;
  ErrBuf e;
  Result r = result(api_->find_paths(store_, str(tenant), &p, fn, out, &t, &e.err), e);
  *truncated = t == 1;
  return r;
}

Result Client::subgraph(const std::vector<std::string>& ids, std::vector<Entity>* entities,
                        std::vector<Relation>* relations, const std::string& tenant) {
  entities->clear();
  relations->clear();
  std::vector<gs_str> raw;
  for (const auto& id : ids) raw.push_back(str(id));
  struct Ctx {
    std::vector<Entity>* entities;
    std::vector<Relation>* relations;
  } ctx{entities, relations};
  auto on_entity = +[](void* c, const gs_entity* v) -> int32_t {
    static_cast<Ctx*>(c)->entities->push_back(copy(*v));
    return 0;
  };
  auto on_relation = +[](void* c, const gs_relation* v) -> int32_t {
    static_cast<Ctx*>(c)->relations->push_back(copy(*v));
    return 0;
  };
  ErrBuf e;
  return result(api_->subgraph(store_, str(tenant), raw.data(), raw.size(), on_entity, on_relation, &ctx, &e.err), e);
}

static gs_scan_params scan_params(const std::string& type, const std::string& after_id, uint64_t offset,
                                  uint64_t limit) {
  gs_scan_params p{};
  p.struct_size = sizeof p;
  p.type = str(type);
  p.after_id = str(after_id);
  p.offset = offset;
  p.limit = limit;
  return p;
}

Result Client::scan_entities(const std::string& type, const std::string& after_id, uint64_t offset, uint64_t limit,
                             std::vector<std::string>* ids, const std::string& tenant) {
  ids->clear();
  gs_scan_params p = scan_params(type, after_id, offset, limit);
  auto fn = +[](void* ctx, const gs_entity* v) -> int32_t {
    static_cast<std::vector<std::string>*>(ctx)->push_back(to_string(v->id));
    return 0;
  };
  ErrBuf e;
  return result(api_->scan_entities(store_, str(tenant), &p, fn, ids, &e.err), e);
}

Result Client::scan_relations(const std::string& type, const std::string& after_id, uint64_t offset, uint64_t limit,
                              std::vector<std::string>* ids, const std::string& tenant) {
  ids->clear();
  gs_scan_params p = scan_params(type, after_id, offset, limit);
  auto fn = +[](void* ctx, const gs_relation* v) -> int32_t {
    static_cast<std::vector<std::string>*>(ctx)->push_back(to_string(v->id));
    return 0;
  };
  ErrBuf e;
  return result(api_->scan_relations(store_, str(tenant), &p, fn, ids, &e.err), e);
}

static int32_t scored_sink(void* ctx, const gs_entity* v, double score) {
  static_cast<Scored*>(ctx)->emplace_back(to_string(v->id), score);
  return 0;
}

Result Client::vector_search(const std::vector<float>& query, uint32_t k, const std::string& type, double min_score,
                             Scored* out, const std::string& tenant) {
  out->clear();
  gs_vector_params p{};
  p.struct_size = sizeof p;
  p.query = query.empty() ? nullptr : query.data();
  p.dim = uint32_t(query.size());
  p.k = k;
  p.entity_type = str(type);
  p.min_score = min_score;
  ErrBuf e;
  return result(api_->vector_search(store_, str(tenant), &p, scored_sink, out, &e.err), e);
}

Result Client::text_search(const std::string& query, int32_t method, uint32_t k, const std::string& type,
                           double min_score, Scored* out, const std::string& tenant) {
  out->clear();
  gs_text_params p{};
  p.struct_size = sizeof p;
  p.query = str(query);
  p.method = method;
  p.k = k;
  p.entity_type = str(type);
  p.min_score = min_score;
  ErrBuf e;
  return result(api_->text_search(store_, str(tenant), &p, scored_sink, out, &e.err), e);
}

static int32_t skip_sink(void* ctx, size_t index, gs_status status, gs_str message) {
  static_cast<std::vector<Skip>*>(ctx)->push_back(Skip{index, status, to_string(message)});
  return 1;  // ignored by contract: every skip is reported anyway
}

Result Client::add_entities_bulk(const std::vector<Entity>& items, std::vector<Skip>* skips, uint64_t* added,
                                 const std::string& tenant) {
  skips->clear();
  std::vector<gs_entity> views;
  for (const auto& x : items) views.push_back(view(x));
  std::vector<const gs_entity*> ptrs;
  for (const auto& v : views) ptrs.push_back(&v);
  ErrBuf e;
  return result(api_->add_entities_bulk(store_, str(tenant), ptrs.data(), ptrs.size(), skip_sink, skips, added, &e.err),
                e);
}

Result Client::add_relations_bulk(const std::vector<Relation>& items, std::vector<Skip>* skips, uint64_t* added,
                                  const std::string& tenant) {
  skips->clear();
  std::vector<gs_relation> views;
  for (const auto& x : items) views.push_back(view(x));
  std::vector<const gs_relation*> ptrs;
  for (const auto& v : views) ptrs.push_back(&v);
  ErrBuf e;
  return result(
      api_->add_relations_bulk(store_, str(tenant), ptrs.data(), ptrs.size(), skip_sink, skips, added, &e.err), e);
}

Result Client::stats(StatsMap* out, const std::string& tenant) {
  out->clear();
  auto fn = +[](void* ctx, int32_t kind, gs_str type, uint64_t count) -> int32_t {
    auto* m = static_cast<StatsMap*>(ctx);
    auto key = std::make_pair(kind, to_string(type));
    if (m->count(key)) std::abort();  // one row per (kind, type)
    (*m)[key] = count;
    return 0;
  };
  ErrBuf e;
  return result(api_->get_stats(store_, str(tenant), fn, out, &e.err), e);
}

}  // namespace gs_test
