#include "journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cstring>

namespace graphstore::degradation {
namespace {

static_assert(std::endian::native == std::endian::little, "the journal is little-endian");

constexpr char kMagic[8] = {'G', 'S', 'J', 'R', 'N', 'L', '\0', '\1'};
constexpr uint64_t kFrameSize = 8;              // u32 length, u32 crc32 of the payload
constexpr uint32_t kMaxRecord = 1u << 30;       // a record longer than this is damage, not data

uint32_t checksum(const void* data, size_t n) {
  return static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), static_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

// Reads exactly n bytes at offset; false at end of file.
bool pread_all(int fd, void* buf, size_t n, uint64_t offset, int* error_number) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t got = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      *error_number = errno;
      return false;
    }
    if (got == 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

int pwrite_all(int fd, const void* buf, size_t n, uint64_t offset) {
  const auto* p = static_cast<const char*>(buf);
  while (n > 0) {
    ssize_t put = ::pwrite(fd, p, n, static_cast<off_t>(offset));
    if (put < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += put;
    n -= static_cast<size_t>(put);
    offset += static_cast<uint64_t>(put);
  }
  return 0;
}

}  // namespace

sdk::Status Journal::open(const std::string& path, std::unique_ptr<Journal>* out) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return sdk::make_error(errno == EACCES ? GS_PERMISSION_DENIED : GS_UNAVAILABLE,
                           "option 'journal_path': cannot open '" + path + "': " + std::strerror(errno));
  std::unique_ptr<Journal> j(new Journal(path, fd));
  // Two stores appending to one journal would interleave their records.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    return sdk::make_error(GS_UNAVAILABLE, "option 'journal_path': '" + path + "' is in use by another store");
  if (sdk::Status s = j->recover(); !s.ok()) return s;
  *out = std::move(j);
  return sdk::Status::Ok();
}

Journal::~Journal() { ::close(fd_); }

sdk::Status Journal::io_error(const char* what, int error_number) const {
  return sdk::make_error(error_number == ENOSPC ? GS_RESOURCE_EXHAUSTED : GS_UNAVAILABLE,
                         std::string("journal '") + path_ + "': " + what + ": " + std::strerror(error_number));
}

sdk::Status Journal::recover() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return io_error("stat", errno);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size < kHeaderSize) {
    // New, or a header whose first write was cut short: nothing was ever
    // acknowledged from it.
    if (::ftruncate(fd_, 0) != 0) return io_error("truncate", errno);
    return write_header(kHeaderSize);
  }
  char header[kHeaderSize];
  int error_number = 0;
  if (!pread_all(fd_, header, sizeof header, 0, &error_number)) return io_error("read header", error_number);
  if (std::memcmp(header, kMagic, sizeof kMagic) != 0)
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': not a graphstore journal (bad magic)");
  uint64_t replayed = 0;
  std::memcpy(&replayed, header + 8, 8);
  if (replayed < kHeaderSize)
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': replay offset " + std::to_string(replayed) +
                                              " lies inside the header");
  // Past the end only when reset() was cut short after its truncation: every
  // record had reached the primary.
  if (replayed > size) replayed = size;
  // Walk the records: a frame or payload running past the end is a torn
  // append; a bad checksum before the end is damage.
  uint64_t offset = kHeaderSize;
  uint64_t pending = 0;
  std::string payload;
  while (offset < size) {
    uint64_t next = 0;
    sdk::Status s = read(offset, &payload, &next);
    if (s.code == GS_NOT_FOUND) break;  // torn tail
    if (!s.ok()) {
      if (s.code == GS_CORRUPTION && next == size) break;  // the last record, torn inside its payload
      return s;
    }
    if (offset >= replayed) ++pending;
    offset = next;
  }
  if (offset < replayed)
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': replay offset " + std::to_string(replayed) +
                                              " is not at a record boundary");
  if (offset < size && ::ftruncate(fd_, static_cast<off_t>(offset)) != 0) return io_error("truncate torn tail", errno);
  end_.store(offset);
  replayed_.store(replayed);
  pending_.store(pending);
  return sdk::Status::Ok();
}

