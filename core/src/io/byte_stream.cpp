#include "io/byte_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace graphstore::io {
namespace {

constexpr size_t kRawChunk = 1 << 20;
constexpr size_t kOutChunk = 1 << 20;

z_stream* zs(void* p) { return static_cast<z_stream*>(p); }

std::string errno_text() { return std::strerror(errno); }

Status write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return Internal("cannot copy the gzip input to a temporary file: " + errno_text());
    data += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

}  // namespace

// ---- InputFile -------------------------------------------------------------

InputFile::~InputFile() {
  if (z_ != nullptr) {
    inflateEnd(zs(z_));
    delete zs(z_);
  }
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  if (copy_fd_ >= 0) ::close(copy_fd_);
}

Status InputFile::open(const std::filesystem::path& path, std::unique_ptr<InputFile>* out) {
  std::unique_ptr<InputFile> f(new InputFile());
  f->name_ = path.string();
  if (f->name_ == "-") {
    f->fd_ = 0;
    f->name_ = "<stdin>";
  } else {
    f->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f->fd_ < 0) return NotFound(f->name_ + ": cannot open: " + errno_text());
    f->owns_fd_ = true;
    struct stat st {};
    if (fstat(f->fd_, &st) == 0) {
      if (S_ISDIR(st.st_mode)) return InvalidArgument(f->name_ + ": is a directory");
      if (S_ISREG(st.st_mode)) f->raw_size_ = static_cast<uint64_t>(st.st_size);
    }
  }
  f->start_ = std::max<int64_t>(0, ::lseek(f->fd_, 0, SEEK_CUR));
  f->raw_.resize(kRawChunk);
  // Look at the first two bytes (a short file cannot be gzip).
  while (f->raw_end_ < 2 && !f->raw_eof_)
    if (Status s = f->fill_raw(); !s.ok()) return s;
  if (f->raw_end_ >= 2 && static_cast<unsigned char>(f->raw_[0]) == 0x1f &&
      static_cast<unsigned char>(f->raw_[1]) == 0x8b) {
    f->gzip_ = true;
    auto* z = new z_stream{};
    if (inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
      delete z;
      return Internal(f->name_ + ": zlib inflateInit2 failed");
    }
    f->z_ = z;
  }
  *out = std::move(f);
  return Status::Ok();
}

Status InputFile::fill_raw() {
  if (raw_begin_ > 0 && raw_begin_ == raw_end_) raw_begin_ = raw_end_ = 0;
  if (raw_end_ == raw_.size()) {
    // Keep the unread bytes: move them to the front.
    std::memmove(raw_.data(), raw_.data() + raw_begin_, raw_end_ - raw_begin_);
    raw_end_ -= raw_begin_;
    raw_begin_ = 0;
  }
  for (;;) {
    ssize_t n = ::read(fd_, raw_.data() + raw_end_, raw_.size() - raw_end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Internal(name_ + ": read error: " + errno_text());
    if (n == 0) raw_eof_ = true;
    if (copy_fd_ >= 0)
      if (Status s = write_all(copy_fd_, raw_.data() + raw_end_, static_cast<size_t>(n)); !s.ok()) return s;
    raw_end_ += static_cast<size_t>(n);
    raw_read_ += static_cast<uint64_t>(n);
    return Status::Ok();
  }
}

Status InputFile::verify_gzip(const std::filesystem::path& spool_dir) {
  if (!gzip_) return Status::Ok();
  struct stat st {};
  bool seekable = fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && ::lseek(fd_, 0, SEEK_CUR) >= 0;
  if (!seekable) {
    std::string tmpl =
        ((spool_dir.empty() ? std::filesystem::temp_directory_path() : spool_dir) / "graphstore-gzip-XXXXXX").string();
    copy_fd_ = mkstemp(tmpl.data());
    if (copy_fd_ < 0) return Internal("cannot create a temporary file in " + tmpl + ": " + errno_text());
    ::unlink(tmpl.c_str());
    // The bytes open() has read already.
    if (Status s = write_all(copy_fd_, raw_.data(), raw_end_); !s.ok()) return s;
  }
  std::vector<char> scratch(kOutChunk);
  for (;;) {
    size_t got = 0;
    if (Status s = read(scratch.data(), scratch.size(), &got); !s.ok()) return s;
    if (got == 0) break;
  }
  if (!seekable) {
    if (owns_fd_) ::close(fd_);
    fd_ = copy_fd_;
    owns_fd_ = true;
    copy_fd_ = -1;
    start_ = 0;
  }
  return rewind();
}

Status InputFile::rewind() {
  if (::lseek(fd_, start_, SEEK_SET) < 0) return Internal(name_ + ": cannot read it again: " + errno_text());
  raw_begin_ = raw_end_ = 0;
  raw_eof_ = false;
  raw_read_ = 0;
  member_done_ = false;
  error_ = Status::Ok();
  if (z_ != nullptr) inflateReset(zs(z_));
  return Status::Ok();
}

Status InputFile::read(char* buf, size_t n, size_t* got) {
  *got = 0;
  if (!error_.ok()) return error_;
  if (gzip_) {
    // The bytes decompressed before an error are delivered first; the error
    // comes with the next call.
    Status s = read_gzip(buf, n, got);
    if (!s.ok()) error_ = s;
    return *got > 0 ? Status::Ok() : s;
  }
  if (raw_begin_ == raw_end_ && !raw_eof_) {
    if (Status s = fill_raw(); !s.ok()) return error_ = s;
  }
  size_t take = std::min(n, raw_end_ - raw_begin_);
  std::memcpy(buf, raw_.data() + raw_begin_, take);
  raw_begin_ += take;
  *got = take;
  return Status::Ok();
}

Status InputFile::read_gzip(char* buf, size_t n, size_t* got) {
  z_stream* z = zs(z_);
  z->next_out = reinterpret_cast<Bytef*>(buf);
  z->avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
  while (z->avail_out > 0) {
    if (member_done_) {
      // Another member may follow (concatenated .gz files); anything else
      // after a complete member is an error, as gzip -t reports it.
      while (raw_end_ - raw_begin_ < 2 && !raw_eof_)
        if (Status s = fill_raw(); !s.ok()) return s;
      size_t left = raw_end_ - raw_begin_;
      if (left == 0) break;  // the end
      if (left < 2 || static_cast<unsigned char>(raw_[raw_begin_]) != 0x1f ||
          static_cast<unsigned char>(raw_[raw_begin_ + 1]) != 0x8b) {
        *got = n - z->avail_out;
        return InvalidArgument(name_ + ": trailing garbage after the gzip data");
      }
      inflateReset(z);
      member_done_ = false;
    }
    if (raw_begin_ == raw_end_) {
      if (raw_eof_) {
        *got = n - z->avail_out;
        return InvalidArgument(name_ + ": truncated gzip stream: the file ends inside the compressed data (after " +
                               std::to_string(raw_read_) + " bytes)");
      }
      if (Status s = fill_raw(); !s.ok()) {
        *got = n - z->avail_out;
        return s;
      }
      continue;
    }
    z->next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_begin_);
    z->avail_in = static_cast<uInt>(raw_end_ - raw_begin_);
    int rc = inflate(z, Z_NO_FLUSH);
    raw_begin_ = raw_end_ - z->avail_in;
    if (rc == Z_STREAM_END) {
      member_done_ = true;
    } else if (rc == Z_BUF_ERROR) {
      // No progress possible: needs more input (handled above) or output.
      if (z->avail_in == 0) continue;
      break;
    } else if (rc != Z_OK) {
      *got = n - z->avail_out;
      return InvalidArgument(name_ +
                             ": corrupt gzip stream: " + (z->msg ? z->msg : "inflate error " + std::to_string(rc)));
    }
  }
  *got = n - z->avail_out;
  return Status::Ok();
}

