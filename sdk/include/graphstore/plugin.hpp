// graphstore plugin helper: write an ordinary C++ class, get the C vtable.
//
// A plugin author writes a class with the Tier 1 methods below (and any Tier 2
// methods it implements natively), then names it once with
// GS_DEFINE_PLUGIN(Class, "id", "Name", "version", capabilities, threading).
// Every thunk catches every exception: sdk::Error carries its own status,
// std::bad_alloc becomes GS_RESOURCE_EXHAUSTED and anything else GS_INTERNAL,
// so nothing ever unwinds into the host. Tier 2 slots are filled only for the
// methods the class declares; the others stay NULL and the core runs its
// defaults.
//
// The class's methods, all returning sdk::Status (see tests and
// plugins/inmemory for a complete example):
//   static Status open(const gs_host*, std::string_view options_json,
//                      std::unique_ptr<Class>* out);
//   Status add_entity(std::string_view tenant, const gs_entity&);
//   Status get_entity(std::string_view tenant, std::string_view id, EntitySink);
//   Status update_entity(std::string_view tenant, const gs_entity&);
//   Status delete_entity(std::string_view tenant, std::string_view id);
//   Status add_relation / update_relation(std::string_view, const gs_relation&);
//   Status get_relation(std::string_view, std::string_view id, RelationSink);
//   Status delete_relation(std::string_view tenant, std::string_view id);
//   Status get_neighbors(std::string_view tenant, std::string_view id,
//                        int32_t direction, std::string_view relation_type,
//                        NeighborSink);
//   Status for_each_entity(std::string_view tenant, EntitySink);
//   Status for_each_relation(std::string_view tenant, RelationSink);
//   Status list_tenants(TenantSink);
//   Status apply_batch(std::string_view tenant, const gs_write_op* const*,
//                      size_t n, size_t* failed_index);
// Optional Tier 2 (same arguments as the C slots, minus store and errbuf):
//   traverse, find_paths, subgraph, scan_entities, scan_relations,
//   vector_search, text_search, add_entities_bulk, add_relations_bulk,
//   get_stats, collect_gauges (ABI 1.1: Status collect_gauges(GaugeSink)),
//   collect_state (ABI 1.2: Status collect_state(StateSink)),
//   clear (ABI 1.3: Status clear(std::string_view tenant, int32_t scope,
//          gs_removed* removed)),
//   delete_by_source (ABI 1.3: Status delete_by_source(std::string_view
//          tenant, std::string_view source, gs_removed* removed)).
// A removal method may leave *removed's counts at zero when it removed
// nothing; the thunk zeroes them before the call.
#ifndef GRAPHSTORE_PLUGIN_HPP
#define GRAPHSTORE_PLUGIN_HPP

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "graphstore/abi.h"

namespace graphstore::sdk {

// A status code plus a message; OK carries no message and allocates nothing.
struct Status {
  gs_status code = GS_OK;
  std::string message;

