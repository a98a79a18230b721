#include "open_bindings.hpp"

#include <dlfcn.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>

#include "errors.hpp"
#include "gil.hpp"
#include "graphstore/config.hpp"
#include "graphstore/registry.hpp"
#include "py_json.hpp"
#include "records.hpp"
#include "results.hpp"
#include "store_object.hpp"

namespace gspy {

namespace {

namespace fs = std::filesystem;
using graphstore::Status;
using namespace pybind11::literals;

// The environment the CLI opens without a config file: an in-memory store.
constexpr std::string_view kBuiltinInMemoryEnv = "inmemory";

// Where the plugins sit relative to this module, as the CLI finds them next
// to its executable: the build tree (build/python/graphstore ->
// build/lib/graphstore) and an install (<prefix>/lib/python3*/dist-packages/
// graphstore -> <prefix>/lib/graphstore), and a pip install's
// graphstore/plugins.
std::vector<fs::path> module_plugin_dirs() {
  std::vector<fs::path> dirs;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&module_plugin_dirs), &info) == 0 || info.dli_fname == nullptr) return dirs;
  std::error_code ec;
  fs::path package = fs::canonical(info.dli_fname, ec).parent_path();
  if (ec) return dirs;
  // A pip-installed package carries its plugins inside (setup.py).
  for (fs::path candidate : {package / "plugins", package / ".." / ".." / "lib" / "graphstore",
                             package / ".." / ".." / ".." / "graphstore"}) {
    candidate = candidate.lexically_normal();
    if (fs::is_directory(candidate, ec)) dirs.push_back(candidate);
  }
  return dirs;
}

// $GRAPHSTORE_PLUGIN_PATH first (as the CLI), then next to the module, then
// the caller's extra paths; the core appends its defaults.
std::vector<fs::path> search_paths(const std::vector<fs::path>& extra) {
  std::vector<fs::path> paths;
  if (const char* env = std::getenv("GRAPHSTORE_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string dir;
    while (std::getline(ss, dir, ':'))
      if (!dir.empty()) paths.emplace_back(dir);
  }
  for (auto& d : module_plugin_dirs()) paths.push_back(std::move(d));
  for (const auto& d : extra) paths.push_back(d);
  return paths;
}

std::string options_json(py::handle options) {
  if (options.is_none()) return "{}";
  if (PyUnicode_Check(options.ptr())) return std::string(str_view(options, "options"));
  std::string out;
  to_json(options, "options", &out);
  return out;
}

std::string tenant_text(py::handle tenant) {
  return tenant.is_none() ? std::string() : std::string(str_view(tenant, "tenant"));
}

py::object wrap(std::unique_ptr<graphstore::Store> store, std::string tenant, bool swappable) {
  if (swappable) {
    return py::cast(std::make_unique<PyStoreHandle>(std::make_unique<graphstore::StoreHandle>(std::move(store)),
                                                    std::move(tenant)));
  }
  return py::cast(std::make_unique<PyStore>(std::move(store), std::move(tenant)));
}

// A Registry shared by the Python object and nothing else: Stores keep
// their libraries without it.
struct PyRegistry {
  std::shared_ptr<graphstore::Registry> registry;
};

py::object open_with(graphstore::Registry& registry, py::handle backend, py::handle options, py::handle tenant,
                     bool swappable) {
  std::string id(str_view(backend, "backend"));
  std::string json = options_json(options);
  std::string t = tenant_text(tenant);
  std::unique_ptr<graphstore::Store> store;
  Status s = without_gil([&] { return registry.open(id, json, &store); });
  check(s);
  return wrap(std::move(store), std::move(t), swappable);
}

// The CLI's resolve_backend: explicit file, $GRAPHSTORE_CONFIG,
// ./config/graphstore.yaml, the installed one; "inmemory" needs no file.
Status resolve_backend(const std::string& config, const std::string& env_arg, graphstore::BackendConfig* out) {
  const std::string env = graphstore::choose_environment(env_arg);
  auto builtin = [&] {
    *out = graphstore::BackendConfig{};
    out->environment = env;
    out->backend = "inmemory";
    out->options_json = "{}";
    return Status::Ok();
  };
  fs::path file;
  Status s = graphstore::find_config_file(config, &file);
  if (s.is_not_found() && config.empty()) {
    if (env == kBuiltinInMemoryEnv) return builtin();
    return graphstore::InvalidArgument(s.message() + ", so environment '" + env +
                                       "' is defined nowhere; give config=FILE, or env='inmemory' for a store "
                                       "that lives only as long as the process");
  }
  if (!s.ok()) return s;
  s = graphstore::load_backend_config(file, env, out);
  if (s.is_not_found() && env == kBuiltinInMemoryEnv) return builtin();
  return s;
}

}  // namespace

