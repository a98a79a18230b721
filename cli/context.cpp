#include "context.hpp"

#include <filesystem>
#include <iostream>

#include "terminal_text.hpp"

namespace graphstore::cli {

void print_error(std::string_view message) { std::cerr << "graphstore: " << terminal_text(message) << '\n'; }

int fail(const Status& status) {
  return report_failure(code_name(status.code()),
                        status.message().empty() ? std::string(code_name(status.code())) : status.message(),
                        status.is_not_found() ? kExitNotFound : kExitError);
}

Status resolve_backend(const GlobalOptions& global, BackendConfig* out) {
  std::filesystem::path file;
  Status s = find_config_file(global.config, &file);
  if (s.is_not_found() && global.config.empty()) {
    print_error("note: " + s.message() + "; using the inmemory backend");
    *out = BackendConfig{};
    out->environment = choose_environment(global.env);
    out->backend = "inmemory";
    out->options_json = "{}";
    return Status::Ok();
  }
  if (!s.ok()) return s;
  return load_backend_config(file, choose_environment(global.env), out);
}

Status open_configured_store(const GlobalOptions& global, Registry& registry, std::unique_ptr<Store>* store,
                             BackendConfig* config) {
  BackendConfig local;
  BackendConfig& cfg = config != nullptr ? *config : local;
  Status s = resolve_backend(global, &cfg);
  if (s.ok()) s = open_backend(registry, cfg, store);
  // A missing file, environment or plugin is a configuration error here, not
  // a "not found" answer about data.
  if (!s.ok() && s.is_not_found()) return Status(Code::kInvalidArgument, s.message());
  return s;
}

std::string tenant_label(std::string_view tenant) { return tenant.empty() ? "(global)" : terminal_text(tenant); }

}  // namespace graphstore::cli
