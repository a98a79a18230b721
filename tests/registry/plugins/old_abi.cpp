// A plugin as an older ABI 1.0 build would ship it: its store table ends
// after Tier 1 (struct_size = offsetof(gs_store_api, traverse)). The host
// must run its defaults for all of Tier 2 and never touch the slots past
// struct_size (the layout is the current one cut at Tier 1, which is what a
// 1.0 build's table holds); they are filled here with functions that fail loudly, so a
// host that ignores struct_size fails the tests instead of passing by luck.
#include <cstddef>
#include <tuple>

#include "hello_store.hpp"

namespace {

template <class Fn>
struct Poison;
template <class... A>
struct Poison<gs_status (*)(A...)> {
  static gs_status call(A... args) {
    gs_errbuf* err = std::get<sizeof...(A) - 1>(std::tuple<A...>(args...));
    graphstore::sdk::write_error(err, "old_abi: the host called a slot beyond the table's struct_size");
    return GS_INTERNAL;
  }
};

template <class Fn>
void poison(Fn* slot) {
  *slot = &Poison<Fn>::call;
}

gs_store_api old_table() {
  gs_store_api api = graphstore::sdk::make_api<hello::HelloStore>();
  api.struct_size = offsetof(gs_store_api, traverse);
  // Every slot past Tier 1, from the current list: a slot added since is
  // poisoned too, so a host reading it from an older table fails loudly.
#define GS_POISON_PAST_TIER1(slot, kind, minor) \
  if ((kind) != GS_SLOT_TIER1) poison(&api.slot);
  GS_STORE_API_SLOTS(GS_POISON_PAST_TIER1)
#undef GS_POISON_PAST_TIER1
  return api;
}

}  // namespace

extern "C" GS_PLUGIN_EXPORT gs_status gs_plugin_entry(const gs_host*, const gs_plugin_descriptor** out,
                                                      gs_errbuf* err) {
  static const gs_store_api api = old_table();
  static const gs_plugin_descriptor descriptor = {
      sizeof(gs_plugin_descriptor), 1, 0, "old_abi", "ABI 1.0 Tier 1 only", "1.0.0", 0, GS_THREADING_SERIAL, &api};
  if (out == nullptr) {
    graphstore::sdk::write_error(err, "gs_plugin_entry: out is NULL");
    return GS_INVALID_ARGUMENT;
  }
  *out = &descriptor;
  return GS_OK;
}
