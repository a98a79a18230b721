#include "io/line_reader.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace graphstore::io {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kPrefix = 4096;

}  // namespace

std::string size_text(size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

LineReader::LineReader(InputFile* in, size_t max_bytes) : in_(in), max_(std::max<size_t>(max_bytes, 1)) {
  buf_.resize(std::min(max_, kChunk) + kChunk + kPad);
  std::memset(buf_.data() + capacity(), 0, kPad);
}

bool LineReader::fill(Status* error) {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    scanned_ -= begin_;
    begin_ = 0;
  }
  if (end_ + kChunk > capacity()) {
    buf_.resize(std::min(std::max(capacity() * 2, end_ + kChunk), max_ + 2 * kChunk) + kPad);
    std::memset(buf_.data() + capacity(), 0, kPad);
  }
  size_t got = 0;
  *error = in_->read(buf_.data() + end_, capacity() - end_, &got);
  if (!error->ok()) return false;
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool LineReader::next(Line* line, Status* error) {
  *error = Status::Ok();
  line->padded = false;
  for (;;) {
    const char* base = buf_.data();
    const void* nl = scanned_ < end_ ? std::memchr(base + scanned_, '\n', end_ - scanned_) : nullptr;
    if (nl != nullptr) {
      size_t pos = static_cast<size_t>(static_cast<const char*>(nl) - base);
      size_t len = pos - begin_;
      if (len > max_) {
        // Reached only when the newline arrived in the same read that
        // crossed the limit.
        line->text = std::string_view(base + begin_, std::min(kPrefix, max_));
        line->too_long = true;
      } else {
        if (len > 0 && base[pos - 1] == '\r') --len;
        line->text = std::string_view(base + begin_, len);
        line->too_long = false;
        terminate(line, begin_ + len);
      }
      line->number = ++number_;
      begin_ = scanned_ = pos + 1;
      return true;
    }
    scanned_ = end_;
    if (end_ - begin_ > max_) {
      // Too long: keep a prefix for the report, drop the rest up to the
      // newline, reading (and discarding) as much as it takes.
      uint64_t number = ++number_;
      held_prefix_.assign(buf_.data() + begin_, std::min(kPrefix, max_));
      begin_ = scanned_ = end_;
      for (;;) {
        if (!fill(error)) break;
        const void* p = std::memchr(buf_.data() + scanned_, '\n', end_ - scanned_);
        if (p != nullptr) {
          begin_ = scanned_ = static_cast<size_t>(static_cast<const char*>(p) - buf_.data()) + 1;
          break;
        }
        begin_ = scanned_ = end_;
      }
      if (!error->ok()) return false;
      line->text = held_prefix_;
      line->number = number;
      line->too_long = true;
      return true;
    }
    if (!fill(error)) {
      if (!error->ok()) return false;
      if (begin_ == end_) return false;
      // The last line, without a newline.
      size_t len = end_ - begin_;
      if (buf_[end_ - 1] == '\r') --len;
      line->text = std::string_view(buf_.data() + begin_, len);
      line->too_long = false;
      terminate(line, begin_ + len);
      line->number = ++number_;
      begin_ = scanned_ = end_;
      return true;
    }
  }
}

}  // namespace graphstore::io