// ---- OutputFile ------------------------------------------------------------

OutputFile::~OutputFile() {
  if (z_ != nullptr) {
    deflateEnd(zs(z_));
    delete zs(z_);
  }
  if (owns_fd_ && fd_ >= 0) {
    ::close(fd_);
    if (!closed_) ::unlink(partial_.c_str());
  }
}

Status OutputFile::create(const std::filesystem::path& path, bool gzip, int gzip_level,
                          std::unique_ptr<OutputFile>* out) {
  std::unique_ptr<OutputFile> f(new OutputFile());
  f->name_ = path.string();
  if (f->name_ == "-") {
    f->fd_ = 1;
    f->name_ = "<stdout>";
  } else {
    f->partial_ = f->name_ + ".partial";
    f->fd_ = ::open(f->partial_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f->fd_ < 0) return InvalidArgument(f->partial_ + ": cannot create: " + errno_text());
    f->owns_fd_ = true;
  }
  f->buf_.resize(kOutChunk);
  f->gzip_ = gzip;
  if (gzip) {
    auto* z = new z_stream{};
    if (deflateInit2(z, gzip_level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      delete z;
      return InvalidArgument(f->name_ + ": zlib deflateInit2 failed (level " + std::to_string(gzip_level) + ")");
    }
    f->z_ = z;
    f->zbuf_.resize(kOutChunk);
  }
  *out = std::move(f);
  return Status::Ok();
}

Status OutputFile::write_raw(const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd_, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return Internal(name_ + ": write error: " + errno_text());
    data += w;
    n -= static_cast<size_t>(w);
    written_ += static_cast<uint64_t>(w);
  }
  return Status::Ok();
}

Status OutputFile::flush(bool finish) {
  if (!gzip_) {
    Status s = write_raw(buf_.data(), used_);
    used_ = 0;
    return s;
  }
  z_stream* z = zs(z_);
  z->next_in = reinterpret_cast<Bytef*>(buf_.data());
  z->avail_in = static_cast<uInt>(used_);
  for (;;) {
    z->next_out = reinterpret_cast<Bytef*>(zbuf_.data());
    z->avail_out = static_cast<uInt>(zbuf_.size());
    int rc = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_ERROR) return Internal(name_ + ": zlib deflate failed");
    if (Status s = write_raw(zbuf_.data(), zbuf_.size() - z->avail_out); !s.ok()) return s;
    if (finish ? rc == Z_STREAM_END : (z->avail_in == 0 && z->avail_out != 0)) break;
  }
  used_ = 0;
  return Status::Ok();
}

Status OutputFile::write(const char* data, size_t n) {
  while (n > 0) {
    if (used_ == buf_.size())
      if (Status s = flush(false); !s.ok()) return s;
    size_t take = std::min(n, buf_.size() - used_);
    std::memcpy(buf_.data() + used_, data, take);
    used_ += take;
    data += take;
    n -= take;
  }
  return Status::Ok();
}

Status OutputFile::close() {
  if (closed_) return Status::Ok();
  if (Status s = flush(true); !s.ok()) return s;
  if (owns_fd_) {
    if (::close(fd_) != 0) {
      fd_ = -1;
      return Internal(name_ + ": close failed: " + errno_text());
    }
    fd_ = -1;
    if (::rename(partial_.c_str(), name_.c_str()) != 0)
      return Internal(partial_ + ": cannot rename to " + name_ + ": " + errno_text());
  }
  closed_ = true;
  return Status::Ok();
}

}  // namespace graphstore::io
