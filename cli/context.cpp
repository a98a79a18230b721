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

namespace {

void use_builtin_inmemory(BackendConfig* out) {
  print_error("note: environment 'inmemory' is the built-in in-memory store: nothing is kept after this command");
  *out = BackendConfig{};
  out->environment = std::string(kBuiltinInMemoryEnv);
  out->backend = "inmemory";
  out->options_json = "{}";
}

}  // namespace

Status resolve_backend(const GlobalOptions& global, BackendConfig* out) {
  const std::string env = choose_environment(global.env);
  std::filesystem::path file;
  Status s = find_config_file(global.config, &file);
  if (s.is_not_found() && global.config.empty()) {
    if (env == kBuiltinInMemoryEnv) {
      use_builtin_inmemory(out);
      return Status::Ok();
    }
    std::error_code ec;
    std::filesystem::path cwd = std::filesystem::current_path(ec);
    return InvalidArgument(s.message() + " (current directory: " + (ec ? std::string("unknown") : cwd.string()) +
                           "), so environment '" + env +
                           "' is defined nowhere; give --config FILE, or --env inmemory for a store that lives "
                           "only as long as the command");
  }
  if (!s.ok()) return s;
  s = load_backend_config(file, env, out);
  // NOT_FOUND from a file that reads is "no such environment".
  if (s.is_not_found() && env == kBuiltinInMemoryEnv) {
    use_builtin_inmemory(out);
    return Status::Ok();
  }
  return s;
}

Status open_configured_store(const GlobalOptions& global, Registry& registry, std::unique_ptr<Store>* store,
                             BackendConfig* config, const BeforeOpen& before_open) {
  BackendConfig local;
  BackendConfig& cfg = config != nullptr ? *config : local;
  Status s = resolve_backend(global, &cfg);
  if (s.ok() && before_open) s = before_open(cfg);
  if (s.ok()) s = open_backend(registry, cfg, store);
  // A missing file, environment or plugin is a configuration error here, not
  // a "not found" answer about data.
  if (!s.ok() && s.is_not_found()) return Status(Code::kInvalidArgument, s.message());
  return s;
}

Status open_store(const GlobalOptions& global, OpenedStore* out, const BeforeOpen& before_open) {
  return open_configured_store(global, out->registry, &out->store, &out->config, before_open);
}

std::string tenant_label(std::string_view tenant) { return tenant.empty() ? "(global)" : terminal_text(tenant); }

}  // namespace graphstore::cli
