// The rejects file of an import with OnError::kSkip: JSONL, one object per
// rejected record: {"file": ..., "line": N, "reason": "...", "text": "..."}
// where text is the record as read (invalid UTF-8 replaced by U+FFFD, cut at
// 4 KiB for an over-long record, "text_truncated": true then) or, for a
// record the store refused, its JSONL line. Created at the start (replacing
// an older one) and removed at the end when nothing was rejected.
#ifndef GRAPHSTORE_IO_REJECTS_HPP
#define GRAPHSTORE_IO_REJECTS_HPP

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "io/byte_stream.hpp"

namespace graphstore::io {

class RejectsFile {
 public:
  Status open(const std::filesystem::path& path);
  Status add(std::string_view file, uint64_t line, std::string_view reason, std::string_view text, bool truncated);
  // Closes; removes the file when nothing was added.
  Status close();
  uint64_t count() const { return count_; }
  const std::string& path() const { return path_; }

 private:
  std::unique_ptr<OutputFile> out_;
  std::string path_;
  uint64_t count_ = 0;
};

// s with every invalid UTF-8 sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_REJECTS_HPP
