"""graphstore.aio: the synchronous API (`graphstore`) as coroutines, for asyncio.

An `AsyncStore` wraps a `graphstore.Store` and offers every data method as a
coroutine with the same arguments, return values and exceptions. Where a call
runs depends on the plugin:

- a plugin that declares the capability "nonblocking" (no call waits on I/O
  or on another process; `inmemory` does) is called inline, on the event loop
  thread, with no thread hop and no executor: `await store.get_entity(id)`
  costs one native call plus one coroutine;
- any other plugin is called on a bounded thread pool owned by the store, so
  the event loop never waits on a disk or a server. At most `max_workers`
  calls per event loop are handed to the pool at once; further callers await
  their turn (the pool's queue never grows without bound).

Cancelling a coroutine never leaves half a call behind: a native call that
has started runs to completion in its thread (its result is dropped), a call
still waiting for a worker never starts, and a batch is applied whole or not
at all. `close()` waits for the calls in flight before closing the store.

Export, import, migration and hot swap always run off the loop (they read and
write files or move whole stores), and their progress callbacks are delivered
on the loop thread, in order.
"""
import asyncio
import functools
import itertools
import json
import os
import queue
import threading
import weakref

import graphstore as _gs
from graphstore import _glue

__all__ = ["open", "open_backend", "AsyncStore", "AsyncStoreHandle", "AsyncBatch", "default_max_workers"]

# Records a blocking scan moves per thread hop: one page of the synchronous
# scan, so that each hop makes exactly one backend call.
_SCAN_CHUNK = getattr(_glue, "SCAN_PAGE", 1000)

# The data methods of Store, mirrored one to one as coroutines.
_DATA_METHODS = (
    "add_entity", "get_entity", "update_entity", "delete_entity",
    "add_relation", "get_relation", "update_relation", "delete_relation",
    "neighbors", "traverse", "find_paths", "subgraph",
    "get_all_entities", "list_tenants", "vector_search", "text_search",
    "add_entities_bulk", "add_relations_bulk", "stats", "execute_query",
    "clear", "delete_by_source", "probe", "enable_metrics", "metrics_text", "state",
)


def default_max_workers():
    """The pool size of a blocking store when `max_workers` is not given.

    min(8, CPUs + 4): enough to overlap server round trips or disk waits
    without holding more connections or threads than a small host can use.
    """
    return min(8, (os.cpu_count() or 1) + 4)


def _is_nonblocking(plugin):
    """True when the plugin declares the capability "nonblocking"."""
    flag = getattr(plugin, "nonblocking", None)
    if flag is not None:
        return bool(flag)
    return "nonblocking" in (getattr(plugin, "capabilities", None) or ())


class _Pool:
    """The bounded thread pool of one blocking store.

    `submit` awaits a free slot (a semaphore per event loop, since an asyncio
    primitive belongs to one loop), queues the call for a worker thread and
    awaits an asyncio future that the worker completes with one
    call_soon_threadsafe: one wake-up of the loop per call, the least a thread
    hop costs. Workers start as calls need them, up to `max_workers`. The slot
    is released when the native call ends, not when the awaiting coroutine
    does, so cancelled callers never let more than `max_workers` calls pile up
    behind the pool; a call whose caller was cancelled before a worker took it
    never starts.
    """

    def __init__(self, max_workers, name):
        self.max_workers = max_workers
        self._name = name
        self._state = _PoolState()
        self._gates = weakref.WeakKeyDictionary()
        self._shut = False
        # Workers hold only the state, never the pool: a pool dropped without
        # shutdown() stops its idle workers here.
        weakref.finalize(self, self._state.stop)

    def _gate(self, loop):
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(self.max_workers)
        return gate

    async def submit(self, fn, args, kwargs):
        loop = asyncio.get_running_loop()
        gate = self._gate(loop)
        await gate.acquire()
        if self._shut:
            gate.release()
            raise _closed_error()
        fut = loop.create_future()
        self._state.put((fn, args, kwargs, loop, fut, gate), self.max_workers, self._name)
        return await fut

    def shutdown(self):
        """Refuses new calls, waits for every call queued or running, stops the workers (blocking)."""
        self._shut = True
        self._state.drain()
        self._state.stop()


