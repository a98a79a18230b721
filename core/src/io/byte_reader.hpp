// A byte at a time over an InputFile, counting lines: the scanner under the
// JSON and CSV readers.
#ifndef GRAPHSTORE_IO_BYTE_READER_HPP
#define GRAPHSTORE_IO_BYTE_READER_HPP

#include <cstdint>
#include <vector>

#include "io/byte_stream.hpp"

namespace graphstore::io {

class ByteReader {
 public:
  explicit ByteReader(InputFile* in) : in_(in), buf_(1 << 20) {}

  // The next byte (0..255), or -1 at the end or on a read error (error()).
  int get() {
    if (pos_ == end_ && !refill()) return -1;
    char c = buf_[pos_++];
    if (c == '\n') ++line_;
    return static_cast<unsigned char>(c);
  }
  int peek() {
    if (pos_ == end_ && !refill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
  }
  // Skips JSON whitespace.
  void skip_space() {
    for (int c = peek(); c == ' ' || c == '\t' || c == '\r' || c == '\n'; c = peek()) get();
  }

  uint64_t line() const { return line_; }  // 1-based, of the next byte
  const Status& error() const { return error_; }
  InputFile* input() const { return in_; }

 private:
  bool refill() {
    if (!error_.ok()) return false;
    size_t got = 0;
    error_ = in_->read(buf_.data(), buf_.size(), &got);
    pos_ = 0;
    end_ = got;
    return got > 0;
  }

  InputFile* in_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  uint64_t line_ = 1;
  Status error_;
};

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_BYTE_READER_HPP
