// Locking for a tenant's graph.
//
// RwLock is a readers-writer lock that prefers writers: glibc's default
// rwlock (the one behind std::shared_mutex) prefers readers, and a steady
// stream of overlapping readers then starves every writer (measured: eight
// threads took 20 s for what takes well under 1 s with a writer-preferring
// lock). It is one atomic word, not a pthread rwlock, because a point read is
// about 0.1 us and the pthread calls with their bookkeeping were a quarter of
// it; uncontended, a read costs one compare-exchange and one subtraction.
//
// A writer-preferring lock deadlocks when a thread takes it shared twice
// while a writer waits, and a host sink may well call back into the store
// (Store::for_each_entity runs user code inside the sink). A thread already
// inside a read therefore takes further read locks even while a writer waits
// (only an active writer stops it), and lock_exclusive (store.hpp) refuses, instead of
// deadlocking, a write from inside a read callback on the same graph.
#ifndef GRAPHSTORE_INMEMORY_LOCKS_HPP
#define GRAPHSTORE_INMEMORY_LOCKS_HPP

#include <atomic>
#include <cstdint>

namespace graphstore::inmemory {

class RwLock {
 public:
  RwLock() = default;
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;

  void lock() {
    uint32_t s = state_.load(std::memory_order_relaxed);
    for (;;) {  // claim the one pending-writer place
      if (s & kPending) {
        state_.wait(s, std::memory_order_relaxed);
        s = state_.load(std::memory_order_relaxed);
      } else if (state_.compare_exchange_weak(s, s | kPending, std::memory_order_relaxed)) {
        s |= kPending;
        break;
      }
    }
    for (;;) {  // new readers now wait; let the present ones leave
      if ((s & kReaders) != 0) {
        state_.wait(s, std::memory_order_relaxed);
        s = state_.load(std::memory_order_relaxed);
      } else if (state_.compare_exchange_weak(s, s | kActive, std::memory_order_acquire, std::memory_order_relaxed)) {
        return;
      }
    }
  }

  void unlock() {
    state_.fetch_and(~(kPending | kActive), std::memory_order_release);
    state_.notify_all();
  }

  // barge: take it even while a writer waits (the caller already holds a
  // read lock, perhaps this one; waiting could deadlock).
  void lock_shared(bool barge) {
    uint32_t s = state_.load(std::memory_order_relaxed);
    for (;;) {
      if ((s & kActive) || ((s & kPending) && !barge)) {
        state_.wait(s, std::memory_order_relaxed);
        s = state_.load(std::memory_order_relaxed);
      } else if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed)) {
        return;
      }
    }
  }

  // For tests and diagnostics: a writer holds the lock or waits for it.
  bool writer_waiting() const { return state_.load(std::memory_order_relaxed) & kPending; }

  void unlock_shared() {
    uint32_t before = state_.fetch_sub(1, std::memory_order_release);
    if ((before & kPending) && (before & kReaders) == 1) state_.notify_all();  // the last reader a writer waits for
  }

 private:
  static constexpr uint32_t kActive = 1u << 31;   // a writer holds it
  static constexpr uint32_t kPending = 1u << 30;  // a writer holds it or waits for the readers to leave
  static constexpr uint32_t kReaders = kPending - 1;

  std::atomic<uint32_t> state_{0};
};

namespace detail {
// The read locks the calling thread holds, innermost last; the first
// kTracked of them by address. Plain data with the initial-exec model: in a
// dlopen'ed library a general thread_local costs a call to __tls_get_addr
// on every access, a real share of a point read, and one with a destructor
// also a guard.
struct HeldReads {
  static constexpr uint32_t kTracked = 8;
  const RwLock* locks[kTracked];
  uint32_t depth;
};
inline HeldReads& held_reads() {
  __attribute__((tls_model("initial-exec"))) static thread_local HeldReads held;
  return held;
}
}  // namespace detail

// True when the calling thread may hold lock shared (it is inside a read of
// it, or inside more nested reads than are tracked by address).
inline bool held_shared_by_this_thread(const RwLock& lock) {
  const detail::HeldReads& held = detail::held_reads();
  if (held.depth > detail::HeldReads::kTracked) return true;
  for (uint32_t i = 0; i < held.depth; ++i)
    if (held.locks[i] == &lock) return true;
  return false;
}

// Holds lock shared for its lifetime; re-entrant on one thread.
class ReadGuard {
 public:
  explicit ReadGuard(RwLock& lock) : lock_(lock), held_(detail::held_reads()) {
    lock_.lock_shared(held_.depth > 0);
    if (held_.depth < detail::HeldReads::kTracked) held_.locks[held_.depth] = &lock_;
    ++held_.depth;
  }
  ~ReadGuard() {
    --held_.depth;
    lock_.unlock_shared();
  }
  ReadGuard(const ReadGuard&) = delete;
  ReadGuard& operator=(const ReadGuard&) = delete;

 private:
  RwLock& lock_;
  detail::HeldReads& held_;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_LOCKS_HPP