class _PoolState:
    """What a pool's workers share: the job queue, the threads, the count of calls not finished."""

    def __init__(self):
        self.jobs = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.idle = threading.Condition(self.lock)
        self.threads = []
        self.pending = 0

    def put(self, job, max_workers, name):
        with self.lock:
            self.pending += 1
            if self.pending > len(self.threads) and len(self.threads) < max_workers:
                t = threading.Thread(target=_work, args=(self,), name=f"{name}-{len(self.threads)}", daemon=True)
                self.threads.append(t)
                t.start()
        self.jobs.put(job)

    def done(self):
        with self.lock:
            self.pending -= 1
            if self.pending == 0:
                self.idle.notify_all()

    def drain(self):
        with self.lock:
            while self.pending:
                self.idle.wait()

    def stop(self):
        with self.lock:
            threads, self.threads = self.threads, []
        for _ in threads:
            self.jobs.put(None)
        for t in threads:
            if t is not threading.current_thread():
                t.join()


def _work(state):
    """A worker: runs queued calls until it takes None."""
    jobs = state.jobs
    while True:
        job = jobs.get()
        if job is None:
            return
        fn, args, kwargs, loop, fut, gate = job
        result = error = None
        if not fut.cancelled():  # a caller cancelled before its call started: it never starts
            try:
                result = fn(*args, **kwargs)
            except BaseException as e:  # handed to the caller, as the call's own error
                error = e
        try:
            loop.call_soon_threadsafe(_finish, fut, gate, result, error)
        except RuntimeError:
            pass  # the loop is closed: nobody awaits this call any more
        job = fut = result = error = None
        state.done()


def _finish(fut, gate, result, error):
    """On the loop: frees the call's slot and hands its outcome to the caller (if still waiting)."""
    gate.release()
    if fut.cancelled():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(result)


def _closed_error():
    """The error of a call made after close() began: what a closed Store raises."""
    return _gs.FailedPreconditionError(message="the store is closed")


def _on_loop(loop, callback):
    """A progress callback for a worker thread that runs `callback` on `loop`.

    Calls are queued in order with call_soon_threadsafe; a coroutine function
    is scheduled as a task. None stays None.
    """
    if callback is None:
        return None
    is_coro = asyncio.iscoroutinefunction(callback)

    def deliver(*args):
        if is_coro:
            loop.call_soon_threadsafe(lambda: loop.create_task(callback(*args)))
        else:
            loop.call_soon_threadsafe(callback, *args)

    return deliver


def _unwrap(store):
    """The synchronous store behind an AsyncStore (or the argument itself)."""
    return store._store if isinstance(store, AsyncStore) else store


class AsyncBatch:
    """`async with store.batch() as b:` records operations and applies them atomically.

    The recording methods of the yielded batch (add_entity, update_entity,
    delete_entity, add_relation, update_relation, delete_relation) are plain
    calls: they only record, nothing reaches the store before the block ends.
    On normal exit the batch is applied as one atomic call (off the loop for a
    blocking store) and the failing operation's Error (with `.index`) is
    raised; if the block raises or is cancelled, nothing is applied. If the
    coroutine is cancelled while the batch is being applied, the batch is
    applied whole (it had started) or not at all (it had not), never in part.
    """

    def __init__(self, owner):
        self._owner = owner
        self._cm = None

    async def __aenter__(self):
        self._cm = self._owner._store.batch()
        return self._cm.__enter__()

    async def __aexit__(self, exc_type, exc, tb):
        cm, self._cm = self._cm, None
        if exc_type is not None:
            return cm.__exit__(exc_type, exc, tb)  # discards: no I/O
        return await self._owner._run(cm.__exit__, (None, None, None), {})


