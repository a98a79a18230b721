// Files as byte streams, plain or gzip (zlib). Input is recognised as gzip
// by its magic bytes (1f 8b), whatever its name; output is compressed when
// asked. Errors name the file.
#ifndef GRAPHSTORE_IO_BYTE_STREAM_HPP
#define GRAPHSTORE_IO_BYTE_STREAM_HPP

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "graphstore/status.hpp"

namespace graphstore::io {

class InputFile {
 public:
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Opens path ("-": standard input) and looks at its first bytes. NOT_FOUND
  // when it cannot be opened.
  static Status open(const std::filesystem::path& path, std::unique_ptr<InputFile>* out);

  // Reads up to n decompressed bytes into buf; *got == 0 at the end. A gzip
  // stream that stops before its end ("truncated gzip stream"), corrupt
  // compressed data, or a read error is INVALID_ARGUMENT / INTERNAL naming
  // the file, and every later read repeats it. Concatenated gzip members are
  // read as one stream, as gunzip does.
  Status read(char* buf, size_t n, size_t* got);

  // Reads a gzip input through once before any byte is delivered, checking
  // every member's CRC and length, then starts again from its first byte:
  // data from a member that does not verify never reaches a caller. A
  // regular file is simply read twice. Other input (a pipe, stdin) is
  // copied on the way to an unnamed temporary file in spool_dir (empty: the
  // system's temp directory), unlinked at once, and read back from there.
  // Plain input: nothing to do. Call before the first read(). Errors: what
  // read() would report (corrupt, truncated, trailing garbage), before any
  // data; INTERNAL when the copy cannot be written.
  Status verify_gzip(const std::filesystem::path& spool_dir);

  bool gzip() const { return gzip_; }
  const std::string& name() const { return name_; }
  // Bytes consumed from the file itself (compressed bytes for gzip), and the
  // file's size (0 when unknown, e.g. a pipe): the progress of a read.
  uint64_t raw_read() const { return raw_read_; }
  uint64_t raw_size() const { return raw_size_; }

 private:
  InputFile() = default;
  Status fill_raw();  // reads more of the file into raw_
  Status read_gzip(char* buf, size_t n, size_t* got);

  Status rewind();  // back to the first byte, as just opened

  int fd_ = -1;
  bool owns_fd_ = false;
  bool gzip_ = false;
  int64_t start_ = 0;  // the file offset of the first byte
  int copy_fd_ = -1;   // while verify_gzip() copies a pipe: where the raw bytes go
  std::string name_;
  uint64_t raw_read_ = 0, raw_size_ = 0;
  std::vector<char> raw_;
  size_t raw_begin_ = 0, raw_end_ = 0;
  bool raw_eof_ = false;
  void* z_ = nullptr;         // z_stream
  bool member_done_ = false;  // the current gzip member has ended
  Status error_;
};

class OutputFile {
 public:
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Creates path ("-": standard output). The data goes to "PATH.partial",
  // renamed to PATH by close(), so a failed export never leaves a file that
  // looks complete. gzip_level is zlib's 1 (fast) to 9 (small).
  static Status create(const std::filesystem::path& path, bool gzip, int gzip_level, std::unique_ptr<OutputFile>* out);

  Status write(const char* data, size_t n);
  Status write(std::string_view s) { return write(s.data(), s.size()); }
  // Flushes, ends the gzip stream, closes and renames into place.
  Status close();

  const std::string& name() const { return name_; }
  uint64_t bytes_written() const { return written_; }

 private:
  OutputFile() = default;
  Status flush(bool finish);
  Status write_raw(const char* data, size_t n);

  int fd_ = -1;
  bool owns_fd_ = false;
  bool gzip_ = false;
  bool closed_ = false;
  std::string name_, partial_;
  std::vector<char> buf_, zbuf_;
  size_t used_ = 0;
  uint64_t written_ = 0;
  void* z_ = nullptr;
};

}  // namespace graphstore::io

#endif  // GRAPHSTORE_IO_BYTE_STREAM_HPP
