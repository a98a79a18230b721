// The write-ahead journal of the degradation plugin: an append-only file of
// framed records, each made durable (fdatasync) before the write it holds is
// acknowledged. The header keeps how far the journal has been replayed to the
// primary, so a restart resumes there; README.md gives the byte layout.
#ifndef GRAPHSTORE_DEGRADATION_JOURNAL_HPP
#define GRAPHSTORE_DEGRADATION_JOURNAL_HPP

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/plugin.hpp"

namespace graphstore::degradation {

// What opening a journal found wrong with it and did about it.
struct JournalRepair {
  // A torn tail is the end of an append that never completed (so was never
  // acknowledged) or a file cut short; damage is a record or header whose
  // checksum fails with more of the file behind it.
  bool damaged = false;
  uint64_t offset = 0;
  uint64_t dropped_bytes = 0;
  // Whole records (checksums intact) found in the dropped bytes after the
  // damaged one: acknowledged writes the damage cost. UINT64_MAX when the
  // dropped bytes were too many to search.
  uint64_t intact_records_dropped = 0;
  // Says what was wrong, where, and where the dropped bytes were kept.
  std::string message;
};

class Journal {
 public:
  // The size of the header a new journal is written with (format 2).
  static constexpr uint64_t kHeaderSize = 24;

  // Opens or creates the journal at path and locks it against other
  // processes. Records are checked from the start; the first one that is cut
  // short or fails a checksum ends the journal: everything before it is kept
  // (and replayed), it and everything after it are cut off and kept in
  // `<path>.damaged-<n>` (unless they are only a few bytes of an unfinished
  // append), and repairs() says what was dropped and why. Damage inside
  // records already replayed to the primary costs nothing: the walk resumes
  // at the replay offset. Errors: CORRUPTION when the file is not a
  // graphstore journal or is of a newer format, UNAVAILABLE (or
  // RESOURCE_EXHAUSTED for ENOSPC) for I/O errors, each naming the path.
  static sdk::Status open(const std::string& path, std::unique_ptr<Journal>* out);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Appends one record and syncs it; on failure the file is cut back to where
  // it was and nothing is acknowledged. The caller serialises appends,
  // rollback and reset; read may run beside them.
  sdk::Status append(std::string_view payload);
  // Drops everything after size (an end() taken before an append).
  sdk::Status rollback(uint64_t size);
  // Empties the journal: every record has reached the primary.
  sdk::Status reset();

  // The record starting at offset: *payload and *next; NOT_FOUND at end().
  sdk::Status read(uint64_t offset, std::string* payload, uint64_t* next) const;
  // Records that `records` more records, up to offset, reached the primary.
  sdk::Status mark_replayed(uint64_t offset, uint64_t records);

  // Where the readable records start: the header's end, or the replay
  // offset when damage lies in the records already replayed.
  uint64_t begin() const { return begin_.load(std::memory_order_acquire); }
  uint64_t end() const { return end_.load(std::memory_order_acquire); }
  uint64_t replayed() const { return replayed_.load(std::memory_order_acquire); }
  // Records appended and not yet replayed.
  uint64_t pending() const { return pending_.load(std::memory_order_relaxed); }
  const std::string& path() const { return path_; }
  // What open() repaired, in file order; empty for a sound journal.
  const std::vector<JournalRepair>& repairs() const { return repairs_; }

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  sdk::Status recover();
  struct Walk {
    uint64_t stop = 0;      // where it ended: a record cut short or damaged, or the file's end
    uint64_t pending = 0;   // whole records passed that start at or after the mark
    bool mark_on_boundary = false;
    bool damaged = false;   // it stopped at damage rather than at a torn tail
    std::string why;        // what was wrong where it stopped
  };
  // Walks the records from offset to size (the file's size).
  sdk::Status walk(uint64_t offset, uint64_t size, uint64_t mark, Walk* out) const;
  // Keeps bytes [from, size) in a new `<path>.damaged-<n>` and cuts them off.
  sdk::Status cut(uint64_t from, uint64_t size, bool damaged, const std::string& why);
  uint64_t count_intact_records(uint64_t from, uint64_t size) const;
  sdk::Status write_header(uint64_t replayed);
  sdk::Status io_error(const char* what, int error_number) const;
  uint64_t frame_size() const;
  uint64_t header_size() const;

  std::string path_;
  int fd_;
  // 1: the first format (no header or frame-header checksum), read and
  // appended to until the next reset writes format 2.
  std::atomic<int> format_{2};
  std::atomic<uint64_t> begin_{kHeaderSize};
  std::atomic<uint64_t> end_{kHeaderSize};
  std::atomic<uint64_t> replayed_{kHeaderSize};
  std::atomic<uint64_t> pending_{0};
  std::vector<JournalRepair> repairs_;
};

}  // namespace graphstore::degradation

#endif  // GRAPHSTORE_DEGRADATION_JOURNAL_HPP