class AsyncStore:
    """A graphstore Store whose data methods are coroutines.

    Built by `open()`/`open_backend()`, or around an open `graphstore.Store`
    (the AsyncStore then owns it and closes it). Every data method takes the
    arguments of the same `Store` method, returns what it returns and raises
    what it raises (`graphstore.Error` subclasses). `max_workers` sizes the
    thread pool of a blocking store (default `default_max_workers()`, 1 for a
    plugin that is not thread-safe); `inline` forces (True) or forbids (False)
    inline calls, and defaults to the plugin's "nonblocking" capability.
    Usable as `async with`; `close()` is idempotent.
    """

    def __init__(self, store, *, max_workers=None, inline=None):
        self._store = store
        plugin = store.plugin
        self._inline = _is_nonblocking(plugin) if inline is None else bool(inline)
        self._pool = None
        self._closed = False
        if not self._inline:
            if max_workers is None:
                max_workers = default_max_workers() if getattr(plugin, "thread_safe", True) else 1
            if max_workers < 1:
                raise ValueError("max_workers must be at least 1")
            self._pool = _Pool(max_workers, f"graphstore-{getattr(plugin, 'id', 'store')}")
        # Per-instance bound coroutines: an attribute lookup and one coroutine
        # frame per call, the whole cost of the inline path.
        for name in _DATA_METHODS:
            fn = getattr(store, name, None)
            if fn is not None:
                setattr(self, name, self._inline_call(fn) if self._inline else self._pool_call(fn))

    # ---- how a call runs ---------------------------------------------------
    @staticmethod
    def _inline_call(fn):
        async def call(*args, **kwargs):
            return fn(*args, **kwargs)

        call.__name__ = call.__qualname__ = fn.__name__ if hasattr(fn, "__name__") else "call"
        call.__doc__ = getattr(fn, "__doc__", None)
        return call

    def _pool_call(self, fn):
        pool = self._pool

        async def call(*args, **kwargs):
            return await pool.submit(fn, args, kwargs)

        call.__name__ = call.__qualname__ = fn.__name__ if hasattr(fn, "__name__") else "call"
        call.__doc__ = getattr(fn, "__doc__", None)
        return call

    async def _run(self, fn, args, kwargs):
        """Runs one call where this store's calls run (inline or on the pool)."""
        if self._inline:
            return fn(*args, **kwargs)
        return await self._pool.submit(fn, args, kwargs)

    async def _off_loop(self, fn, *args, **kwargs):
        """Runs a long call (files, whole stores) off the loop, whatever the plugin."""
        if self._pool is not None:
            return await self._pool.submit(fn, args, kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))

    # ---- attributes ----------------------------------------------------------
    @property
    def store(self):
        """The synchronous graphstore.Store behind this one (shared, not a copy)."""
        return self._store

    @property
    def plugin(self):
        """The PluginInfo of the backend."""
        return self._store.plugin

    @property
    def tenant(self):
        """The default tenant of calls ("" or None: the global namespace)."""
        return self._store.tenant

    @property
    def closed(self):
        """True once close() has begun."""
        return self._closed or self._store.closed

    @property
    def inline(self):
        """True when calls run on the event loop thread (a nonblocking plugin)."""
        return self._inline

    @property
    def max_workers(self):
        """The pool size of a blocking store; 0 for an inline one."""
        return self._pool.max_workers if self._pool is not None else 0

    def set_record_factories(self, entity_factory=None, relation_factory=None):
        """Builds returned records with these callables (see Store.set_record_factories)."""
        self._store.set_record_factories(entity_factory, relation_factory)

    # ---- scans ---------------------------------------------------------------
    def scan_entities(self, type=None, after_id=None, offset=0, limit=None, **kwargs):
        """An async iterator over the entities, in the order of Store.scan_entities.

        Pages are fetched as the iteration needs them; for a blocking store
        each chunk of records is fetched on the pool, never on the loop.
        """
        it = self._store.scan_entities(type=type, after_id=after_id, offset=offset, limit=limit, **kwargs)
        return self._aiter(it, kwargs.get("page_size", _SCAN_CHUNK))

    def scan_relations(self, type=None, after_id=None, offset=0, limit=None, **kwargs):
        """An async iterator over the relations, in the order of Store.scan_relations.

        Fetched as scan_entities is.
        """
        it = self._store.scan_relations(type=type, after_id=after_id, offset=offset, limit=limit, **kwargs)
        return self._aiter(it, kwargs.get("page_size", _SCAN_CHUNK))

    async def _aiter(self, it, chunk_size):
        if self._inline:
            for record in it:
                yield record
            return
        take = functools.partial(_take, it, chunk_size)
        while True:
            chunk = await self._run(take, (), {})
            for record in chunk:
                yield record
            if len(chunk) < chunk_size:
                return

    # ---- batches -------------------------------------------------------------
    def batch(self):
        """An async context manager yielding a Batch; see AsyncBatch."""
        return AsyncBatch(self)

    # ---- long operations -----------------------------------------------------
    async def export(self, path, format=None, gzip=None, progress=None, **kwargs):
        """Store.export off the loop; `progress(phase, done, total)` runs on the loop.

        Takes Store.export's keywords (tenant, ...) unchanged and returns what
        it returns.
        """
        on_loop = _on_loop(asyncio.get_running_loop(), progress)
        return await self._off_loop(self._store.export, path, format=format, gzip=gzip, progress=on_loop, **kwargs)

    async def import_file(self, path, format=None, on_error="error", progress=None, **kwargs):
        """Store.import_file off the loop; `progress(phase, done, total)` runs on the loop.

        Takes Store.import_file's keywords (on_conflict, ...) unchanged.
        """
        on_loop = _on_loop(asyncio.get_running_loop(), progress)
        return await self._off_loop(self._store.import_file, path, format=format, on_error=on_error,
                                    progress=on_loop, **kwargs)

    async def migrate_to(self, target, verify=True, progress=None, **kwargs):
        """Copies this store into `target` (an AsyncStore or a Store) off the loop.

        Returns Store.migrate_to's report; `progress(phase, done, total)` runs
        on the loop. Takes Store.migrate_to's keywords (batch_size,
        checkpoint, dry_run) unchanged.
        """
        on_loop = _on_loop(asyncio.get_running_loop(), progress)
        return await self._off_loop(self._store.migrate_to, _unwrap(target), verify=verify, progress=on_loop,
                                    **kwargs)

    # ---- lifetime ------------------------------------------------------------
    async def drain(self):
        """Waits until none of this store's calls is queued or running.

        Includes the calls whose callers were cancelled after the call had
        started (they finish in their thread): after drain(), the store shows
        every such write. Returns at once for an inline store.
        """
        if self._pool is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._pool._state.drain)

    async def close(self):
        """Waits for the calls in flight, then closes the store. Idempotent.

        Calls made after close() has begun raise graphstore.FailedPreconditionError.
        """
        if self._closed:
            return
        self._closed = True
        if self._pool is None:
            self._store.close()
            return
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._pool.shutdown)
        self._store.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.close()

    def __repr__(self):
        mode = "inline" if self._inline else f"pool={self.max_workers}"
        return f"<graphstore.aio.AsyncStore {getattr(self.plugin, 'id', '?')} {mode}{' closed' if self._closed else ''}>"


