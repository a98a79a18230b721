// The figures a soak run prints at its end, and its verdict.
#ifndef GRAPHSTORE_TESTS_SOAK_REPORT_HPP
#define GRAPHSTORE_TESTS_SOAK_REPORT_HPP

#include <ostream>
#include <string>

#include "checker.hpp"
#include "figures.hpp"

namespace graphstore::soak {

// Prints operations by kind, the faults injected, acknowledged and found
// writes, in-doubt ones, duplicates, statuses retried and failures, then
// "result: PASS" or "result: FAIL". Returns true for PASS: the content check
// passed and no call failed with a status other than a retried transient one.
bool print_report(std::ostream& out, const std::string& title, const Figures& figures, const std::string& faults,
                  const CheckResult& check, double seconds);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_REPORT_HPP
