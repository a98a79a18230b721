// A plugin that loads but whose open() fails: the host must return the
// plugin's status and message.
#include "hello_store.hpp"

namespace {

class OpenFails : public hello::HelloStore {
 public:
  static hello::Status open(const gs_host*, std::string_view, std::unique_ptr<OpenFails>*) {
    return hello::error(GS_PERMISSION_DENIED, "credentials rejected for user 'bob'");
  }
};

}  // namespace

GS_DEFINE_PLUGIN(OpenFails, "open_fails", "Plugin whose open fails", "1.0.0", 0, GS_THREADING_SERIAL)
