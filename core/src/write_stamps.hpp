// The timestamps the host fills in on write, one rule for every path that
// writes (Store, and StoreHandle's log of what a Store was given). Works on
// host records and ABI views alike: both have created_at and updated_at.
#ifndef GRAPHSTORE_CORE_WRITE_STAMPS_HPP
#define GRAPHSTORE_CORE_WRITE_STAMPS_HPP

#include <chrono>

#include "graphstore/types.hpp"

namespace graphstore {

inline Timestamp now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// An add: an absent created_at (kNoTimestamp) becomes now; an absent
// updated_at becomes created_at when that was stamped too, else now. Any
// other value, 0 included, is kept: it is a time.
template <class Record>
void stamp_added(Record* r, Timestamp now) {
  bool created_given = r->created_at != kNoTimestamp;
  if (!created_given) r->created_at = now;
  if (r->updated_at == kNoTimestamp) r->updated_at = created_given ? now : r->created_at;
}

// An update: an absent updated_at becomes now (created_at is the store's to
// keep).
template <class Record>
void stamp_updated(Record* r, Timestamp now) {
  if (r->updated_at == kNoTimestamp) r->updated_at = now;
}

}  // namespace graphstore

#endif  // GRAPHSTORE_CORE_WRITE_STAMPS_HPP
