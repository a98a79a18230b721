// EdgeLinker: the second thread of a large relation bulk add.
//
// Adding a relation touches two kinds of memory at random: the relation index
// and the endpoints' index entries (to check ids), and the endpoints' edge
// lists (to append). Each is a chain of cache misses that prefetching can only
// partly hide, so one core spends most of a large load waiting on memory. The
// bulk add therefore splits the work: its own thread checks each relation and
// adds its record (Graph::add_relation with a LinkJob) and pushes the job
// here, while a helper thread appends the edges (Graph::link_edges) a little
// behind. The two write disjoint memory; plugins/inmemory/README.md has the
// figures.
//
// The caller holds the graph's exclusive lock throughout and, until finish()
// returns, must not touch edge lists or the edge pool itself.
#ifndef GRAPHSTORE_INMEMORY_EDGE_LINKER_HPP
#define GRAPHSTORE_INMEMORY_EDGE_LINKER_HPP

#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <thread>

#include "graph.hpp"

namespace graphstore::inmemory {

class EdgeLinker {
 public:
  // Starts the helper thread, with room for up to capacity jobs. Throws
  // std::bad_alloc or std::system_error, and then no thread runs.
  EdgeLinker(Graph& graph, size_t capacity);
  ~EdgeLinker() { finish(); }
  EdgeLinker(const EdgeLinker&) = delete;
  EdgeLinker& operator=(const EdgeLinker&) = delete;

  // Queues a job (at most capacity in all); the thread sees jobs in batches.
  void push(const LinkJob& job) {
    jobs_[pushed_++] = job;
    if (pushed_ % kBatch == 0) publish(pushed_);
  }

  // True once the thread stopped on an exception; the caller should stop
  // pushing and call finish().
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

  // Waits until the thread has linked every pushed job or failed. Returns how
  // many were linked: always the first ones pushed. Idempotent.
  size_t finish();

  // What stopped the thread, or null.
  std::exception_ptr error() const { return error_; }

 private:
  static constexpr size_t kBatch = 128;
  // The published count's top bit says that nothing more will be pushed, so
  // that closing changes the value a waiting thread sleeps on.
  static constexpr size_t kClosed = size_t(1) << (sizeof(size_t) * 8 - 1);

  void publish(size_t word) {
    published_.store(word, std::memory_order_release);
    published_.notify_one();
  }
  void run();

  Graph& graph_;
  std::unique_ptr<LinkJob[]> jobs_;
  size_t pushed_ = 0;
  std::atomic<size_t> published_{0};
  std::atomic<bool> failed_{false};
  size_t linked_ = 0;          // written by the thread, read after join
  std::exception_ptr error_;   // likewise
  std::thread thread_;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_EDGE_LINKER_HPP
