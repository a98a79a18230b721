// A store a decorator plugin opens through the host's services (gs_host's
// open_store) and wraps: its table, its handle, and the lock its plugin needs
// when it is serial. The degradation and sharded plugins hold theirs in it.
#ifndef GRAPHSTORE_HOST_STORE_HPP
#define GRAPHSTORE_HOST_STORE_HPP

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "graphstore/plugin.hpp"

namespace graphstore::sdk {

class HostStore {
 public:
  // Whether host can open the stores a decorator wraps: open_store and
  // close_store filled, and ABI 1.2 or later (a decorator's Tier 2 slots
  // answer UNSUPPORTED for what the wrapped store lacks, which a host reads as
  // "run the default" since 1.2). Errors name the plugin: "ID: ...".
  static Status check_host(const gs_host* host, std::string_view plugin_id) {
    std::string id(plugin_id);
    if (host == nullptr || !GS_HAS_FIELD(gs_host, host, close_store) || host->open_store == nullptr)
      return make_error(GS_UNSUPPORTED, id + ": the host cannot open the stores it wraps");
    if (host->abi_major != GS_ABI_MAJOR || host->abi_minor < 2)
      return make_error(GS_ABI_MISMATCH, id + ": needs a host of ABI 1.2 or later, this one is " +
                                             std::to_string(host->abi_major) + "." + std::to_string(host->abi_minor));
    return Status::Ok();
  }

  // Opens a backend section (JSON text {"backend": ..., "options": ...})
  // through host, which must fill open_store and close_store. Errors: the
  // opened plugin's status and message.
  static Status open(const gs_host* host, std::string_view section_json, std::unique_ptr<HostStore>* out) {
    char buf[1024];
    buf[0] = '\0';
    gs_errbuf err{buf, sizeof buf};
    const gs_plugin_descriptor* descriptor = nullptr;
    gs_store* store = nullptr;
    gs_status st = host->open_store(host->ctx, str(section_json), &descriptor, &store, &err);
    if (st != GS_OK) return make_error(st, buf[0] != '\0' ? std::string(buf) : std::string("cannot open"));
    out->reset(new HostStore(host, descriptor, store));
    return Status::Ok();
  }
  ~HostStore() { host_->close_store(host_->ctx, store_); }
  HostStore(const HostStore&) = delete;
  HostStore& operator=(const HostStore&) = delete;

  const gs_store_api& api() const { return *api_; }
  const char* plugin_id() const { return plugin_id_; }

  // Runs slot(store, args..., &errbuf) under the plugin's lock if it has one
  // and returns its status with the plugin's message.
  template <class Slot, class... Args>
  Status call(Slot slot, Args... args) {
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
    if (st == GS_OK) return Status::Ok();
    return make_error(st, buf[0] != '\0' ? std::string(buf) : std::string("status ") + std::to_string(st));
  }

  // True when the store's table fills the Tier 2 (or 1.1) slot at member.
  template <class Member>
  bool has(Member gs_store_api::*member, size_t end_offset) const {
    return api_->struct_size >= end_offset && api_->*member != nullptr;
  }

 private:
  HostStore(const gs_host* host, const gs_plugin_descriptor* d, gs_store* s)
      : host_(host), api_(d->api), store_(s), plugin_id_(d->id), serial_(d->threading != GS_THREADING_CONCURRENT) {}

  const gs_host* host_;
  const gs_store_api* api_;
  gs_store* store_;
  const char* plugin_id_;
  bool serial_;
  std::mutex mutex_;
};

// A backend section of a decorator's options, as the host's open_store
// takes it: a mapping with a string 'backend' (not `refused_backend`, the
// decorator itself) and an optional mapping 'options'. *out is its JSON text.
// Errors are INVALID_ARGUMENT starting with `where` ("option 'primary': ").
inline Status backend_section(const rapidjson::Value& v, const std::string& where, std::string_view refused_backend,
                              std::string* out) {
  if (!v.IsObject()) return make_error(GS_INVALID_ARGUMENT, where + "expected a mapping with 'backend'");
  if (!v.HasMember("backend") || !v["backend"].IsString())
    return make_error(GS_INVALID_ARGUMENT, where + "key 'backend': expected a plugin id");
  if (std::string_view(v["backend"].GetString()) == refused_backend)
    return make_error(GS_INVALID_ARGUMENT,
                      where + "a " + std::string(refused_backend) + " store cannot wrap another");
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    if (name != "backend" && name != "options")
      return make_error(GS_INVALID_ARGUMENT, where + "unknown key '" + std::string(name) + "'");
  }
  if (v.HasMember("options") && !v["options"].IsNull() && !v["options"].IsObject())
    return make_error(GS_INVALID_ARGUMENT, where + "key 'options': expected a mapping");
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  out->assign(sb.GetString(), sb.GetSize());
  return Status::Ok();
}

// Whether the wrapped store fills slot (a gs_store_api member name).
#define GS_HOST_STORE_HAS(store, slot) \
  ((store).has(&gs_store_api::slot, offsetof(gs_store_api, slot) + sizeof(gs_store_api::slot)))

}  // namespace graphstore::sdk

#endif  // GRAPHSTORE_HOST_STORE_HPP
