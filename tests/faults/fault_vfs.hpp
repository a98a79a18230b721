// A SQLite VFS for tests that sits over the real default one, counts the
// calls SQLite makes by kind and fails a chosen one, as a failing disk would.
//
// Installed as the process's default VFS before the sqlite plugin opens its
// first store, it lies beneath the plugin's own VFS (which wraps whatever
// default it finds at its first use) and so sees every file call of every
// connection in the process. Nothing here depends on graphstore.
#ifndef GRAPHSTORE_TESTS_FAULTS_FAULT_VFS_HPP
#define GRAPHSTORE_TESTS_FAULTS_FAULT_VFS_HPP

#include <cstdint>
#include <string>

namespace graphstore::fault_test {

// The kinds of call counted. kShmBarrier and kUnlock are counted but never
// fail: xShmBarrier returns nothing, and SQLite ignores what an unlock
// returns and takes the lock as released, which the unix VFS's unlocks (an
// fcntl F_UNLCK) make true; a failed one would leave a lock held forever
// that no caller above SQLite can see or release.
enum class CallKind : int {
  kWrite,
  kSync,
  kRead,
  kLock,        // xLock, xCheckReservedLock
  kUnlock,      // xUnlock, xShmLock releasing
  kShm,         // xShmMap, xShmLock taking a lock
  kShmBarrier,  // xShmBarrier
  kTruncate,
  kFileSize,
  kOpen,  // xOpen, xDelete, xAccess
};
inline constexpr int kCallKinds = 10;

const char* call_kind_name(CallKind kind);
bool can_fail(CallKind kind);

// What a failing call does.
enum class Fault : int {
  kIoError,     // EIO: the call's SQLITE_IOERR_* code (SQLITE_CANTOPEN for xOpen)
  kDiskFull,    // ENOSPC: SQLITE_FULL from a write, the call's IOERR_* code elsewhere (as SQLite's unix VFS)
  kShortWrite,  // writes only: the first half reaches the file, then SQLITE_FULL (ENOSPC midway)
};

const char* fault_name(Fault fault);

// The process-wide fault VFS. All members may be called from any thread.
class FaultVfs {
 public:
  // Registers the VFS as SQLite's default, over the default found at the
  // first call, and returns it; later calls return the same one. Must run
  // before anything in the process (the sqlite plugin above all) looks up
  // the default VFS, or those lookups do not see it.
  static FaultVfs& install();
  // Whether it is SQLite's default VFS (false: registration failed, and no
  // call is counted or failed).
  bool installed() const { return installed_; }

  // Zeroes every counter (the armed fault is kept).
  void reset_counts();
  // Calls of `kind` since the last reset_counts.
  uint64_t count(CallKind kind) const;

  // From now on, the nth (1-based) call of `kind` counted after this arm
  // fails with `fault`; with `sticky`, every later call of that kind fails
  // too, as a disk that stays broken, until disarm(). kShortWrite needs
  // kWrite; `kind` must be able to fail.
  void arm(CallKind kind, uint64_t nth, Fault fault, bool sticky);
  // No call fails from now on.
  void disarm();
  // How many calls the current or last armed fault failed.
  uint64_t failures() const;
  // The name of the file the first failed call concerned ("" if none).
  std::string failed_file() const;

 private:
  bool installed_ = false;
};

}  // namespace graphstore::fault_test

#endif  // GRAPHSTORE_TESTS_FAULTS_FAULT_VFS_HPP
