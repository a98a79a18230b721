#include "request_lines.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace graphstore::cli {

RequestLines::RequestLines(int fd, size_t max_bytes) : fd_(fd), max_bytes_(max_bytes), buffer_(64 * 1024) {}

bool RequestLines::fill() {
  for (;;) {
    ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    begin_ = 0;
    end_ = static_cast<size_t>(n);
    return true;
  }
}

RequestLines::Next RequestLines::next(std::string* line, uint64_t* too_long_bytes) {
  line->clear();
  uint64_t length = 0;
  bool over = false;
  bool any = false;
  for (;;) {
    if (begin_ == end_ && !fill()) {
      if (!any) return Next::kEnd;
      break;  // a last line without a newline
    }
    any = true;
    const char* start = buffer_.data() + begin_;
    const char* stop = buffer_.data() + end_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', static_cast<size_t>(stop - start)));
    size_t take = static_cast<size_t>((newline != nullptr ? newline : stop) - start);
    length += take;
    // One byte of slack: a '\r' before the newline does not count.
    if (!over && length > max_bytes_ + 1) {
      over = true;
      line->clear();
      line->shrink_to_fit();
    }
    if (!over) line->append(start, take);
    begin_ += take;
    if (newline != nullptr) {
      ++begin_;
      break;
    }
  }
  if (!over && !line->empty() && line->back() == '\r') {
    line->pop_back();
    --length;
  }
  if (over || length > max_bytes_) {
    line->clear();
    *too_long_bytes = length;
    return Next::kTooLong;
  }
  return Next::kLine;
}

}  // namespace graphstore::cli
