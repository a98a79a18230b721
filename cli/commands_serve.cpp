// serve: a small long-running host. Requests come one JSON object per line
// on stdin, answers go one per line to stdout (serve_requests.cpp). SIGHUP
// (or the request {"op":"reload"}) reads the config again and, when the
// environment's backend section changed, swaps the store behind the handle
// while requests go on, copying the data first when the section says
// migrate_on_swap: true.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "commands.hpp"
#include "graphstore/store_handle.hpp"
#include "request_lines.hpp"
#include "serve_requests.hpp"

namespace graphstore::cli {
namespace {

// Longest request line by default: room for a record with a large
// embedding and properties, while a runaway client costs tens of megabytes
// (the line and its parse), not its whole input.
constexpr uint64_t kDefaultMaxRequestBytes = 16ull << 20;

class Server {
 public:
  Server(const GlobalOptions& global, uint64_t max_request_bytes)
      : global_(global), max_request_bytes_(max_request_bytes) {}

  Status start() {
    // SIGHUP is taken by a thread of its own (sigwait, in run), so it is
    // blocked before any thread exists, plugins' threads included: a reload
    // never runs inside a signal handler, and no thread dies of the signal.
    sigemptyset(&hup_);
    sigaddset(&hup_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hup_, nullptr);
    std::unique_ptr<Store> store;
    if (Status s = open_configured_store(global_, registry_, &store, &config_); !s.ok()) return s;
    handle_ = std::make_unique<StoreHandle>(std::move(store));
    host_.handle = handle_.get();
    host_.environment = config_.environment;
    host_.swaps = &swaps_;
    host_.reload = [this] { return reload(); };
    return Status::Ok();
  }

  // Reads the config again; swaps when the backend section changed.
  Status reload() {
    std::lock_guard one_reload(reload_mutex_);
    BackendConfig next_config;
    if (Status s = resolve_backend(global_, &next_config); !s.ok()) return s;
    if (next_config.backend == config_.backend && next_config.options_json == config_.options_json) {
      std::cerr << "graphstore serve: reloaded " << next_config.file << ": the backend section is unchanged\n";
      return Status::Ok();
    }
    std::unique_ptr<Store> next;
    if (Status s = open_backend(registry_, next_config, &next); !s.ok()) return s;
    SwapReport report;
    SwapOptions options;
    options.migrate = next_config.migrate_on_swap;
    std::string from = handle_->plugin().id;
    if (Status s = handle_->swap(std::move(next), options, &report); !s.ok()) return s;
    config_ = next_config;
    swaps_.fetch_add(1);
    std::cerr << "graphstore serve: swapped " << from << " -> " << handle_->plugin().id;
    if (options.migrate)
      std::cerr << " (copied " << report.copied_entities << " entities and " << report.copied_relations
                << " relations, caught up " << report.caught_up_writes << " writes)";
    std::cerr << " in " << report.seconds << " s; calls waited " << report.paused_seconds << " s\n";
    return Status::Ok();
  }

  int run() {
    std::thread signals([this, hup = hup_] {
      for (;;) {
        int sig = 0;
        if (sigwait(&hup, &sig) != 0) continue;
        if (stopping_.load()) return;
        try {
          if (Status s = reload(); !s.ok())
            std::cerr << "graphstore serve: reload failed, keeping the store: " << s.message() << '\n';
        } catch (const std::exception& e) {  // out of memory: keep serving, as for any failed reload
          std::cerr << "graphstore serve: reload failed, keeping the store: " << e.what() << '\n';
        }
      }
    });
    std::cerr << "graphstore serve: " << config_.environment << " on " << handle_->plugin().id
              << "; one JSON request per line\n";
    RequestLines lines(STDIN_FILENO, max_request_bytes_);
    std::string line;
    uint64_t too_long = 0;
    for (uint64_t n = 1;; ++n) {
      RequestLines::Next next = lines.next(&line, &too_long);
      if (next == RequestLines::Next::kEnd) break;
      if (next == RequestLines::Next::kTooLong) {
        std::cout << answer_too_long(n, too_long, max_request_bytes_) << '\n' << std::flush;
        continue;
      }
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      std::cout << answer_request(host_, line, n) << '\n' << std::flush;
    }
    stopping_.store(true);
    pthread_kill(signals.native_handle(), SIGHUP);
    signals.join();
    return kExitOk;
  }

 private:
  GlobalOptions global_;
  uint64_t max_request_bytes_;
  sigset_t hup_;
  Registry registry_;
  BackendConfig config_;
  std::unique_ptr<StoreHandle> handle_;
  ServeHost host_;
  std::atomic<uint64_t> swaps_{0};
  std::atomic<bool> stopping_{false};
  std::mutex reload_mutex_;
};

int run_serve(const GlobalOptions& global, uint64_t max_request_bytes) {
  Server server(global, max_request_bytes);
  if (Status s = server.start(); !s.ok()) return fail(s);
  return server.run();
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx) {
  auto max_request_bytes = std::make_shared<uint64_t>(kDefaultMaxRequestBytes);
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve JSON requests on stdin, one per line; SIGHUP reloads the config and swaps the store if its backend "
      "changed");
  cmd->add_option("--max-request-bytes", *max_request_bytes,
                  "Longest request line; a longer one is skipped unread and answered with an error")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 31))
      ->capture_default_str();
  cmd->callback([&ctx, max_request_bytes] {
    ctx.action = [&ctx, max_request_bytes] { return run_serve(ctx.global, *max_request_bytes); };
  });
}

}  // namespace graphstore::cli
