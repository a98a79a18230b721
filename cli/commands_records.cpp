// Single records: put-entity, put-relation, get, get-relation, delete.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "output.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

// The tenant a record goes to: --tenant, else the record's tenant_id. Both
// given and different is an error.
Status choose_tenant(const GlobalOptions& global, const std::string& record_tenant, std::string* out) {
  if (!global.tenant.empty() && !record_tenant.empty() && global.tenant != record_tenant)
    return InvalidArgument("tenant_id '" + record_tenant + "' in the JSON differs from --tenant '" + global.tenant +
                           "'");
  *out = global.tenant.empty() ? record_tenant : global.tenant;
  return Status::Ok();
}

int run_put_entity(const GlobalOptions& global, const std::string& json) {
  Entity e;
  if (Status s = parse_entity_text(json, &e); !s.ok()) return fail(InvalidArgument("put-entity: " + s.message()));
  std::string tenant;
  if (Status s = choose_tenant(global, e.tenant_id, &tenant); !s.ok()) return fail(s);
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  if (Status s = store->add_entity(tenant, e); !s.ok()) return fail(s);
  Entity stored;
  if (Status s = store->get_entity(tenant, e.id, &stored); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) { write_entity(w, stored); });
  } else {
    std::cout << "added entity " << entity_label(stored) << " to tenant " << tenant_label(tenant) << "\n";
  }
  return kExitOk;
}

int run_put_relation(const GlobalOptions& global, const std::string& json) {
  Relation r;
  if (Status s = parse_relation_text(json, &r); !s.ok()) return fail(InvalidArgument("put-relation: " + s.message()));
  std::string tenant;
  if (Status s = choose_tenant(global, r.tenant_id, &tenant); !s.ok()) return fail(s);
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  if (Status s = store->add_relation(tenant, r); !s.ok()) return fail(s);
  Relation stored;
  if (Status s = store->get_relation(tenant, r.id, &stored); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) { write_relation(w, stored); });
  } else {
    std::cout << "added relation " << terminal_text(stored.source_id) << ' ' << relation_arrow(stored, stored.source_id)
              << ' ' << terminal_text(stored.target_id) << " to tenant " << tenant_label(tenant) << "\n";
  }
  return kExitOk;
}

int run_get(const GlobalOptions& global, const std::string& id) {
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  Entity e;
  if (Status s = store->get_entity(global.tenant, id, &e); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) { write_entity(w, e); });
  } else {
    print_entity(e);
  }
  return kExitOk;
}

int run_get_relation(const GlobalOptions& global, const std::string& id) {
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  Relation r;
  if (Status s = store->get_relation(global.tenant, id, &r); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) { write_relation(w, r); });
  } else {
    print_relation(r);
  }
  return kExitOk;
}

int run_delete(const GlobalOptions& global, const std::string& id) {
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  if (Status s = store->delete_entity(global.tenant, id); !s.ok()) return fail(s);
  if (global.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("deleted");
      write_string(w, id);
      w.EndObject();
    });
  } else {
    std::cout << "deleted entity " << terminal_text(id) << " and its relations from tenant "
              << tenant_label(global.tenant) << "\n";
  }
  return kExitOk;
}

// Adds a subcommand with one required positional argument that calls
// run(global, argument). The argument lives as long as the app's callbacks.
void add_one_arg_command(CLI::App& app, Context& ctx, const char* name, const char* help, const char* arg,
                         const char* arg_help, int (*run)(const GlobalOptions&, const std::string&)) {
  auto value = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option(arg, *value, arg_help)->required();
  cmd->callback([&ctx, value, run] { ctx.action = [&ctx, value, run] { return run(ctx.global, *value); }; });
}

}  // namespace

void add_record_commands(CLI::App& app, Context& ctx) {
  add_one_arg_command(app, ctx, "put-entity", "Add an entity given as the reference's JSON record", "json",
                      R"(e.g. '{"id": "p1", "entity_type": "Person", "properties": {"name": "Ada"}}')", run_put_entity);
  add_one_arg_command(app, ctx, "put-relation", "Add a relation given as the reference's JSON record", "json",
                      R"(e.g. '{"id": "r1", "relation_type": "KNOWS", "source_id": "p1", "target_id": "p2"}')",
                      run_put_relation);
  add_one_arg_command(app, ctx, "get", "Print an entity", "id", "Entity id", run_get);
  add_one_arg_command(app, ctx, "get-relation", "Print a relation", "id", "Relation id", run_get_relation);
  add_one_arg_command(app, ctx, "delete", "Delete an entity and every relation touching it", "id", "Entity id",
                      run_delete);
}

}  // namespace graphstore::cli
