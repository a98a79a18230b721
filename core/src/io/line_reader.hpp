// Lines of a byte stream, each at most max_bytes long, in a buffer that
// never grows past max_bytes plus one read: a longer line is reported (with
// its first bytes) and skipped, never held whole.
#ifndef GRAPHSTORE_IO_LINE_READER_HPP
#define GRAPHSTORE_IO_LINE_READER_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"

namespace graphstore::io {

class LineReader {
 public:
  struct Line {
    std::string_view text;  // without '\n' and a trailing '\r'; valid until the next call
    uint64_t number = 0;    // 1-based
    bool too_long = false;  // text is only the line's first bytes; the rest was skipped
    bool padded = false;    // text is followed by a NUL and at least 16 readable bytes
  };

  LineReader(InputFile* in, size_t max_bytes);

  // The next line. False at the end of the input, or on a read error
  // (*error not OK). The last line needs no '\n'. A line longer than
  // max_bytes comes back with too_long set and a prefix of at most 4 KiB.
  bool next(Line* line, Status* error);

 private:
  bool fill(Status* error);  // false at the end or on error
  size_t capacity() const { return buf_.size() - kPad; }
  // Ends the line at pos with a NUL (the buffer's padding keeps 16 bytes
  // readable after it).
  void terminate(Line* line, size_t pos) {
    buf_[pos] = '\0';
    line->padded = true;
  }

  static constexpr size_t kPad = 32;

  InputFile* in_;
  size_t max_;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0, scanned_ = 0;
  uint64_t number_ = 0;
  bool eof_ = false;
  std::string held_prefix_;  // the start of the last over-long line
};

// "64 MiB", "1000 bytes": a size for messages.
std::string size_text(size_t bytes);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_LINE_READER_HPP
