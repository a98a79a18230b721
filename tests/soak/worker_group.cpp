#include "worker_group.hpp"

#include <atomic>
#include <memory>
#include <thread>

#include "soak_records.hpp"
#include "worker.hpp"

namespace graphstore::soak {

Figures run_worker_group(
    Store* store, const GroupConfig& config,
    const std::vector<std::pair<std::chrono::steady_clock::time_point, std::function<void()>>>& at_times) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < config.threads; ++t) {
    WorkerConfig wc;
    wc.identity = config.identity;
    wc.thread = t;
    wc.seed = config.seed * 1000003u + static_cast<uint64_t>(t);
    wc.deadline = config.deadline;
    wc.log_path = config.dir + "/" + owner_name(config.identity, t) + ".log";
    wc.identities = config.identities;
    wc.threads_per_identity = config.threads;
    wc.bulk_size = config.bulk_size;
    workers.push_back(std::make_unique<Worker>(store, wc));
  }
  auto sum = [&] {
    Figures f;
    for (const auto& w : workers) f.merge(w->figures());
    return f;
  };
  std::string figures_path = config.dir + "/" + config.identity + ".figures";
  std::atomic<bool> done{false};
  std::thread saver([&] {
    size_t next = 0;
    for (int tick = 0; !done.load(); ++tick) {
      auto now = std::chrono::steady_clock::now();
      while (next < at_times.size() && at_times[next].first <= now) at_times[next++].second();
      if (tick % 5 == 0) (void)sum().save(figures_path);  // a missed save only loses counts of a killed process
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w] { w->run(); });
  for (auto& t : threads) t.join();
  done = true;
  saver.join();
  Figures total = sum();
  if (!total.save(figures_path)) total.fail("figures", "cannot write " + figures_path);
  return total;
}

}  // namespace graphstore::soak
