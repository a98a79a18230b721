// Refusing a call into a store from inside one of its own callbacks.
//
// A callback (a sink of the plugin call, a for_each or scan fn) runs on the
// thread of the call that runs it. Calling the same store again from there
// deadlocks on a serialised plugin's mutex or on StoreHandle's swap lock, and
// races with the scan under way on a concurrent plugin. So each call marks
// its object busy on its thread for as long as it runs, and a call that finds
// its object already marked is refused. The marks form a list on the stack
// (one frame per call under way on the thread), which is empty on the hot
// path: checking it costs one thread-local load.
#ifndef GRAPHSTORE_CORE_REENTRY_HPP
#define GRAPHSTORE_CORE_REENTRY_HPP

#include <string>

#include "graphstore/status.hpp"

namespace graphstore {

struct BusyFrame {
  const void* owner;
  const BusyFrame* outer;
};

// The innermost call under way on this thread (null when none).
extern constinit thread_local const BusyFrame* t_busy;

// Marks owner busy on this thread while it lives, unless it already is: then
// reentered() is true and nothing is marked.
class BusyMark {
 public:
  explicit BusyMark(const void* owner) : frame_{owner, t_busy} {
    for (const BusyFrame* f = frame_.outer; f != nullptr; f = f->outer) {
      if (f->owner == owner) [[unlikely]] {
        reentered_ = true;
        return;
      }
    }
    t_busy = &frame_;
  }
  ~BusyMark() {
    if (!reentered_) t_busy = frame_.outer;
  }
  BusyMark(const BusyMark&) = delete;
  BusyMark& operator=(const BusyMark&) = delete;

  bool reentered() const { return reentered_; }

 private:
  BusyFrame frame_;
  bool reentered_ = false;
};

// Whether owner has a call under way on this thread.
inline bool is_busy(const void* owner) {
  for (const BusyFrame* f = t_busy; f != nullptr; f = f->outer)
    if (f->owner == owner) return true;
  return false;
}

// INVALID_ARGUMENT "<op> called from inside a callback of the same store".
Status reentered_error(const char* op, const char* what = "store");

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_REENTRY_HPP
