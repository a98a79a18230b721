"""GraphStorageMigrator: copies one store into another, every tenant, relations included.

Two ways, chosen per call:
- native: both stores are graphstore-backed drop-in stores and the target is
  empty. graphstore's own migration copies every tenant's entities and
  relations in batches, exactly (ids, types, properties, embeddings, weights,
  timestamps, sources), and verifies the copy by content checksums.
- interface: anything else (a user's own GraphStore on either side, or a
  target that already holds data). Entities are read page by page with
  get_all_entities and written with the target's add_entities_bulk;
  relations are read with get_outgoing_relations where the source has it.
  A source without it has no way to list its relations, and the result says
  so in "notes" instead of inventing any.

The reference copied the global namespace only, lost relation properties and
zero weights, needed transaction() on the target (so an in-memory target got
nothing), and reported per-record failures nowhere; none of that holds here.
"""
import asyncio
import inspect
import logging
import os
import sys
import time

import graphstore as gs

from ._backed import GraphstoreBackedStore
from .tenant import TenantContext

logger = logging.getLogger(__name__)

__all__ = ["GraphStorageMigrator", "ReferenceDatabase", "is_reference_sqlite", "migrate_sqlite_to_postgres"]


async def _maybe_await(value):
    if inspect.isawaitable(value):
        return await value
    return value


