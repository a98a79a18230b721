// The acknowledgement log of one worker thread: what it was about to write,
// and which of those writes the store acknowledged.
//
// A write is one group (one seq) of one or more record ops: a single call, a
// batch or a bulk add. The thread appends an intent line per op before the
// call ("I seq op fields"), and "A seq" only after the store returned OK, or
// "F seq" when it gave the write up. Each append is one write(2) to a file
// opened O_APPEND, so a SIGKILL loses nothing appended before it (the page
// cache keeps it) and never leaves half a line except the last. The log lags
// the store and never leads it: a group without "A" is in doubt.
#ifndef GRAPHSTORE_TESTS_SOAK_ACK_LOG_HPP
#define GRAPHSTORE_TESTS_SOAK_ACK_LOG_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace graphstore::soak {

// One record op. kind: "AE" add entity, "UE" update entity, "DE" delete
// entity (and, in the store, every relation touching it), "AR" add relation,
// "UR" update relation, "DR" delete relation.
struct LogOp {
  std::string kind;
  std::string id;
  uint64_t version = 0;        // AE, UE, AR, UR: the seq whose value is written
  bool embedding = false;      // AE, UE
  std::string source, target;  // AR
};

struct LoggedWrite {
  enum class Outcome { kAcknowledged, kAbandoned, kOpen };
  uint64_t seq = 0;
  std::vector<LogOp> ops;
  Outcome outcome = Outcome::kOpen;
};

class AckLogWriter {
 public:
  // Creates (or appends to) the file. ok() is false when it cannot be opened;
  // every append then does nothing.
  explicit AckLogWriter(const std::string& path);
  ~AckLogWriter();
  AckLogWriter(const AckLogWriter&) = delete;
  AckLogWriter& operator=(const AckLogWriter&) = delete;

  bool ok() const { return fd_ >= 0; }
  // Appends the intent lines of write seq. False when the append failed.
  bool intend(uint64_t seq, const std::vector<LogOp>& ops);
  // Appends "A seq": call only after the store returned OK for it.
  bool acknowledge(uint64_t seq);
  // Appends "F seq": the write was given up and its effect is unknown.
  bool abandon(uint64_t seq);

 private:
  bool append(const std::string& text);
  int fd_ = -1;
};

// Reads a log into writes in seq order. A last line without its newline (a
// kill during the append) is ignored. False, with *error naming the line,
// when the file cannot be read or a line is malformed.
bool read_ack_log(const std::string& path, std::vector<LoggedWrite>* out, std::string* error);

}  // namespace graphstore::soak

#endif  // GRAPHSTORE_TESTS_SOAK_ACK_LOG_HPP
