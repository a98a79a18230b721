#include "library.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "registry_state.hpp"

namespace graphstore {
namespace {

std::string where(const std::filesystem::path& p) { return "plugin '" + p.string() + "': "; }

// The capability a native slot shows as: its name, except the optional
// collect_* slots, which show as what they collect ("gauges", "state").
std::string capability_name(std::string_view slot, int kind) {
  constexpr std::string_view kCollect = "collect_";
  if (kind == GS_SLOT_OPTIONAL && slot.starts_with(kCollect)) slot.remove_prefix(kCollect.size());
  return std::string(slot);
}

// Names of the capabilities a descriptor offers: native Tier 2 and optional
// slots, then flags.
std::vector<std::string> capabilities_of(const gs_plugin_descriptor* d) {
  std::vector<std::string> caps;
  const gs_store_api* a = d->api;
  // A slot counts when the table reaches it (an older plugin's table ends
  // sooner: nothing past struct_size is read) and it is set.
#define GS_CAPABILITY(name, kind, minor)                                         \
  if ((kind) != GS_SLOT_TIER1 && GS_HAS_FIELD(gs_store_api, a, name) && a->name) \
    caps.push_back(capability_name(#name, kind));
  GS_STORE_API_SLOTS(GS_CAPABILITY)
#undef GS_CAPABILITY
  if (d->capabilities & GS_CAP_PERSISTENT) caps.emplace_back("persistent");
  if (d->capabilities & GS_CAP_DECORATOR) caps.emplace_back("decorator");
  if (d->capabilities & GS_CAP_NONBLOCKING) caps.emplace_back("nonblocking");
  caps.emplace_back("transactions");  // apply_batch is Tier 1: every plugin has it
  caps.emplace_back("tenants");
  return caps;
}

// Where the last Tier 1 slot ends: every ABI 1.x table reaches at least here.
constexpr size_t tier1_end() {
  size_t end = offsetof(gs_store_api, close) + sizeof(gs_store_api::close);
#define GS_TIER1_END(name, kind, minor) \
  if ((kind) == GS_SLOT_TIER1) end = offsetof(gs_store_api, name) + sizeof(gs_store_api::name);
  GS_STORE_API_SLOTS(GS_TIER1_END)
#undef GS_TIER1_END
  return end;
}

// The first mandatory slot that is NULL, or nullptr. The table reaches
// tier1_end() (checked before).
const char* missing_tier1(const gs_store_api* a) {
  if (a->open == nullptr) return "open";
  if (a->close == nullptr) return "close";
#define GS_REQUIRE(name, kind, minor) \
  if ((kind) == GS_SLOT_TIER1 && a->name == nullptr) return #name;
  GS_STORE_API_SLOTS(GS_REQUIRE)
#undef GS_REQUIRE
  return nullptr;
}

}  // namespace

Status Library::load(const std::filesystem::path& path, std::shared_ptr<RegistryState> state,
                     std::shared_ptr<Library>* out) {
  std::error_code fs_ec;
  if (!std::filesystem::exists(path, fs_ec))
    return NotFound(where(path) + "file not found");
  if (!std::filesystem::is_regular_file(path, fs_ec))
    return InvalidArgument(where(path) + "not a regular file");

  auto lib = std::make_shared<Library>();
  lib->path_ = path;
  lib->state_ = std::move(state);
  boost::dll::fs::error_code ec;
  lib->lib_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    const char* why = dlerror();
    return InvalidArgument(where(path) + "not a loadable shared object: " +
                           (why != nullptr ? std::string(why) : ec.message()));
  }
  if (!lib->lib_.has(GS_PLUGIN_ENTRY_SYMBOL))
    return InvalidArgument(where(path) + "no entry symbol '" GS_PLUGIN_ENTRY_SYMBOL
                                         "' (is it a graphstore plugin?)");
  auto entry = lib->lib_.get<gs_status(const gs_host*, const gs_plugin_descriptor**, gs_errbuf*)>(
      GS_PLUGIN_ENTRY_SYMBOL);

  char buf[1024] = {0};
  gs_errbuf err{buf, sizeof buf};
  const gs_plugin_descriptor* d = nullptr;
  gs_status st = entry(&lib->state_->host, &d, &err);
  if (st != GS_OK) {
    // Bounded by the buffer: a plugin that fills it without the NUL the ABI
    // asks for must not make the host read past it.
    std::string message(buf, strnlen(buf, sizeof buf));
    return Status(Code::kInternal, where(path) + "initialisation failed (status " + std::to_string(st) +
                                       "): " + (message.empty() ? std::string("no message") : message));
  }
  if (d == nullptr) return Internal(where(path) + "initialisation failed: entry returned no descriptor");

  constexpr size_t kVersionEnd = offsetof(gs_plugin_descriptor, abi_minor) + sizeof(uint16_t);
  if (d->struct_size < kVersionEnd)
    return Status(Code::kAbiMismatch, where(path) + "descriptor too small (" + std::to_string(d->struct_size) +
                                          " bytes) to hold an ABI version");
  if (d->abi_major != GS_ABI_MAJOR)
    return Status(Code::kAbiMismatch, where(path) + "ABI mismatch: plugin ABI " + std::to_string(d->abi_major) +
                                          "." + std::to_string(d->abi_minor) + ", host ABI " +
                                          std::to_string(GS_ABI_MAJOR) + "." + std::to_string(GS_ABI_MINOR));
  if (d->struct_size < sizeof(gs_plugin_descriptor))
    return Status(Code::kAbiMismatch, where(path) + "descriptor too small: " + std::to_string(d->struct_size) +
                                          " bytes, ABI " + std::to_string(GS_ABI_MAJOR) + ".0 needs " +
                                          std::to_string(sizeof(gs_plugin_descriptor)));
  if (d->id == nullptr || d->api == nullptr)
    return Status(Code::kAbiMismatch, where(path) + "descriptor has no id or no store table");
  if (d->api->struct_size < tier1_end())
    return Status(Code::kAbiMismatch, where(path) + "store table too small: " + std::to_string(d->api->struct_size) +
                                          " bytes, Tier 1 needs " + std::to_string(tier1_end()));
  if (const char* slot = missing_tier1(d->api))
    return Status(Code::kAbiMismatch, where(path) + "mandatory slot '" + slot + "' is NULL");

  lib->descriptor_ = d;
  PluginInfo& info = lib->info_;
  info.id = d->id;
  info.name = d->name ? d->name : d->id;
  info.version = d->version ? d->version : "";
  info.path = path.string();
  info.abi_major = d->abi_major;
  info.abi_minor = d->abi_minor;
  info.thread_safe = d->threading == GS_THREADING_CONCURRENT;
  info.capabilities = capabilities_of(d);
  *out = std::move(lib);
  return Status::Ok();
}

}  // namespace graphstore
