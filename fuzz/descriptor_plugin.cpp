// The plugin behind the plugin_descriptor target: its entry builds whatever
// descriptor the current fuzz input describes (descriptor_input.hpp), with
// each struct allocated at exactly the size it claims, so that a host read
// past a claimed size is a heap overflow the sanitizer reports. The bytes
// come from the fuzz executable through gs_fuzz_descriptor_input, which it
// exports; this module is therefore only loadable by that executable, and
// lives in its own directory, out of every plugin search path.
#include <cstdlib>
#include <cstring>
#include <string>

#include "descriptor_input.hpp"
#include "graphstore/abi.h"

extern "C" void gs_fuzz_descriptor_input(const uint8_t** data, size_t* size);

namespace {

using graphstore::fuzz::DescriptorInput;

// Every slot points here: loading a plugin must never call a store slot.
void never_called() { std::abort(); }

// The previous input's allocations, released when the next entry call
// replaces them (the host holds a descriptor only while the library is
// loaded, and this module is unloaded between inputs).
void* g_descriptor = nullptr;
void* g_api = nullptr;
std::string g_id, g_name, g_version;

// At unload (the host unloads this module after every input) the last
// allocations go too, so that a leak check sees none.
__attribute__((destructor)) void release_last_descriptor() {
  std::free(g_descriptor);
  std::free(g_api);
  g_descriptor = g_api = nullptr;
}

void* exact_copy(const void* full, size_t full_size, uint32_t claimed) {
  size_t n = claimed < sizeof(uint32_t) ? sizeof(uint32_t) : claimed;
  void* p = std::calloc(1, n);
  std::memcpy(p, full, n < full_size ? n : full_size);
  std::memcpy(p, &claimed, sizeof claimed);
  return p;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) gs_status gs_plugin_entry(const gs_host*,
                                                                            const gs_plugin_descriptor** out,
                                                                            gs_errbuf* err) {
  const uint8_t* data = nullptr;
  size_t size = 0;
  gs_fuzz_descriptor_input(&data, &size);
  DescriptorInput in = DescriptorInput::decode(data, size);
  std::free(g_descriptor);
  std::free(g_api);
  g_descriptor = g_api = nullptr;

  if (in.entry_status != GS_OK) {
    if (err != nullptr && err->data != nullptr && err->capacity > 0) {
      size_t n = in.error.size();
      if (in.unterminated_error) {
        // Against the ABI's rule, as a broken plugin would: the whole buffer,
        // no NUL.
        std::memset(err->data, 'x', err->capacity);
        std::memcpy(err->data, in.error.data(), n < err->capacity ? n : err->capacity);
      } else {
        if (n >= err->capacity) n = err->capacity - 1;
        std::memcpy(err->data, in.error.data(), n);
        err->data[n] = '\0';
      }
    }
    return in.entry_status;
  }
  if (in.null_descriptor) {
    *out = nullptr;
    return GS_OK;
  }

  gs_store_api api{};
  auto slot = reinterpret_cast<void (*)()>(&never_called);
  api.open = reinterpret_cast<decltype(api.open)>(slot);
  api.close = reinterpret_cast<decltype(api.close)>(slot);
#define GS_FUZZ_SET_SLOT(name, kind, minor) api.name = reinterpret_cast<decltype(api.name)>(slot);
  GS_STORE_API_SLOTS(GS_FUZZ_SET_SLOT)
#undef GS_FUZZ_SET_SLOT
  if (in.null_slots & 1) api.open = nullptr;
  if (in.null_slots & 2) api.close = nullptr;
  int index = 2;
#define GS_FUZZ_NULL_SLOT(name, kind, minor) \
  if (in.null_slots & (uint64_t(1) << index++)) api.name = nullptr;
  GS_STORE_API_SLOTS(GS_FUZZ_NULL_SLOT)
#undef GS_FUZZ_NULL_SLOT
  g_api = exact_copy(&api, sizeof api, in.api_size);

  g_id = in.id;
  g_name = in.name;
  g_version = in.version;
  gs_plugin_descriptor d{};
  d.abi_major = in.abi_major;
  d.abi_minor = in.abi_minor;
  d.id = in.null_id ? nullptr : g_id.c_str();
  d.name = in.null_name ? nullptr : g_name.c_str();
  d.version = in.null_version ? nullptr : g_version.c_str();
  d.capabilities = in.capabilities;
  d.threading = in.threading;
  d.api = in.null_api ? nullptr : static_cast<const gs_store_api*>(g_api);
  g_descriptor = exact_copy(&d, sizeof d, in.descriptor_size);
  *out = static_cast<const gs_plugin_descriptor*>(g_descriptor);
  return GS_OK;
}
