// graphstore plugin helper: write an ordinary C++ class, get the C vtable.
//
// A plugin author writes a class with the Tier 1 methods below, declares the
// Tier 2 and optional slots it implements natively, and names it once with
// GS_DEFINE_PLUGIN(Class, "id", "Name", "version", capabilities, threading):
//   class MyStore {
//    public:
//     using native_slots = sdk::Slots<sdk::Slot::traverse, sdk::Slot::get_stats>;
//     ...
//   };
// make_api fills exactly the declared slots; a declared slot without its
// method, or a method named like a Tier 2 slot that is not declared, is a
// compile error naming the slot. The others stay NULL and the core runs its
// defaults. Every thunk catches every exception: sdk::Error carries its own
// status, std::bad_alloc becomes GS_RESOURCE_EXHAUSTED ("<slot>: out of
// memory") and anything else GS_INTERNAL, so nothing ever unwinds into the
// host.
//
// The class's methods, all returning sdk::Status (examples/plugin/ is the
// smallest complete plugin: a Tier 1 store over std::map, built out of tree):
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
// Tier 2 and optional slots (same arguments as the C slots, minus store and
// errbuf; sinks as Sink<>, `int32_t* truncated` as bool*), each only when
// listed in native_slots:
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
// A decorator may instead pass slots through unchanged: forwarded_slots and
// forward_slot, at make_api below.
#ifndef GRAPHSTORE_PLUGIN_HPP
#define GRAPHSTORE_PLUGIN_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "graphstore/abi.h"

namespace graphstore::sdk {

// A status code plus a message; OK carries no message and allocates nothing.
// [[nodiscard]]: a dropped status is a lost error. One predicate per code,
// named is_<code> after GS_<CODE> (the host's graphstore::Status uses the
// same names).
struct [[nodiscard]] Status {
  gs_status code = GS_OK;
  std::string message;

