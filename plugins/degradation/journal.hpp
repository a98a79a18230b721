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

#include "graphstore/plugin.hpp"

namespace graphstore::degradation {

class Journal {
 public:
  static constexpr uint64_t kHeaderSize = 16;

  // Opens or creates the journal at path and locks it against other
  // processes. A record cut short at the end (a crash during an append that
  // was never acknowledged) is cut off; a damaged record before the end is
  // CORRUPTION naming the offset.
  static sdk::Status open(const std::string& path, std::unique_ptr<Journal>* out);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Appends one record and syncs it. The caller serialises appends, rollback
  // and reset; read may run beside them.
  sdk::Status append(std::string_view payload);
  // Drops everything after size (an end() taken before an append).
  sdk::Status rollback(uint64_t size);
  // Empties the journal: every record has reached the primary.
  sdk::Status reset();

  // The record starting at offset: *payload and *next; NOT_FOUND at end().
  sdk::Status read(uint64_t offset, std::string* payload, uint64_t* next) const;
  // Records that `records` more records, up to offset, reached the primary.
  sdk::Status mark_replayed(uint64_t offset, uint64_t records);

  uint64_t end() const { return end_.load(std::memory_order_acquire); }
  uint64_t replayed() const { return replayed_.load(std::memory_order_acquire); }
  // Records appended and not yet replayed.
  uint64_t pending() const { return pending_.load(std::memory_order_relaxed); }
  const std::string& path() const { return path_; }

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  sdk::Status recover();
  sdk::Status write_header(uint64_t replayed);
  sdk::Status io_error(const char* what, int error_number) const;

  std::string path_;
  int fd_;
  std::atomic<uint64_t> end_{kHeaderSize};
  std::atomic<uint64_t> replayed_{kHeaderSize};
  std::atomic<uint64_t> pending_{0};
};

}  // namespace graphstore::degradation

#endif  // GRAPHSTORE_DEGRADATION_JOURNAL_HPP
