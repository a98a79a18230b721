"""An asyncpg-shaped connection pool for the drop-in's PostgreSQL store.

Code written against the reference reached its database through
``store.pool`` (an ``asyncpg.Pool``): ``async with store.pool.acquire() as
conn`` and then ``execute``, ``fetch``, ``fetchrow``, ``fetchval``. This module
gives the same calls over :mod:`graphstore._pg` (libpq), without asyncpg:

* ``await Pool.create(host, port, user, password, database, min_size=5,
  max_size=20, schema="public", **kwargs)``, also ``await create_pool(...)``
  and ``async with create_pool(...) as pool``;
* ``async with pool.acquire() as conn`` (or ``conn = await pool.acquire()``
  and ``await pool.release(conn)``);
* ``execute`` (the command status), ``executemany``, ``fetch`` (a list of
  :class:`Record`), ``fetchrow`` (a Record or None), ``fetchval``, on a
  connection and on the pool; ``conn.transaction()`` (an async context
  manager; nested ones are savepoints);
* ``get_size``, ``get_idle_size``, ``get_min_size``, ``get_max_size``,
  ``close``, ``terminate``.

Arguments are ``$1``-style and always sent as bound parameters (never
spliced into the SQL). Results are decoded by type as asyncpg decodes them,
except that ``interval`` and types not listed in ``graphstore._pg`` come back
as text. Blocking libpq calls run on the pool's threads, so the event loop
never waits on the server. A cancelled call (or one past its ``timeout``)
asks the server to cancel the statement, and the connection goes back to the
pool only once the statement has ended.

Every connection's ``search_path`` starts at the graphstore schema (when it
is not ``public``, which is on the default path already), so the reference's
table names (the ``graph_entities`` and ``graph_relations``
views) resolve. The pool carries no tenant: it is the user's raw SQL access,
and under row-level security a session sees what its own settings allow
(``SELECT set_config('graphstore.tenant', $1, false)`` selects a tenant).
Each connection is reset when it goes back to the pool (an open transaction
rolled back, ``RESET ALL``), so nothing set by one user leaks to the next.
"""
import asyncio
import concurrent.futures
import re
import threading

from .. import _pg

__all__ = [
    "Pool", "Connection", "Record", "Transaction", "create_pool", "connect",
    "PostgresError", "InterfaceError",
]

# asyncpg's exception names: the base classes and the SQLSTATEs code around
# the reference is likely to catch.
PostgresError = _pg.Error
InterfaceError = _pg.InterfaceError


def _error_class(name, sqlstate, base=PostgresError):
    cls = type(name, (base,), {"__doc__": f"SQLSTATE {sqlstate}.", "sqlstate": sqlstate})
    cls.__module__ = __name__
    _pg.error_classes[sqlstate] = cls
    return cls


