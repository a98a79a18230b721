// A working plugin whose methods throw for some inputs: plugin.hpp's guard
// must turn every exception into a status and message, never a crash.
#include <new>
#include <stdexcept>

#include "hello_store.hpp"

namespace {

class Throwing : public hello::HelloStore {
 public:
  using native_slots = graphstore::sdk::Slots<graphstore::sdk::Slot::get_stats>;

  static hello::Status open(const gs_host* host, std::string_view options, std::unique_ptr<Throwing>* out) {
    std::unique_ptr<hello::HelloStore> base;
    if (hello::Status s = hello::HelloStore::open(host, options, &base); !s.ok()) return s;
    *out = std::make_unique<Throwing>();
    return {};
  }

  // Throws according to the id, else adds normally.
  hello::Status add_entity(std::string_view tenant, const gs_entity& e) {
    std::string_view id = graphstore::sdk::view(e.id);
    if (id == "throw-runtime") throw std::runtime_error("disk on fire");
    if (id == "throw-alloc") throw std::bad_alloc();
    if (id == "throw-sdk") throw graphstore::sdk::Error(GS_UNAVAILABLE, "server went away");
    if (id == "throw-int") throw 42;
    return hello::HelloStore::add_entity(tenant, e);
  }

  // A native Tier 2 slot that always throws.
  hello::Status get_stats(std::string_view, graphstore::sdk::StatsSink) { throw std::logic_error("stats exploded"); }
};

}  // namespace

GS_DEFINE_PLUGIN(Throwing, "throwing", "Plugin that throws", "1.0.0", 0, GS_THREADING_SERIAL)
