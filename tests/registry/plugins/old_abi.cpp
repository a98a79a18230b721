// A plugin as an older ABI 1.0 build would ship it: its store table ends
// after Tier 1 (struct_size = offsetof(gs_store_api, traverse)). The host
// must run its defaults for all of Tier 2 and never touch the slots past
// struct_size; they are filled here with functions that fail loudly, so a
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
    graphstore::sdk::write_error(err, "old_abi: the host called a Tier 2 slot beyond the table's struct_size");
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
  poison(&api.traverse);
  poison(&api.find_paths);
  poison(&api.subgraph);
  poison(&api.scan_entities);
  poison(&api.scan_relations);
  poison(&api.vector_search);
  poison(&api.text_search);
  poison(&api.add_entities_bulk);
  poison(&api.add_relations_bulk);
  poison(&api.get_stats);
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