PostgresConnectionError = _error_class("PostgresConnectionError", "08000")
ClientCannotConnectError = _error_class("ClientCannotConnectError", "08001", PostgresConnectionError)
ConnectionDoesNotExistError = _error_class("ConnectionDoesNotExistError", "08003", PostgresConnectionError)
ConnectionFailureError = _error_class("ConnectionFailureError", "08006", PostgresConnectionError)
InvalidAuthorizationSpecificationError = _error_class("InvalidAuthorizationSpecificationError", "28000")
InvalidPasswordError = _error_class("InvalidPasswordError", "28P01", InvalidAuthorizationSpecificationError)
DataError = _error_class("DataError", "22000")
NumericValueOutOfRangeError = _error_class("NumericValueOutOfRangeError", "22003", DataError)
DivisionByZeroError = _error_class("DivisionByZeroError", "22012", DataError)
InvalidTextRepresentationError = _error_class("InvalidTextRepresentationError", "22P02", DataError)
IntegrityConstraintViolationError = _error_class("IntegrityConstraintViolationError", "23000")
NotNullViolationError = _error_class("NotNullViolationError", "23502", IntegrityConstraintViolationError)
ForeignKeyViolationError = _error_class("ForeignKeyViolationError", "23503", IntegrityConstraintViolationError)
UniqueViolationError = _error_class("UniqueViolationError", "23505", IntegrityConstraintViolationError)
CheckViolationError = _error_class("CheckViolationError", "23514", IntegrityConstraintViolationError)
ReadOnlySQLTransactionError = _error_class("ReadOnlySQLTransactionError", "25006")
InFailedSQLTransactionError = _error_class("InFailedSQLTransactionError", "25P02")
SerializationError = _error_class("SerializationError", "40001")
DeadlockDetectedError = _error_class("DeadlockDetectedError", "40P01")
SyntaxOrAccessError = _error_class("SyntaxOrAccessError", "42000")
PostgresSyntaxError = _error_class("PostgresSyntaxError", "42601", SyntaxOrAccessError)
InsufficientPrivilegeError = _error_class("InsufficientPrivilegeError", "42501", SyntaxOrAccessError)
UndefinedColumnError = _error_class("UndefinedColumnError", "42703", SyntaxOrAccessError)
UndefinedTableError = _error_class("UndefinedTableError", "42P01", SyntaxOrAccessError)
UndefinedFunctionError = _error_class("UndefinedFunctionError", "42883", SyntaxOrAccessError)
QueryCanceledError = _error_class("QueryCanceledError", "57014")

__all__ += [n for n, v in list(globals().items()) if isinstance(v, type) and issubclass(v, PostgresError)
            and n not in __all__]

_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_ISOLATION = {
    "serializable": "SERIALIZABLE",
    "repeatable_read": "REPEATABLE READ",
    "read_committed": "READ COMMITTED",
    "read_uncommitted": "READ UNCOMMITTED",
}
# What asyncpg runs when a connection goes back to its pool.
_RESET_SQL = "SELECT pg_advisory_unlock_all(); CLOSE ALL; RESET ALL"
# asyncpg pool/connect arguments that tune asyncpg's own machinery (statement
# caches, connection recycling, the record class): accepted so that calls
# written for asyncpg keep working, and without effect here.
_IGNORED_KWARGS = frozenset({
    "max_queries", "max_inactive_connection_lifetime", "statement_cache_size",
    "max_cached_statement_lifetime", "max_cacheable_statement_size", "loop",
    "connection_class", "record_class", "direct_tls",
    "passfile", "target_session_attrs", "krbsrvname", "gsslib",
})


class _Description:
    """The column names of one result, shared by its records."""

    __slots__ = ("names", "index")

    def __init__(self, names):
        self.names = names
        self.index = {}
        for i, name in enumerate(names):
            self.index.setdefault(name, i)


class Record:
    """One result row, as asyncpg's Record: ``row["col"]``, ``row[0]``,
    ``row[1:3]`` (a tuple), ``row.get(key, default)``, ``keys()``, ``values()``,
    ``items()``, ``dict(row)``, ``len(row)``, iteration over the values, and
    ``"col" in row`` for a column name. Equal to a tuple of the same values."""

    __slots__ = ("_values", "_desc")

    def __init__(self, desc, values):
        self._desc = desc
        self._values = values

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return self._values[self._desc.index[key]]
            except KeyError:
                raise KeyError(key) from None
        return self._values[key]

    def get(self, key, default=None):
        """The value of column key, or default when there is no such column."""
        i = self._desc.index.get(key)
        return default if i is None else self._values[i]

    def keys(self):
        """An iterator over the column names, in order."""
        return iter(self._desc.names)

    def values(self):
        """An iterator over the values, in order."""
        return iter(self._values)

    def items(self):
        """An iterator over (column name, value) pairs, in order."""
        return zip(self._desc.names, self._values)

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __contains__(self, name):
        return name in self._desc.index

    def __eq__(self, other):
        if isinstance(other, Record):
            return self._values == other._values
        if isinstance(other, tuple):
            return self._values == other
        return NotImplemented

    def __hash__(self):
        return hash(self._values)

    def __repr__(self):
        inner = " ".join(f"{k}={v!r}" for k, v in self.items())
        return f"<Record {inner}>" if inner else "<Record>"


