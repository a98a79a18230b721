// serve's input: request lines read from a file descriptor in bounded
// memory. A line longer than the limit is skipped as it arrives, never held,
// so one huge request costs the reader's buffer and the limit, not its size.
#ifndef GRAPHSTORE_CLI_REQUEST_LINES_HPP
#define GRAPHSTORE_CLI_REQUEST_LINES_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace graphstore::cli {

class RequestLines {
 public:
  enum class Next { kLine, kTooLong, kEnd };

  // Reads fd (not owned, not closed); lines of more than max_bytes bytes
  // (the newline and a trailing '\r' not counted) are reported as too long.
  RequestLines(int fd, size_t max_bytes);

  // The next line into *line (without its newline): kLine; or kTooLong for
  // a line over the limit, whose bytes are dropped (*line is then empty and
  // *too_long_bytes says how long it was); or kEnd at end of input or on a
  // read error. A last line without a newline still counts. Never throws
  // but std::bad_alloc; reads only as far as the line's end.
  Next next(std::string* line, uint64_t* too_long_bytes);

 private:
  bool fill();  // false at end of input

  int fd_;
  size_t max_bytes_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
};

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_REQUEST_LINES_HPP
