"""graphstore._pg: the blocking libpq connection under the pool."""
import datetime
import decimal
import threading
import uuid

import numpy as np
import pytest

from graphstore import _pg
from graphstore.aiecs import pg_pool  # noqa: F401  (registers the SQLSTATE subclasses)


def params(pg_server, **override):
    p = {"host": pg_server["host"], "port": str(pg_server["port"]), "user": pg_server["user"],
         "password": pg_server["password"], "dbname": pg_server["database"]}
    p.update(override)
    return p


@pytest.fixture
def conn(pg_server):
    c = _pg.Connection(params(pg_server))
    yield c
    c.close()


def value(conn, sql, *args):
    status, columns, rows = conn.query(sql, list(args))
    assert len(rows) == 1 and len(rows[0]) == 1, (status, columns, rows)
    return rows[0][0]


def test_query_returns_status_columns_and_rows(conn):
    status, columns, rows = conn.query("SELECT 1 AS a, 'x'::text AS b UNION ALL SELECT 2, NULL", None)
    assert status == "SELECT 2"
    assert columns == ("a", "b")
    assert rows == [(1, "x"), (2, None)]


def test_parameters_are_bound_never_spliced(conn):
    conn.execute("CREATE TEMP TABLE victims (name text)")
    evil = "x'); DROP TABLE victims; --"
    assert conn.execute("INSERT INTO victims VALUES ($1)", [evil]) == "INSERT 0 1"
    assert conn.query("SELECT name FROM victims", None)[2] == [(evil,)]
    assert value(conn, "SELECT $1::text = 'x''); DROP TABLE victims; --'", evil) is True
    assert value(conn, "SELECT count(*) FROM victims WHERE name = $1", "' OR '1'='1") == 0


@pytest.mark.parametrize("sql, expected", [
    ("SELECT true", True),
    ("SELECT false", False),
    ("SELECT 7::int2", 7),
    ("SELECT (-2147483648)::int4", -2147483648),
    ("SELECT 9223372036854775807::int8", 9223372036854775807),
    ("SELECT 1.5::float4", 1.5),
    ("SELECT 0.1::float8", 0.1),
    ("SELECT 'Infinity'::float8", float("inf")),
    ("SELECT 12345678901234567890.123456789::numeric", decimal.Decimal("12345678901234567890.123456789")),
    ("SELECT 'héllo'::text", "héllo"),
    ("SELECT 'v'::varchar(3)", "v"),
    ("SELECT 'n'::name", "n"),
    ("SELECT '{\"b\": 1, \"a\": [true]}'::json", '{"b": 1, "a": [true]}'),
    ("SELECT '{\"b\": 1, \"a\": [true]}'::jsonb", '{"a": [true], "b": 1}'),
    ("SELECT '\\x00ff10'::bytea", b"\x00\xff\x10"),
    ("SELECT ''::bytea", b""),
    ("SELECT '2024-02-29 23:59:58.000123'::timestamp", datetime.datetime(2024, 2, 29, 23, 59, 58, 123)),
    ("SELECT '2024-02-29 23:59:58.5+00'::timestamptz",
     datetime.datetime(2024, 2, 29, 23, 59, 58, 500000, tzinfo=datetime.timezone.utc)),
    ("SELECT 'infinity'::timestamp", datetime.datetime.max),
    ("SELECT '2001-02-03'::date", datetime.date(2001, 2, 3)),
    ("SELECT '04:05:06.7'::time", datetime.time(4, 5, 6, 700000)),
    ("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
    ("SELECT ARRAY[1, NULL, 3]::int4[]", [1, None, 3]),
    ("SELECT ARRAY[[1.5, 2], [3, 4]]::float8[]", [[1.5, 2.0], [3.0, 4.0]]),
    ("SELECT ARRAY['a b', 'q\"uote', 'back\\slash', 'NULL', NULL, '']::text[]",
     ["a b", 'q"uote', "back\\slash", "NULL", None, ""]),
    ("SELECT '{}'::int8[]", []),
    ("SELECT ARRAY[true, false]", [True, False]),
    ("SELECT ARRAY['\\x01'::bytea]", [b"\x01"]),
    ("SELECT NULL::int4", None),
    ("SELECT '1 day 02:00:00'::interval", "1 day 02:00:00"),
])
def test_results_are_decoded_by_type(conn, sql, expected):
    got = value(conn, sql)
    assert got == expected and type(got) is type(expected)


def test_timestamptz_comes_back_in_utc_whatever_the_session_zone(conn):
    conn.execute("SET TimeZone = 'Asia/Kolkata'")
    got = value(conn, "SELECT '2024-01-01 05:30:00+05:30'::timestamptz")
    assert got == datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)
    assert got.utcoffset() == datetime.timedelta(0)