def _records(result):
    _, names, rows = result
    desc = _Description(names)
    return [Record(desc, row) for row in rows]


def _consume(future):
    if not future.cancelled():
        future.exception()


def _cancel_in_background(raw):
    # PQcancel opens its own connection to the server: never on the loop,
    # and never queued behind the pool's busy threads.
    threading.Thread(target=raw.cancel, name="gs-pg-cancel", daemon=True).start()


class Transaction:
    """A transaction (or, nested, a savepoint) on one connection; an async
    context manager that commits on normal exit and rolls back when the block
    raises. ``start()``, ``commit()`` and ``rollback()`` may also be awaited by
    hand."""

    def __init__(self, conn, isolation=None, readonly=False, deferrable=False):
        if isolation is not None and isolation not in _ISOLATION:
            raise ValueError(f"isolation must be one of {sorted(_ISOLATION)}, got {isolation!r}")
        self._conn = conn
        self._isolation = isolation
        self._readonly = readonly
        self._deferrable = deferrable
        self._savepoint = None
        self._state = "new"

    async def start(self):
        """Starts the transaction: BEGIN, or SAVEPOINT inside another one."""
        if self._state != "new":
            raise InterfaceError(f"cannot start a transaction that is {self._state}")
        conn = self._conn
        if conn._transactions:
            if self._isolation is not None or self._readonly or self._deferrable:
                raise InterfaceError("a nested transaction cannot set isolation, readonly or deferrable")
            conn._savepoint_seq += 1
            self._savepoint = f"graphstore_savepoint_{conn._savepoint_seq}"
            await conn.execute(f"SAVEPOINT {self._savepoint}")
        else:
            if conn._raw_checked().transaction_status != 0:
                raise InterfaceError("cannot use Connection.transaction() in a manually started transaction")
            sql = "BEGIN"
            if self._isolation:
                sql += " ISOLATION LEVEL " + _ISOLATION[self._isolation]
            if self._readonly:
                sql += " READ ONLY"
            if self._deferrable:
                sql += " DEFERRABLE"
            await conn.execute(sql)
        conn._transactions.append(self)
        self._state = "started"

    async def _finish(self, commit):
        if self._state != "started":
            raise InterfaceError(f"cannot {'commit' if commit else 'roll back'} a transaction that is {self._state}")
        conn = self._conn
        if conn._transactions and conn._transactions[-1] is self:
            conn._transactions.pop()
        self._state = "committed" if commit else "rolled back"
        if self._savepoint:
            if commit:
                await conn.execute(f"RELEASE SAVEPOINT {self._savepoint}")
            else:
                await conn.execute(f"ROLLBACK TO SAVEPOINT {self._savepoint}; RELEASE SAVEPOINT {self._savepoint}")
        else:
            await conn.execute("COMMIT" if commit else "ROLLBACK")

    async def commit(self):
        """Commits (or releases the savepoint)."""
        await self._finish(True)

    async def rollback(self):
        """Rolls back (or back to the savepoint)."""
        await self._finish(False)

    async def __aenter__(self):
        await self.start()
        return self

    async def __aexit__(self, exc_type, exc, tb):
        if exc_type is None:
            await self.commit()
        elif not self._conn.is_closed():
            await self.rollback()


