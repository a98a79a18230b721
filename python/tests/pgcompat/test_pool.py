"""graphstore.aiecs.pg_pool: the asyncpg-shaped pool over graphstore._pg."""
import asyncio

import pytest

from graphstore.aiecs import pg_pool


async def test_create_opens_min_size_and_grows_to_max_size(pg_kwargs):
    pool = await pg_pool.Pool.create(min_size=2, max_size=3, **pg_kwargs)
    try:
        assert (pool.get_min_size(), pool.get_max_size()) == (2, 3)
        assert (pool.get_size(), pool.get_idle_size()) == (2, 2)
        held = [await pool.acquire() for _ in range(3)]
        assert (pool.get_size(), pool.get_idle_size()) == (3, 0)
        pids = {c.get_server_pid() for c in held}
        assert len(pids) == 3
        # A fourth waits for a release.
        with pytest.raises(asyncio.TimeoutError):
            await pool.acquire(timeout=0.05)
        waiting = asyncio.ensure_future(pool.acquire())
        await asyncio.sleep(0)
        assert not waiting.done()
        await pool.release(held.pop())
        conn = await waiting
        assert conn.get_server_pid() in pids
        held.append(conn)
        for c in held:
            await pool.release(c)
        assert (pool.get_size(), pool.get_idle_size()) == (3, 3)
    finally:
        await pool.close()
    assert pool.is_closing()
    with pytest.raises(pg_pool.InterfaceError):
        await pool.fetchval("SELECT 1")


async def test_the_four_query_methods_on_a_connection_and_on_the_pool(pool):
    async with pool.acquire() as conn:
        assert await conn.execute("CREATE TEMP TABLE q (id int, name text)") == "CREATE TABLE"
        assert await conn.execute("INSERT INTO q VALUES ($1, $2), ($3, $4)", 1, "a", 2, "b") == "INSERT 0 2"
        rows = await conn.fetch("SELECT id, name FROM q ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b")]
        assert (await conn.fetchrow("SELECT * FROM q WHERE id = $1", 2))["name"] == "b"
        assert await conn.fetchrow("SELECT * FROM q WHERE id = $1", 3) is None
        assert await conn.fetchval("SELECT name FROM q WHERE id = $1", 1) == "a"
        assert await conn.fetchval("SELECT id, name FROM q WHERE id = 1", column=1) == "a"
        assert await conn.fetchval("SELECT id, name FROM q WHERE id = 1", column="name") == "a"
        assert await conn.fetchval("SELECT 1 WHERE false") is None
    assert await pool.execute("SELECT 1") == "SELECT 1"
    assert await pool.fetchval("SELECT $1::int + 1", 41) == 42
    assert (await pool.fetchrow("SELECT 1 AS x"))["x"] == 1
    assert [r["g"] for r in await pool.fetch("SELECT generate_series(1, 3) AS g")] == [1, 2, 3]


async def test_records_behave_like_asyncpgs(pool):
    row = await pool.fetchrow("SELECT 1 AS a, 'two' AS b, NULL::int AS c")
    assert row["a"] == 1 and row[1] == "two" and row[-1] is None
    assert row[0:2] == (1, "two")
    assert row.get("b") == "two" and row.get("zzz") is None and row.get("zzz", 5) == 5
    assert list(row.keys()) == ["a", "b", "c"]
    assert list(row.values()) == [1, "two", None]
    assert list(row.items()) == [("a", 1), ("b", "two"), ("c", None)]
    assert dict(row) == {"a": 1, "b": "two", "c": None}
    assert len(row) == 3 and list(row) == [1, "two", None]
    assert "a" in row and "zzz" not in row
    assert row == (1, "two", None)
    assert repr(row) == "<Record a=1 b='two' c=None>"
    with pytest.raises(KeyError):
        row["zzz"]
    with pytest.raises(IndexError):
        row[3]


async def test_an_injection_attempt_stays_data(pool):
    async with pool.acquire() as conn:
        await conn.execute("CREATE TEMP TABLE notes (body text)")
        evil = "'); DROP TABLE notes; --"
        await conn.execute("INSERT INTO notes VALUES ($1)", evil)
        assert await conn.fetchval("SELECT body FROM notes") == evil
        assert await conn.fetchval("SELECT count(*) FROM notes WHERE body = $1", "x' OR 'x'='x") == 0


