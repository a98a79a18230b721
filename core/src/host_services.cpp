// The gs_host services every plugin receives: logging and opening other
// stores by config (for decorators such as degradation).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "graphstore/plugin.hpp"
#include "library.hpp"
#include "registry_state.hpp"
#include "store_access.hpp"

namespace graphstore {
namespace {

int32_t log_threshold() {
  const char* v = std::getenv("GRAPHSTORE_LOG_LEVEL");
  if (v == nullptr) return GS_LOG_WARN;
  if (!std::strcmp(v, "debug")) return GS_LOG_DEBUG;
  if (!std::strcmp(v, "info")) return GS_LOG_INFO;
  if (!std::strcmp(v, "error")) return GS_LOG_ERROR;
  return GS_LOG_WARN;
}

void host_log(void*, int32_t level, gs_str message) {
  static const int32_t threshold = log_threshold();
  if (level < threshold) return;
  static const char* names[] = {"debug", "info", "warning", "error"};
  const char* name = level >= 0 && level <= 3 ? names[level] : "log";
  std::fprintf(stderr, "graphstore [%s]: %.*s\n", name, static_cast<int>(message.len), message.data);
}

gs_status host_open_store(void* ctx, gs_str section_json, const gs_plugin_descriptor** descriptor,
                          gs_store** store, gs_errbuf* err) {
  auto* state = static_cast<RegistryState*>(ctx);
  return sdk::detail::guard(err, [&]() -> sdk::Status {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(section_json.data, section_json.len);
    if (doc.HasParseError() || !doc.IsObject())
      return sdk::make_error(GS_INVALID_ARGUMENT, "open_store: the section must be a JSON object");
    if (!doc.HasMember("backend") || !doc["backend"].IsString())
      return sdk::make_error(GS_INVALID_ARGUMENT, "open_store: key 'backend': expected a string");
    std::string options = "{}";
    if (doc.HasMember("options") && !doc["options"].IsNull()) {
      if (!doc["options"].IsObject())
        return sdk::make_error(GS_INVALID_ARGUMENT, "open_store: key 'options': expected a mapping");
      rapidjson::StringBuffer sb;
      rapidjson::Writer<rapidjson::StringBuffer> w(sb);
      doc["options"].Accept(w);
      options = sb.GetString();
    }
    std::unique_ptr<Store> opened;
    Status s = state->open(doc["backend"].GetString(), options, &opened);
    if (!s.ok()) return sdk::make_error(static_cast<gs_status>(s.code()), s.message());
    gs_store* handle = StoreAccess::handle(*opened);
    *descriptor = StoreAccess::descriptor(*opened);
    *store = handle;
    std::lock_guard lock(state->mutex);
    state->hosted[handle] = std::move(opened);
    return sdk::Status::Ok();
  });
}

void host_close_store(void* ctx, gs_store* store) {
  auto* state = static_cast<RegistryState*>(ctx);
  std::unique_ptr<Store> victim;
  {
    std::lock_guard lock(state->mutex);
    auto it = state->hosted.find(store);
    if (it == state->hosted.end()) return;
    victim = std::move(it->second);
    state->hosted.erase(it);
  }
  // Closed outside the lock: closing may unload a library.
}

}  // namespace

RegistryState::RegistryState() {
  host.struct_size = sizeof(gs_host);
  host.abi_major = GS_ABI_MAJOR;
  host.abi_minor = GS_ABI_MINOR;
  host.ctx = this;
  host.log = &host_log;
  host.open_store = &host_open_store;
  host.close_store = &host_close_store;
}

Status RegistryState::open(std::string_view id_or_path, std::string_view options_json,
                           std::unique_ptr<Store>* out) {
  std::shared_ptr<Library> lib;
  Status s = load(id_or_path, &lib);
  if (!s.ok()) return s;
  const gs_plugin_descriptor* d = lib->descriptor();
  std::string options(options_json.empty() ? std::string_view("{}") : options_json);
  char buf[1024] = {0};
  gs_errbuf err{buf, sizeof buf};
  gs_store* handle = nullptr;
  gs_status st = d->api->open(&host, gs_str{options.data(), options.size()}, &handle, &err);
  if (st != GS_OK) {
    // The plugin's message is kept as is: config errors match its leading
    // "option 'KEY'" to point at the key's line.
    return Status(static_cast<Code>(st), buf[0] ? std::string(buf) : lib->info().id + ": open failed");
  }
  if (handle == nullptr) return Internal(lib->info().id + ": open returned no store");
  PluginInfo info = lib->info();
  *out = StoreAccess::make(std::move(lib), d, handle, std::move(info));
  return Status::Ok();
}

}  // namespace graphstore
