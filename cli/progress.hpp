// Progress of export, import and migrate on stderr. On a terminal: one line
// redrawn in place (a bar when the total is known, records, rate, ETA), at
// most ten times a second. Otherwise (a pipe, a log file, CI): a plain line
// every few seconds. Debian 12 packages no C++ progress-bar library
// (indicators is not in bookworm), hence this small one.
#ifndef GRAPHSTORE_CLI_PROGRESS_HPP
#define GRAPHSTORE_CLI_PROGRESS_HPP

#include <chrono>
#include <string>

#include "graphstore/io.hpp"

namespace graphstore::cli {

class ProgressLine {
 public:
  // `what` names the operation ("import"); enabled false prints nothing.
  ProgressLine(std::string what, bool enabled);

  // Shows p when it is time to; always true (never stops the operation).
  bool update(const Progress& p);
  // Ends the line (on a terminal) after the last update.
  void finish();

  // The callback to hand to ExportOptions/ImportOptions/MigrateOptions.
  ProgressFn fn() {
    return [this](const Progress& p) { return update(p); };
  }

 private:
  void draw(const Progress& p, bool final_line);

  std::string what_;
  bool enabled_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
  Progress last_p_;
  std::string last_phase_;
};

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_PROGRESS_HPP