class Connection:
    """One connection, with asyncpg's query methods as coroutines. Obtained
    from :meth:`Pool.acquire` (valid until released) or :func:`connect`.
    One statement at a time: a concurrent call raises InterfaceError."""

    def __init__(self, raw, executor, command_timeout=None):
        self._raw = raw
        self._executor = executor
        self._command_timeout = command_timeout
        self._inflight = None
        self._transactions = []
        self._savepoint_seq = 0

    def _raw_checked(self):
        if self._raw is None:
            raise InterfaceError("cannot call Connection methods: the connection has been released back to the pool")
        return self._raw

    async def _run(self, fn, *args, timeout=None):
        raw = self._raw_checked()
        if timeout is None:
            timeout = self._command_timeout
        future = asyncio.wrap_future(self._executor.submit(fn, *args))
        self._inflight = future
        try:
            if timeout is None:
                return await asyncio.shield(future)
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except (asyncio.CancelledError, asyncio.TimeoutError):
            if not future.done():
                _cancel_in_background(raw)
            # Nobody awaits the statement's outcome now; _settle waits for it.
            future.add_done_callback(_consume)
            raise

    async def _settle(self):
        """Waits for a statement left running by a cancelled call."""
        future, self._inflight = self._inflight, None
        if future is not None and not future.done():
            await asyncio.wait([future])

    async def execute(self, query, *args, timeout=None):
        """Runs query and returns its command status (e.g. ``"INSERT 0 1"``).
        Without args, several statements separated by ``;`` may run at once."""
        raw = self._raw_checked()
        return await self._run(raw.execute, query, args or None, timeout=timeout)

    async def executemany(self, command, args, *, timeout=None):
        """Runs command once per argument sequence in args, atomically (all
        or nothing) unless a transaction is already open. Returns None."""
        raw = self._raw_checked()
        args = list(args)
        if args:
            await self._run(raw.execute_many, command, args, timeout=timeout)

    async def fetch(self, query, *args, timeout=None, record_class=None):
        """The rows of query, a list of :class:`Record`."""
        raw = self._raw_checked()
        return _records(await self._run(raw.query, query, args, timeout=timeout))

    async def fetchrow(self, query, *args, timeout=None, record_class=None):
        """The first row of query, or None when it returns none."""
        rows = await self.fetch(query, *args, timeout=timeout)
        return rows[0] if rows else None

    async def fetchval(self, query, *args, column=0, timeout=None):
        """The value of column (index or name) in the first row, or None when
        query returns no row."""
        row = await self.fetchrow(query, *args, timeout=timeout)
        return None if row is None else row[column]

    def transaction(self, *, isolation=None, readonly=False, deferrable=False):
        """A :class:`Transaction` on this connection (a savepoint when one is
        already open). isolation: ``"serializable"``, ``"repeatable_read"``,
        ``"read_committed"`` or ``"read_uncommitted"``."""
        return Transaction(self, isolation, readonly, deferrable)

    def is_in_transaction(self):
        """True when a transaction is open on this connection."""
        raw = self._raw
        return raw is not None and raw.transaction_status in (1, 2, 3)

    def is_closed(self):
        """True when the connection is closed, broken or released."""
        return self._raw is None or self._raw.closed

    def get_server_pid(self):
        """The process id of the server backend of this connection."""
        return self._raw_checked().backend_pid

    def get_server_version_num(self):
        """The server's version as an int (e.g. 150004)."""
        return self._raw_checked().server_version

    async def close(self, *, timeout=None):
        """Closes a connection made by :func:`connect`. A pooled connection is
        given back with :meth:`Pool.release` instead."""
        raw, self._raw = self._raw, None
        if raw is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, raw.close)
            if isinstance(self._executor, _OwnExecutor):
                self._executor.shutdown(wait=False)

    def terminate(self):
        """Closes the connection at once, cancelling a running statement."""
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.cancel()
            raw.close()


class _OwnExecutor(concurrent.futures.ThreadPoolExecutor):
    """The one thread of a connection made by connect()."""


def _connect_params(host, port, user, password, database, dsn, ssl, server_settings, schema, connect_timeout):
    """The libpq keywords of a connection. The password is passed on, never
    formatted into a message."""
    if schema is not None and not _SCHEMA_NAME.match(schema):
        raise ValueError("schema must be 1-63 ASCII letters, digits or '_', not starting with a digit")
    params = {}
    if dsn:
        params["dbname"] = dsn  # expanded by libpq; the keywords below override its parts
    for key, value in (("host", host), ("port", port), ("user", user), ("password", password)):
        if value is not None and value != "":
            params[key] = str(value)
    if database and not dsn:
        params["dbname"] = database
    if ssl is True:
        params["sslmode"] = "require"
    elif ssl is False:
        params["sslmode"] = "disable"
    elif isinstance(ssl, str):
        params["sslmode"] = ssl
    elif ssl is not None:
        params["sslmode"] = "require"  # an SSLContext: libpq takes no context object
    if connect_timeout is not None:
        params["connect_timeout"] = str(max(1, int(round(connect_timeout))))
    # Text results are parsed in ISO format; RESET ALL keeps these (they are
    # the session's defaults).
    settings = {"DateStyle": "ISO, MDY", "application_name": "graphstore.aiecs"}
    if schema is not None and schema != "public":
        # public is on the server's default search_path already.
        settings["search_path"] = f"{schema}, public"
    settings.update(server_settings or {})
    params["options"] = " ".join("-c " + _escape_option(f"{k}={v}") for k, v in settings.items())
    return params