def _mirror(name):
    async def method(self, *args, **kwargs):
        return await self._run(getattr(self._store, name), args, kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = (f"Coroutine of Store.{name}: the same arguments, result and errors. "
                      "Runs inline for a nonblocking plugin, else on the store's pool.")
    return method


# Class-level mirrors document the methods; each instance shadows them with
# closures bound at construction (the fast path).
for _name in _DATA_METHODS:
    setattr(AsyncStore, _name, _mirror(_name))
del _name


def _take(it, n):
    return list(itertools.islice(it, n))


class AsyncStoreHandle(AsyncStore):
    """An AsyncStore over a graphstore.StoreHandle, whose store can be swapped live.

    Its calls always run on the pool, even over a nonblocking store, since a
    swap may put a blocking store behind the same handle. `swap` awaits the
    handle's swap (off the loop) and returns its SwapReport.
    """

    def __init__(self, handle, *, max_workers=None):
        if not hasattr(handle, "swap"):
            handle = _gs.StoreHandle(handle)
        super().__init__(handle, max_workers=max_workers or default_max_workers(), inline=False)

    async def swap(self, new_store, migrate=False, **kwargs):
        """Puts `new_store` (an AsyncStore or a Store) behind the handle.

        With migrate=True the data is copied first. Calls in flight finish on
        the old store; later ones reach the new one. The AsyncStore passed in
        must not be used or closed afterwards: the handle owns its store.
        """
        inner = _unwrap(new_store)
        if isinstance(new_store, AsyncStore):
            new_store._closed = True  # its pool stays idle; the handle owns the store now
        return await self._off_loop(self._store.swap, inner, migrate=migrate, **kwargs)


class _Opening:
    """What open() returns: await it for the store, or `async with` it to close on exit."""

    def __init__(self, coro):
        self._coro = coro
        self._store = None

    def __await__(self):
        return self._coro.__await__()

    async def __aenter__(self):
        self._store = await self._coro
        return self._store

    async def __aexit__(self, exc_type, exc, tb):
        await self._store.close()


def _wrap(store, max_workers):
    if hasattr(store, "swap"):
        return AsyncStoreHandle(store, max_workers=max_workers)
    return AsyncStore(store, max_workers=max_workers)


async def _open(config, env, tenant, max_workers, kwargs):
    loop = asyncio.get_running_loop()
    store = await loop.run_in_executor(
        None, functools.partial(_gs.open, config=config, env=env, tenant=tenant, **kwargs))
    return _wrap(store, max_workers)


def _pool_size_of(options):
    """The connection pool size an options dict (or JSON text) asks the plugin for, or None."""
    if isinstance(options, (str, bytes)):
        try:
            options = json.loads(options)
        except ValueError:
            return None
    size = options.get("max_pool_size") if isinstance(options, dict) else None
    return size if isinstance(size, int) and not isinstance(size, bool) and size >= 1 else None


async def _open_backend(backend, options, tenant, max_workers, kwargs):
    # As many workers as the plugin has connections: fewer would leave
    # connections idle, more would only wait for one inside the plugin.
    if max_workers is None:
        max_workers = _pool_size_of(options)
    loop = asyncio.get_running_loop()
    store = await loop.run_in_executor(
        None, functools.partial(_gs.open_backend, backend, options=options, tenant=tenant, **kwargs))
    return _wrap(store, max_workers)


def open(config=None, env=None, tenant=None, *, max_workers=None, **kwargs):
    """Opens the store of a configuration, as graphstore.open does, off the loop.

    Await it (`store = await aio.open(...)`) or use it as `async with
    aio.open(...) as store:` (closed on exit). Config and environment follow
    graphstore.open's rules; other keywords (swappable=True, ...) pass
    through, and a StoreHandle comes back as an AsyncStoreHandle. Raises what
    graphstore.open raises.
    """
    return _Opening(_open(config, env, tenant, max_workers, kwargs))


def open_backend(backend, options=None, tenant=None, *, max_workers=None, **kwargs):
    """Opens one backend (plugin id or .so path) with its options, off the loop.

    Await it or `async with` it, as open(); other keywords (swappable=True)
    pass through to graphstore.open_backend. Without `max_workers`, a
    blocking store's pool has as many threads as the options' `max_pool_size`
    (the plugin's connections) when they set one. Raises what it raises.
    """
    return _Opening(_open_backend(backend, options, tenant, max_workers, kwargs))