def _accepts_context(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return True
    return "context" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


async def _call(fn, *args, context=None, **kwargs):
    """fn(*args, **kwargs) with context= when there is one; a store method of
    the reference's base without a context parameter serves the global
    namespace only, so a tenant's call to it is refused."""
    if context is not None:
        if not _accepts_context(fn):
            raise TypeError(f"{getattr(fn, '__qualname__', fn)} takes no context: "
                            f"tenant {context.tenant_id} cannot be reached")
        kwargs["context"] = context
    return await _maybe_await(fn(*args, **kwargs))


def _is_backed(store) -> bool:
    return getattr(store, "_gs", None) is not None


def _native_pair(source, target) -> bool:
    """Both stores graphstore-backed, with a graphstore that can migrate."""
    if not (_is_backed(source) and _is_backed(target)):
        return False
    sync_store = getattr(source._gs, "store", None)
    return hasattr(sync_store, "migrate_to") and hasattr(source._gs, "migrate_to")


async def _namespaces(*stores):
    """[None] (the global namespace) + a TenantContext per tenant any store lists."""
    tenants = []
    for store in stores:
        lister = getattr(store, "get_tenant_ids", None)
        if lister is None:
            continue
        for tenant in await _maybe_await(lister()):
            if tenant and tenant not in tenants:
                tenants.append(tenant)
    return [None] + [TenantContext(tenant_id=t, validate=False) for t in sorted(tenants)]


async def _count(store, context):
    """(entities, relations) of one namespace, whichever get_stats keys the store reports."""
    if _is_backed(store):
        entities, relations, _, _ = await store._counts(context)
        return entities, relations
    stats = await _call(store.get_stats, context=context)
    return (stats.get("entity_count", stats.get("entities", 0)),
            stats.get("relation_count", stats.get("relations", 0)))


async def _totals(store, contexts):
    entities = relations = 0
    for context in contexts:
        e, r = await _count(store, context)
        entities += e
        relations += r
    return entities, relations


class _Progress:
    """A progress line on stderr ("migrate: entities 5000/12000"), at most a few a second.

    On a terminal the line is rewritten in place; otherwise one line is
    printed per update shown. A no-op when disabled.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = enabled and sys.stderr.isatty()
        self.last = 0.0
        self.phase = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = total and done >= total
        if phase == self.phase and not final and now - self.last < 0.5:
            return
        if self.phase is not None and phase != self.phase and self.tty:
            sys.stderr.write("\n")
        self.phase, self.last = phase, now
        text = f"migrate: {phase} {done}/{total}" if total else f"migrate: {phase} {done}"
        sys.stderr.write(("\r" + text) if self.tty else (text + "\n"))
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.tty and self.phase is not None:
            sys.stderr.write("\n")
            sys.stderr.flush()


class GraphStorageMigrator:
    """GraphStorageMigrator(source, target); `await migrate()` copies source into target.

    Either store may be a drop-in store or any GraphStore implementation;
    stores not yet initialised are initialised first (and left open).
    """

    def __init__(self, source, target):
        self.source = source
        self.target = target

    async def _ensure_initialized(self, store):
        if _is_backed(store) or getattr(store, "_is_initialized", False) \
                or getattr(store, "_initialized", False):
            return
        await store.initialize()

    async def migrate(self, batch_size=1000, show_progress=True, verify=True):
        """Copy every namespace of the source (global and every tenant) into the target.

        Returns the reference's dict: entities_migrated, relations_migrated,
        errors (strings: records the target refused, e.g. duplicates or
        missing endpoints), duration_seconds and, with verify, verification
        {success, source_entities, target_entities, source_relations,
        target_relations, entity_match, relation_match} (totals over every
        namespace) or {success: False, error}. Also: method ("native" or
        "interface") and notes (what could not be copied and why). With
        show_progress a progress line is written to stderr. A failure of
        the copy itself (the target unreachable, ...) propagates.
        """
        started = time.perf_counter()
        await self._ensure_initialized(self.source)
        await self._ensure_initialized(self.target)
        progress = _Progress(show_progress)
        result = {"entities_migrated": 0, "relations_migrated": 0, "errors": [], "notes": []}
        contexts = await _namespaces(self.source)
        try:
            if _native_pair(self.source, self.target) and await self._target_is_empty():
                result["method"] = "native"
                native_verification = await self._migrate_native(result, verify, progress, batch_size)
            else:
                result["method"] = "interface"
                native_verification = None
                for context in contexts:
                    await self._copy_namespace(context, batch_size, progress, result)
        finally:
            progress.done()
        if isinstance(self.source, ReferenceDatabase) and REFERENCE_NOTE not in result["notes"]:
            result["notes"].append(REFERENCE_NOTE)
        if verify:
            verification = await self._verify(await _namespaces(self.source, self.target))
            if native_verification is not None:
                # Counts can agree while content differs: the checksums decide too.
                verification["content_match"] = native_verification["content_match"]
                if not native_verification["content_match"]:
                    verification["success"] = False
                    verification["error"] = native_verification["error"]
            result["verification"] = verification
        result["duration_seconds"] = time.perf_counter() - started
        return result

    async def _target_is_empty(self) -> bool:
        entities, relations = await _totals(self.target, await _namespaces(self.target))
        return entities == 0 and relations == 0

    async def _migrate_native(self, result, verify, progress, batch_size):
        """graphstore's migration of the whole store, batch_size records a batch; returns its verification."""
        verification = None
        try:
            await self.source._gs.migrate_to(self.target._gs, verify=verify, progress=progress,
                                             batch_size=batch_size)
            if verify:
                verification = {"success": True, "content_match": True}
        except gs.CorruptionError as error:
            # The copy finished but the content checksums differ: reported in
            # the verification as the reference reports a count mismatch.
            verification = {"success": False, "content_match": False, "error": str(error)}
        entities, relations = await _totals(self.target, await _namespaces(self.target))
        result["entities_migrated"] = entities
        result["relations_migrated"] = relations
        return verification

    async def _copy_namespace(self, context, batch_size, progress, result):
        label = "global" if context is None else context.tenant_id
        writers = ("add_entities_bulk", "add_relations_bulk", "add_entity", "add_relation")
        if context is not None and not all(_accepts_context(getattr(self.target, name))
                                           for name in writers if hasattr(self.target, name)):
            result["notes"].append(
                f"{label}: not copied: the target's bulk adds take no context, so it holds "
                "the global namespace only")
            return
        try:
            total_entities, total_relations = await _count(self.source, context)
        except Exception:  # noqa: BLE001 - counts only feed the progress line
            total_entities = total_relations = 0
        seen = set()
        ids = []
        offset = 0
        while True:
            page = await _call(self.source.get_all_entities, limit=batch_size, offset=offset,
                               context=context)
            fresh = [e for e in page if e.id not in seen]
            if page and not fresh:
                # A source that ignores offset (the reference's PostgreSQL
                # store did) repeats its first page: read the rest unpaged.
                page = await _call(self.source.get_all_entities, context=context)
                fresh = [e for e in page if e.id not in seen]
            if not fresh:
                break
            offset += len(page)
            for e in fresh:
                seen.add(e.id)
                ids.append(e.id)
            added = await _call(self.target.add_entities_bulk, fresh, context=context)
            if added < len(fresh):
                result["errors"].append(
                    f"{label}: {len(fresh) - added} of {len(fresh)} entities refused by the target")
            result["entities_migrated"] += added
            progress(f"entities ({label})", len(ids), total_entities)
        lister = getattr(self.source, "get_outgoing_relations", None)
        if lister is None:
            if ids:
                result["notes"].append(
                    f"{label}: relations not copied: the source cannot list its relations "
                    "(it has no get_outgoing_relations)")
            return
        pending = []
        done = 0
        for entity_id in ids:
            pending.extend(await _call(lister, entity_id, context=context))
            if len(pending) >= batch_size:
                done += await self._add_relations(pending, context, label, result)
                pending = []
                progress(f"relations ({label})", done, total_relations)
        if pending:
            done += await self._add_relations(pending, context, label, result)
            progress(f"relations ({label})", done, total_relations)

    async def _add_relations(self, relations, context, label, result):
        added = await _call(self.target.add_relations_bulk, relations, context=context)
        if added < len(relations):
            result["errors"].append(
                f"{label}: {len(relations) - added} of {len(relations)} relations refused by the target")
        result["relations_migrated"] += added
        return len(relations)

    async def _verify(self, contexts):
        try:
            se, sr = await _totals(self.source, contexts)
            te, tr = await _totals(self.target, contexts)
        except Exception as error:  # noqa: BLE001 - reported, as the reference does
            return {"success": False, "error": str(error)}
        entity_match, relation_match = se == te, sr == tr
        return {"success": entity_match and relation_match,
                "source_entities": se, "target_entities": te,
                "source_relations": sr, "target_relations": tr,
                "entity_match": entity_match, "relation_match": relation_match}


REFERENCE_NOTE = ("the source is the reference's own database: it never stored the models' "
                  "created_at, updated_at or source; created_at/updated_at are the database's "
                  "insertion and update times, and source is absent")


class ReferenceDatabase(GraphstoreBackedStore):
    """A database the reference wrote (its SQLite file or PostgreSQL tables), read-only.

    `ReferenceDatabase(sqlite_path="graph.db")` or
    `ReferenceDatabase(host=..., port=..., user=..., password=..., database=..., schema="public")`;
    further options of the aiecs_reference plugin (`tenants`, `dsn`, ...) as
    keywords. A source for GraphStorageMigrator: every tenant of every layout
    the reference used (shared tables, per-tenant tables or schemas, legacy
    tables) is read. Writes raise graphstore.UnsupportedError.
    """

    def __init__(self, sqlite_path=None, **options):
        if sqlite_path is not None:
            options["sqlite_path"] = str(sqlite_path)
        self._options = {k: v for k, v in options.items() if v is not None}
        self._is_initialized = False

    def _backend(self):
        return "aiecs_reference", dict(self._options)

    async def initialize(self):
        """Opens the database (idempotent)."""
        await self._open()
        self._is_initialized = True

    async def close(self):
        """Closes it (idempotent)."""
        self._is_initialized = False
        await self._close_store()


def is_reference_sqlite(path) -> bool:
    """True if `path` is a SQLite file the reference wrote (its tables, none of graphstore's)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    if "graphstore_meta" in names:
        return False
    return "entities" in names or any(n.startswith("tenant_") and n.endswith("_entities") for n in names)


async def migrate_sqlite_to_postgres(sqlite_path, postgres_config=None, batch_size=1000,
                                     show_progress=True):
    """Copy a SQLite graph into a PostgresGraphStore; returns migrate()'s dict.

    sqlite_path: a SQLiteGraphStore file, or a file the reference's own
    SQLiteGraphStore wrote (read through ReferenceDatabase; the result's
    notes then say what the reference never stored). postgres_config:
    PostgresGraphStore's keyword arguments (host, port, user, password,
    database, ...); None uses its defaults and the DB_* settings. Both stores
    are closed afterwards.
    """
    from .postgres import PostgresGraphStore
    from .sqlite import SQLiteGraphStore

    reference = os.path.exists(sqlite_path) and is_reference_sqlite(sqlite_path)
    source = ReferenceDatabase(sqlite_path=sqlite_path) if reference else SQLiteGraphStore(sqlite_path)
    target = PostgresGraphStore(**(postgres_config or {}))
    try:
        await source.initialize()
        await target.initialize()
        result = await GraphStorageMigrator(source, target).migrate(
            batch_size=batch_size, show_progress=show_progress)
        return result
    finally:
        await source.close()
        await target.close()


def main(argv=None) -> int:
    """The reference's command line: python3 -m graphstore.aiecs.migration --source-sqlite ... ."""
    import argparse

    parser = argparse.ArgumentParser(description="Migrate graph storage between backends")
    parser.add_argument("--source-sqlite", help="Source SQLite database path")
    parser.add_argument("--target-pg-host", default="localhost")
    parser.add_argument("--target-pg-port", type=int, default=5432)
    parser.add_argument("--target-pg-database", required=True)
    parser.add_argument("--target-pg-user", default="postgres")
    parser.add_argument("--target-pg-password")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if not args.source_sqlite:
        print("Error: --source-sqlite is required", file=sys.stderr)
        return 1
    stats = asyncio.run(migrate_sqlite_to_postgres(
        args.source_sqlite,
        postgres_config={"host": args.target_pg_host, "port": args.target_pg_port,
                         "database": args.target_pg_database, "user": args.target_pg_user,
                         "password": args.target_pg_password},
        batch_size=args.batch_size, show_progress=not args.no_progress))
    print(f"Entities migrated: {stats['entities_migrated']}")
    print(f"Relations migrated: {stats['relations_migrated']}")
    print(f"Duration: {stats['duration_seconds']:.2f}s")
    ver = stats.get("verification") or {}
    if ver:
        print("Verification: " + ("PASSED" if ver.get("success") else "FAILED"))
    for line in stats["errors"] + stats["notes"]:
        print(line)
    return 0 if not stats["errors"] and ver.get("success", True) else 2


if __name__ == "__main__":
    sys.exit(main())