  static Status Ok() { return {}; }
  bool ok() const { return code == GS_OK; }
  bool is_not_found() const { return code == GS_NOT_FOUND; }
  bool is_already_exists() const { return code == GS_ALREADY_EXISTS; }
  bool is_invalid_argument() const { return code == GS_INVALID_ARGUMENT; }
  bool is_unsupported() const { return code == GS_UNSUPPORTED; }
  bool is_unavailable() const { return code == GS_UNAVAILABLE; }
  bool is_resource_exhausted() const { return code == GS_RESOURCE_EXHAUSTED; }
  bool is_corruption() const { return code == GS_CORRUPTION; }
  bool is_permission_denied() const { return code == GS_PERMISSION_DENIED; }
  bool is_internal() const { return code == GS_INTERNAL; }
  bool is_abi_mismatch() const { return code == GS_ABI_MISMATCH; }
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

// Copies head then tail into err as one message, as write_error does;
// allocates nothing.
inline void write_error(gs_errbuf* err, std::string_view head, std::string_view tail) {
  if (err == nullptr || err->data == nullptr || err->capacity == 0) return;
  size_t room = err->capacity - 1;
  size_t a = head.size() < room ? head.size() : room;
  size_t b = tail.size() < room - a ? tail.size() : room - a;
  // An empty view may have no data pointer, which memcpy must not get.
  if (a > 0) std::memcpy(err->data, head.data(), a);
  if (b > 0) std::memcpy(err->data + a, tail.data(), b);
  err->data[a + b] = '\0';
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
// op names the slot in an out-of-memory message: std::bad_alloc says nothing
// of where it came from, and a host seeing "out of memory" from a batch
// import needs to know which call ran out.
template <class F>
gs_status guard(std::string_view op, gs_errbuf* err, F&& f) noexcept {
  try {
    Status s = f();
    if (!s.ok()) write_error(err, s.message);
    return s.code;
  } catch (const Error& e) {
    write_error(err, e.what());
    return e.code();
  } catch (const std::bad_alloc&) {
    write_error(err, op, op.empty() ? "out of memory" : ": out of memory");
    return GS_RESOURCE_EXHAUSTED;
  } catch (const std::exception& e) {
    // Not through a std::string: this handler may run out of memory too, and
    // an exception leaving a noexcept function ends the process.
    write_error(err, "internal error: ", e.what());
    return GS_INTERNAL;
  } catch (...) {
    write_error(err, "internal error: unknown exception");
    return GS_INTERNAL;
  }
}

// The same without an operation name (callers outside the thunks).
template <class F>
gs_status guard(gs_errbuf* err, F&& f) noexcept {
  return guard(std::string_view(), err, std::forward<F>(f));
}

template <class T>
T* self(gs_store* s) {
  return reinterpret_cast<T*>(s);
}

template <class T>
struct Thunks {
  static gs_status open(const gs_host* host, gs_str options, gs_store** out,
                        gs_errbuf* err) {
    return guard(__func__, err, [&] {
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
    return guard(__func__, err, [&] { return self<T>(s)->add_entity(view(t), *e); });
  }
  static gs_status get_entity(gs_store* s, gs_str t, gs_str id, gs_entity_sink fn,
                              void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->get_entity(view(t), view(id), EntitySink{fn, ctx}); });
  }
  static gs_status update_entity(gs_store* s, gs_str t, const gs_entity* e, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->update_entity(view(t), *e); });
  }
  static gs_status delete_entity(gs_store* s, gs_str t, gs_str id, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->delete_entity(view(t), view(id)); });
  }
  static gs_status add_relation(gs_store* s, gs_str t, const gs_relation* r, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->add_relation(view(t), *r); });
  }
  static gs_status get_relation(gs_store* s, gs_str t, gs_str id, gs_relation_sink fn,
                                void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->get_relation(view(t), view(id), RelationSink{fn, ctx}); });
  }
  static gs_status update_relation(gs_store* s, gs_str t, const gs_relation* r, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->update_relation(view(t), *r); });
  }
  static gs_status delete_relation(gs_store* s, gs_str t, gs_str id, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->delete_relation(view(t), view(id)); });
  }
  static gs_status get_neighbors(gs_store* s, gs_str t, gs_str id, int32_t dir, gs_str rt,
                                 gs_neighbor_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] {
      return self<T>(s)->get_neighbors(view(t), view(id), dir, view(rt), NeighborSink{fn, ctx});
    });
  }
  static gs_status for_each_entity(gs_store* s, gs_str t, gs_entity_sink fn, void* ctx,
                                   gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->for_each_entity(view(t), EntitySink{fn, ctx}); });
  }
  static gs_status for_each_relation(gs_store* s, gs_str t, gs_relation_sink fn, void* ctx,
                                     gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->for_each_relation(view(t), RelationSink{fn, ctx}); });
  }
  static gs_status list_tenants(gs_store* s, gs_tenant_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->list_tenants(TenantSink{fn, ctx}); });
  }
  static gs_status apply_batch(gs_store* s, gs_str t, const gs_write_op* const* ops, size_t n,
                               size_t* failed, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->apply_batch(view(t), ops, n, failed); });
  }

  static gs_status traverse(gs_store* s, gs_str t, const gs_traverse_params* p,
                            gs_traverse_sink fn, void* ctx, int32_t* truncated, gs_errbuf* err) {
    return guard(__func__, err, [&] {
      bool trunc = false;
      Status st = self<T>(s)->traverse(view(t), *p, TraverseSink{fn, ctx}, &trunc);
      if (truncated) *truncated = trunc ? 1 : 0;
      return st;
    });
  }
  static gs_status find_paths(gs_store* s, gs_str t, const gs_paths_params* p, gs_path_sink fn,
                              void* ctx, int32_t* truncated, gs_errbuf* err) {
    return guard(__func__, err, [&] {
      bool trunc = false;
      Status st = self<T>(s)->find_paths(view(t), *p, PathSink{fn, ctx}, &trunc);
      if (truncated) *truncated = trunc ? 1 : 0;
      return st;
    });
  }
  static gs_status subgraph(gs_store* s, gs_str t, const gs_str* ids, size_t n,
                            gs_entity_sink efn, gs_relation_sink rfn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] {
      return self<T>(s)->subgraph(view(t), ids, n, EntitySink{efn, ctx}, RelationSink{rfn, ctx});
    });
  }
  static gs_status scan_entities(gs_store* s, gs_str t, const gs_scan_params* p,
                                 gs_entity_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->scan_entities(view(t), *p, EntitySink{fn, ctx}); });
  }
  static gs_status scan_relations(gs_store* s, gs_str t, const gs_scan_params* p,
                                  gs_relation_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->scan_relations(view(t), *p, RelationSink{fn, ctx}); });
  }
  static gs_status vector_search(gs_store* s, gs_str t, const gs_vector_params* p,
                                 gs_scored_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->vector_search(view(t), *p, ScoredSink{fn, ctx}); });
  }
  static gs_status text_search(gs_store* s, gs_str t, const gs_text_params* p,
                               gs_scored_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->text_search(view(t), *p, ScoredSink{fn, ctx}); });
  }
  static gs_status add_entities_bulk(gs_store* s, gs_str t, const gs_entity* const* items,
                                     size_t n, gs_skip_sink fn, void* ctx, uint64_t* added,
                                     gs_errbuf* err) {
    return guard(__func__, err, [&] {
      return self<T>(s)->add_entities_bulk(view(t), items, n, SkipSink{fn, ctx}, added);
    });
  }
  static gs_status add_relations_bulk(gs_store* s, gs_str t, const gs_relation* const* items,
                                      size_t n, gs_skip_sink fn, void* ctx, uint64_t* added,
                                      gs_errbuf* err) {
    return guard(__func__, err, [&] {
      return self<T>(s)->add_relations_bulk(view(t), items, n, SkipSink{fn, ctx}, added);
    });
  }
  static gs_status get_stats(gs_store* s, gs_str t, gs_stats_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->get_stats(view(t), StatsSink{fn, ctx}); });
  }
  static gs_status collect_gauges(gs_store* s, gs_gauge_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->collect_gauges(GaugeSink{fn, ctx}); });
  }
  static gs_status collect_state(gs_store* s, gs_state_sink fn, void* ctx, gs_errbuf* err) {
    return guard(__func__, err, [&] { return self<T>(s)->collect_state(StateSink{fn, ctx}); });
  }
  static gs_status clear(gs_store* s, gs_str t, int32_t scope, gs_removed* removed, gs_errbuf* err) {
    return guard(__func__, err, [&] {
      gs_removed counts{sizeof(gs_removed), 0, 0};
      Status st = self<T>(s)->clear(view(t), scope, &counts);
      if (st.ok() && removed != nullptr) removed->entities = counts.entities, removed->relations = counts.relations;
      return st;
    });
  }
  static gs_status delete_by_source(gs_store* s, gs_str t, gs_str source, gs_removed* removed, gs_errbuf* err) {
    return guard(__func__, err, [&] {
      gs_removed counts{sizeof(gs_removed), 0, 0};
      Status st = self<T>(s)->delete_by_source(view(t), view(source), &counts);
      if (st.ok() && removed != nullptr) removed->entities = counts.entities, removed->relations = counts.relations;
      return st;
    });
  }
};

}  // namespace detail

