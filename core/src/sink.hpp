// Host-side sinks: C callbacks that forward to a C++ callable. A callable
// that throws stops the plugin call (sinks must not unwind through plugin
// frames); the exception is kept and rethrown by the caller after the plugin
// returns.
#ifndef GRAPHSTORE_CORE_SINK_HPP
#define GRAPHSTORE_CORE_SINK_HPP

#include <exception>
#include <utility>

#include "graphstore/abi.h"

namespace graphstore {

template <class F>
struct SinkCtx {
  F fn;
  std::exception_ptr error;

  template <class... A>
  int32_t call(A&&... args) noexcept {
    try {
      return fn(std::forward<A>(args)...) ? 0 : 1;
    } catch (...) {
      error = std::current_exception();
      return 1;
    }
  }
  void rethrow() const {
    if (error) std::rethrow_exception(error);
  }
};

template <class F>
SinkCtx<F> make_sink(F fn) {
  return SinkCtx<F>{std::move(fn), nullptr};
}

// C trampolines: ctx is a SinkCtx<F>*.
template <class F>
int32_t entity_trampoline(void* ctx, const gs_entity* e) {
  return static_cast<SinkCtx<F>*>(ctx)->call(*e);
}
template <class F>
int32_t relation_trampoline(void* ctx, const gs_relation* r) {
  return static_cast<SinkCtx<F>*>(ctx)->call(*r);
}
template <class F>
int32_t neighbor_trampoline(void* ctx, const gs_relation* r, const gs_entity* e) {
  return static_cast<SinkCtx<F>*>(ctx)->call(*r, *e);
}
template <class F>
int32_t traverse_trampoline(void* ctx, const gs_entity* e, uint32_t depth, const gs_relation* via) {
  return static_cast<SinkCtx<F>*>(ctx)->call(*e, depth, via);
}
template <class F>
int32_t path_trampoline(void* ctx, const gs_entity* const* es, size_t ne, const gs_relation* const* rs, size_t nr) {
  return static_cast<SinkCtx<F>*>(ctx)->call(es, ne, rs, nr);
}
template <class F>
int32_t scored_trampoline(void* ctx, const gs_entity* e, double score) {
  return static_cast<SinkCtx<F>*>(ctx)->call(*e, score);
}
template <class F>
int32_t tenant_trampoline(void* ctx, gs_str t) {
  return static_cast<SinkCtx<F>*>(ctx)->call(t);
}
template <class F>
int32_t stats_trampoline(void* ctx, int32_t kind, gs_str type, uint64_t count) {
  return static_cast<SinkCtx<F>*>(ctx)->call(kind, type, count);
}
template <class F>
int32_t gauge_trampoline(void* ctx, gs_str name, gs_str help, double value) {
  return static_cast<SinkCtx<F>*>(ctx)->call(name, help, value);
}
template <class F>
int32_t state_trampoline(void* ctx, gs_str key, gs_str value) {
  return static_cast<SinkCtx<F>*>(ctx)->call(key, value);
}
template <class F>
int32_t skip_trampoline(void* ctx, size_t index, gs_status status, gs_str message) {
  return static_cast<SinkCtx<F>*>(ctx)->call(index, status, message);
}

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_SINK_HPP