  static Status Ok() { return {}; }
  bool ok() const { return code == GS_OK; }
};

inline Status make_error(gs_status code, std::string message) {
  return Status{code, std::move(message)};
}

// An exception a plugin may throw from deep inside; the thunk turns it into
// its status and message.
class Error : public std::runtime_error {
 public:
  Error(gs_status code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  gs_status code() const { return code_; }

 private:
  gs_status code_;
};

inline std::string_view view(gs_str s) {
  return s.data == nullptr ? std::string_view() : std::string_view(s.data, s.len);
}
inline gs_str str(std::string_view s) { return gs_str{s.data(), s.size()}; }
inline constexpr gs_str null_str() { return gs_str{nullptr, 0}; }

// Copies message into err, truncating to its capacity, always terminating.
inline void write_error(gs_errbuf* err, std::string_view message) {
  if (err == nullptr || err->data == nullptr || err->capacity == 0) return;
  size_t n = message.size() < err->capacity - 1 ? message.size() : err->capacity - 1;
  std::memcpy(err->data, message.data(), n);
  err->data[n] = '\0';
}

// A host callback plus its context. Calling it returns true to go on.
template <class Fn>
struct Sink {
  Fn fn;
  void* ctx;
  template <class... A>
  bool operator()(A&&... args) const {
    return fn(ctx, std::forward<A>(args)...) == 0;
  }
};
using EntitySink = Sink<gs_entity_sink>;
using RelationSink = Sink<gs_relation_sink>;
using NeighborSink = Sink<gs_neighbor_sink>;
using TraverseSink = Sink<gs_traverse_sink>;
using PathSink = Sink<gs_path_sink>;
using ScoredSink = Sink<gs_scored_sink>;
using TenantSink = Sink<gs_tenant_sink>;
using StatsSink = Sink<gs_stats_sink>;
using GaugeSink = Sink<gs_gauge_sink>;
using StateSink = Sink<gs_state_sink>;
using SkipSink = Sink<gs_skip_sink>;

// Reports one gauge from collect_gauges.
inline void report_gauge(const GaugeSink& sink, std::string_view name, std::string_view help, double value) {
  sink(gs_str{name.data(), name.size()}, gs_str{help.data(), help.size()}, value);
}

// Reports one line of state from collect_state.
inline void report_state(const StateSink& sink, std::string_view key, std::string_view value) {
  sink(gs_str{key.data(), key.size()}, gs_str{value.data(), value.size()});
}

namespace detail {

// Runs f, mapping its Status or any exception to a status code and message.
template <class F>
gs_status guard(gs_errbuf* err, F&& f) noexcept {
  try {
    Status s = f();
    if (!s.ok()) write_error(err, s.message);
    return s.code;
  } catch (const Error& e) {
    write_error(err, e.what());
    return e.code();
  } catch (const std::bad_alloc&) {
    write_error(err, "out of memory");
    return GS_RESOURCE_EXHAUSTED;
  } catch (const std::exception& e) {
    write_error(err, std::string("internal error: ") + e.what());
    return GS_INTERNAL;
  } catch (...) {
    write_error(err, "internal error: unknown exception");
    return GS_INTERNAL;
  }
}

template <class T>
T* self(gs_store* s) {
  return reinterpret_cast<T*>(s);
}

template <class T>
struct Thunks {
  static gs_status open(const gs_host* host, gs_str options, gs_store** out,
                        gs_errbuf* err) {
    return guard(err, [&] {
      std::unique_ptr<T> store;
      Status s = T::open(host, view(options), &store);
      if (s.ok()) *out = reinterpret_cast<gs_store*>(store.release());
      return s;
    });
  }
  static void close(gs_store* s) {
    try {
      delete self<T>(s);
    } catch (...) {
    }
  }
  static gs_status add_entity(gs_store* s, gs_str t, const gs_entity* e, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->add_entity(view(t), *e); });
  }
  static gs_status get_entity(gs_store* s, gs_str t, gs_str id, gs_entity_sink fn,
                              void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->get_entity(view(t), view(id), EntitySink{fn, ctx}); });
  }
  static gs_status update_entity(gs_store* s, gs_str t, const gs_entity* e, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->update_entity(view(t), *e); });
  }
  static gs_status delete_entity(gs_store* s, gs_str t, gs_str id, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->delete_entity(view(t), view(id)); });
  }
  static gs_status add_relation(gs_store* s, gs_str t, const gs_relation* r, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->add_relation(view(t), *r); });
  }
  static gs_status get_relation(gs_store* s, gs_str t, gs_str id, gs_relation_sink fn,
                                void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->get_relation(view(t), view(id), RelationSink{fn, ctx}); });
  }
  static gs_status update_relation(gs_store* s, gs_str t, const gs_relation* r, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->update_relation(view(t), *r); });
  }
  static gs_status delete_relation(gs_store* s, gs_str t, gs_str id, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->delete_relation(view(t), view(id)); });
  }
  static gs_status get_neighbors(gs_store* s, gs_str t, gs_str id, int32_t dir, gs_str rt,
                                 gs_neighbor_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] {
      return self<T>(s)->get_neighbors(view(t), view(id), dir, view(rt), NeighborSink{fn, ctx});
    });
  }
  static gs_status for_each_entity(gs_store* s, gs_str t, gs_entity_sink fn, void* ctx,
                                   gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->for_each_entity(view(t), EntitySink{fn, ctx}); });
  }
  static gs_status for_each_relation(gs_store* s, gs_str t, gs_relation_sink fn, void* ctx,
                                     gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->for_each_relation(view(t), RelationSink{fn, ctx}); });
  }
  static gs_status list_tenants(gs_store* s, gs_tenant_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->list_tenants(TenantSink{fn, ctx}); });
  }
  static gs_status apply_batch(gs_store* s, gs_str t, const gs_write_op* const* ops, size_t n,
                               size_t* failed, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->apply_batch(view(t), ops, n, failed); });
  }

  static gs_status traverse(gs_store* s, gs_str t, const gs_traverse_params* p,
                            gs_traverse_sink fn, void* ctx, int32_t* truncated, gs_errbuf* err) {
    return guard(err, [&] {
      bool trunc = false;
      Status st = self<T>(s)->traverse(view(t), *p, TraverseSink{fn, ctx}, &trunc);
      if (truncated) *truncated = trunc ? 1 : 0;
      return st;
    });
  }
  static gs_status find_paths(gs_store* s, gs_str t, const gs_paths_params* p, gs_path_sink fn,
                              void* ctx, int32_t* truncated, gs_errbuf* err) {
    return guard(err, [&] {
      bool trunc = false;
      Status st = self<T>(s)->find_paths(view(t), *p, PathSink{fn, ctx}, &trunc);
      if (truncated) *truncated = trunc ? 1 : 0;
      return st;
    });
  }
  static gs_status subgraph(gs_store* s, gs_str t, const gs_str* ids, size_t n,
                            gs_entity_sink efn, gs_relation_sink rfn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] {
      return self<T>(s)->subgraph(view(t), ids, n, EntitySink{efn, ctx}, RelationSink{rfn, ctx});
    });
  }
  static gs_status scan_entities(gs_store* s, gs_str t, const gs_scan_params* p,
                                 gs_entity_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->scan_entities(view(t), *p, EntitySink{fn, ctx}); });
  }
  static gs_status scan_relations(gs_store* s, gs_str t, const gs_scan_params* p,
                                  gs_relation_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->scan_relations(view(t), *p, RelationSink{fn, ctx}); });
  }
  static gs_status vector_search(gs_store* s, gs_str t, const gs_vector_params* p,
                                 gs_scored_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->vector_search(view(t), *p, ScoredSink{fn, ctx}); });
  }
  static gs_status text_search(gs_store* s, gs_str t, const gs_text_params* p,
                               gs_scored_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->text_search(view(t), *p, ScoredSink{fn, ctx}); });
  }
  static gs_status add_entities_bulk(gs_store* s, gs_str t, const gs_entity* const* items,
                                     size_t n, gs_skip_sink fn, void* ctx, uint64_t* added,
                                     gs_errbuf* err) {
    return guard(err, [&] {
      return self<T>(s)->add_entities_bulk(view(t), items, n, SkipSink{fn, ctx}, added);
    });
  }
  static gs_status add_relations_bulk(gs_store* s, gs_str t, const gs_relation* const* items,
                                      size_t n, gs_skip_sink fn, void* ctx, uint64_t* added,
                                      gs_errbuf* err) {
    return guard(err, [&] {
      return self<T>(s)->add_relations_bulk(view(t), items, n, SkipSink{fn, ctx}, added);
    });
  }
  static gs_status get_stats(gs_store* s, gs_str t, gs_stats_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->get_stats(view(t), StatsSink{fn, ctx}); });
  }
  static gs_status collect_gauges(gs_store* s, gs_gauge_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->collect_gauges(GaugeSink{fn, ctx}); });
  }
  static gs_status collect_state(gs_store* s, gs_state_sink fn, void* ctx, gs_errbuf* err) {
    return guard(err, [&] { return self<T>(s)->collect_state(StateSink{fn, ctx}); });
  }
  static gs_status clear(gs_store* s, gs_str t, int32_t scope, gs_removed* removed, gs_errbuf* err) {
    return guard(err, [&] {
      gs_removed counts{sizeof(gs_removed), 0, 0};
      Status st = self<T>(s)->clear(view(t), scope, &counts);
      if (st.ok() && removed != nullptr) removed->entities = counts.entities, removed->relations = counts.relations;
      return st;
    });
  }
  static gs_status delete_by_source(gs_store* s, gs_str t, gs_str source, gs_removed* removed, gs_errbuf* err) {
    return guard(err, [&] {
      gs_removed counts{sizeof(gs_removed), 0, 0};
      Status st = self<T>(s)->delete_by_source(view(t), view(source), &counts);
      if (st.ok() && removed != nullptr) removed->entities = counts.entities, removed->relations = counts.relations;
      return st;
    });
  }
};

}  // namespace detail