// A slot of gs_store_api after open and close, named as in abi_slots.h.
enum class Slot : uint32_t {
#define GS_SLOT_ENUMERATOR(name, kind, minor) name = GS_SLOT_INDEX_##name,
  GS_STORE_API_SLOTS(GS_SLOT_ENUMERATOR)
#undef GS_SLOT_ENUMERATOR
};

// What the slot list says of slot S: its gs_store_api member, name, kind
// (GS_SLOT_*), the minor that added it and where it ends in the table (a
// reader of an older plugin's table needs struct_size >= end).
template <Slot S>
struct SlotInfo;
#define GS_SLOT_INFO(slot_, kind_, minor_)                                                     \
  template <>                                                                                  \
  struct SlotInfo<Slot::slot_> {                                                               \
    static constexpr auto member = &gs_store_api::slot_;                                       \
    static constexpr std::string_view name = #slot_;                                           \
    static constexpr int kind = kind_;                                                         \
    static constexpr int minor = minor_;                                                       \
    static constexpr size_t end = offsetof(gs_store_api, slot_) + sizeof(gs_store_api::slot_); \
  };
GS_STORE_API_SLOTS(GS_SLOT_INFO)
#undef GS_SLOT_INFO

// A set of slots, as a plugin class declares them:
//   using native_slots = sdk::Slots<sdk::Slot::traverse, sdk::Slot::get_stats>;
template <Slot... S>
struct Slots {
  static constexpr bool contains(Slot s) { return ((s == S) || ...); }
};