def test_nan_float_and_numeric(conn):
    assert value(conn, "SELECT 'NaN'::float8") != value(conn, "SELECT 'NaN'::float8")
    assert value(conn, "SELECT 'NaN'::numeric").is_nan()


@pytest.mark.parametrize("arg, cast, expected", [
    (None, "int4", None),
    (True, "bool", True),
    (42, "int8", 42),
    (2 ** 70, "numeric", decimal.Decimal(2 ** 70)),
    (-0.25, "float8", -0.25),
    (float("-inf"), "float8", float("-inf")),
    (decimal.Decimal("1.10"), "numeric", decimal.Decimal("1.10")),
    ("text ' \" \\", "text", "text ' \" \\"),
    (b"\x00\x01\xfe", "bytea", b"\x00\x01\xfe"),
    (bytearray(b"ab"), "bytea", b"ab"),
    (datetime.datetime(2020, 1, 2, 3, 4, 5, 6), "timestamp", datetime.datetime(2020, 1, 2, 3, 4, 5, 6)),
    (datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))), "timestamptz",
     datetime.datetime(2020, 1, 2, 1, 4, 5, tzinfo=datetime.timezone.utc)),
    (datetime.date(1999, 12, 31), "date", datetime.date(1999, 12, 31)),
    (datetime.timedelta(days=1, seconds=2, microseconds=3), "interval", "1 day 00:00:02.000003"),
    (uuid.UUID(int=5), "uuid", uuid.UUID(int=5)),
    ([1, 2, None], "int4[]", [1, 2, None]),
    ([["a,b", 'c"'], ["{", None]], "text[]", [["a,b", 'c"'], ["{", None]]),
    ({"k": [1, "two"]}, "jsonb", '{"k": [1, "two"]}'),
    ('{"k": 1}', "jsonb", '{"k": 1}'),
    (np.array([1.5, -2.0], dtype=np.float32), "float4[]", [1.5, -2.0]),
    (np.int64(7), "int8", 7),
    (np.float32(0.5), "float8", 0.5),
])
def test_arguments_round_trip(conn, arg, cast, expected):
    assert value(conn, f"SELECT $1::{cast}", arg) == expected


def test_simple_protocol_runs_several_statements_without_arguments(conn):
    status = conn.execute("CREATE TEMP TABLE m (v int); INSERT INTO m VALUES (1), (2)", None)
    assert status == "INSERT 0 2"
    with pytest.raises(_pg.Error) as info:
        conn.query("SELECT 1; SELECT 2", [])
    assert info.value.sqlstate == "42601"


def test_errors_carry_sqlstate_and_the_servers_fields(conn):
    conn.execute("CREATE TEMP TABLE u (id int PRIMARY KEY)")
    conn.execute("INSERT INTO u VALUES (1)")
    with pytest.raises(pg_pool.UniqueViolationError) as info:
        conn.execute("INSERT INTO u VALUES ($1)", [1])
    e = info.value
    assert isinstance(e, _pg.Error) and isinstance(e, pg_pool.PostgresError)
    assert e.sqlstate == "23505"
    assert e.constraint_name == "u_pkey" and e.table_name == "u"
    assert "Key (id)=(1)" in e.detail
    assert "duplicate key" in str(e)
    with pytest.raises(pg_pool.UndefinedTableError):
        conn.query("SELECT * FROM no_such_table", None)
    # The connection is usable after an error.
    assert value(conn, "SELECT 1") == 1