def _escape_option(text):
    return re.sub(r"([\\ ])", r"\\\1", str(text))


def _check_kwargs(kwargs):
    unknown = set(kwargs) - _IGNORED_KWARGS
    if unknown:
        raise TypeError(f"unexpected keyword arguments: {', '.join(sorted(unknown))}")


class _Acquire:
    """What ``pool.acquire()`` returns: awaitable (a Connection) and an async
    context manager (releasing it at exit)."""

    def __init__(self, pool, timeout):
        self._pool = pool
        self._timeout = timeout
        self._conn = None

    def __await__(self):
        return self._pool._acquire(self._timeout).__await__()

    async def __aenter__(self):
        self._conn = await self._pool._acquire(self._timeout)
        return self._conn

    async def __aexit__(self, *exc):
        conn, self._conn = self._conn, None
        await self._pool.release(conn)


class Pool:
    """A pool of PostgreSQL connections with asyncpg's Pool API.

    Construct and await it (``await Pool(...)``, ``await Pool.create(...)``,
    ``async with Pool(...) as pool``). Holds between min_size (opened by
    initialisation) and max_size connections; an acquire beyond max_size
    waits for a release. Connection arguments: host, port, user, password,
    database, or dsn (a libpq string or ``postgresql://`` URI, overridden by
    the explicit ones); ssl (True, False, or a libpq sslmode such as
    ``"require"``); server_settings (a dict of session settings);
    connect_timeout (seconds); command_timeout (seconds, the default timeout
    of every call); schema (the graphstore schema, put first on search_path;
    "public" and None leave the server's search_path alone). asyncpg tuning
    arguments (statement caches, max_queries, ...) are accepted and have no
    effect.
    """

    def __init__(self, host=None, port=None, user=None, password=None, database=None, *, dsn=None,
                 min_size=5, max_size=20, schema="public", ssl=None, server_settings=None,
                 connect_timeout=60, command_timeout=None, timeout=None, **kwargs):
        _check_kwargs(kwargs)
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        if not 0 <= min_size <= max_size:
            raise ValueError("min_size must be between 0 and max_size")
        self._params = _connect_params(host, port, user, password, database, dsn, ssl, server_settings, schema,
                                       timeout if timeout is not None else connect_timeout)
        self._min_size = min_size
        self._max_size = max_size
        self._command_timeout = command_timeout
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=max_size, thread_name_prefix="gs-pg")
        self._idle = []
        self._in_use = set()
        self._slots = None  # asyncio.Semaphore(max_size), made on the loop
        self._released = None  # asyncio.Event: set while nothing is in use
        self._initialized = False
        self._init_task = None
        self._closing = False
        self._closed = False

    @classmethod
    async def create(cls, host=None, port=None, user=None, password=None, database=None, min_size=5, max_size=20,
                     schema="public", **kwargs):
        """A new pool with min_size connections open (see the class)."""
        return await cls(host, port, user, password, database, min_size=min_size, max_size=max_size,
                         schema=schema, **kwargs)

    def __await__(self):
        return self._initialize().__await__()

    async def __aenter__(self):
        return await self._initialize()

    async def __aexit__(self, *exc):
        await self.close()

    async def _initialize(self):
        if self._initialized:
            return self
        if self._init_task is None:
            self._init_task = asyncio.ensure_future(self._open_min())
        await asyncio.shield(self._init_task)
        return self

    async def _open_min(self):
        self._slots = asyncio.Semaphore(self._max_size)
        self._released = asyncio.Event()
        self._released.set()
        loop = asyncio.get_running_loop()
        results = await asyncio.gather(
            *(loop.run_in_executor(self._executor, _pg.Connection, self._params) for _ in range(self._min_size)),
            return_exceptions=True)
        raws = [r for r in results if isinstance(r, _pg.Connection)]
        errors = [r for r in results if not isinstance(r, _pg.Connection)]
        if errors:
            for raw in raws:
                raw.close()
            self._executor.shutdown(wait=False)
            self._closed = True
            raise errors[0]
        self._idle.extend(raws)
        self._initialized = True

    def _check_open(self):
        if self._closing or self._closed:
            raise InterfaceError("the pool is closed")
        if not self._initialized:
            raise InterfaceError("the pool is not initialized: await it first")

    def acquire(self, *, timeout=None):
        """A connection of the pool: ``async with pool.acquire() as conn`` or
        ``conn = await pool.acquire()`` (then :meth:`release`). Waits up to
        timeout seconds (None: without limit) for a free one."""
        return _Acquire(self, timeout)

    async def _acquire(self, timeout):
        self._check_open()
        if timeout is None:
            await self._slots.acquire()
        else:
            await self._acquire_slot_within(timeout)
        try:
            raw = self._idle.pop() if self._idle else None
            if raw is None:
                raw = await asyncio.get_running_loop().run_in_executor(self._executor, _pg.Connection, self._params)
        except BaseException:
            self._slots.release()
            raise
        conn = Connection(raw, self._executor, self._command_timeout)
        self._in_use.add(conn)
        self._released.clear()
        return conn

    async def _acquire_slot_within(self, timeout):
        # Not wait_for: on Python 3.11 a slot granted just as the timeout
        # fires can be lost. Here a grant nobody takes is given back.
        waiter = asyncio.ensure_future(self._slots.acquire())
        try:
            done, _ = await asyncio.wait({waiter}, timeout=timeout)
        except BaseException:
            self._abandon_slot(waiter)
            raise
        if not done:
            self._abandon_slot(waiter)
            raise asyncio.TimeoutError(f"no connection of the pool became free within {timeout} s")

    def _abandon_slot(self, waiter):
        def give_back(f):
            if not f.cancelled() and f.exception() is None:
                self._slots.release()

        if waiter.done():
            give_back(waiter)
        else:
            waiter.cancel()
            waiter.add_done_callback(give_back)

    async def release(self, connection, *, timeout=None, _skip_reset=False):
        """Gives connection back: a statement still running (its caller was
        cancelled) is waited for, an open transaction rolled back and session
        settings reset; a broken connection is closed instead."""
        if connection not in self._in_use:
            raise InterfaceError("this connection does not belong to the pool or was already released")
        self._in_use.discard(connection)
        raw, connection._raw = connection._raw, None
        # Shielded: a cancelled releaser still returns the connection.
        await asyncio.shield(self._give_back(connection, raw, not _skip_reset))

    async def _give_back(self, connection, raw, reset):
        try:
            await connection._settle()
            if raw is not None and not raw.closed and not self._closing:
                if reset:
                    try:
                        await asyncio.get_running_loop().run_in_executor(self._executor, _reset, raw)
                    except Exception:
                        raw.close()
                if not raw.closed:
                    self._idle.append(raw)
                    raw = None
            if raw is not None:
                await asyncio.get_running_loop().run_in_executor(self._executor, raw.close)
        finally:
            self._slots.release()
            if not self._in_use:
                self._released.set()

    async def _call(self, method, query, args, timeout):
        # The statement and the connection's reset in one trip to a pool
        # thread; release then has nothing left to do.
        conn = await self._acquire(None)
        try:
            return await conn._run(_call_then_reset, conn._raw, method, query, args, timeout=timeout)
        finally:
            # The thread job resets even when the statement failed or its
            # caller was cancelled (release waits for the job to end).
            await self.release(conn, _skip_reset=True)

    async def execute(self, query, *args, timeout=None):
        """:meth:`Connection.execute` on a connection of the pool."""
        return await self._call("execute", query, args or None, timeout)

    async def executemany(self, command, args, *, timeout=None):
        """:meth:`Connection.executemany` on a connection of the pool."""
        args = list(args)
        if args:
            await self._call("execute_many", command, args, timeout)

    async def fetch(self, query, *args, timeout=None, record_class=None):
        """:meth:`Connection.fetch` on a connection of the pool."""
        return _records(await self._call("query", query, args, timeout))

    async def fetchrow(self, query, *args, timeout=None, record_class=None):
        """:meth:`Connection.fetchrow` on a connection of the pool."""
        rows = await self.fetch(query, *args, timeout=timeout)
        return rows[0] if rows else None

    async def fetchval(self, query, *args, column=0, timeout=None):
        """:meth:`Connection.fetchval` on a connection of the pool."""
        row = await self.fetchrow(query, *args, timeout=timeout)
        return None if row is None else row[column]

    def get_size(self):
        """Connections open now (idle and in use)."""
        return len(self._idle) + len(self._in_use)

    def get_idle_size(self):
        """Connections open and not in use."""
        return len(self._idle)

    def get_min_size(self):
        """The min_size given at creation."""
        return self._min_size

    def get_max_size(self):
        """The max_size given at creation."""
        return self._max_size

    def is_closing(self):
        """True once close() or terminate() was called."""
        return self._closing or self._closed

    async def close(self):
        """Waits until every acquired connection is released, then closes all
        of them. Idempotent."""
        if self._closed:
            return
        self._closing = True
        if self._released is not None:
            await self._released.wait()
        idle, self._idle = self._idle, []
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._executor, raw.close) for raw in idle))
        self._executor.shutdown(wait=False)
        self._closed = True

    def terminate(self):
        """Closes every connection at once, in use or not; statements running
        are cancelled."""
        self._closing = True
        for conn in list(self._in_use):
            conn.terminate()
        self._in_use.clear()
        for raw in self._idle:
            raw.close()
        self._idle = []
        self._executor.shutdown(wait=False)
        self._closed = True

    def __repr__(self):
        return (f"<graphstore.aiecs.pg_pool.Pool size={self.get_size()} idle={self.get_idle_size()} "
                f"min={self._min_size} max={self._max_size}>")