async def test_transactions_commit_roll_back_and_nest(pool):
    async with pool.acquire() as conn:
        await conn.execute("CREATE TEMP TABLE tx (v int)")
        async with conn.transaction():
            await conn.execute("INSERT INTO tx VALUES (1)")
            assert conn.is_in_transaction()
        assert not conn.is_in_transaction()
        with pytest.raises(ZeroDivisionError):
            async with conn.transaction():
                await conn.execute("INSERT INTO tx VALUES (2)")
                raise ZeroDivisionError
        async with conn.transaction():
            await conn.execute("INSERT INTO tx VALUES (3)")
            with pytest.raises(RuntimeError):
                async with conn.transaction():  # a savepoint
                    await conn.execute("INSERT INTO tx VALUES (4)")
                    raise RuntimeError
            async with conn.transaction():
                await conn.execute("INSERT INTO tx VALUES (5)")
        assert [r["v"] for r in await conn.fetch("SELECT v FROM tx ORDER BY v")] == [1, 3, 5]
        tr = conn.transaction(isolation="serializable", readonly=True)
        await tr.start()
        assert await conn.fetchval("SHOW transaction_isolation") == "serializable"
        with pytest.raises(pg_pool.ReadOnlySQLTransactionError):
            await conn.execute("CREATE TABLE read_only_probe (v int)")  # temp tables stay writable
        await tr.rollback()
        # A failed statement inside a transaction block rolls the block back.
        with pytest.raises(pg_pool.UndefinedTableError):
            async with conn.transaction():
                await conn.execute("INSERT INTO tx VALUES (7)")
                await conn.execute("SELECT * FROM missing_table")
        assert await conn.fetchval("SELECT count(*) FROM tx") == 3


async def test_executemany_is_atomic(pool):
    async with pool.acquire() as conn:
        await conn.execute("CREATE TEMP TABLE many (id int PRIMARY KEY)")
        assert await conn.executemany("INSERT INTO many VALUES ($1)", [(i,) for i in range(100)]) is None
        with pytest.raises(pg_pool.UniqueViolationError):
            await conn.executemany("INSERT INTO many VALUES ($1)", [(1000,), (5,)])
        assert await conn.fetchval("SELECT count(*) FROM many") == 100
        await conn.executemany("INSERT INTO many VALUES ($1)", [])


async def test_a_released_connection_is_reset_for_the_next_user(pg_kwargs):
    pool = await pg_pool.Pool.create(min_size=1, max_size=1, **pg_kwargs)
    try:
        async with pool.acquire() as conn:
            default_path = await conn.fetchval("SHOW search_path")
            await conn.execute("SET search_path = pg_catalog")
            await conn.execute("SELECT set_config('graphstore.tenant', 'acme', false)")
            await conn.execute("BEGIN")
            await conn.execute("CREATE TEMP TABLE gone (v int)")
            pid = conn.get_server_pid()
        with pytest.raises(pg_pool.InterfaceError):
            await conn.fetchval("SELECT 1")
        async with pool.acquire() as conn:
            assert conn.get_server_pid() == pid
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SHOW search_path") == default_path
            assert await conn.fetchval("SELECT current_setting('graphstore.tenant', true)") in (None, "")
            assert await conn.fetchval("SELECT to_regclass('pg_temp.gone') IS NULL") is True
    finally:
        await pool.close()


async def test_search_path_starts_at_the_graphstore_schema(pg_kwargs):
    async with pg_pool.create_pool(min_size=1, max_size=1, schema="some_schema", **pg_kwargs) as pool:
        assert await pool.fetchval("SHOW search_path") == "some_schema, public"
    with pytest.raises(ValueError):
        pg_pool.Pool(schema="bad;schema", **pg_kwargs)


async def test_many_coroutines_share_a_small_pool(pool):
    results = await asyncio.gather(*(pool.fetchval("SELECT $1::int * 2", i) for i in range(200)))
    assert results == [i * 2 for i in range(200)]
    assert pool.get_size() <= pool.get_max_size()


