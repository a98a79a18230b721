// Locking for a tenant's graph.
//
// RwLock is a readers-writer lock that prefers writers: glibc's default
// rwlock (the one behind std::shared_mutex) prefers readers, and a steady
// stream of overlapping readers then starves every writer (measured: eight
// threads took 20 s for what takes well under 1 s with this lock).
//
// A writer-preferring lock deadlocks when a thread takes it shared twice
// while a writer waits, and a host sink may well call back into the store
// (Store::for_each_entity runs user code inside the sink). ReadGuard therefore
// remembers which locks its thread holds and re-enters them without locking
// again; WriteGuard refuses, instead of deadlocking, a write from inside a
// read callback on the same graph.
#ifndef GRAPHSTORE_INMEMORY_LOCKS_HPP
#define GRAPHSTORE_INMEMORY_LOCKS_HPP

#include <pthread.h>

#include <algorithm>
#include <vector>

namespace graphstore::inmemory {

class RwLock {
 public:
  RwLock() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#if defined(__GLIBC__)
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  ~RwLock() { pthread_rwlock_destroy(&lock_); }
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

namespace detail {
// The locks the calling thread holds shared, innermost last.
inline std::vector<const RwLock*>& held_shared() {
  thread_local std::vector<const RwLock*> held;
  return held;
}
}  // namespace detail

// True when the calling thread holds lock shared (it is inside a read).
inline bool held_shared_by_this_thread(const RwLock& lock) {
  const auto& held = detail::held_shared();
  return std::find(held.begin(), held.end(), &lock) != held.end();
}

// Holds lock shared for its lifetime; re-entrant on one thread. Looks up the
// thread's list once: in a dlopen'ed library each thread_local access is a
// call to __tls_get_addr, a real share of a point read.
class ReadGuard {
 public:
  explicit ReadGuard(RwLock& lock) : lock_(lock), held_(detail::held_shared()) {
    nested_ = std::find(held_.begin(), held_.end(), &lock_) != held_.end();
    if (nested_) return;
    held_.reserve(held_.size() + 1);  // so that push_back after locking cannot throw
    lock_.lock_shared();
    held_.push_back(&lock_);
  }
  ~ReadGuard() {
    if (nested_) return;
    held_.erase(std::find(held_.begin(), held_.end(), &lock_));
    lock_.unlock_shared();
  }
  ReadGuard(const ReadGuard&) = delete;
  ReadGuard& operator=(const ReadGuard&) = delete;

 private:
  RwLock& lock_;
  std::vector<const RwLock*>& held_;
  bool nested_;
};

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_LOCKS_HPP
