// Removal: clear (one tenant, or every tenant) and delete-source.
#include <unistd.h>

#include <iostream>
#include <string>

#include "commands.hpp"
#include "failure.hpp"
#include "output.hpp"
#include "reports.hpp"
#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

struct ClearArgs {
  bool all_tenants = false;
  bool yes = false;
};

// What a clear is about to remove, in words.
std::string clear_target(const GlobalOptions& global, bool all_tenants, const std::string& backend) {
  return (all_tenants ? std::string("every entity and relation of every tenant")
                      : "every entity and relation of tenant " + tenant_label(global.tenant)) +
         " in backend '" + backend + "'";
}

// Asks on the terminal; true when the answer is y or yes.
bool confirmed(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes";
}

void print_removed(const GlobalOptions& global, const Removed& removed, const std::string& what) {
  if (global.json) {
    print_json([&](JsonWriter& w) { write_removal_report(w, removed); });
  } else {
    std::cout << "removed " << removed.entities << " entities and " << removed.relations << " relations " << what
              << "\n";
  }
}

int run_clear(const GlobalOptions& global, const ClearArgs& args) {
  if (args.all_tenants && global.tenant_given)
    return fail_usage("clear: --all-tenants clears every tenant; it does not take --tenant");
  // A script never wipes a store by accident: without --yes, only a person
  // at a terminal can say yes.
  if (!args.yes && !isatty(STDIN_FILENO))
    return report_failure(code_name(Code::kInvalidArgument),
                          "clear: refusing to clear without confirmation: stdin is not a terminal; pass --yes to clear "
                          "without asking",
                          kExitError);
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  std::string target = clear_target(global, args.all_tenants, store->plugin().id);
  if (!args.yes && !confirmed("Remove " + terminal_text(target) + "?")) {
    std::cerr << "graphstore: clear: not confirmed; nothing removed\n";
    return kExitError;
  }
  Removed removed;
  if (Status s =
          store->clear(global.tenant, args.all_tenants ? ClearScope::kAllTenants : ClearScope::kTenant, &removed);
      !s.ok())
    return fail(s);
  print_removed(global, removed,
                args.all_tenants ? std::string("from every tenant") : "from tenant " + tenant_label(global.tenant));
  return kExitOk;
}

int run_delete_source(const GlobalOptions& global, const std::string& source) {
  OpenedStore store;
  if (Status s = open_store(global, &store); !s.ok()) return fail(s);
  Removed removed;
  if (Status s = store->delete_by_source(global.tenant, source, &removed); !s.ok()) return fail(s);
  print_removed(global, removed, "of source " + terminal_text(source) + " from tenant " + tenant_label(global.tenant));
  return kExitOk;
}

}  // namespace

void add_removal_commands(CLI::App& app, Context& ctx) {
  auto clear = std::make_shared<ClearArgs>();
  auto* cmd = app.add_subcommand("clear", "Remove every entity and relation of the tenant (or of every tenant)");
  cmd->add_flag("--all-tenants", clear->all_tenants, "Clear every tenant and the global namespace");
  cmd->add_flag("--yes,-y", clear->yes, "Do not ask for confirmation (needed when stdin is not a terminal)");
  cmd->callback([&ctx, clear] { ctx.action = [&ctx, clear] { return run_clear(ctx.global, *clear); }; });

  auto source = std::make_shared<std::string>();
  auto* del = app.add_subcommand(
      "delete-source", "Remove the entities and relations of one source, and the relations touching those entities");
  del->add_option("source", *source, "The source, as stored (exact bytes)")->required();
  del->callback([&ctx, source] { ctx.action = [&ctx, source] { return run_delete_source(ctx.global, *source); }; });
}

}  // namespace graphstore::cli