async def test_a_timeout_cancels_the_statement_and_the_connection_comes_back(pg_kwargs):
    pool = await pg_pool.Pool.create(min_size=1, max_size=1, command_timeout=None, **pg_kwargs)
    try:
        async with pool.acquire() as conn:
            with pytest.raises(asyncio.TimeoutError):
                await conn.fetchval("SELECT pg_sleep(30)", timeout=0.2)
            assert await conn.fetchval("SELECT 1") == 1
        task = asyncio.ensure_future(pool.fetchval("SELECT pg_sleep(30)"))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The only connection is usable again once the cancelled statement ended.
        assert await pool.fetchval("SELECT 2", timeout=30) == 2
        assert pool.get_size() == 1
    finally:
        await pool.close()


async def test_errors_are_asyncpg_named(pool):
    with pytest.raises(pg_pool.PostgresSyntaxError) as info:
        await pool.execute("SELEC 1")
    assert info.value.sqlstate == "42601"
    with pytest.raises(pg_pool.DivisionByZeroError):
        await pool.fetchval("SELECT 1 / $1::int", 0)


async def test_a_wrong_password_fails_create_without_showing_it(pg_kwargs):
    secret = "not-the-Pa55word"
    with pytest.raises(pg_pool.InvalidPasswordError) as info:
        await pg_pool.Pool.create(min_size=1, max_size=1, **dict(pg_kwargs, password=secret))
    assert secret not in str(info.value) and secret not in repr(info.value)


async def test_dsn_and_connect(pg_kwargs):
    dsn = "postgresql://{user}:{password}@{host}:{port}/{database}".format(**pg_kwargs)
    conn = await pg_pool.connect(dsn)
    try:
        assert await conn.fetchval("SELECT current_user") == pg_kwargs["user"]
        assert await conn.fetchval("SELECT current_database()") == pg_kwargs["database"]
    finally:
        await conn.close()
    assert conn.is_closed()
    pool = await pg_pool.create_pool(dsn, min_size=0, max_size=2)
    try:
        assert pool.get_size() == 0
        assert await pool.fetchval("SELECT 1") == 1
        assert pool.get_size() == 1
    finally:
        await pool.close()


async def test_unknown_arguments_are_refused_and_asyncpg_tuning_is_accepted(pg_kwargs):
    with pytest.raises(TypeError):
        pg_pool.Pool(min_size=1, max_size=1, no_such_option=1, **pg_kwargs)
    pool = await pg_pool.Pool.create(min_size=1, max_size=1, statement_cache_size=0, max_queries=5,
                                     max_inactive_connection_lifetime=60, **pg_kwargs)
    await pool.close()


async def test_close_waits_for_acquired_connections(pg_kwargs):
    pool = await pg_pool.Pool.create(min_size=1, max_size=2, **pg_kwargs)
    conn = await pool.acquire()
    closing = asyncio.ensure_future(pool.close())
    await asyncio.sleep(0.05)
    assert not closing.done()
    assert await conn.fetchval("SELECT 1") == 1
    await pool.release(conn)
    await closing
    assert pool.get_size() == 0


async def test_calls_on_the_pool_reset_their_connection_too(pg_kwargs):
    pool = await pg_pool.Pool.create(min_size=1, max_size=1, **pg_kwargs)
    try:
        default_path = await pool.fetchval("SHOW search_path")
        await pool.execute("SET search_path = pg_catalog")
        assert await pool.fetchval("SHOW search_path") == default_path
        with pytest.raises(pg_pool.DivisionByZeroError):
            await pool.execute("BEGIN; SELECT 1 / 0")
        # Not left inside the failed transaction.
        assert await pool.fetchval("SELECT 3") == 3
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
        assert pool.get_size() == 1
    finally:
        await pool.close()


async def test_timed_out_and_cancelled_acquires_leak_no_slot(pg_kwargs):
    pool = await pg_pool.Pool.create(min_size=1, max_size=1, **pg_kwargs)
    try:
        held = await pool.acquire()
        for _ in range(20):
            with pytest.raises(asyncio.TimeoutError):
                await pool.acquire(timeout=0.001)
        waiting = [asyncio.ensure_future(pool.acquire(timeout=60)) for _ in range(5)]
        await asyncio.sleep(0)
        for w in waiting:
            w.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        await pool.release(held)
        for _ in range(3):
            async with pool.acquire(timeout=5) as conn:
                assert await conn.fetchval("SELECT 1") == 1
        assert (pool.get_size(), pool.get_idle_size()) == (1, 1)
    finally:
        await pool.close()
