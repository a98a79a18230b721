#include "edge_linker.hpp"

namespace graphstore::inmemory {
namespace {

// Prefetch distances of the two stages of Graph::prefetch_link, in jobs.
constexpr size_t kAheadRecord = 12;
constexpr size_t kAheadList = 5;
// About 0.1 ms of pause instructions.
constexpr int kSpins = 4000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

EdgeLinker::EdgeLinker(Graph& graph, size_t capacity)
    : graph_(graph), jobs_(new LinkJob[capacity]), thread_([this] { run(); }) {}

size_t EdgeLinker::finish() {
  if (thread_.joinable()) {
    publish(pushed_ | kClosed);
    thread_.join();
  }
  return linked_;
}

void EdgeLinker::run() {
  size_t done = 0;
  try {
    for (;;) {
      size_t word = published_.load(std::memory_order_acquire);
      size_t end = word & ~kClosed;
      if (done == end) {
        if (word & kClosed) break;
        // The next batch is usually microseconds away: spin a while before
        // sleeping, since waking a sleeping thread costs the pushing thread a
        // system call (and, in a VM, an interprocessor interrupt).
        for (int spin = 0; spin < kSpins && published_.load(std::memory_order_relaxed) == word; ++spin) cpu_relax();
        if (published_.load(std::memory_order_relaxed) == word) published_.wait(word, std::memory_order_acquire);
        continue;
      }
      for (; done < end; ++done) {
        if (done + kAheadRecord < end) graph_.prefetch_link(jobs_[done + kAheadRecord], 1);
        if (done + kAheadList < end) graph_.prefetch_link(jobs_[done + kAheadList], 2);
        graph_.link_edges(jobs_[done]);
      }
    }
  } catch (...) {
    error_ = std::current_exception();
    failed_.store(true, std::memory_order_relaxed);
  }
  linked_ = done;
}

}  // namespace graphstore::inmemory
