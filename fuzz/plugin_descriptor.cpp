// Fuzz target: what a plugin's entry call hands the host, checked by the
// registry's loader (core/src/library.cpp, registry.cpp): any entry status
// and error message, no descriptor, a descriptor and store table of any
// claimed size (allocated at exactly that size, so a read past it is a heap
// overflow), any ABI version, NULL id, name, version, table or slots, and
// any bytes as names. descriptor_input.hpp says how the bytes map. The fuzz
// plugin (descriptor_plugin.cpp) is loaded by path, then by id.
// Invariants beyond not crashing:
//  - a plugin loads only when its descriptor is complete: ABI major 1, a
//    struct as large as ABI 1.0's, an id, a store table reaching the last
//    Tier 1 slot with none of them NULL;
//  - what it reports is what the descriptor says (id, name or the id,
//    version) and a capability only for a slot the table reaches and sets;
//  - a refusal names the file and says why.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "descriptor_input.hpp"
#include "fuzz_check.hpp"
#include "graphstore/abi_slots.h"
#include "graphstore/registry.hpp"

namespace {

using graphstore::PluginInfo;
using graphstore::Status;
using graphstore::fuzz::check;
using graphstore::fuzz::DescriptorInput;

const uint8_t* g_data = nullptr;
size_t g_size = 0;

const std::string kPluginPath = std::string(GRAPHSTORE_FUZZ_DESCRIPTOR_PLUGIN_DIR) + "/libgraphstore_fuzzdescriptor.so";

// What the loader must require of a descriptor to accept it.
bool acceptable(const DescriptorInput& in) {
  if (in.entry_status != GS_OK || in.null_descriptor) return false;
  if (in.descriptor_size < sizeof(gs_plugin_descriptor) || in.abi_major != GS_ABI_MAJOR) return false;
  if (in.null_id || in.null_api) return false;
  size_t tier1_end = offsetof(gs_store_api, close) + sizeof(gs_store_api::close);
#define GS_FUZZ_TIER1_END(name, kind, minor) \
  if ((kind) == GS_SLOT_TIER1)               \
    tier1_end = std::max(tier1_end, offsetof(gs_store_api, name) + sizeof(gs_store_api::name));
  GS_STORE_API_SLOTS(GS_FUZZ_TIER1_END)
#undef GS_FUZZ_TIER1_END
  if (in.api_size < tier1_end) return false;
  if (in.null_slots & 3) return false;  // open, close
  int index = 2;
  bool tier1_null = false;
#define GS_FUZZ_TIER1_NULL(name, kind, minor)                                                       \
  tier1_null = tier1_null || ((kind) == GS_SLOT_TIER1 && (in.null_slots & (uint64_t(1) << index))); \
  ++index;
  GS_STORE_API_SLOTS(GS_FUZZ_TIER1_NULL)
#undef GS_FUZZ_TIER1_NULL
  return !tier1_null;
}

// Whether the descriptor offers the capability named `cap` as a slot.
bool slot_offered(const DescriptorInput& in, std::string_view cap) {
  int index = 2;
  bool offered = false;
#define GS_FUZZ_OFFERED(name, kind, minor)                                                 \
  {                                                                                        \
    std::string_view slot = #name;                                                         \
    if ((kind) == GS_SLOT_OPTIONAL && slot.starts_with("collect_")) slot.remove_prefix(8); \
    if (slot == cap && (kind) != GS_SLOT_TIER1 &&                                          \
        in.api_size >= offsetof(gs_store_api, name) + sizeof(gs_store_api::name) &&        \
        !(in.null_slots & (uint64_t(1) << index)))                                         \
      offered = true;                                                                      \
    ++index;                                                                               \
  }
  GS_STORE_API_SLOTS(GS_FUZZ_OFFERED)
#undef GS_FUZZ_OFFERED
  return offered;
}

void check_outcome(const DescriptorInput& in, const Status& s, const PluginInfo& info, bool by_id) {
  if (!s.ok()) {
    check(!s.message().empty(), "a refused plugin must say why");
    check(s.message().find(kPluginPath) != std::string::npos, "a refusal must name the plugin's file", s.message());
    check(!acceptable(in) || by_id, "a complete descriptor was refused", s.message());
    return;
  }
  check(acceptable(in), "an incomplete descriptor was accepted", info.id);
  // The names cross the ABI as C strings: they end at their first NUL.
  std::string id = in.id.c_str(), name = in.name.c_str(), version = in.version.c_str();
  check(info.id == id, "the reported id is not the descriptor's", info.id);
  check(info.name == (in.null_name ? id : name), "the reported name is not the descriptor's", info.name);
  check(info.version == (in.null_version ? std::string() : version), "the reported version is not the descriptor's");
  check(info.abi_major == GS_ABI_MAJOR && info.abi_minor == in.abi_minor, "the reported ABI is not the descriptor's");
  for (const std::string& cap : info.capabilities) {
    if (cap == "persistent" || cap == "decorator" || cap == "nonblocking" || cap == "transactions" || cap == "tenants")
      continue;
    check(slot_offered(in, cap), "a capability is reported for a slot the table does not set", cap);
  }
}

}  // namespace

// The current input, for the fuzz plugin's entry call (exported from this
// executable; the plugin resolves it when loaded).
extern "C" __attribute__((visibility("default"))) void gs_fuzz_descriptor_input(const uint8_t** data, size_t* size) {
  *data = g_data;
  *size = g_size;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_data = data;
  g_size = size;
  DescriptorInput in = DescriptorInput::decode(data, size);
  // A registry per input: its loaded libraries go with it, so the plugin is
  // unloaded and its entry runs again for the next input.
  {
    graphstore::Registry registry{{GRAPHSTORE_FUZZ_DESCRIPTOR_PLUGIN_DIR}};
    PluginInfo info;
    Status s = registry.describe(kPluginPath, &info);
    check_outcome(in, s, info, false);
  }
  {
    graphstore::Registry registry{{GRAPHSTORE_FUZZ_DESCRIPTOR_PLUGIN_DIR}};
    PluginInfo info;
    Status s = registry.describe("fuzzdescriptor", &info);
    check_outcome(in, s, info, true);
    if (s.ok()) check(info.id == "fuzzdescriptor", "a plugin loaded by id declares another id", info.id);
  }
  g_data = nullptr;
  g_size = 0;
  return 0;
}
