#include "inner_store.hpp"

namespace graphstore::degradation {

sdk::Status InnerStore::open(const gs_host* host, std::string_view section_json, std::unique_ptr<InnerStore>* out) {
  char buf[1024];
  buf[0] = '\0';
  gs_errbuf err{buf, sizeof buf};
  const gs_plugin_descriptor* descriptor = nullptr;
  gs_store* store = nullptr;
  gs_status st = host->open_store(host->ctx, sdk::str(section_json), &descriptor, &store, &err);
  if (st != GS_OK) return sdk::make_error(st, buf[0] != '\0' ? std::string(buf) : std::string("cannot open"));
  out->reset(new InnerStore(host, descriptor, store));
  return sdk::Status::Ok();
}

}  // namespace graphstore::degradation
