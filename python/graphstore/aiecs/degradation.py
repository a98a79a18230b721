"""GracefulDegradationStore: the reference's wrapper over graphstore's degradation plugin.

The plugin (plugins/degradation/README.md) serves reads and writes from an
in-memory fallback while the primary is unreachable, journals the writes of
the outage to disk and replays them to the primary once it answers, then
returns to normal by itself. The reference lost those writes, never went back
to the primary on its own, and wrapped six methods only; this wrapper is a
full GraphStore (every method, with context).
"""
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Optional

from ._backed import GraphstoreBackedStore, _maybe_await


class DegradationMode(str, Enum):
    """The wrapper's mode: normal (primary), degraded (fallback), failed (neither answers)."""

    NORMAL = "normal"
    DEGRADED = "degraded"
    FAILED = "failed"


@dataclass
class DegradationStatus:
    """The reference's status record, refreshed from the plugin's state by refresh_status()."""

    mode: DegradationMode
    primary_available: bool
    fallback_available: bool
    last_failure: Optional[datetime] = None
    failure_count: int = 0


class GracefulDegradationStore(GraphstoreBackedStore):
    """GracefulDegradationStore(primary_store, enable_fallback=True, max_failures=3).

    primary_store: a drop-in store (InMemoryGraphStore, SQLiteGraphStore,
    PostgresGraphStore); the wrapper opens the same storage itself (so a
    ":memory:" or in-memory primary is a new, private one). With
    enable_fallback=False the wrapper is the primary alone. journal_path
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
        """Opens the primary's storage behind the fallback (starting degraded when the primary is down)."""
        await self._open()
        self._is_initialized = True
        await self.refresh_status()

    async def close(self):
        """Closes the wrapper (a journal still holding writes is replayed by the next store that opens it)."""
        self._is_initialized = False
        await self._close_store()

    async def refresh_status(self):
        """Reads the plugin's state into self.status and self.failure_count; returns self.status."""
        if self._gs is None or not self.enable_fallback:
            return self.status
        state = dict(await _maybe_await(self._gs.state()))
        mode = state.get("mode", "normal").lower()
        failures = state.get("consecutive_failures") or state.get("failures") or "0"
        try:
            self.failure_count = int(failures)
        except ValueError:
            self.failure_count = 0
        degraded = mode.startswith("degraded") or mode.startswith("recovering")
        self.status = DegradationStatus(
            mode=DegradationMode.DEGRADED if degraded else (
                DegradationMode.FAILED if mode.startswith("failed") else DegradationMode.NORMAL),
            primary_available=not degraded,
            fallback_available=True,
            last_failure=self.status.last_failure if not degraded else (self.status.last_failure or datetime.utcnow()),
            failure_count=self.failure_count,
        )
        return self.status

    async def try_recover_primary(self):
        """Probes the store and reports whether the primary serves calls again (recovery itself is automatic)."""
        if self._gs is None:
            return False
        try:
            await _maybe_await(self._gs.probe())
        except Exception:  # noqa: BLE001 - a failed probe is an answer here
            pass
        status = await self.refresh_status()
        return status.mode == DegradationMode.NORMAL

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
