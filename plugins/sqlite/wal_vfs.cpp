#include "wal_vfs.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace graphstore::sqlite {
namespace {

// At most this is held: the unix VFS writes at most 128 KiB - 1 per call (it
// masks the length with 0x1ffff), and a small commit is five or six frames.
constexpr sqlite3_int64 kMaxHeld = 64 << 10;
constexpr int kFrameHeader = 24;  // SQLite's WAL frame header

// Laid out by SQLite in szOsFile bytes: this struct, then the real file.
// Plain data: SQLite allocates it and never runs constructors.
struct File {
  sqlite3_file base;  // first, so a sqlite3_file* is a File*
  sqlite3_file* real;
  bool wal;
  bool commit_frame_header;  // the last write was the header of a commit frame
  char* held;                // bytes not yet written, for the file at held_at
  sqlite3_int64 held_at;
  sqlite3_int64 held_len;
  sqlite3_int64 held_cap;
};

File* self(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_vfs* root(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int flush(File* f) {
  if (f->held_len == 0) return SQLITE_OK;
  sqlite3_int64 n = f->held_len;
  f->held_len = 0;
  return f->real->pMethods->xWrite(f->real, f->held, int(n), f->held_at);
}

// A frame header's bytes 4-7 hold the database size after the commit, and
// are zero in every frame but a commit's last.
bool is_commit_frame_header(const void* p, int amt) {
  if (amt != kFrameHeader) return false;
  const auto* b = static_cast<const unsigned char*>(p);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

bool make_room(File* f, sqlite3_int64 amt) {
  sqlite3_int64 need = f->held_len + amt;
  if (need <= f->held_cap) return true;
  if (need > kMaxHeld) return false;
  if (f->held == nullptr) {
    f->held = static_cast<char*>(std::malloc(size_t(kMaxHeld)));
    if (f->held == nullptr) return false;
    f->held_cap = kMaxHeld;
  }
  return true;
}

int wal_write(File* f, const void* p, int amt, sqlite3_int64 off) {
  if (f->held_len > 0 && off != f->held_at + f->held_len) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  bool completes_commit = f->commit_frame_header;
  f->commit_frame_header = is_commit_frame_header(p, amt);
  if (!make_room(f, amt)) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xWrite(f->real, p, amt, off);
  }
  if (f->held_len == 0) f->held_at = off;
  std::memcpy(f->held + f->held_len, p, size_t(amt));
  f->held_len += amt;
  return completes_commit ? flush(f) : SQLITE_OK;
}

// ---- io methods: flush what is held, then do what the real file does ------

int x_close(sqlite3_file* file) {
  File* f = self(file);
  int rc = flush(f);
  std::free(f->held);
  f->held = nullptr;
  int closed = f->real->pMethods->xClose(f->real);
  return rc != SQLITE_OK ? rc : closed;
}
int x_read(sqlite3_file* file, void* p, int amt, sqlite3_int64 off) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xRead(f->real, p, amt, off);
}
int x_write(sqlite3_file* file, const void* p, int amt, sqlite3_int64 off) {
  File* f = self(file);
  if (f->wal) return wal_write(f, p, amt, off);
  return f->real->pMethods->xWrite(f->real, p, amt, off);
}
int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}
int x_sync(sqlite3_file* file, int flags) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}
int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}
int x_lock(sqlite3_file* file, int level) { return self(file)->real->pMethods->xLock(self(file)->real, level); }
int x_unlock(sqlite3_file* file, int level) { return self(file)->real->pMethods->xUnlock(self(file)->real, level); }
int x_check_reserved_lock(sqlite3_file* file, int* out) {
  return self(file)->real->pMethods->xCheckReservedLock(self(file)->real, out);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileControl(f->real, op, arg);
}
int x_sector_size(sqlite3_file* file) { return self(file)->real->pMethods->xSectorSize(self(file)->real); }
int x_device_characteristics(sqlite3_file* file) {
  return self(file)->real->pMethods->xDeviceCharacteristics(self(file)->real);
}
int x_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return self(file)->real->pMethods->xShmMap(self(file)->real, region, size, extend, out);
}
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return self(file)->real->pMethods->xShmLock(self(file)->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* file) { self(file)->real->pMethods->xShmBarrier(self(file)->real); }
int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  return self(file)->real->pMethods->xShmUnmap(self(file)->real, delete_flag);
}
int x_fetch(sqlite3_file* file, sqlite3_int64 off, int amt, void** out) {
  return self(file)->real->pMethods->xFetch(self(file)->real, off, amt, out);
}
int x_unfetch(sqlite3_file* file, sqlite3_int64 off, void* p) {
  return self(file)->real->pMethods->xUnfetch(self(file)->real, off, p);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

// ---- the VFS: files wrapped, everything else the default VFS's -------------

int v_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = self(file);
  std::memset(f, 0, sizeof(File));
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->real->pMethods = nullptr;
  int rc = root(vfs)->xOpen(root(vfs), name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // A VFS that set pMethods expects xClose even after a failed open; ours
    // stays null, so SQLite will not call it.
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    return rc;
  }
  // The default VFS's files are version 3 (shared memory, memory mapping).
  if (f->real->pMethods == nullptr || f->real->pMethods->iVersion < 3) {
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    return SQLITE_CANTOPEN;
  }
  f->wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->base.pMethods = &kMethods;
  return SQLITE_OK;
}
int v_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) { return root(vfs)->xDelete(root(vfs), name, sync_dir); }
int v_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
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
int v_get_last_error(sqlite3_vfs* vfs, int n, char* out) { return root(vfs)->xGetLastError(root(vfs), n, out); }
int v_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) { return root(vfs)->xCurrentTimeInt64(root(vfs), out); }

struct Registration {
  sqlite3_vfs vfs{};
  char name[64]{};
  bool registered = false;

  Registration() {
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (base == nullptr || base->iVersion < 2) return;
    // A name of its own per copy of the plugin, should two be loaded.
    std::snprintf(name, sizeof name, "graphstore-wal-%p", static_cast<void*>(this));
    vfs.iVersion = 2;
    vfs.szOsFile = int(sizeof(File)) + base->szOsFile;
    vfs.mxPathname = base->mxPathname;
    vfs.zName = name;
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
    registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
  }
  // At the plugin's unload: SQLite's list of VFSes must not keep pointers
  // into an unmapped library.
  ~Registration() {
    if (registered) sqlite3_vfs_unregister(&vfs);
  }
};

}  // namespace

const char* wal_gathering_vfs() {
  static Registration r;
  return r.registered ? r.name : nullptr;  // nullptr: SQLite's default VFS
}

}  // namespace graphstore::sqlite
