#include "report.hpp"

namespace graphstore::soak {

bool print_report(std::ostream& out, const std::string& title, const Figures& figures, const std::string& faults,
                  const CheckResult& check, double seconds) {
  uint64_t calls = 0;
  for (const auto& [k, v] : figures.ops) calls += v;
  out << "== soak " << title << "\n"
      << "operations: " << calls << " in " << seconds << " s (";
  print_counts(out, figures.ops);
  out << ")\n"
      << "faults injected: " << faults << "\n"
      << "writes acknowledged by the workers: " << figures.writes_acknowledged << " (of them "
      << figures.found_committed_on_retry << " found already committed when retried)\n"
      << "own-record reads checked: " << figures.reads_checked << "\n"
      << "statuses retried (transient): ";
  print_counts(out, figures.retried);
  out << "\nfailures: ";
  print_counts(out, figures.failures);
  out << "\n";
  for (const auto& e : figures.examples) out << "  - " << e << "\n";
  check.print(out);
  bool pass = check.passed() && figures.failure_count() == 0;
  out << "result: " << (pass ? "PASS" : "FAIL") << std::endl;
  return pass;
}

}  // namespace graphstore::soak
