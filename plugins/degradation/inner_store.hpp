// A store the degradation plugin wraps, opened through the host's services:
// its table, its handle, and the lock its plugin needs when it is serial.
#ifndef GRAPHSTORE_DEGRADATION_INNER_STORE_HPP
#define GRAPHSTORE_DEGRADATION_INNER_STORE_HPP

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "graphstore/plugin.hpp"

namespace graphstore::degradation {

class InnerStore {
 public:
  // Opens the backend section (JSON text {"backend": ..., "options": ...}).
  static sdk::Status open(const gs_host* host, std::string_view section_json, std::unique_ptr<InnerStore>* out);
  ~InnerStore() { host_->close_store(host_->ctx, store_); }
  InnerStore(const InnerStore&) = delete;
  InnerStore& operator=(const InnerStore&) = delete;

  const gs_store_api& api() const { return *api_; }
  const char* plugin_id() const { return plugin_id_; }

  // Runs slot(store, args..., &errbuf) under the plugin's lock if it has one
  // and returns its status with the plugin's message.
  template <class Slot, class... Args>
  sdk::Status call(Slot slot, Args... args) {
    char buf[1024];
    buf[0] = '\0';
    gs_errbuf err{buf, sizeof buf};
    gs_status st;
    if (serial_) {
      std::lock_guard lock(mutex_);
      st = slot(store_, args..., &err);
    } else {
      st = slot(store_, args..., &err);
    }
    if (st == GS_OK) return sdk::Status::Ok();
    return sdk::make_error(st, buf[0] != '\0' ? std::string(buf) : std::string("status ") + std::to_string(st));
  }

  // True when the store's table fills the Tier 2 (or 1.1) slot at member.
  template <class Member>
  bool has(Member gs_store_api::*member, size_t end_offset) const {
    return api_->struct_size >= end_offset && api_->*member != nullptr;
  }

 private:
  InnerStore(const gs_host* host, const gs_plugin_descriptor* d, gs_store* s)
      : host_(host), api_(d->api), store_(s), plugin_id_(d->id), serial_(d->threading != GS_THREADING_CONCURRENT) {}

  const gs_host* host_;
  const gs_store_api* api_;
  gs_store* store_;
  const char* plugin_id_;
  bool serial_;
  std::mutex mutex_;
};

// Whether the inner store fills slot (a gs_store_api member name).
#define GS_INNER_HAS(inner, slot) \
  ((inner).has(&gs_store_api::slot, offsetof(gs_store_api, slot) + sizeof(gs_store_api::slot)))

}  // namespace graphstore::degradation

#endif  // GRAPHSTORE_DEGRADATION_INNER_STORE_HPP
