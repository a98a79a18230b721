// Helpers of the Tier 2 equivalence tests: run one call with the plugin's
// native slot and with the core's default, and collect mismatches so one bad
// slot yields one readable failure rather than thousands.
#ifndef GRAPHSTORE_TESTS_CONFORMANCE_EQUIVALENCE_HPP
#define GRAPHSTORE_TESTS_CONFORMANCE_EQUIVALENCE_HPP

#include <gtest/gtest.h>

#include <string>

#include "graphstore/store.hpp"

namespace graphstore::conformance {

// Counts mismatches and keeps the first few descriptions.
class Mismatches {
 public:
  void add(const std::string& what) {
    if (count_++ < kKept) first_ += "\n  " + what;
  }
  size_t count() const { return count_; }
  // A failure listing the first mismatches, or success. `checked` is the
  // number of calls compared, for the report.
  ::testing::AssertionResult none(size_t checked) const {
    if (count_ == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << count_ << " mismatches in " << checked << " calls; the first:" << first_;
  }

 private:
  static constexpr size_t kKept = 8;
  size_t count_ = 0;
  std::string first_;
};

// One call's answer in both modes.
template <class R>
struct Both {
  Status native_status, default_status;
  R native{}, defaults{};
};

// Runs call(&result) with native slots, then with the defaults.
template <class R, class F>
Both<R> run_both(Store& store, F&& call) {
  Both<R> b;
  store.set_force_defaults(false);
  b.native_status = call(&b.native);
  store.set_force_defaults(true);
  b.default_status = call(&b.defaults);
  store.set_force_defaults(false);
  return b;
}

inline std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace graphstore::conformance

#endif  // GRAPHSTORE_TESTS_CONFORMANCE_EQUIVALENCE_HPP
