// The counts a soak run reports: operations by kind, statuses that were
// retried, failures by status, and what the content check found. Workers
// count into their own Figures; a process saves the sum as "key value" lines
// so that the run can add up its processes, a killed one's last save
// included.
#ifndef GRAPHSTORE_TESTS_SOAK_FIGURES_HPP
#define GRAPHSTORE_TESTS_SOAK_FIGURES_HPP

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace graphstore::soak {

struct Figures {
  std::map<std::string, uint64_t> ops;       // calls made, by kind (get, add_entity, batch, ...)
  std::map<std::string, uint64_t> retried;   // transient statuses (UNAVAILABLE) the caller retried
  std::map<std::string, uint64_t> failures;  // any other status, or a wrong answer, by name
  uint64_t writes_acknowledged = 0;          // writes the store acknowledged (one per call)
  uint64_t found_committed_on_retry = 0;     // retries that found the earlier attempt committed
  uint64_t reads_checked = 0;                // own-record reads compared with the expected value
  std::vector<std::string> examples;         // the first few failures, in words

  // Adds a failure: counted under name (spaces become ':'), and kept as an
  // example when it is one of the first three of its name (30 at most).
  void fail(const std::string& name, const std::string& detail);
  void merge(const Figures& other);
  uint64_t failure_count() const;

  // Saves to path (written beside, then renamed: a kill never leaves half a
  // file). False when it cannot be written.
  bool save(const std::string& path) const;
  // Adds what a saved file holds. False when it cannot be read.
  bool load_and_add(const std::string& path);
};

// Prints "name N, name N" for a map (or "none").
void print_counts(std::ostream& out, const std::map<std::string, uint64_t>& counts);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_FIGURES_HPP
