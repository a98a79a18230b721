// Shared helpers of the Tier 2 defaults: Tier 1 calls taking C++ lambdas as
// sinks, and the exception guard that keeps every default from throwing.
// Internal to core/src/defaults.
#ifndef GRAPHSTORE_CORE_DEFAULTS_COMMON_HPP
#define GRAPHSTORE_CORE_DEFAULTS_COMMON_HPP

#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "defaults.hpp"
#include "graphstore/abi.h"
#include "graphstore/checks.hpp"
#include "graphstore/plugin.hpp"
#include "graphstore/records.hpp"

namespace graphstore::defaults::detail {

// Owned copies of records are the SDK's.
using sdk::OwnedEntity;
using sdk::OwnedRelation;

// Writes message into err and returns code.
inline gs_status fail(gs_errbuf* err, gs_status code, std::string_view message) {
  sdk::write_error(err, message);
  return code;
}

// A private error buffer, for Tier 1 calls whose failure may be expected (an
// existence probe) and must not overwrite the caller's message.
struct LocalErr {
  char buf[1024];
  gs_errbuf err{buf, sizeof buf};
  LocalErr() { buf[0] = '\0'; }
  std::string_view message() const { return std::string_view(buf); }
};

// Runs body, turning any exception into a status and message, so that no
// default ever unwinds into its caller.
template <class F>
gs_status guarded(gs_errbuf* err, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(err, GS_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return fail(err, GS_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(err, GS_INTERNAL, "internal error: unknown exception");
  }
}

// A C sink forwarding to a C++ callable that returns true to go on. An
// exception thrown by the callable must not cross the plugin's frames: the
// sink stops the call, keeps the exception, and rethrow() raises it once the
// plugin has returned.
template <class F>
class LambdaSink {
 public:
  explicit LambdaSink(F& fn) : fn_(fn) {}

  template <class... A>
  static int32_t thunk(void* ctx, A... args) noexcept {
    auto* self = static_cast<LambdaSink*>(ctx);
    try {
      return self->fn_(args...) ? 0 : 1;
    } catch (...) {
      self->error_ = std::current_exception();
      return 1;
    }
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  F& fn_;
  std::exception_ptr error_;
};

// ---- Tier 1 calls with lambda sinks. Each returns the plugin's status; the
// plugin writes its message into err. ----

// fn(const gs_entity*) -> bool
template <class F>
gs_status get_entity(const Backend& b, gs_str tenant, gs_str id, F fn, gs_errbuf* err) {
  LambdaSink<F> s(fn);
  gs_status st = b.api->get_entity(b.store, tenant, id, &LambdaSink<F>::template thunk<const gs_entity*>, &s, err);
  s.rethrow();
  return st;
}

// fn(const gs_relation*) -> bool
template <class F>
gs_status get_relation(const Backend& b, gs_str tenant, gs_str id, F fn, gs_errbuf* err) {
  LambdaSink<F> s(fn);
  gs_status st = b.api->get_relation(b.store, tenant, id, &LambdaSink<F>::template thunk<const gs_relation*>, &s, err);
  s.rethrow();
  return st;
}

// fn(const gs_relation*, const gs_entity*) -> bool
template <class F>
gs_status get_neighbors(const Backend& b, gs_str tenant, gs_str id, int32_t direction, gs_str relation_type, F fn,
                        gs_errbuf* err) {
  LambdaSink<F> s(fn);
  gs_status st = b.api->get_neighbors(b.store, tenant, id, direction, relation_type,
                                      &LambdaSink<F>::template thunk<const gs_relation*, const gs_entity*>, &s, err);
  s.rethrow();
  return st;
}

// fn(const gs_entity*) -> bool
template <class F>
gs_status for_each_entity(const Backend& b, gs_str tenant, F fn, gs_errbuf* err) {
  LambdaSink<F> s(fn);
  gs_status st = b.api->for_each_entity(b.store, tenant, &LambdaSink<F>::template thunk<const gs_entity*>, &s, err);
  s.rethrow();
  return st;
}

// fn(const gs_relation*) -> bool
template <class F>
gs_status for_each_relation(const Backend& b, gs_str tenant, F fn, gs_errbuf* err) {
  LambdaSink<F> s(fn);
  gs_status st = b.api->for_each_relation(b.store, tenant, &LambdaSink<F>::template thunk<const gs_relation*>, &s, err);
  s.rethrow();
  return st;
}

// Fetches one entity into *out: GS_OK, NOT_FOUND (message in err) or the
// plugin's failure.
inline gs_status fetch_entity(const Backend& b, gs_str tenant, gs_str id, std::optional<OwnedEntity>* out,
                              gs_errbuf* err) {
  out->reset();
  return get_entity(
      b, tenant, id,
      [out](const gs_entity* e) {
        out->emplace(*e);
        return true;
      },
      err);
}

}  // namespace graphstore::defaults::detail

#endif  // GRAPHSTORE_CORE_DEFAULTS_COMMON_HPP
