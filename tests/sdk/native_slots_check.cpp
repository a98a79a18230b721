// Compiled, not run, by the CTest cases sdk.native_slots_*: a plugin class
// whose native_slots and methods disagree must not compile, and make_api
// must say which slot. GS_NATIVE_SLOTS_CASE picks the mismatch; without it
// the class is consistent and compiles (the control case).
#include "graphstore/plugin.hpp"

namespace sdk = graphstore::sdk;
using sdk::Status;

class Checked {
 public:
#if GS_NATIVE_SLOTS_CASE == 1
  // Declares traverse, implements none: the slot would stay NULL.
  using native_slots = sdk::Slots<sdk::Slot::traverse>;
#elif GS_NATIVE_SLOTS_CASE == 2
  // Implements get_stats without declaring it: the method would go unused.
  using native_slots = sdk::Slots<>;
  Status get_stats(std::string_view, sdk::StatsSink) { return {}; }
#else
  using native_slots = sdk::Slots<sdk::Slot::get_stats>;
  Status get_stats(std::string_view, sdk::StatsSink) { return {}; }
#endif

  static Status open(const gs_host*, std::string_view, std::unique_ptr<Checked>* out) {
    *out = std::make_unique<Checked>();
    return {};
  }
  Status add_entity(std::string_view, const gs_entity&) { return {}; }
  Status get_entity(std::string_view, std::string_view, sdk::EntitySink) { return {}; }
  Status update_entity(std::string_view, const gs_entity&) { return {}; }
  Status delete_entity(std::string_view, std::string_view) { return {}; }
  Status add_relation(std::string_view, const gs_relation&) { return {}; }
  Status get_relation(std::string_view, std::string_view, sdk::RelationSink) { return {}; }
  Status update_relation(std::string_view, const gs_relation&) { return {}; }
  Status delete_relation(std::string_view, std::string_view) { return {}; }
  Status get_neighbors(std::string_view, std::string_view, int32_t, std::string_view, sdk::NeighborSink) { return {}; }
  Status for_each_entity(std::string_view, sdk::EntitySink) { return {}; }
  Status for_each_relation(std::string_view, sdk::RelationSink) { return {}; }
  Status list_tenants(sdk::TenantSink) { return {}; }
  Status apply_batch(std::string_view, const gs_write_op* const*, size_t, size_t*) { return {}; }
};

GS_DEFINE_PLUGIN(Checked, "checked", "native_slots check", "1.0.0", 0, GS_THREADING_SERIAL)
