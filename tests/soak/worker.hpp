// One soak worker thread: a mix of reads and writes on the records it owns,
// reads of other owners' records, and searches, until a deadline. Every write
// is logged (ack_log.hpp) before the call and acknowledged after it; reads of
// its own records are compared with what it last wrote.
#ifndef GRAPHSTORE_TESTS_SOAK_WORKER_HPP
#define GRAPHSTORE_TESTS_SOAK_WORKER_HPP

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ack_log.hpp"
#include "expected_state.hpp"
#include "figures.hpp"
#include "graphstore/store.hpp"

namespace graphstore::soak {

struct WorkerConfig {
  std::string identity;  // this process's writer identity
  int thread = 0;
  uint64_t seed = 1;
  std::chrono::steady_clock::time_point deadline;
  std::string log_path;
  std::vector<std::string> identities;  // every writer identity of the run, for foreign reads
  int threads_per_identity = 1;
  size_t bulk_size = 100;  // entities per bulk add
  // How long a write keeps retrying a transient status before it is given up
  // (and counted as a failure).
  std::chrono::seconds retry_limit{60};
};

class Worker {
 public:
  // store must outlive the worker and be shared with any number of others.
  Worker(Store* store, WorkerConfig config);

  // Runs ops until the deadline. Never throws; failures are counted in the
  // figures. One thread per Worker.
  void run();
  // A copy of the counts so far. Any thread, also while run() runs.
  Figures figures() const;

 private:
  using Call = std::function<Status()>;
  using ShowsCommitted = std::function<bool(const Status&)>;

  void get();
  void neighbors();
  void search_text();
  void stats();
  void add_entity();
  void add_relation();
  void update_entity();
  void update_relation();
  void delete_entity();
  void delete_relation();
  void batch();
  void bulk();

  // The call, repeated while it returns UNAVAILABLE (counted) and time is left.
  Status read(const char* kind, const Call& call);
  // Logs the intent of ops, runs call (retrying UNAVAILABLE), and on OK, or on
  // a status that after a retry shows the earlier attempt committed,
  // acknowledges and applies ops to the own state. Otherwise counts the
  // failure, logs the write as given up and forgets the ids it touched.
  void write(const char* kind, const std::vector<LogOp>& ops, const Call& call, const ShowsCommitted& committed);

  std::string new_id(char kind, int part = -1) const;
  void count_op(const char* kind);
  void fail(const std::string& name, const std::string& detail);

  Store* store_;
  WorkerConfig config_;
  std::string owner_;
  AckLogWriter log_;
  ExpectedState state_;
  // Ids of records whose last write was given up (and the relations touching
  // them then): the store may or may not hold them, so reads skip them.
  std::set<std::string> uncertain_;
  std::mt19937_64 rng_;
  uint64_t seq_ = 0;
  mutable std::mutex mu_;  // guards figures_ (read by the process's saver thread)
  Figures figures_;
};

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_WORKER_HPP
