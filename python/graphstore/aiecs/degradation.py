"""GracefulDegradationStore: the reference's wrapper over graphstore's degradation plugin.

The plugin (plugins/degradation/README.md) serves reads and writes from an
in-memory fallback while the primary is unreachable, journals the writes of
the outage to disk and replays them to the primary once it answers, then
returns to normal by itself. The reference lost those writes, never went back
to the primary on its own, and wrapped six methods only; this wrapper is a
full GraphStore (every method, with context).
"""
import asyncio
import os
import tempfile
import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Optional

from ._backed import GraphstoreBackedStore, _maybe_await


class DegradationMode(str, Enum):
    """The wrapper's mode: normal (primary), degraded (fallback), failed (neither answers)."""

    NORMAL = "normal"
    DEGRADED = "degraded"
    FAILED = "failed"


# The mode under the name some callers use for it.
StorageMode = DegradationMode


@dataclass
class DegradationStatus:
    """The reference's status record, refreshed from the plugin's state.

    last_failure is the message of the current outage's error (None when
    there is none: never failed, or recovered since).
    """

    mode: DegradationMode
    primary_available: bool
    fallback_available: bool
    last_failure: Optional[str] = None
    failure_count: int = 0

    def to_dict(self) -> dict:
        """{mode (its string), primary_available, fallback_available, last_failure, failure_count}."""
        return {
            "mode": self.mode.value,
            "primary_available": self.primary_available,
            "fallback_available": self.fallback_available,
            "last_failure": self.last_failure,
            "failure_count": self.failure_count,
        }


class GracefulDegradationStore(GraphstoreBackedStore):
    """GracefulDegradationStore(primary_store, enable_fallback=True, max_failures=3).

    primary_store: a drop-in store (InMemoryGraphStore, SQLiteGraphStore,
    PostgresGraphStore). A primary whose data lives in another place (a
    file, a server) is opened again by the wrapper behind the plugin; the
    primary_store object itself is left as it is. A primary living in this
    process (in-memory, SQLite ":memory:") cannot become unreachable: the
    wrapper initialises it and serves its data directly, always in normal
    mode. With enable_fallback=False the wrapper is the primary alone. journal_path
    (default: a new file in the temporary directory) holds the writes of an
    outage until they reach the primary; health_interval is the seconds
    between probes of an unreachable primary.
    """

    def __init__(self, primary_store, enable_fallback=True, max_failures=3, journal_path=None,
                 health_interval=5.0):
        if not hasattr(primary_store, "_backend"):
            raise TypeError("GracefulDegradationStore: primary_store must be a graphstore.aiecs store "
                            "(InMemoryGraphStore, SQLiteGraphStore or PostgresGraphStore)")
        self.primary_store = primary_store
        self.enable_fallback = enable_fallback
        self.max_failures = max_failures
        self.health_interval = health_interval
        self.journal_path = journal_path or os.path.join(
            tempfile.gettempdir(), f"graphstore-degradation-{os.getpid()}-{uuid.uuid4().hex}.journal")
        self.fallback_store = None
        self.failure_count = 0
        self.status = DegradationStatus(mode=DegradationMode.NORMAL, primary_available=True,
                                        fallback_available=enable_fallback)
        self._is_initialized = False
        self._uses_plugin = False

    def _in_process(self) -> bool:
        backend, options = self.primary_store._backend()
        return backend == "inmemory" or (backend == "sqlite" and options.get("path") == ":memory:")

    @property
    def _missing_endpoint(self):
        return self.primary_store._missing_endpoint

    @property
    def _update_missing(self):
        return self.primary_store._update_missing

    @property
    def _delete_missing(self):
        return self.primary_store._delete_missing

    @property
    def _default_find_paths_depth(self):
        return self.primary_store._default_find_paths_depth

    def _backend(self):
        backend, options = self.primary_store._backend()
        if not self.enable_fallback:
            return backend, options
        return "degradation", {
            "primary": {"backend": backend, "options": dict(options)},
            "fallback": {"backend": "inmemory"},
            "journal_path": self.journal_path,
            "max_failures": int(self.max_failures),
            "health_interval": float(self.health_interval),
        }

    async def initialize(self):
        """Opens the primary's storage behind the fallback (starting degraded when the primary is down).

        Idempotent. An in-process primary is initialised and used as it is.
        """
        if self._gs is not None:
            return
        if self._in_process():
            await self.primary_store.initialize()
            self._gs, self._gs_backend = self.primary_store._gs, self.primary_store._gs_backend
            self._uses_plugin = False
        else:
            await self._open()
            self._uses_plugin = self.enable_fallback
        self._is_initialized = True
        await self.refresh_status()

    async def close(self):
        """Closes the wrapper, and an in-process primary with it (as the reference closed both).

        A journal still holding writes is replayed by the next store that opens it.
        """
        self._is_initialized = False
        if self._uses_plugin or not self._in_process():
            await self._close_store()
        else:
            self._gs = None
            await self.primary_store.close()

    async def refresh_status(self):
        """Reads the plugin's state into self.status and self.failure_count; returns self.status."""
        if self._gs is None or not self._uses_plugin:
            return self.status
        return self._status_from(dict(await _maybe_await(self._gs.state())))

    def _status_from(self, state: dict) -> DegradationStatus:
        mode = state.get("mode", "normal").lower()
        try:
            self.failure_count = int(state.get("consecutive_failures", "0"))
        except ValueError:
            self.failure_count = 0
        degraded = mode.startswith("degraded")
        error = state.get("last_error", "none")
        self.status = DegradationStatus(
            mode=DegradationMode.DEGRADED if degraded else DegradationMode.NORMAL,
            primary_available=not degraded,
            fallback_available=True,
            last_failure=None if error == "none" else error,
            failure_count=self.failure_count,
        )
        return self.status

    def get_degradation_status(self) -> DegradationStatus:
        """The current status (read from the plugin now; synchronous, as the reference's)."""
        if self._gs is not None and self._uses_plugin:
            # The state is a few atomic loads in the plugin: safe to read on the loop.
            return self._status_from(dict(self._gs.store.state()))
        return self.status

    async def try_recover_primary(self, timeout=None):
        """True once the primary serves calls again, False if it still does not after `timeout`.

        Recovery is automatic: the plugin probes the primary every
        health_interval seconds and, once it answers, replays the writes of
        the outage to it before switching back. This waits for that, up to
        `timeout` seconds (default: one health interval and a half, at most
        10 s). Unlike the reference, calls were never stuck on the fallback
        waiting for this to be called.
        """
        if self._gs is None:
            return False
        if timeout is None:
            timeout = min(self.health_interval * 1.5 + 0.1, 10.0)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            status = await self.refresh_status()
            if status.mode == DegradationMode.NORMAL:
                return True
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(min(0.05, self.health_interval / 4))

    async def get_stats(self, context=None):
        """{entity_count, relation_count, entity_types, relation_types, mode, failure_count} of the namespace."""
        entities, relations, by_entity_type, by_relation_type = await self._counts(context)
        status = await self.refresh_status()
        return {
            "entity_count": entities,
            "relation_count": relations,
            "entity_types": by_entity_type,
            "relation_types": by_relation_type,
            "mode": status.mode.value,
            "failure_count": status.failure_count,
        }