// The vtable for T: Tier 1 always, Tier 2 where T declares the method.
template <class T>
gs_store_api make_api() {
  using K = detail::Thunks<T>;
  gs_store_api api{};
  api.struct_size = sizeof(gs_store_api);
  api.open = &K::open;
  api.close = &K::close;
  api.add_entity = &K::add_entity;
  api.get_entity = &K::get_entity;
  api.update_entity = &K::update_entity;
  api.delete_entity = &K::delete_entity;
  api.add_relation = &K::add_relation;
  api.get_relation = &K::get_relation;
  api.update_relation = &K::update_relation;
  api.delete_relation = &K::delete_relation;
  api.get_neighbors = &K::get_neighbors;
  api.for_each_entity = &K::for_each_entity;
  api.for_each_relation = &K::for_each_relation;
  api.list_tenants = &K::list_tenants;
  api.apply_batch = &K::apply_batch;
  if constexpr (requires { &T::traverse; }) api.traverse = &K::traverse;
  if constexpr (requires { &T::find_paths; }) api.find_paths = &K::find_paths;
  if constexpr (requires { &T::subgraph; }) api.subgraph = &K::subgraph;
  if constexpr (requires { &T::scan_entities; }) api.scan_entities = &K::scan_entities;
  if constexpr (requires { &T::scan_relations; }) api.scan_relations = &K::scan_relations;
  if constexpr (requires { &T::vector_search; }) api.vector_search = &K::vector_search;
  if constexpr (requires { &T::text_search; }) api.text_search = &K::text_search;
  if constexpr (requires { &T::add_entities_bulk; }) api.add_entities_bulk = &K::add_entities_bulk;
  if constexpr (requires { &T::add_relations_bulk; }) api.add_relations_bulk = &K::add_relations_bulk;
  if constexpr (requires { &T::get_stats; }) api.get_stats = &K::get_stats;
  if constexpr (requires { &T::collect_gauges; }) api.collect_gauges = &K::collect_gauges;
  if constexpr (requires { &T::collect_state; }) api.collect_state = &K::collect_state;
  if constexpr (requires { &T::clear; }) api.clear = &K::clear;
  if constexpr (requires { &T::delete_by_source; }) api.delete_by_source = &K::delete_by_source;
  return api;
}

}  // namespace graphstore::sdk

// Defines the plugin's one exported entry point for class CLASS.
#define GS_DEFINE_PLUGIN(CLASS, ID, NAME, VERSION, CAPABILITIES, THREADING)          \
  extern "C" GS_PLUGIN_EXPORT gs_status gs_plugin_entry(                             \
      const gs_host* host, const gs_plugin_descriptor** out, gs_errbuf* err) {       \
    (void)host;                                                                      \
    static const gs_store_api api = ::graphstore::sdk::make_api<CLASS>();            \
    static const gs_plugin_descriptor descriptor = {                                 \
        sizeof(gs_plugin_descriptor), GS_ABI_MAJOR, GS_ABI_MINOR, ID, NAME, VERSION, \
        CAPABILITIES, THREADING, &api};                                              \
    if (out == nullptr) {                                                            \
      ::graphstore::sdk::write_error(err, "gs_plugin_entry: out is NULL");           \
      return GS_INVALID_ARGUMENT;                                                    \
    }                                                                                \
    *out = &descriptor;                                                              \
    return GS_OK;                                                                    \
  }

#endif  // GRAPHSTORE_PLUGIN_HPP