void bind_open(py::module_& m) {
  py::class_<PyRegistry>(m, "Registry",
                         "Finds, loads and opens plugins: search_paths first, then $GRAPHSTORE_PLUGIN_PATH, the "
                         "plugins next to this package, and the install prefix's lib/graphstore.")
      .def(py::init([](py::object paths) {
             std::vector<fs::path> extra;
             if (!paths.is_none()) extra = paths.cast<std::vector<fs::path>>();
             return PyRegistry{std::make_shared<graphstore::Registry>(search_paths(extra))};
           }),
           "search_paths"_a = py::none())
      .def(
          "plugins",
          [](PyRegistry& r) {
            std::vector<graphstore::PluginInfo> infos;
            // Always OK; files that fail to load are left out here.
            without_gil([&] { (void)r.registry->list(&infos); });
            py::list out;
            for (const auto& info : infos) out.append(plugin_info_to_py(info));
            return out;
          },
          "Every plugin found, sorted by id (files that fail to load are left out).")
      .def(
          "describe",
          [](PyRegistry& r, py::handle backend) {
            std::string id(str_view(backend, "backend"));
            graphstore::PluginInfo info;
            Status s = without_gil([&] { return r.registry->describe(id, &info); });
            check(s);
            return plugin_info_to_py(info);
          },
          "backend"_a, "Loads one plugin (id or path) and describes it without opening a store.")
      .def(
          "open",
          [](PyRegistry& r, py::handle backend, py::handle options, py::handle tenant, bool swappable) {
            return open_with(*r.registry, backend, options, tenant, swappable);
          },
          "backend"_a, "options"_a = py::none(), "tenant"_a = py::none(), "swappable"_a = false,
          "Opens a store of the plugin (id or .so path) with options (a dict or JSON text).");

  m.def(
      "open_backend",
      [](py::handle backend, py::handle options, py::handle tenant, bool swappable) {
        graphstore::Registry registry(search_paths({}));
        return open_with(registry, backend, options, tenant, swappable);
      },
      "backend"_a, "options"_a = py::none(), "tenant"_a = py::none(), "swappable"_a = false,
      "Opens a store of the plugin (id or .so path) with options (a dict or JSON text).");

  m.def(
      "open",
      [](py::handle config, py::handle env, py::handle tenant, bool swappable) {
        std::string config_path = config.is_none() ? std::string() : py::str(config).cast<std::string>();
        std::string env_name = env.is_none() ? std::string() : std::string(str_view(env, "env"));
        std::string t = tenant_text(tenant);
        std::unique_ptr<graphstore::Store> store;
        Status s = without_gil([&] {
          graphstore::BackendConfig cfg;
          Status s;
          s = resolve_backend(config_path, env_name, &cfg);
          graphstore::Registry registry(search_paths({}));
          if (s.ok()) s = graphstore::open_backend(registry, cfg, &store);
          if (s.is_not_found()) s = Status(graphstore::Code::kInvalidArgument, s.message());
          return s;
        });
        check(s);
        return wrap(std::move(store), std::move(t), swappable);
      },
      "config"_a = py::none(), "env"_a = py::none(), "tenant"_a = py::none(), "swappable"_a = false,
      "Opens the configured backend by the CLI's rules (config: explicit, $GRAPHSTORE_CONFIG, "
      "./config/graphstore.yaml, the installed file; env: explicit, $GRAPHSTORE_ENV, $ENVIRONMENT, "
      "\"development\"; env \"inmemory\" needs no file).");
}

}  // namespace gspy
