"""transaction(): writes of one task collected and applied as one atomic batch.

The reference's SQL stores run BEGIN/COMMIT on a connection every coroutine
shares (concurrent tasks leak into each other's transaction). Here the open
transaction is a context variable, so only the task that opened it (and
tasks it starts inside the block) write into it; other tasks write straight
to the store. Writes are applied at the end of the block in one native
batch per namespace: all of a namespace's writes or none. A failing write
(duplicate, missing endpoint or record) raises at the end of the block, as
the exception the same call raises outside a transaction. Reads inside the
block see the committed state, not the block's own pending writes.
A nested transaction() joins the outer one.
"""
import contextvars

import graphstore as gs

CURRENT = contextvars.ContextVar("graphstore_aiecs_transaction", default=None)


class PendingWrites:
    """The writes of one open transaction, in call order: (tenant, batch method name, argument)."""

    __slots__ = ("store", "ops")

    def __init__(self, store):
        self.store = store
        self.ops = []

    def add(self, tenant, method, argument):
        """Queues one write for the end of the block."""
        self.ops.append((tenant, method, argument))

    def pending_entity(self, tenant, entity_id):
        """True when an earlier write of this transaction adds or updates that entity."""
        for t, method, arg in self.ops:
            if t == tenant and method in ("add_entity", "update_entity") and arg.id == entity_id:
                return True
        return False


class Transaction:
    """The async context manager transaction() returns (see the module docstring)."""

    def __init__(self, store):
        self._store = store
        self._token = None
        self._pending = None

    async def __aenter__(self):
        outer = CURRENT.get()
        if outer is not None and outer.store is self._store:
            return self  # joins the outer transaction
        self._pending = PendingWrites(self._store)
        self._token = CURRENT.set(self._pending)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        if self._pending is None:
            return False
        CURRENT.reset(self._token)
        pending, self._pending = self._pending, None
        if exc_type is not None or not pending.ops:
            return False  # rolled back: nothing was written
        await self._store._apply_pending(pending.ops)
        return False


def _apply_sync(sync_store, tenant, ops):
    """Applies ops to one namespace as one native batch (runs where the store's calls run)."""
    with sync_store.batch(tenant=tenant) as batch:
        for _, method, argument in ops:
            getattr(batch, method)(argument)


async def apply_ops(async_store, ops, translate):
    """Applies ops one namespace at a time, each as one batch; translate(error, op) gives what to raise."""
    by_tenant = {}
    for op in ops:
        by_tenant.setdefault(op[0], []).append(op)
    for tenant, tenant_ops in by_tenant.items():
        try:
            await async_store._run(_apply_sync, (async_store.store, tenant, tenant_ops), {})
        except gs.Error as error:
            index = getattr(error, "index", None)
            op = tenant_ops[index] if isinstance(index, int) and 0 <= index < len(tenant_ops) else None
            raise translate(error, op) from None