def _reset(raw):
    if raw.transaction_status != 0:
        raw.execute("ROLLBACK")
    raw.execute(_RESET_SQL)


def _call_then_reset(raw, method, query, args):
    """Runs one statement, then resets the connection for its next user. A
    reset that fails closes the connection (the pool then drops it) without
    hiding the statement's result."""
    try:
        return getattr(raw, method)(query, args)
    finally:
        try:
            _reset(raw)
        except Exception:
            raw.close()


def create_pool(dsn=None, *, min_size=10, max_size=10, **kwargs):
    """asyncpg.create_pool's shape: a :class:`Pool` to await or to use as
    ``async with create_pool(...) as pool``. asyncpg's defaults (10/10)."""
    return Pool(dsn=dsn, min_size=min_size, max_size=max_size, **kwargs)


async def connect(dsn=None, *, host=None, port=None, user=None, password=None, database=None, schema="public",
                  ssl=None, server_settings=None, timeout=60, command_timeout=None, **kwargs):
    """asyncpg.connect's shape: one :class:`Connection` outside any pool,
    closed with ``await conn.close()``."""
    _check_kwargs(kwargs)
    params = _connect_params(host, port, user, password, database, dsn, ssl, server_settings, schema, timeout)
    executor = _OwnExecutor(max_workers=1, thread_name_prefix="gs-pg-conn")
    try:
        raw = await asyncio.get_running_loop().run_in_executor(executor, _pg.Connection, params)
    except BaseException:
        executor.shutdown(wait=False)
        raise
    return Connection(raw, executor, command_timeout)
