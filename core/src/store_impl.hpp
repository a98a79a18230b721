// Store's private state and the helpers its files share (store.cpp,
// store_tier1.cpp, store_tier2.cpp, store_bulk.cpp, store_health.cpp).
#ifndef GRAPHSTORE_CORE_STORE_IMPL_HPP
#define GRAPHSTORE_CORE_STORE_IMPL_HPP

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "convert.hpp"
#include "graphstore/store.hpp"
#include "metered.hpp"
#include "reentry.hpp"
#include "write_stamps.hpp"

namespace graphstore {

class Library;

struct Store::Impl {
  Impl(std::shared_ptr<Library> library, const gs_plugin_descriptor* descriptor, gs_store* handle, PluginInfo info)
      : library(std::move(library)),
        descriptor(descriptor),
        api(descriptor->api),
        handle(handle),
        info(std::move(info)),
        serial(descriptor->threading != GS_THREADING_CONCURRENT) {}

  // Holds the store's mutex for the call when the plugin is not thread-safe.
  std::unique_lock<std::mutex> lock() {
    return serial ? std::unique_lock<std::mutex>(serial_mutex) : std::unique_lock<std::mutex>();
  }

  std::shared_ptr<Library> library;  // keeps the plugin loaded while the store lives
  const gs_plugin_descriptor* descriptor;
  const gs_store_api* api;  // the plugin's table, or the metering decorator's
  gs_store* handle;         // the plugin's store, or the metering decorator's
  PluginInfo info;
  bool serial;  // GS_THREADING_SERIAL: calls hold serial_mutex
  std::mutex serial_mutex;
  std::atomic<bool> force_defaults{false};
  std::unique_ptr<Metered> metered;  // set by enable_metrics; api and handle then point into it
};

// A plugin call's error buffer.
struct ErrBuf {
  char buf[1024];
  gs_errbuf err{buf, sizeof buf};
  ErrBuf() { buf[0] = '\0'; }
};

// A failed plugin status as a Status: the plugin's message, or "op: CODE";
// a status outside the ABI's codes becomes INTERNAL naming it.
Status error_status(gs_status st, const ErrBuf& e, const char* op);

inline Status to_status(gs_status st, const ErrBuf& e, const char* op) {
  if (st == GS_OK) [[likely]]
    return Status::Ok();
  return error_status(st, e, op);
}

// The record's view with absent timestamps stamped as an add does, written into
// *v. A bulk add fills its array this way: copying a returned view instead
// reads back a struct just patched, which stalls on store forwarding.
inline void stamp_into(const Entity& e, Timestamp now, gs_entity* v) {
  *v = entity_view(e);
  stamp_added(v, now);
}
inline void stamp_into(const Relation& r, Timestamp now, gs_relation* v) {
  *v = relation_view(r);
  stamp_added(v, now);
}
inline gs_entity stamped(const Entity& e, Timestamp now) {
  gs_entity v;
  stamp_into(e, now, &v);
  return v;
}
inline gs_relation stamped(const Relation& r, Timestamp now) {
  gs_relation v;
  stamp_into(r, now, &v);
  return v;
}

// Empties the error buffer among a call's arguments (the others are ignored).
inline void clear_errbuf(gs_errbuf* e) {
  if (e != nullptr && e->data != nullptr && e->capacity > 0) e->data[0] = '\0';
}
template <class T>
void clear_errbuf(const T&) {}
template <class... A>
void clear_errbufs(const A&... args) {
  (clear_errbuf(args), ...);
}

}  // namespace graphstore

// Calls a Tier 2 slot on Store::Impl `impl`: the plugin's own when its table
// has the slot and fills it (and defaults are not forced), else the core's
// default over Tier 1; under the serialising lock when the plugin is not
// thread-safe. A slot that answers UNSUPPORTED before calling any sink hands
// the call to the default too: a decorator declares every slot and says so
// when the store it wraps lacks one.
#define GS_TIER2(impl, slot, ...)                                                   \
  [&] {                                                                             \
    auto lock = (impl).lock();                                                      \
    bool native = !(impl).force_defaults.load(std::memory_order_relaxed) &&         \
                  GS_HAS_FIELD(gs_store_api, (impl).api, slot) && (impl).api->slot; \
    if (native) {                                                                   \
      gs_status native_status = (impl).api->slot((impl).handle, __VA_ARGS__);       \
      if (native_status != GS_UNSUPPORTED) return native_status;                    \
      clear_errbufs(__VA_ARGS__);                                                   \
    }                                                                               \
    return defaults::slot({(impl).api, (impl).handle}, __VA_ARGS__);                \
  }()

// Refuses the call when it comes from inside a callback of the same store
// (reentry.hpp); the first statement of every Store method that calls the
// plugin. `op` names the method in the message.
#define GS_REFUSE_REENTRY(impl, op)       \
  BusyMark busy_mark(&(impl));            \
  if (busy_mark.reentered()) [[unlikely]] \
  return reentered_error(op)

#endif  // GRAPHSTORE_CORE_STORE_IMPL_HPP
