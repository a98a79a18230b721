// The fuzz input as a file the product opens by path: an anonymous memory
// file (memfd) named through /proc/self/fd, so the real readers (InputFile,
// RequestLines) run over it without touching the disk. ScratchDir is one
// private directory per process for what the writers create.
#ifndef GRAPHSTORE_FUZZ_MEMORY_FILE_HPP
#define GRAPHSTORE_FUZZ_MEMORY_FILE_HPP

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "fuzz_check.hpp"

namespace graphstore::fuzz {

class MemoryFile {
 public:
  // A file holding exactly the n bytes at data; aborts when the system has
  // no memfd (the target cannot run at all then).
  MemoryFile(const uint8_t* data, size_t n) {
    fd_ = ::memfd_create("graphstore-fuzz", MFD_CLOEXEC);
    check(fd_ >= 0, "memfd_create failed");
    for (size_t done = 0; done < n;) {
      ssize_t w = ::write(fd_, data + done, n - done);
      check(w > 0, "writing the memory file failed");
      done += static_cast<size_t>(w);
    }
    check(::lseek(fd_, 0, SEEK_SET) == 0, "rewinding the memory file failed");
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // A path that opens the file afresh, from its first byte.
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }
  // The descriptor itself (its offset is at the start until someone reads).
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// A directory private to this process, created on first use and removed at
// exit; its files are overwritten by each input, so nothing accumulates.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path base =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::string templ = (base / "graphstore-fuzz-XXXXXX").string();
    check(::mkdtemp(templ.data()) != nullptr, "mkdtemp failed");
    static std::filesystem::path made = templ;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(made, ec);
    });
    return made;
  }();
  return dir;
}

}  // namespace graphstore::fuzz

#endif  // GRAPHSTORE_FUZZ_MEMORY_FILE_HPP