def test_execute_many_is_all_or_nothing(conn):
    conn.execute("CREATE TEMP TABLE em (id int PRIMARY KEY, name text)")
    assert conn.execute_many("INSERT INTO em VALUES ($1, $2)", [(1, "a"), (2, "b")]) == "INSERT 0 1"
    with pytest.raises(pg_pool.UniqueViolationError):
        conn.execute_many("INSERT INTO em VALUES ($1, $2)", [(3, "c"), (1, "dup")])
    assert conn.transaction_status == 0
    assert value(conn, "SELECT count(*) FROM em") == 2


def test_a_password_inside_a_dsn_never_appears_in_the_error(pg_server):
    secret = "Dsn-Pa55-s3cret"
    dsn = f"postgresql://{pg_server['user']}:{secret}@{pg_server['host']}:{pg_server['port']}/graphstore"
    with pytest.raises(_pg.Error) as info:
        _pg.Connection({"dbname": dsn})
    assert info.value.sqlstate == "28P01"
    assert secret not in str(info.value) and secret not in repr(info.value.args)


def test_a_wrong_password_never_appears_in_the_error(pg_server):
    secret = "Wr0ng-Pa55-s3cret"
    with pytest.raises(_pg.Error) as info:
        _pg.Connection(params(pg_server, password=secret))
    e = info.value
    assert e.sqlstate == "28P01"
    assert isinstance(e, pg_pool.InvalidPasswordError)
    for text in (str(e), repr(e), e.message, str(e.detail), repr(e.args)):
        assert secret not in text


def test_unreachable_server_is_a_connection_error(pg_server):
    with pytest.raises(pg_pool.PostgresConnectionError) as info:
        _pg.Connection(params(pg_server, host="127.0.0.1", port="1", connect_timeout="2"))
    assert info.value.sqlstate == "08001"


def test_a_busy_connection_refuses_a_second_statement(pg_server):
    holder = _pg.Connection(params(pg_server))
    waiter = _pg.Connection(params(pg_server))
    holder.execute("SELECT pg_advisory_lock(4242)")
    errors = []

    def blocked():
        try:
            waiter.query("SELECT pg_advisory_lock(4242)", None)
            waiter.query("SELECT pg_advisory_unlock(4242)", None)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    t = threading.Thread(target=blocked)
    t.start()
    try:
        wait_until_waiting(holder, waiter.backend_pid)
        with pytest.raises(_pg.InterfaceError, match="another operation is in progress"):
            waiter.query("SELECT 1", None)
    finally:
        holder.execute("SELECT pg_advisory_unlock(4242)")
        t.join()
    assert not errors
    holder.close()
    waiter.close()


def wait_until_waiting(observer, pid):
    """Returns once backend pid waits on a lock. This thread runs Python
    meanwhile, which proves the blocked call released the GIL."""
    for _ in range(10000):
        _, _, rows = observer.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", [pid])
        if rows and rows[0][0] == "Lock":
            return
    raise AssertionError(f"backend {pid} never waited on the lock")


def test_cancel_stops_a_running_statement(pg_server):
    runner = _pg.Connection(params(pg_server))
    observer = _pg.Connection(params(pg_server))
    observer.execute("SELECT pg_advisory_lock(4343)")
    outcome = []

    def run():
        try:
            runner.query("SELECT pg_advisory_lock(4343)", None)
            outcome.append("finished")
        except _pg.Error as exc:
            outcome.append(exc.sqlstate)

    t = threading.Thread(target=run)
    t.start()
    wait_until_waiting(observer, runner.backend_pid)
    runner.cancel()
    t.join()
    assert outcome == ["57014"]
    assert value(runner, "SELECT 2") == 2
    observer.close()
    runner.close()


def test_close_is_idempotent_and_final(pg_server):
    c = _pg.Connection(params(pg_server))
    assert not c.closed and c.backend_pid > 0 and c.server_version >= 150000
    c.close()
    c.close()
    assert c.closed and c.transaction_status == 4
    with pytest.raises(_pg.InterfaceError):
        c.query("SELECT 1", None)


def test_server_notices_are_not_printed(conn, capfd):
    assert conn.execute("DROP TABLE IF EXISTS no_such_table_here") == "DROP TABLE"
    out, err = capfd.readouterr()
    assert "NOTICE" not in out + err
