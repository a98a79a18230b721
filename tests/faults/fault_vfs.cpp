#include "fault_vfs.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace graphstore::fault_test {
namespace {

struct State {
  std::mutex mu;
  uint64_t counts[kCallKinds] = {};
  bool armed = false;
  CallKind kind = CallKind::kWrite;
  uint64_t nth = 0;
  uint64_t seen = 0;  // calls of `kind` since arm()
  Fault fault = Fault::kIoError;
  bool sticky = false;
  uint64_t failures = 0;
  std::string failed_file;
};

State& state() {
  static State s;
  return s;
}

// What xGetLastError reports after an injected failure, as the unix VFS
// reports errno.
thread_local int injected_errno = 0;

// Counts one call of `kind` on `file`; true (and the fault in *fault) when
// the armed fault says this call fails.
bool tick(CallKind kind, const char* file, Fault* fault) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  ++s.counts[int(kind)];
  injected_errno = 0;
  if (!s.armed || kind != s.kind || !can_fail(kind)) return false;
  ++s.seen;
  if (s.seen < s.nth || (s.seen > s.nth && !s.sticky)) return false;
  ++s.failures;
  if (s.failed_file.empty()) s.failed_file = file ? file : "(temporary file)";
  *fault = s.fault;
  injected_errno = s.fault == Fault::kIoError ? EIO : ENOSPC;
  return true;
}

// Laid out by SQLite in szOsFile bytes: this, then the real file.
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  const char* name;  // SQLite keeps it valid until xClose
};

File* self(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* real(sqlite3_file* f) { return self(f)->real; }
sqlite3_vfs* root(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

// A failing call other than a write returns its own IOERR code whatever the
// errno (SQLite's unix VFS returns SQLITE_FULL from writes only).
int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }

int x_read(sqlite3_file* f, void* p, int amt, sqlite3_int64 off) {
  Fault fault;
  if (tick(CallKind::kRead, self(f)->name, &fault)) return SQLITE_IOERR_READ;
  return real(f)->pMethods->xRead(real(f), p, amt, off);
}

int x_write(sqlite3_file* f, const void* p, int amt, sqlite3_int64 off) {
  Fault fault;
  if (!tick(CallKind::kWrite, self(f)->name, &fault)) return real(f)->pMethods->xWrite(real(f), p, amt, off);
  switch (fault) {
    case Fault::kIoError:
      return SQLITE_IOERR_WRITE;
    case Fault::kDiskFull:
      return SQLITE_FULL;
    case Fault::kShortWrite:
      // The half that made it stays in the file, as after a real short write.
      (void)real(f)->pMethods->xWrite(real(f), p, amt / 2, off);
      return SQLITE_FULL;
  }
  return SQLITE_IOERR_WRITE;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  Fault fault;
  if (tick(CallKind::kTruncate, self(f)->name, &fault)) return SQLITE_IOERR_TRUNCATE;
  return real(f)->pMethods->xTruncate(real(f), size);
}

int x_sync(sqlite3_file* f, int flags) {
  Fault fault;
  if (tick(CallKind::kSync, self(f)->name, &fault)) return SQLITE_IOERR_FSYNC;
  return real(f)->pMethods->xSync(real(f), flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  Fault fault;
  if (tick(CallKind::kFileSize, self(f)->name, &fault)) return SQLITE_IOERR_FSTAT;
  return real(f)->pMethods->xFileSize(real(f), size);
}

int x_lock(sqlite3_file* f, int level) {
  Fault fault;
  if (tick(CallKind::kLock, self(f)->name, &fault)) return SQLITE_IOERR_LOCK;
  return real(f)->pMethods->xLock(real(f), level);
}

int x_unlock(sqlite3_file* f, int level) {
  Fault fault;
  (void)tick(CallKind::kUnlock, self(f)->name, &fault);
  return real(f)->pMethods->xUnlock(real(f), level);
}

int x_check_reserved_lock(sqlite3_file* f, int* out) {
  Fault fault;
  if (tick(CallKind::kLock, self(f)->name, &fault)) return SQLITE_IOERR_CHECKRESERVEDLOCK;
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}

int x_file_control(sqlite3_file* f, int op, void* arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }

int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  Fault fault;
  if (tick(CallKind::kShm, self(f)->name, &fault)) return SQLITE_IOERR_SHMMAP;
  return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}

int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  Fault fault;
  CallKind kind = (flags & SQLITE_SHM_UNLOCK) ? CallKind::kUnlock : CallKind::kShm;
  if (tick(kind, self(f)->name, &fault)) return SQLITE_IOERR_SHMLOCK;
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}

void x_shm_barrier(sqlite3_file* f) {
  Fault fault;
  (void)tick(CallKind::kShmBarrier, self(f)->name, &fault);
  real(f)->pMethods->xShmBarrier(real(f));
}