namespace detail {

// Whether T lists s in native_slots, or with forwarded in forwarded_slots
// (each list is optional).
template <class T>
constexpr bool declares(Slot s, bool forwarded) {
  if constexpr (requires { typename T::native_slots; })
    if (!forwarded && T::native_slots::contains(s)) return true;
  if constexpr (requires { typename T::forwarded_slots; })
    if (forwarded && T::forwarded_slots::contains(s)) return true;
  return false;
}

// The thunk of a forwarded slot: passes the C arguments but store and errbuf
// to T::forward_slot<S>, under the same guard as the others.
template <class T, Slot S, class Fn>
struct Forwarder;
template <class T, Slot S, class... A>
struct Forwarder<T, S, gs_status (*)(gs_store*, A...)> {
  static gs_status call(gs_store* s, A... args) {
    return call_with(std::make_index_sequence<sizeof...(A) - 1>{}, s, std::forward_as_tuple(args...));
  }
  template <size_t... I>
  static gs_status call_with(std::index_sequence<I...>, gs_store* s, std::tuple<A&...> all) {
    gs_errbuf* err = std::get<sizeof...(A) - 1>(all);
    return guard(SlotInfo<S>::name, err, [&] { return self<T>(s)->template forward_slot<S>(std::get<I>(all)...); });
  }
};

}  // namespace detail

// The vtable for T, generated from GS_STORE_API_SLOTS. Each slot is filled
// one of three ways, and every mismatch is a compile error naming the slot:
//  - Tier 1 slots from the method of the same name, always;
//  - Tier 2 and optional slots from their method when T declares them in
//    `using native_slots = Slots<...>`. A declared slot without the method
//    fails, and so does a method named like such a slot that native_slots
//    leaves out (a misspelt or undeclared method never leaves a slot NULL
//    unnoticed);
//  - any slot listed in `using forwarded_slots = Slots<...>` from
//    `template <sdk::Slot S, class... A> Status forward_slot(A... args)`,
//    which receives the C arguments but store and errbuf (a decorator passes
//    them on to the store it wraps). Such a slot has no method of its name.
// Undeclared Tier 2 and optional slots stay NULL: the core runs its default.
template <class T>
gs_store_api make_api() {
  using K = detail::Thunks<T>;
  gs_store_api api{};
  api.struct_size = sizeof(gs_store_api);
  api.open = &K::open;
  api.close = &K::close;
#define GS_FILL_SLOT(name, kind, minor)                                                                    \
  {                                                                                                        \
    constexpr bool has_method = requires { &T::name; };                                                    \
    constexpr bool native = detail::declares<T>(Slot::name, false);                                        \
    constexpr bool forwarded = detail::declares<T>(Slot::name, true);                                      \
    static_assert(!(native && forwarded), "slot '" #name "' is in both native_slots and forwarded_slots"); \
    static_assert(!(native && (kind) == GS_SLOT_TIER1),                                                    \
                  "slot '" #name "' is Tier 1: it is always filled, leave it out of native_slots");        \
    static_assert(!forwarded || !has_method,                                                               \
                  "slot '" #name "' is in forwarded_slots but the class also has a method '" #name "'");   \
    static_assert(forwarded || (kind) != GS_SLOT_TIER1 || has_method,                                      \
                  "Tier 1 slot '" #name "' has no method '" #name "' in the plugin class");                \
    static_assert(!native || has_method,                                                                   \
                  "native_slots declares '" #name "' but the plugin class has no method '" #name "'");     \
    static_assert(native || forwarded || (kind) == GS_SLOT_TIER1 || !has_method,                           \
                  "the plugin class has a method '" #name "' that native_slots does not declare");         \
    if constexpr (forwarded)                                                                               \
      api.name = &detail::Forwarder<T, Slot::name, decltype(gs_store_api::name)>::call;                    \
    else if constexpr (native || (kind) == GS_SLOT_TIER1)                                                  \
      api.name = &K::name;                                                                                 \
  }
  GS_STORE_API_SLOTS(GS_FILL_SLOT)
#undef GS_FILL_SLOT
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
