"""SQLiteGraphStore: the reference's SQLite store over graphstore's sqlite plugin.

The database is graphstore's own schema (plugins/sqlite/README.md), not the
reference's tables: a reference file is brought across once with
``graphstore migrate`` (docs/python.md). Calls run on graphstore.aio's
bounded thread pool, except the point reads and neighbours of a WAL file (inline_reads);
readers and the writer of a file run in parallel (WAL).
"""
import os

from ._backed import GraphstoreBackedStore
from ._convert import tenant_of
from .tenant import TenantIsolationMode

# aiosqlite.connect keywords the reference passed through, and what they become.
_MAPPED = {"timeout": "timeout"}
# aiosqlite keywords with no meaning here: every call is its own transaction
# (transaction() groups calls) and a store may be used from any thread.
_IGNORED = ("isolation_level", "check_same_thread")
# The plugin's own options, accepted as keywords too.
_PLUGIN = ("journal_mode", "synchronous", "cache_size", "mmap_size", "wal_autocheckpoint", "read_only")


def plugin_options(db_path, kwargs):
    """The sqlite plugin's options for db_path and the constructor's extra keywords.

    TypeError names a keyword that neither aiosqlite's meaning nor the plugin
    can honour (for example detect_types or factory).
    """
    options = {"path": str(db_path)}
    for key, value in kwargs.items():
        if key in _MAPPED:
            options[_MAPPED[key]] = value
        elif key in _PLUGIN:
            options[key] = value
        elif key not in _IGNORED:
            raise TypeError(
                f"SQLiteGraphStore: keyword '{key}' is not supported (accepted: "
                f"{', '.join(sorted((*_MAPPED, *_IGNORED, *_PLUGIN)))})")
    return options


class SQLiteGraphStore(GraphstoreBackedStore):
    """The reference's SQLiteGraphStore: one database file, or ":memory:" (private to this store).

    A path naming an empty file (as tempfile makes) is a new database. Both
    isolation modes isolate tenants the same way (a tenant column in one set
    of tables); the mode is reported by get_stats().

    inline_reads (default True; not a reference argument): get_entity,
    get_relation and get_neighbors on a WAL file run on the event loop
    instead of the pool, since each is one indexed lookup (or join) on a
    reader connection that never waits for the writer; its bound is a read of
    the disk when the page is not cached. get_neighbors goes to the pool while
    a bulk load has left the relation indexes to be built (the store's state
    says so), since the call that finds them absent builds them. Another
    process's bulk load into the same file is not seen: the first inline
    neighbours call after it builds them on the loop. False runs all three on
    the pool as every other call.
    """

    _missing_endpoint = "{} entity '{}' does not exist"
    _update_missing = "{} with ID '{}' does not exist"
    _delete_missing = None

    def __init__(self, db_path=":memory:", isolation_mode=TenantIsolationMode.SHARED_SCHEMA, *,
                 inline_reads=True, **kwargs):
        self.db_path = db_path
        self.isolation_mode = isolation_mode
        self.inline_reads = bool(inline_reads)
        self._options = plugin_options(db_path, kwargs)
        self._is_initialized = False

    def _backend(self):
        return "sqlite", self._options

    def _inline_point_reads(self):
        # A file's readers have their own connections and, under WAL, never
        # wait for the writer: a lookup by id is a few microseconds of B-tree
        # search, and neighbours one indexed join, far less than a hop to a
        # worker thread and back. A ":memory:" database shares one connection
        # with the writes, so all its calls stay on the pool.
        if not self.inline_reads or self.db_path == ":memory:" or str(self._options.get("journal_mode", "WAL")).upper() != "WAL":
            return ()
        return ("get_entity", "get_relation", "get_neighbors")

    def _inline_neighbors_ready(self, sync):
        # After a large bulk load the relation indexes may be absent, and the
        # first neighbours call then builds them (a write transaction, seconds
        # on a big file: plugins/sqlite/README.md): never on the event loop.
        # The plugin's state says what it last saw (0.3 us a call).
        state = sync.state

        def ready():
            return state().get("relation_indexes") == "present"

        return ready

    async def initialize(self):
        """Opens (creating if needed) the database (idempotent)."""
        await self._open()
        self._is_initialized = True

    async def close(self):
        """Closes the database; the data stays in the file (":memory:" data is released)."""
        self._is_initialized = False
        await self._close_store()

    async def get_stats(self, context=None):
        """{entity_count, relation_count, storage_type, db_path, db_size_bytes, is_initialized, isolation_mode, tenant_id}."""
        entities, relations, _, _ = await self._counts(context)
        size = 0
        if self.db_path != ":memory:":
            try:
                size = os.path.getsize(self.db_path)
            except OSError:
                size = 0
        mode = getattr(self.isolation_mode, "value", self.isolation_mode)
        return {
            "entity_count": entities,
            "relation_count": relations,
            "storage_type": "sqlite",
            "db_path": self.db_path,
            "db_size_bytes": size,
            "is_initialized": self._is_initialized,
            "isolation_mode": mode,
            "tenant_id": tenant_of(context) or None,
        }

    async def migrate_add_tenant_id(self):
        """Accepted for compatibility: graphstore's schema always has tenants (nothing to migrate)."""
        return None