int x_shm_unmap(sqlite3_file* f, int delete_flag) { return real(f)->pMethods->xShmUnmap(real(f), delete_flag); }
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** out) {
  return real(f)->pMethods->xFetch(real(f), off, amt, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return real(f)->pMethods->xUnfetch(real(f), off, p); }

const sqlite3_io_methods kMethods = {
    3,         x_close,   x_read,         x_write,        x_truncate,    x_sync,      x_file_size,
    x_lock,    x_unlock,  x_check_reserved_lock, x_file_control, x_sector_size, x_device_characteristics,
    x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap,    x_fetch,       x_unfetch,
};

int v_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = self(file);
  std::memset(f, 0, sizeof(File));
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->name = name;
  Fault fault;
  // base.pMethods stays null on failure, so SQLite does not close the file.
  if (tick(CallKind::kOpen, name, &fault)) return SQLITE_CANTOPEN;
  int rc = root(vfs)->xOpen(root(vfs), name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    return rc;
  }
  f->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int v_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  Fault fault;
  if (tick(CallKind::kOpen, name, &fault)) return SQLITE_IOERR_DELETE;
  return root(vfs)->xDelete(root(vfs), name, sync_dir);
}

int v_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  Fault fault;
  if (tick(CallKind::kOpen, name, &fault)) return SQLITE_IOERR_ACCESS;
  return root(vfs)->xAccess(root(vfs), name, flags, out);
}

int v_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return root(vfs)->xFullPathname(root(vfs), name, n, out);
}
void* v_dl_open(sqlite3_vfs* vfs, const char* name) { return root(vfs)->xDlOpen(root(vfs), name); }
void v_dl_error(sqlite3_vfs* vfs, int n, char* out) { root(vfs)->xDlError(root(vfs), n, out); }
void (*v_dl_sym(sqlite3_vfs* vfs, void* h, const char* sym))(void) { return root(vfs)->xDlSym(root(vfs), h, sym); }
void v_dl_close(sqlite3_vfs* vfs, void* h) { root(vfs)->xDlClose(root(vfs), h); }
int v_randomness(sqlite3_vfs* vfs, int n, char* out) { return root(vfs)->xRandomness(root(vfs), n, out); }
int v_sleep(sqlite3_vfs* vfs, int us) { return root(vfs)->xSleep(root(vfs), us); }
int v_current_time(sqlite3_vfs* vfs, double* out) { return root(vfs)->xCurrentTime(root(vfs), out); }
int v_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  if (injected_errno != 0) return injected_errno;
  return root(vfs)->xGetLastError(root(vfs), n, out);
}
int v_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) { return root(vfs)->xCurrentTimeInt64(root(vfs), out); }

sqlite3_vfs* make_vfs() {
  static sqlite3_vfs vfs{};
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr) return nullptr;
  vfs.iVersion = 2;
  vfs.szOsFile = int(sizeof(File)) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = "graphstore-fault-test";
  vfs.pAppData = base;
  vfs.xOpen = v_open;
  vfs.xDelete = v_delete;
  vfs.xAccess = v_access;
  vfs.xFullPathname = v_full_pathname;
  vfs.xDlOpen = v_dl_open;
  vfs.xDlError = v_dl_error;
  vfs.xDlSym = v_dl_sym;
  vfs.xDlClose = v_dl_close;
  vfs.xRandomness = v_randomness;
  vfs.xSleep = v_sleep;
  vfs.xCurrentTime = v_current_time;
  vfs.xGetLastError = v_get_last_error;
  vfs.xCurrentTimeInt64 = v_current_time_int64;
  if (sqlite3_vfs_register(&vfs, 1) != SQLITE_OK) return nullptr;
  return &vfs;
}

}  // namespace

const char* call_kind_name(CallKind kind) {
  switch (kind) {
    case CallKind::kWrite: return "write";
    case CallKind::kSync: return "sync";
    case CallKind::kRead: return "read";
    case CallKind::kLock: return "lock";
    case CallKind::kUnlock: return "unlock";
    case CallKind::kShm: return "shm";
    case CallKind::kShmBarrier: return "shm_barrier";
    case CallKind::kTruncate: return "truncate";
    case CallKind::kFileSize: return "file_size";
    case CallKind::kOpen: return "open";
  }
  return "?";
}

bool can_fail(CallKind kind) { return kind != CallKind::kShmBarrier && kind != CallKind::kUnlock; }

const char* fault_name(Fault fault) {
  switch (fault) {
    case Fault::kIoError: return "EIO";
    case Fault::kDiskFull: return "ENOSPC";
    case Fault::kShortWrite: return "short write";
  }
  return "?";
}

FaultVfs& FaultVfs::install() {
  static FaultVfs vfs;
  static sqlite3_vfs* registered = make_vfs();
  vfs.installed_ = registered != nullptr && sqlite3_vfs_find(nullptr) == registered;
  return vfs;
}

void FaultVfs::reset_counts() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  for (uint64_t& c : s.counts) c = 0;
}

uint64_t FaultVfs::count(CallKind kind) const {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.counts[int(kind)];
}

void FaultVfs::arm(CallKind kind, uint64_t nth, Fault fault, bool sticky) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  s.armed = true;
  s.kind = kind;
  s.nth = nth;
  s.seen = 0;
  s.fault = fault;
  s.sticky = sticky;
  s.failures = 0;
  s.failed_file.clear();
}

void FaultVfs::disarm() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  s.armed = false;
}

uint64_t FaultVfs::failures() const {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.failures;
}

std::string FaultVfs::failed_file() const {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.failed_file;
}

}  // namespace graphstore::fault_test
