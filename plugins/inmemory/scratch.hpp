// Per-thread scratch arrays indexed by entity slot, cleared in O(1) by
// bumping an epoch, so a traversal costs nothing proportional to the graph's
// size. Queries use them only while computing, never while a host sink runs,
// so a sink that calls back into the store cannot disturb them.
#ifndef GRAPHSTORE_INMEMORY_SCRATCH_HPP
#define GRAPHSTORE_INMEMORY_SCRATCH_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace graphstore::inmemory {

class SlotMarks {
 public:
  // Clears every mark and makes room for slots [0, n).
  void reset(size_t n) {
    if (stamp_.size() < n) stamp_.resize(n, 0);
    if (++epoch_ == 0) {
      std::fill(stamp_.begin(), stamp_.end(), 0);
      epoch_ = 1;
    }
  }
  bool test(uint32_t slot) const { return stamp_[slot] == epoch_; }
  void set(uint32_t slot) { stamp_[slot] = epoch_; }
  void unset(uint32_t slot) { stamp_[slot] = 0; }

 private:
  std::vector<uint32_t> stamp_;
  uint32_t epoch_ = 0;
};

// A partial map slot -> uint32_t.
class SlotValues {
 public:
  void reset(size_t n) {
    marks_.reset(n);
    if (values_.size() < n) values_.resize(n);
  }
  bool has(uint32_t slot) const { return marks_.test(slot); }
  uint32_t get(uint32_t slot) const { return values_[slot]; }
  void set(uint32_t slot, uint32_t value) {
    marks_.set(slot);
    values_[slot] = value;
  }

 private:
  SlotMarks marks_;
  std::vector<uint32_t> values_;
};

// The calling thread's scratch; which picks one of two independent sets.
inline SlotMarks& thread_marks(int which) {
  thread_local SlotMarks marks[2];
  return marks[which];
}
inline SlotValues& thread_values() {
  thread_local SlotValues values;
  return values;
}

}  // namespace graphstore::inmemory

#endif  // GRAPHSTORE_INMEMORY_SCRATCH_HPP
