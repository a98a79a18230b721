// A VFS over SQLite's default one that gathers the frames a commit appends to
// the write-ahead log into one write.
//
// SQLite writes each WAL frame as two pwrite calls (its 24-byte header, then
// the page), and a one-record add dirties five pages: ten system calls per
// commit, a large share of a small transaction's time on this kind of VM.
// Here consecutive writes to a WAL file are held in a buffer and written with
// one pwrite when the commit's last frame arrives (its header carries the
// database size, which only a commit frame does), or before anything else
// touches the file (a read, a sync, a size query, a truncation, a write
// elsewhere in it, close).
//
// Why this is safe: a commit becomes visible to other connections and
// processes only when the writer publishes the new wal-index header in shared
// memory, after sqlite3WalFrames has returned, and that happens only after
// the write of the commit frame returned OK, which here means after every
// frame reached the file. A failed write is reported by that very call, so the
// commit fails as it would have without the buffer. Frames of a transaction
// that spills its cache before committing stay held until its commit frame (or
// until the writer reads them back, which flushes first): no one else may read
// them before the commit publishes them. A process killed with frames held
// loses an unpublished commit, as if killed a moment earlier.
#ifndef GRAPHSTORE_SQLITE_WAL_VFS_HPP
#define GRAPHSTORE_SQLITE_WAL_VFS_HPP

namespace graphstore::sqlite {

// The VFS's name, registering it (not as the default) on first use; it is
// unregistered when the plugin is unloaded.
const char* wal_gathering_vfs();

}  // namespace graphstore::sqlite

#endif  // GRAPHSTORE_SQLITE_WAL_VFS_HPP
