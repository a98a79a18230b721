// Lines of a byte stream, each at most max_bytes long, in a buffer that
// never grows past max_bytes plus one read: a longer line is reported (with
// its first bytes) and skipped, never held whole.
#ifndef GRAPHSTORE_IO_LINE_READER_HPP
#define GRAPHSTORE_IO_LINE_READER_HPP

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"

namespace graphstore::io {

// A byte buffer that grows with realloc and leaves new bytes
// uninitialised: a large block is remapped rather than copied, so growing to
// a long line never holds the old and the new buffer at once (a vector
// would, and would zero the new part first).
class GrowableBuffer {
 public:
  GrowableBuffer() = default;
  ~GrowableBuffer() { std::free(data_); }
  GrowableBuffer(const GrowableBuffer&) = delete;
  GrowableBuffer& operator=(const GrowableBuffer&) = delete;

  // Keeps the first min(size(), n) bytes; throws std::bad_alloc when memory
  // runs out, as a vector would.
  void resize(size_t n) {
    void* p = std::realloc(data_, n);
    if (p == nullptr && n > 0) throw std::bad_alloc();
    data_ = static_cast<char*>(p);
    size_ = n;
  }
  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  char& operator[](size_t i) { return data_[i]; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

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
  GrowableBuffer buf_;
  size_t begin_ = 0, end_ = 0, scanned_ = 0;
  uint64_t number_ = 0;
  bool eof_ = false;
  std::string held_prefix_;  // the start of the last over-long line
};

// "64 MiB", "1000 bytes": a size for messages.
std::string size_text(size_t bytes);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_LINE_READER_HPP
