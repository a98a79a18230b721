// The content check after every worker has ended: the whole store read back
// and compared with what the acknowledgement logs say it must hold.
#ifndef GRAPHSTORE_TESTS_SOAK_CHECKER_HPP
#define GRAPHSTORE_TESTS_SOAK_CHECKER_HPP

#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "graphstore/store.hpp"

namespace graphstore::soak {

struct CheckResult {
  uint64_t logs = 0;                  // owners (worker threads) whose log was read
  uint64_t writes_acknowledged = 0;   // "A" groups in the logs
  uint64_t records_expected = 0;      // records the acknowledged writes leave present
  uint64_t records_found = 0;         // of those, present with their last acknowledged value
  uint64_t in_doubt = 0;              // writes without "A" (a killed process's, or given up)
  uint64_t in_doubt_applied = 0;      // of those, found applied in full
  uint64_t in_doubt_absent = 0;       // of those, found not applied at all
  uint64_t in_doubt_torn = 0;         // of those, applied in part or with other values: a failure
  uint64_t open_in_live_process = 0;  // unfinished writes of a process that was not killed: a failure
  uint64_t missing = 0;               // expected, absent
  uint64_t wrong_value = 0;           // expected, present with another value
  uint64_t unexpected = 0;            // present, written by no acknowledged or in-doubt write
  uint64_t duplicates = 0;            // an id returned more than once by the full read
  uint64_t dangling = 0;              // relations whose endpoint entity is absent
  uint64_t log_errors = 0;            // logs unreadable or contradicting themselves
  std::string read_error;             // the full read's failure, if any
  std::vector<std::string> examples;  // the first few differences, in words

  // True when nothing above that is marked a failure happened.
  bool passed() const;
  void print(std::ostream& out) const;
};

// Reads every entity and relation of the global tenant and every "*.log" in
// log_dir, and compares them. killed_identities: writer identities whose
// process was killed, whose unfinished writes are in doubt rather than a
// failure. Never fails itself: what went wrong is in the result.
CheckResult check_store(Store* store, const std::string& log_dir, const std::set<std::string>& killed_identities);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_CHECKER_HPP