sdk::Status Journal::read(uint64_t offset, std::string* payload, uint64_t* next) const {
  *next = 0;
  uint32_t frame[2];
  int error_number = 0;
  if (!pread_all(fd_, frame, sizeof frame, offset, &error_number)) {
    if (error_number != 0) return io_error("read", error_number);
    return sdk::make_error(GS_NOT_FOUND, "end of journal");
  }
  uint32_t length = frame[0];
  if (length > kMaxRecord)
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': record at offset " + std::to_string(offset) +
                                              " claims " + std::to_string(length) + " bytes");
  payload->resize(length);
  if (!pread_all(fd_, payload->data(), length, offset + kFrameSize, &error_number)) {
    if (error_number != 0) return io_error("read", error_number);
    return sdk::make_error(GS_NOT_FOUND, "end of journal");
  }
  *next = offset + kFrameSize + length;
  if (checksum(payload->data(), length) != frame[1])
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': record at offset " + std::to_string(offset) +
                                              " fails its checksum");
  return sdk::Status::Ok();
}

sdk::Status Journal::append(std::string_view payload) {
  if (payload.size() > kMaxRecord)
    return sdk::make_error(GS_RESOURCE_EXHAUSTED, "journal: a record of " + std::to_string(payload.size()) +
                                                      " bytes is over the 1 GiB limit");
  std::string frame(kFrameSize + payload.size(), '\0');
  uint32_t head[2] = {static_cast<uint32_t>(payload.size()), checksum(payload.data(), payload.size())};
  std::memcpy(frame.data(), head, sizeof head);
  std::memcpy(frame.data() + kFrameSize, payload.data(), payload.size());
  uint64_t at = end();
  if (int e = pwrite_all(fd_, frame.data(), frame.size(), at); e != 0) {
    (void)::ftruncate(fd_, static_cast<off_t>(at));
    return io_error("append", e);
  }
  if (::fdatasync(fd_) != 0) {
    int e = errno;
    (void)::ftruncate(fd_, static_cast<off_t>(at));
    return io_error("sync", e);
  }
  end_.store(at + frame.size(), std::memory_order_release);
  pending_.fetch_add(1, std::memory_order_relaxed);
  return sdk::Status::Ok();
}

sdk::Status Journal::rollback(uint64_t size) {
  if (size >= end()) return sdk::Status::Ok();
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0 || ::fdatasync(fd_) != 0) return io_error("roll back", errno);
  end_.store(size, std::memory_order_release);
  pending_.fetch_sub(1, std::memory_order_relaxed);
  return sdk::Status::Ok();
}

sdk::Status Journal::write_header(uint64_t replayed) {
  char header[kHeaderSize];
  std::memcpy(header, kMagic, sizeof kMagic);
  std::memcpy(header + 8, &replayed, 8);
  if (int e = pwrite_all(fd_, header, sizeof header, 0); e != 0) return io_error("write header", e);
  if (::fdatasync(fd_) != 0) return io_error("sync header", errno);
  replayed_.store(replayed, std::memory_order_release);
  return sdk::Status::Ok();
}

sdk::Status Journal::mark_replayed(uint64_t offset, uint64_t records) {
  if (sdk::Status s = write_header(offset); !s.ok()) return s;
  pending_.fetch_sub(records, std::memory_order_relaxed);
  return sdk::Status::Ok();
}

sdk::Status Journal::reset() {
  // Truncate, then rewrite the header: recover() reads a replay offset past
  // the end as "all replayed".
  if (::ftruncate(fd_, static_cast<off_t>(kHeaderSize)) != 0) return io_error("truncate", errno);
  if (sdk::Status s = write_header(kHeaderSize); !s.ok()) return s;
  end_.store(kHeaderSize, std::memory_order_release);
  pending_.store(0, std::memory_order_relaxed);
  return sdk::Status::Ok();
}

}  // namespace graphstore::degradation
