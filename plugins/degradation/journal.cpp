#include "journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>

namespace graphstore::degradation {
namespace {

static_assert(std::endian::native == std::endian::little, "the journal is little-endian");

// "GSJRNL\0" and the format byte.
constexpr char kMagic[7] = {'G', 'S', 'J', 'R', 'N', 'L', '\0'};
constexpr uint64_t kHeaderSizeV1 = 16;  // magic, u64 replay offset
constexpr uint64_t kFrameSizeV1 = 8;    // u32 length, u32 crc32 of the payload
constexpr uint64_t kFrameSizeV2 = 12;   // and u32 crc32 of those eight bytes
constexpr uint32_t kMaxRecord = 1u << 30;  // a record longer than this is damage, not data
// Dropped bytes beyond this are kept but not searched for intact records.
constexpr uint64_t kMaxSearched = 64u << 20;

uint32_t checksum(const void* data, size_t n) {
  return static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), static_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

uint32_t load_u32(const char* p) {
  uint32_t v = 0;
  std::memcpy(&v, p, 4);
  return v;
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

// A format-2 frame at p (n bytes available from p) whose header and payload
// checksums hold: its size, else 0.
uint64_t intact_frame_at(const char* p, uint64_t n) {
  if (n < kFrameSizeV2 || checksum(p, 8) != load_u32(p + 8)) return 0;
  uint32_t length = load_u32(p);
  if (length > kMaxRecord || kFrameSizeV2 + length > n) return 0;
  if (checksum(p + kFrameSizeV2, length) != load_u32(p + 4)) return 0;
  return kFrameSizeV2 + length;
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

uint64_t Journal::frame_size() const { return format_ == 1 ? kFrameSizeV1 : kFrameSizeV2; }
uint64_t Journal::header_size() const { return format_ == 1 ? kHeaderSizeV1 : kHeaderSize; }

sdk::Status Journal::io_error(const char* what, int error_number) const {
  return sdk::make_error(error_number == ENOSPC ? GS_RESOURCE_EXHAUSTED : GS_UNAVAILABLE,
                         std::string("journal '") + path_ + "': " + what + ": " + std::strerror(error_number));
}

sdk::Status Journal::recover() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return io_error("stat", errno);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  char header[kHeaderSize] = {};
  int error_number = 0;
  uint64_t have = size < kHeaderSize ? size : kHeaderSize;
  if (have > 0 && !pread_all(fd_, header, have, 0, &error_number)) return io_error("read header", error_number);
  if (std::memcmp(header, kMagic, have < sizeof kMagic ? have : sizeof kMagic) != 0)
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': not a graphstore journal (bad magic)");
  if (have > sizeof kMagic) {
    int format = static_cast<unsigned char>(header[sizeof kMagic]);
    if (format != 1 && format != 2)
      return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': format " + std::to_string(format) +
                                                " is not one this build reads (1 or 2)");
    format_ = format;
  }
  if (size < header_size()) {
    // New, or a header whose first write was cut short: nothing was ever
    // appended after it, so nothing was acknowledged from it.
    format_ = 2;
    if (::ftruncate(fd_, 0) != 0) return io_error("truncate", errno);
    begin_.store(kHeaderSize);
    end_.store(kHeaderSize);
    return write_header(kHeaderSize);
  }
  uint64_t replayed = 0;
  std::memcpy(&replayed, header + 8, 8);
  bool header_sound = replayed >= header_size() &&
                      (format_ == 1 || (checksum(header, 16) == load_u32(header + 16) && load_u32(header + 20) == 0));
  // Past the end only when reset() was cut short after its truncation: every
  // record had reached the primary.
  if (header_sound && replayed > size) replayed = size;

  // The records from the header on. The first one cut short or damaged ends
  // the journal, except that damage before the replay offset (records the
  // primary already holds) is stepped over to the replay offset.
  uint64_t begin = header_size();
  Walk w;
  if (sdk::Status s = walk(begin, size, replayed, &w); !s.ok()) return s;
  if (header_sound && w.stop < replayed) {
    std::string why = w.why;
    uint64_t at = w.stop;
    if (sdk::Status s = walk(replayed, size, replayed, &w); !s.ok()) return s;
    if (w.mark_on_boundary) {
      JournalRepair r;
      r.damaged = true;
      r.offset = at;
      r.message = "journal '" + path_ + "': " + why + "; it and the records after it up to offset " +
                  std::to_string(replayed) + " had already reached the primary, so nothing is lost";
      repairs_.push_back(std::move(r));
      begin = replayed;
    }
  }
  if (!header_sound || !w.mark_on_boundary) {
    // Replaying every record again is safe: a replay applies each write as
    // an upsert in journal order, so none lands twice.
    JournalRepair r;
    r.damaged = true;
    r.message = "journal '" + path_ + "': " +
                (header_sound ? "its replay offset " + std::to_string(replayed) + " is not at a record boundary"
                              : std::string("its header fails its checksum")) +
                "; every record will be replayed again";
    repairs_.push_back(std::move(r));
    header_sound = false;
    replayed = begin = header_size();
    if (sdk::Status s = walk(begin, size, replayed, &w); !s.ok()) return s;
  }
  if (w.stop < size)
    if (sdk::Status s = cut(w.stop, size, w.damaged, w.why); !s.ok()) return s;
  begin_.store(begin);
  end_.store(w.stop);
  replayed_.store(replayed);
  pending_.store(w.pending);
  if (!header_sound) return write_header(replayed);
  return sdk::Status::Ok();
}

sdk::Status Journal::walk(uint64_t offset, uint64_t size, uint64_t mark, Walk* out) const {
  *out = Walk{};
  std::string payload;
  while (offset < size) {
    if (offset == mark) out->mark_on_boundary = true;
    uint64_t next = 0;
    sdk::Status s = read(offset, &payload, &next);
    if (s.code == GS_NOT_FOUND) {
      out->why = "the record at offset " + std::to_string(offset) + " is cut short (" +
                 std::to_string(size - offset) +
                 " bytes left): an append that never completed, so was never acknowledged, or a truncated file";
      break;
    }
    if (s.code == GS_CORRUPTION) {
      // A checksum failing on the last record alone may be an append whose
      // bytes never all reached the disk; anywhere else it is damage.
      out->damaged = next != size;
      // read() names the journal; the repair's message names it once.
      size_t named = s.message.find("': ");
      out->why = named == std::string::npos ? s.message : s.message.substr(named + 3);
      break;
    }
    if (!s.ok()) return s;
    if (offset >= mark) ++out->pending;
    offset = next;
  }
  out->stop = offset < size ? offset : size;
  if (out->stop == mark) out->mark_on_boundary = true;
  return sdk::Status::Ok();
}

uint64_t Journal::count_intact_records(uint64_t from, uint64_t size) const {
  if (format_ == 1) return std::numeric_limits<uint64_t>::max();  // no frame checksum to search by
  if (size - from > kMaxSearched) return std::numeric_limits<uint64_t>::max();
  std::string bytes(size - from, '\0');
  int error_number = 0;
  if (!pread_all(fd_, bytes.data(), bytes.size(), from, &error_number)) return std::numeric_limits<uint64_t>::max();
  // The damaged record itself does not count; a search from each byte after
  // its start finds the frames that follow it.
  uint64_t found = 0;
  for (uint64_t p = 1; p + kFrameSizeV2 <= bytes.size();) {
    uint64_t n = intact_frame_at(bytes.data() + p, bytes.size() - p);
    if (n == 0) {
      ++p;
      continue;
    }
    ++found;
    p += n;
  }
  return found;
}

sdk::Status Journal::cut(uint64_t from, uint64_t size, bool damaged, const std::string& why) {
  JournalRepair r;
  r.damaged = damaged;
  r.offset = from;
  r.dropped_bytes = size - from;
  r.intact_records_dropped = count_intact_records(from, size);
  r.message = "journal '" + path_ + "': " + why + "; " + std::to_string(r.dropped_bytes) +
              " bytes from offset " + std::to_string(from) + " dropped";
  if (r.intact_records_dropped == std::numeric_limits<uint64_t>::max())
    r.message += " (not searched for intact records)";
  else if (r.intact_records_dropped > 0)
    r.message += ", holding " + std::to_string(r.intact_records_dropped) + " intact records after the damaged one";
  // Nothing is destroyed: the dropped bytes go to a file of their own first
  // (all but a fragment too short to hold a frame).
  if (r.dropped_bytes >= frame_size()) {
    std::string bytes(r.dropped_bytes, '\0');
    int error_number = 0;
    if (!pread_all(fd_, bytes.data(), bytes.size(), from, &error_number)) return io_error("read damaged tail", error_number);
    std::string kept;
    int out = -1;
    for (int n = 1; out < 0 && n < 1000; ++n) {
      kept = path_ + ".damaged-" + std::to_string(n);
      out = ::open(kept.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (out < 0 && errno != EEXIST) return io_error("keep damaged tail", errno);
    }
    if (out < 0) return io_error("keep damaged tail", EEXIST);
    int e = pwrite_all(out, bytes.data(), bytes.size(), 0);
    if (e == 0 && ::fsync(out) != 0) e = errno;
    ::close(out);
    if (e != 0) {
      (void)::unlink(kept.c_str());
      return io_error("keep damaged tail", e);
    }
    r.message += "; kept in '" + kept + "'";
  }
  if (::ftruncate(fd_, static_cast<off_t>(from)) != 0 || ::fdatasync(fd_) != 0) return io_error("cut damaged tail", errno);
  repairs_.push_back(std::move(r));
  return sdk::Status::Ok();
}

sdk::Status Journal::read(uint64_t offset, std::string* payload, uint64_t* next) const {
  *next = 0;
  char frame[kFrameSizeV2];
  const uint64_t frame_bytes = frame_size();
  int error_number = 0;
  if (!pread_all(fd_, frame, frame_bytes, offset, &error_number)) {
    if (error_number != 0) return io_error("read", error_number);
    return sdk::make_error(GS_NOT_FOUND, "end of journal");
  }
  if (frame_bytes == kFrameSizeV2 && checksum(frame, 8) != load_u32(frame + 8))
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': the record at offset " + std::to_string(offset) +
                                              " has a frame that fails its checksum");
  uint32_t length = load_u32(frame);
  if (length > kMaxRecord)
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': the record at offset " + std::to_string(offset) +
                                              " claims " + std::to_string(length) + " bytes");
  payload->resize(length);
  *next = offset + frame_bytes + length;
  if (!pread_all(fd_, payload->data(), length, offset + frame_bytes, &error_number)) {
    if (error_number != 0) return io_error("read", error_number);
    return sdk::make_error(GS_NOT_FOUND, "end of journal");
  }
  if (checksum(payload->data(), length) != load_u32(frame + 4))
    return sdk::make_error(GS_CORRUPTION, "journal '" + path_ + "': the record at offset " + std::to_string(offset) +
                                              " fails its checksum");
  return sdk::Status::Ok();
}

sdk::Status Journal::append(std::string_view payload) {
  if (payload.size() > kMaxRecord)
    return sdk::make_error(GS_RESOURCE_EXHAUSTED, "journal: a record of " + std::to_string(payload.size()) +
                                                      " bytes is over the 1 GiB limit");
  const uint64_t frame_bytes = frame_size();
  std::string frame(frame_bytes + payload.size(), '\0');
  uint32_t head[3] = {static_cast<uint32_t>(payload.size()), checksum(payload.data(), payload.size()), 0};
  head[2] = checksum(head, 8);
  std::memcpy(frame.data(), head, frame_bytes);
  std::memcpy(frame.data() + frame_bytes, payload.data(), payload.size());
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
  char header[kHeaderSize] = {};
  std::memcpy(header, kMagic, sizeof kMagic);
  header[sizeof kMagic] = static_cast<char>(format_);
  std::memcpy(header + 8, &replayed, 8);
  uint32_t crc = checksum(header, 16);
  std::memcpy(header + 16, &crc, 4);
  if (int e = pwrite_all(fd_, header, header_size(), 0); e != 0) return io_error("write header", e);
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
  // the end as "all replayed". A journal of the first format becomes one of
  // the current format here, when it holds nothing.
  if (::ftruncate(fd_, static_cast<off_t>(header_size())) != 0) return io_error("truncate", errno);
  if (format_ != 2) {
    if (::ftruncate(fd_, 0) != 0) return io_error("truncate", errno);
    format_ = 2;
  }
  if (sdk::Status s = write_header(kHeaderSize); !s.ok()) return s;
  begin_.store(kHeaderSize, std::memory_order_release);
  end_.store(kHeaderSize, std::memory_order_release);
  pending_.store(0, std::memory_order_relaxed);
  return sdk::Status::Ok();
}

}  // namespace graphstore::degradation
